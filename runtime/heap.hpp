// The heap: the one allocation path for every object a program creates (strings, cells,
// closures, boxed interface payloads, slice arrays), and its mark-sweep collector
// (runtime/gc.cpp). Each block carries a header with its kind and mark bit. Collection
// happens only when the VM asks, at a safepoint (see collection_due).
#pragma once
#include "runtime/value.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace csp {

// What a block holds, so the collector will know how to scan it.
enum class ObjectKind : uint8_t {
    Bytes,   // no pointers: string bytes, []byte arrays
    Slots,   // untyped slots that may hold pointers: cells, boxed values, slice arrays
    Closure, // a Closure: function pointer, then cell pointers
};

// Thrown by Heap::allocate when a request cannot be met. The VM catches it and ends the
// program with Go's `fatal error: out of memory`; natives let it propagate.
struct OutOfMemory {
    size_t requested; // bytes asked for
    size_t in_use;    // bytes held by the heap at the time
};

// Precedes every block. `next` links a free small block into its size class's free list.
struct ObjectHeader {
    ObjectHeader* next;
    uint64_t bytes : 48; // payload size asked for
    uint64_t kind : 8;   // an ObjectKind, or free_kind for a free small block
    uint64_t marked : 1; // set by the collector's mark phase
    uint64_t unused : 7;
};
constexpr uint64_t free_kind = 255;
static_assert(sizeof(ObjectHeader) == 16, "payloads stay 16-byte aligned");

class Heap {
  public:
    static constexpr size_t default_limit = size_t(16) << 30; // 16 GiB

    Heap() = default;
    Heap(const Heap&) = delete;
    Heap& operator=(const Heap&) = delete;
    ~Heap();

    // A zeroed block of `bytes` bytes (a valid unique pointer even for 0). Throws
    // OutOfMemory when the system refuses or the total would pass the limit.
    void* allocate(size_t bytes, ObjectKind kind = ObjectKind::Slots);
    // Like allocate, but the contents are left uninitialised (the caller fills them).
    void* allocate_uninitialized(size_t bytes, ObjectKind kind);

    // A heap copy of `text` (no copy and a null data pointer when empty).
    StringRef make_string(std::string_view text);
    // A closure of `function` with room for `cells` cells (null until filled).
    Closure* make_closure(const Function* function, uint32_t cells);
    // A block of `count` zeroed slots.
    Slot* make_slots(size_t count);

    // ---- Collection (runtime/gc.cpp). The VM calls collect() at safepoints only: between
    // instructions, never inside a native or an allocating helper, so every live pointer
    // is in a root range or in a heap block.

    // A range of 8-byte words that may hold pointers to heap blocks.
    struct RootRange {
        const void* begin;
        size_t words;
    };
    // Whether enough has been allocated since the last collection to collect now.
    bool collection_due() const { return m_bytes_in_use >= m_next_collection; }
    // Marks every block reachable from `roots` and frees the rest. Words are treated
    // conservatively: any value pointing into a block (or just past its end) keeps it.
    void collect(const std::vector<RootRange>& roots);
    size_t collections() const { return m_collections; }
    static constexpr size_t min_collection_bytes = size_t(4) << 20;

    size_t bytes_in_use() const { return m_bytes_in_use; }
    size_t object_count() const { return m_object_count; }
    size_t allocation_count() const { return m_allocations; } // every block ever allocated
    size_t limit() const { return m_limit; }
    void set_limit(size_t bytes) { m_limit = bytes; }

  private:
    void* link(void* raw, size_t bytes, ObjectKind kind);
    void check_budget(size_t bytes) const;

    // Small blocks (payload up to max_small_bytes) come from 64 KiB spans, each holding
    // blocks of one size class; large blocks are allocated one by one. Both kinds of
    // block start with an ObjectHeader.
    struct Span;
    static constexpr size_t span_bytes = 64 * 1024;
    static constexpr size_t max_small_bytes = 2048;
    static size_t size_class(size_t bytes);          // index into class sizes, bytes <= max
    void* allocate_small(size_t bytes, ObjectKind kind);
    void* allocate_large(size_t bytes, ObjectKind kind);
    ObjectHeader* block_containing(uintptr_t word) const; // needs a prepared index (gc.cpp)
    void prepare_index();
    void sweep();

    std::vector<Span*> m_spans;               // every span, sorted by address at collections
    std::vector<Span*> m_empty_spans;         // swept empty, kept for reuse by any class
    std::vector<ObjectHeader*> m_free_lists;  // per size class
    std::vector<ObjectHeader*> m_large;       // every large block, sorted at collections
    // At collections: every block lies in [m_lowest, m_highest), so that block_containing
    // rejects the words that are no pointers (small numbers, nil) at once.
    uintptr_t m_lowest = 0, m_highest = 0;
    size_t m_bytes_in_use = 0;         // blocks in use, headers included
    size_t m_object_count = 0;
    size_t m_allocations = 0;
    size_t m_limit = default_limit;
    size_t m_next_collection = min_collection_bytes; // bytes_in_use that makes one due
    size_t m_collections = 0;
};

} // namespace csp
