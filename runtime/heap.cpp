// The heap's allocation path and teardown. Every object goes through Heap::link, which is
// where the collector will hook its accounting; failure is reported as OutOfMemory, never
// as a crash.
#include "runtime/heap.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace csp {

Heap::~Heap() {
    ObjectHeader* object = m_objects;
    while (object != nullptr) {
        ObjectHeader* next = object->next;
        std::free(object);
        object = next;
    }
}

void Heap::check_budget(size_t bytes) const {
    // Written to avoid overflow: bytes may be close to SIZE_MAX for absurd requests.
    if (bytes > m_limit || m_limit - bytes < m_bytes_in_use + sizeof(ObjectHeader))
        throw OutOfMemory{bytes, m_bytes_in_use};
}

void* Heap::link(void* raw, size_t bytes, ObjectKind kind) {
    if (raw == nullptr) throw OutOfMemory{bytes, m_bytes_in_use};
    auto* header = static_cast<ObjectHeader*>(raw);
    header->next = m_objects;
    header->bytes = bytes;
    header->kind = uint64_t(kind);
    header->marked = 0;
    header->unused = 0;
    m_objects = header;
    m_bytes_in_use += sizeof(ObjectHeader) + bytes;
    ++m_object_count;
    return header + 1;
}

void* Heap::allocate(size_t bytes, ObjectKind kind) {
    check_budget(bytes);
    return link(std::calloc(1, sizeof(ObjectHeader) + bytes), bytes, kind);
}

void* Heap::allocate_uninitialized(size_t bytes, ObjectKind kind) {
    check_budget(bytes);
    return link(std::malloc(sizeof(ObjectHeader) + bytes), bytes, kind);
}

StringRef Heap::make_string(std::string_view text) {
    if (text.empty()) return {};
    auto* bytes = static_cast<char*>(allocate_uninitialized(text.size(), ObjectKind::Bytes));
    std::memcpy(bytes, text.data(), text.size());
    return {bytes, int64_t(text.size())};
}

Closure* Heap::make_closure(const Function* function, uint32_t cells) {
    auto* closure = static_cast<Closure*>(
        allocate(sizeof(Closure) + size_t(cells) * sizeof(Cell), ObjectKind::Closure));
    closure->function = function;
    closure->cell_count = cells;
    return closure;
}

Slot* Heap::make_slots(size_t count) {
    if (count > m_limit / sizeof(Slot)) throw OutOfMemory{SIZE_MAX, m_bytes_in_use};
    return static_cast<Slot*>(allocate(count * sizeof(Slot), ObjectKind::Slots));
}

} // namespace csp
