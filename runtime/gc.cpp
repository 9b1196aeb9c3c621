// The garbage collector: a non-moving mark-sweep over the heap's block list. Roots (the
// VM's globals, goroutine stacks, static closures, the panic in flight) and the contents
// of pointer-holding blocks are scanned conservatively: a word keeps a block alive when it
// points into it or just past its end (slices and substrings hold interior pointers).
// Values carry no tags, so this is what the untyped slots allow without stack maps.
#include "runtime/heap.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

namespace csp {

namespace {

// The blocks sorted by address, for finding the block a word points into.
class BlockIndex {
  public:
    explicit BlockIndex(ObjectHeader* list) {
        for (ObjectHeader* object = list; object != nullptr; object = object->next)
            m_blocks.push_back(object);
        std::sort(m_blocks.begin(), m_blocks.end());
        if (!m_blocks.empty()) {
            m_low = start(m_blocks.front());
            m_high = start(m_blocks.back()) + m_blocks.back()->bytes;
        }
    }

    // The block whose payload [start, start + bytes] contains `word`, or null.
    ObjectHeader* find(uintptr_t word) const {
        if (word < m_low || word > m_high) return nullptr;
        auto after = std::upper_bound(m_blocks.begin(), m_blocks.end(), word,
                                      [](uintptr_t w, ObjectHeader* b) { return w < start(b); });
        if (after == m_blocks.begin()) return nullptr;
        ObjectHeader* block = *(after - 1);
        return word <= start(block) + block->bytes ? block : nullptr;
    }

  private:
    static uintptr_t start(const ObjectHeader* block) { return reinterpret_cast<uintptr_t>(block + 1); }

    std::vector<ObjectHeader*> m_blocks;
    uintptr_t m_low = 1, m_high = 0;
};

class Marker {
  public:
    explicit Marker(const BlockIndex& index) : m_index(index) {}

    void scan(const void* begin, size_t words) {
        const uintptr_t* word = static_cast<const uintptr_t*>(begin);
        for (size_t k = 0; k < words; ++k) {
            ObjectHeader* block = m_index.find(word[k]);
            if (block == nullptr || block->marked) continue;
            block->marked = 1;
            if (ObjectKind(block->kind) != ObjectKind::Bytes) m_pending.push_back(block);
        }
    }

    // Scans marked blocks until none is left to scan; an explicit stack, no recursion.
    void drain() {
        while (!m_pending.empty()) {
            ObjectHeader* block = m_pending.back();
            m_pending.pop_back();
            scan(block + 1, block->bytes / sizeof(uintptr_t));
        }
    }

  private:
    const BlockIndex& m_index;
    std::vector<ObjectHeader*> m_pending;
};

} // namespace

void Heap::collect(const std::vector<RootRange>& roots) {
    {
        BlockIndex index(m_objects);
        Marker marker(index);
        for (const RootRange& root : roots) {
            marker.scan(root.begin, root.words);
            marker.drain();
        }
    }
    // Sweep: free the unmarked, unmark the survivors, keeping the list's order.
    ObjectHeader** link = &m_objects;
    while (ObjectHeader* object = *link) {
        if (object->marked) {
            object->marked = 0;
            link = &object->next;
            continue;
        }
        *link = object->next;
        m_bytes_in_use -= sizeof(ObjectHeader) + object->bytes;
        --m_object_count;
        std::free(object);
    }
    ++m_collections;
    // Like GOGC=100: the next collection when the heap has doubled, but never past 90% of
    // the limit, so that a program near it collects before it fails.
    size_t next = std::max(min_collection_bytes, m_bytes_in_use * 2);
    m_next_collection = std::min(next, m_limit / 10 * 9);
}

} // namespace csp
