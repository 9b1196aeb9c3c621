// The heap's allocator: small blocks from 64 KiB spans of one size class each (a free list
// per class; swept empty spans are pooled), large blocks one by one from the system. Failure is reported as OutOfMemory,
// never as a crash. The sweep that returns unmarked blocks to the free lists is here too;
// marking is in gc.cpp.
#include "runtime/heap.hpp"
#include "runtime/race.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace csp {

namespace {

// Payload sizes of the small size classes; a block takes 16 bytes of header more.
constexpr std::array<uint32_t, 24> class_bytes = {16,  32,  48,  64,   80,   96,   112,  128,
                                                  160, 192, 224, 256,  320,  384,  448,  512,
                                                  640, 768, 896, 1024, 1280, 1536, 1792, 2048};

// For payload sizes rounded up to 16: the smallest class that holds them.
constexpr auto make_class_table() {
    std::array<uint8_t, 2048 / 16 + 1> table{};
    size_t c = 0;
    for (size_t units = 0; units < table.size(); ++units) {
        while (class_bytes[c] < units * 16) ++c;
        table[units] = uint8_t(c);
    }
    return table;
}
constexpr auto class_table = make_class_table();

} // namespace

// A span: this header, then `count` blocks of `stride` bytes (header and payload).
struct Heap::Span {
    uint32_t size_class;
    uint32_t stride;
    uint32_t count;
    uint32_t unused;
    alignas(16) char blocks[];

    ObjectHeader* block(size_t index) { return reinterpret_cast<ObjectHeader*>(blocks + index * stride); }
};
static_assert(RaceShadow::span_bytes == 64 * 1024 && RaceShadow::block_header_bytes == sizeof(ObjectHeader),
              "the race detector maps span slots to its shadow cells");

size_t Heap::size_class(size_t bytes) {
    return class_table[(bytes + 15) / 16];
}

Heap::~Heap() {
    for (Span* span : m_spans) std::free(span);
    for (Span* span : m_empty_spans) std::free(span);
    for (ObjectHeader* block : m_large) std::free(block);
}

void Heap::check_budget(size_t bytes) const {
    // Written to avoid overflow: bytes may be close to SIZE_MAX for absurd requests.
    if (bytes > m_limit || m_limit - bytes < m_bytes_in_use + sizeof(ObjectHeader))
        throw OutOfMemory{bytes, m_bytes_in_use};
}

void* Heap::allocate_small(size_t bytes, ObjectKind kind) {
    size_t c = size_class(bytes);
    size_t stride = sizeof(ObjectHeader) + class_bytes[c];
    check_budget(stride);
    if (m_free_lists.empty()) m_free_lists.assign(class_bytes.size(), nullptr);
    ObjectHeader* block = m_free_lists[c];
    if (block == nullptr) {
        Span* span = nullptr;
        if (!m_empty_spans.empty()) {
            span = m_empty_spans.back();
            m_empty_spans.pop_back();
        } else {
            span = static_cast<Span*>(std::aligned_alloc(span_bytes, span_bytes));
            if (span == nullptr) throw OutOfMemory{bytes, m_bytes_in_use};
        }
        span->size_class = uint32_t(c);
        span->stride = uint32_t(stride);
        span->count = uint32_t((span_bytes - offsetof(Span, blocks)) / stride);
        if (race_detector) [[unlikely]]
            race_detector->shadow().span_formatted(span, offsetof(Span, blocks), stride, span->count);
        for (size_t k = span->count; k-- > 0;) { // lowest address at the head
            ObjectHeader* free_block = span->block(k);
            free_block->kind = free_kind;
            free_block->marked = 0;
            free_block->next = m_free_lists[c];
            m_free_lists[c] = free_block;
        }
        m_spans.push_back(span);
        block = m_free_lists[c];
    }
    m_free_lists[c] = block->next;
    block->next = nullptr;
    block->bytes = bytes;
    block->kind = uint64_t(kind);
    block->marked = 0;
    m_bytes_in_use += stride;
    ++m_object_count;
    ++m_allocations;
    return block + 1;
}

void* Heap::allocate_large(size_t bytes, ObjectKind kind) {
    check_budget(bytes);
    auto* block = static_cast<ObjectHeader*>(std::malloc(sizeof(ObjectHeader) + bytes));
    if (block == nullptr) throw OutOfMemory{bytes, m_bytes_in_use};
    m_large.push_back(block);
    block->next = nullptr;
    block->bytes = bytes;
    block->kind = uint64_t(kind);
    block->marked = 0;
    m_bytes_in_use += sizeof(ObjectHeader) + bytes;
    ++m_object_count;
    ++m_allocations;
    return block + 1;
}

void* Heap::allocate_uninitialized(size_t bytes, ObjectKind kind) {
    return bytes <= max_small_bytes ? allocate_small(bytes, kind) : allocate_large(bytes, kind);
}

void* Heap::allocate(size_t bytes, ObjectKind kind) {
    void* payload = allocate_uninitialized(bytes, kind);
    std::memset(payload, 0, bytes);
    return payload;
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

// ---- Finding and sweeping blocks (the collector's side of the allocator).

void Heap::prepare_index() {
    std::sort(m_spans.begin(), m_spans.end());
    std::sort(m_large.begin(), m_large.end());
    m_lowest = UINTPTR_MAX;
    m_highest = 0;
    if (!m_spans.empty()) {
        m_lowest = reinterpret_cast<uintptr_t>(m_spans.front());
        m_highest = reinterpret_cast<uintptr_t>(m_spans.back()) + span_bytes;
    }
    if (!m_large.empty()) {
        m_lowest = std::min(m_lowest, reinterpret_cast<uintptr_t>(m_large.front()));
        ObjectHeader* last = m_large.back();
        m_highest = std::max(m_highest, reinterpret_cast<uintptr_t>(last + 1) + last->bytes + 1);
    }
}

// The allocated block whose payload [start, start + bytes] holds `word`, or null.
ObjectHeader* Heap::block_containing(uintptr_t word) const {
    if (word - m_lowest >= m_highest - m_lowest) return nullptr;
    auto within = [word](ObjectHeader* block) {
        uintptr_t start = reinterpret_cast<uintptr_t>(block + 1);
        return block->kind != free_kind && word >= start && word <= start + block->bytes;
    };
    auto span_after = std::upper_bound(m_spans.begin(), m_spans.end(), word,
                                       [](uintptr_t w, Span* s) { return w < reinterpret_cast<uintptr_t>(s); });
    if (span_after != m_spans.begin()) {
        Span* span = *(span_after - 1);
        uintptr_t first = reinterpret_cast<uintptr_t>(span->blocks);
        if (word >= first && word < reinterpret_cast<uintptr_t>(span) + span_bytes) {
            size_t index = (word - first) / span->stride;
            if (index < span->count && within(span->block(index))) return span->block(index);
            // One past the end of a full block is the next block's header.
            if (index > 0 && index <= span->count && within(span->block(index - 1))) return span->block(index - 1);
            return nullptr;
        }
    }
    auto large_after = std::upper_bound(m_large.begin(), m_large.end(), word,
                                        [](uintptr_t w, ObjectHeader* b) { return w < reinterpret_cast<uintptr_t>(b); });
    if (large_after == m_large.begin()) return nullptr;
    ObjectHeader* block = *(large_after - 1);
    return within(block) ? block : nullptr;
}

// Frees every unmarked block and unmarks the rest. Free lists are rebuilt lowest address
// first; spans left with no block in use go back to the system.
void Heap::sweep() {
    std::fill(m_free_lists.begin(), m_free_lists.end(), nullptr);
    std::vector<Span*> kept;
    std::vector<ObjectHeader*> freed; // -race: a span's blocks freed by this sweep
    for (auto span = m_spans.rbegin(); span != m_spans.rend(); ++span) {
        size_t in_use = 0;
        ObjectHeader* list = m_free_lists[(*span)->size_class];
        for (size_t k = (*span)->count; k-- > 0;) {
            ObjectHeader* block = (*span)->block(k);
            if (block->kind != free_kind && block->marked) {
                block->marked = 0;
                ++in_use;
                continue;
            }
            if (block->kind != free_kind) {
                if (race_detector) [[unlikely]]
                    freed.push_back(block);
                m_bytes_in_use -= (*span)->stride;
                --m_object_count;
                block->kind = free_kind;
            }
            block->next = list;
            list = block;
        }
        if (!freed.empty()) [[unlikely]] { // -race: the freed blocks' shadow goes, at once when all are
            if (in_use == 0)
                race_detector->forget_span(*span, offsetof(Span, blocks));
            else
                for (ObjectHeader* block : freed) race_detector->forget(block + 1, block->bytes);
            freed.clear();
        }
        if (in_use == 0) {
            m_empty_spans.push_back(*span);
            continue;
        }
        m_free_lists[(*span)->size_class] = list;
        kept.push_back(*span);
    }
    std::reverse(kept.begin(), kept.end());
    m_spans = std::move(kept);
    // Keep empty spans for reuse (returning and refaulting pages is costly): as many as
    // the allocation until the next collection will want; the rest go back to the system.
    size_t until_next = std::max(min_collection_bytes, 2 * m_bytes_in_use) - m_bytes_in_use;
    size_t keep = until_next / span_bytes + 16;
    while (m_empty_spans.size() > keep) {
        if (race_detector) [[unlikely]]
            race_detector->shadow().span_released(m_empty_spans.back());
        std::free(m_empty_spans.back());
        m_empty_spans.pop_back();
    }
    size_t live = 0;
    for (ObjectHeader* block : m_large) {
        if (block->marked) {
            block->marked = 0;
            m_large[live++] = block;
            continue;
        }
        m_bytes_in_use -= sizeof(ObjectHeader) + block->bytes;
        --m_object_count;
        if (race_detector) [[unlikely]]
            race_detector->forget(block + 1, block->bytes);
        std::free(block);
    }
    m_large.resize(live);
}

} // namespace csp
