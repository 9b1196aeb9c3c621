// The garbage collector's mark phase and its driver: a non-moving mark-sweep. Roots (the
// VM's globals, goroutine stacks, static closures, the panic in flight) and the contents
// of pointer-holding blocks are scanned conservatively: a word keeps a block alive when it
// points into it or just past its end (slices and substrings hold interior pointers).
// Values carry no tags, so this is what the untyped slots allow without stack maps.
#include "runtime/heap.hpp"

#include <algorithm>
#include <cstdint>

namespace csp {

void Heap::collect(const std::vector<RootRange>& roots) {
    prepare_index();
    std::vector<ObjectHeader*> pending; // marked blocks whose contents are not scanned yet
    auto scan = [&](const void* begin, size_t words) {
        const uintptr_t* word = static_cast<const uintptr_t*>(begin);
        for (size_t k = 0; k < words; ++k) {
            ObjectHeader* block = block_containing(word[k]);
            if (block == nullptr || block->marked) continue;
            block->marked = 1;
            if (ObjectKind(block->kind) != ObjectKind::Bytes) pending.push_back(block);
        }
    };
    size_t root_bytes = 0;
    for (const RootRange& root : roots) {
        root_bytes += root.words * sizeof(uintptr_t);
        scan(root.begin, root.words);
        while (!pending.empty()) { // an explicit stack: long lists cannot overflow the C++ one
            ObjectHeader* block = pending.back();
            pending.pop_back();
            scan(block + 1, block->bytes / sizeof(uintptr_t));
        }
    }
    sweep();
    ++m_collections;
    // Like GOGC=100: the next collection when the heap has doubled, but never past 90% of
    // the limit, so that a program near it collects before it fails. The roots (mostly
    // goroutine stacks) count as heap, as Go counts stacks: a collection's cost grows with
    // them, so many goroutines make collections rarer, keeping their cost per byte allocated flat.
    size_t next = std::max(min_collection_bytes, m_bytes_in_use * 2 + root_bytes);
    m_next_collection = std::min(next, m_limit / 10 * 9);
}

} // namespace csp
