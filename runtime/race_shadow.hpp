// The race detector's data structures (runtime/race.hpp): sparse vector clocks, an
// interning table, and the shadow memory: one RaceCell (last write, last read) per 8-byte
// slot a program accessed. Slots of small heap blocks map directly to an array per heap
// span (no key, no hashing, freed with the span); every other slot (globals, large
// blocks) lives in an open-addressing table keyed by address.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace csp {

// A slot's shadow: two epoch words, each `clock << site_bits | site` (0: no access).
// `read` is RaceCell::read_vector when the reads are kept as a vector elsewhere.
struct RaceCell {
    static constexpr unsigned site_bits = 24;
    static constexpr uint64_t site_mask = (uint64_t(1) << site_bits) - 1;
    static constexpr uint64_t read_vector = site_mask; // site all ones, clock 0
    uint64_t write = 0;
    uint64_t read = 0;
};
static_assert(sizeof(RaceCell) == 16);

// A vector clock: (slot, time) pairs sorted by slot, absent slots at time 0. Sparse, so
// that a goroutine's clock costs what it has seen, not the number of slots: with many
// goroutines each seeing few others (spawn, worker pools), dense clocks grow quadratically.
class RaceClock {
  public:
    uint64_t get(uint32_t slot) const {
        auto it = lower_bound(slot);
        return it != m_entries.end() && it->slot == slot ? it->time : 0;
    }
    void set(uint32_t slot, uint64_t time);
    // Adds one to the time of `slot`, which must be present.
    void increment(uint32_t slot) { ++lower_bound(slot)->time; }
    // Each component becomes the maximum of the two.
    void join(const RaceClock& other);
    void assign(const RaceClock& other) { m_entries = other.m_entries; } // reuses storage
    // Both become the join of the two (a buffer slot's clock and its goroutine's, two
    // goroutines meeting): one pass when they have the same slots, as they mostly do.
    void join_both(RaceClock& other) {
        size_t n = m_entries.size();
        if (n == other.m_entries.size()) {
            Entry* a = m_entries.data();
            Entry* b = other.m_entries.data();
            size_t k = 0;
            for (; k < n && a[k].slot == b[k].slot; ++k) a[k].time = b[k].time = std::max(a[k].time, b[k].time);
            if (k == n) return;
        }
        join_both_slow(other);
    }
    bool empty() const { return m_entries.empty(); }
    size_t size() const { return m_entries.size(); }

  private:
    struct Entry {
        uint32_t slot;
        uint64_t time;
    };
    void join_both_slow(RaceClock& other);
    std::vector<Entry>::const_iterator lower_bound(uint32_t slot) const {
        return std::lower_bound(m_entries.begin(), m_entries.end(), slot,
                                [](const Entry& e, uint32_t s) { return e.slot < s; });
    }
    std::vector<Entry>::iterator lower_bound(uint32_t slot) {
        return std::lower_bound(m_entries.begin(), m_entries.end(), slot,
                                [](const Entry& e, uint32_t s) { return e.slot < s; });
    }
    std::vector<Entry> m_entries;
};

// An interning table from three words to a 32-bit id (never 0): linear probing over a
// power-of-two array at most half full, no deletion. The detector's calling contexts,
// stacks and access sites, looked up on most accesses, so no division and no node chasing.
class RaceInternTable {
  public:
    struct Key {
        uint64_t a, b, c;
        bool operator==(const Key&) const = default;
    };
    // The id of `key`, or 0 when absent.
    uint32_t find(const Key& key) const {
        if (m_entries.empty()) return 0;
        for (size_t i = home(key);; i = (i + 1) & (m_entries.size() - 1)) {
            if (m_entries[i].id == 0) return 0;
            if (m_entries[i].key == key) return m_entries[i].id;
        }
    }
    // Records key -> id (key absent, id non-zero).
    void insert(const Key& key, uint32_t id);
    size_t size() const { return m_count; }

  private:
    struct Entry {
        Key key;
        uint32_t id = 0;
    };
    size_t home(const Key& k) const {
        uint64_t h = k.a * 0x9E3779B97F4A7C15u ^ k.b * 0xC2B2AE3D27D4EB4Fu ^ k.c * 0x165667B19E3779F9u;
        return size_t((h ^ (h >> 31)) * 0x9E3779B97F4A7C15u >> m_shift);
    }
    std::vector<Entry> m_entries;
    size_t m_count = 0;
    unsigned m_shift = 64;
};

// A map from 8-aligned addresses to values: linear probing over a power-of-two array at
// most 3/4 full; erasing shifts later entries back, so there are no tombstones. Values
// move when the map grows or an entry is erased: references last until the next change.
template <typename Value> class RaceAddressMap {
  public:
    Value* find(const void* address) {
        auto key = reinterpret_cast<uintptr_t>(address);
        if (m_count == 0) return nullptr;
        for (size_t i = home(key);; i = (i + 1) & (m_entries.size() - 1)) {
            if (m_entries[i].key == key) return &m_entries[i].value;
            if (m_entries[i].key == 0) return nullptr;
        }
    }
    // The value at `address`, inserted (value-initialised) when absent.
    Value& operator[](const void* address) {
        auto key = reinterpret_cast<uintptr_t>(address);
        if (4 * (m_count + 1) > 3 * m_entries.size()) grow();
        size_t i = home(key);
        for (; m_entries[i].key != 0; i = (i + 1) & (m_entries.size() - 1))
            if (m_entries[i].key == key) return m_entries[i].value;
        m_entries[i].key = key;
        m_entries[i].value = Value{};
        ++m_count;
        return m_entries[i].value;
    }
    void erase(const void* address) {
        auto key = reinterpret_cast<uintptr_t>(address);
        if (m_count == 0) return;
        for (size_t i = home(key); m_entries[i].key != 0; i = (i + 1) & (m_entries.size() - 1))
            if (m_entries[i].key == key) {
                erase_at(i);
                return;
            }
    }
    // Erases the keys in [begin, begin + bytes): probing each slot of a range smaller than
    // the map, else walking the map.
    void erase_range(const void* begin, size_t bytes) {
        if (m_count == 0) return;
        auto start = reinterpret_cast<uintptr_t>(begin);
        if (bytes / 8 <= m_count) {
            for (size_t k = 0; k < bytes / 8 && m_count > 0; ++k) erase(reinterpret_cast<const void*>(start + 8 * k));
            return;
        }
        for (size_t i = 0; i < m_entries.size();) // erase_at may move a later entry into i
            if (m_entries[i].key != 0 && m_entries[i].key - start < bytes)
                erase_at(i);
            else
                ++i;
    }
    size_t size() const { return m_count; }

  private:
    struct Entry {
        uintptr_t key = 0; // 0: empty
        Value value{};
    };
    size_t home(uintptr_t key) const { return size_t((key >> 3) * 0x9E3779B97F4A7C15u >> m_shift); }
    void grow() {
        std::vector<Entry> old = std::move(m_entries);
        size_t capacity = old.empty() ? 64 : 2 * old.size();
        m_entries.clear();
        m_entries.resize(capacity);
        m_shift = 64 - unsigned(__builtin_ctzll(capacity));
        for (Entry& e : old) {
            if (e.key == 0) continue;
            size_t i = home(e.key);
            while (m_entries[i].key != 0) i = (i + 1) & (capacity - 1);
            m_entries[i] = std::move(e);
        }
    }
    // Backward-shift deletion: later entries of the probe run move into the hole unless
    // their home lies cyclically after it.
    void erase_at(size_t hole) {
        size_t mask = m_entries.size() - 1;
        for (size_t i = (hole + 1) & mask; m_entries[i].key != 0; i = (i + 1) & mask) {
            size_t h = home(m_entries[i].key);
            if (((i - h) & mask) >= ((i - hole) & mask)) {
                m_entries[hole] = std::move(m_entries[i]);
                hole = i;
            }
        }
        m_entries[hole] = Entry{};
        --m_count;
    }
    std::vector<Entry> m_entries;
    size_t m_count = 0;
    unsigned m_shift = 64;
};

class RaceShadow {
  public:
    // The heap's spans: `span_bytes`-aligned regions of `count` blocks of `stride` bytes
    // (a 16-byte header, then the payload), the first at `first_block` from the start.
    static constexpr size_t span_bytes = 64 * 1024;
    static constexpr size_t block_header_bytes = 16;

    RaceShadow() = default;
    RaceShadow(const RaceShadow&) = delete;
    RaceShadow& operator=(const RaceShadow&) = delete;
    ~RaceShadow();

    // The span at `span` now holds blocks of this geometry (new or reused for another
    // size class): any shadow it had is dropped. released(): it went back to the system.
    void span_formatted(const void* span, size_t first_block, size_t stride, size_t count);
    void span_released(const void* span);

    // The cell of the slot at `address`, created (zeroed) when absent. The pointer stays
    // valid until the next call of cell() or forget().
    RaceCell& cell(const void* address) {
        auto key = reinterpret_cast<uintptr_t>(address);
        if (Span* span = span_of(key))
            if (RaceCell* c = span_cell(*span, key, true)) return *c;
        return m_table[address];
    }
    // The cells of `n` consecutive slots from `address` when they lie in one heap block
    // (consecutive there too; created when absent), else null: cell() for each.
    RaceCell* cells(const void* address, size_t n) {
        auto key = reinterpret_cast<uintptr_t>(address);
        Span* span = span_of(key);
        return span != nullptr ? span_cell(*span, key, true, n) : nullptr;
    }
    // The cell if the slot has one, else null.
    RaceCell* find(const void* address);
    // [begin, begin + bytes) was freed: its cells go.
    void forget(const void* begin, size_t bytes);
    // Every block of the span at `span` was freed: its cells go (the array stays, and
    // serves the span's next format without clearing).
    void forget_span(const void* span);

    size_t table_size() const { return m_table.size(); } // cells in the keyed table
    size_t span_shadows() const { return m_span_cells; }  // spans with a cell array

  private:
    struct Span {
        uint32_t first_block = 0, stride = 0, count = 0, payload_slots = 0;
        uint64_t inverse = 0;      // ceil(2^32 / stride): offset / stride is exact below 2^16
        RaceCell* cells = nullptr; // count * payload_slots, allocated on first access
        size_t capacity = 0;       // cells allocated
        bool clean = false;        // every cell is zero (forget_span): reusable as it is
    };
    // A direct-mapped cache of m_spans by span number (null: not a span, or unknown).
    struct CachedSpan {
        uintptr_t base = 1;
        Span* span = nullptr;
    };
    static constexpr size_t span_cache_size = 256;
    static size_t span_cache_index(uintptr_t base) { return size_t(base / span_bytes) % span_cache_size; }
    Span* span_of(uintptr_t address) {
        uintptr_t base = address & ~uintptr_t(span_bytes - 1);
        CachedSpan& cached = m_span_cache[span_cache_index(base)];
        return cached.base == base ? cached.span : span_lookup(base);
    }
    Span* span_lookup(uintptr_t base);
    // A block's payload slots are consecutive in the span's cell array. The cell of the
    // slot at `address`, null when it and the n - 1 slots after it are not all of one block.
    RaceCell* span_cell(Span& span, uintptr_t address, bool create, size_t n = 1) {
        static_assert(span_bytes <= (size_t(1) << 16), "the inverse divides offsets below 2^16");
        uintptr_t offset = address - (address & ~uintptr_t(span_bytes - 1)) - span.first_block;
        if (offset >= span_bytes) return nullptr; // the span's own header
        size_t block = size_t(offset * span.inverse >> 32), within = offset - block * span.stride;
        if (within < block_header_bytes || block >= span.count) return nullptr; // not a payload slot
        size_t slot = (within - block_header_bytes) / 8;
        if (slot + n > span.payload_slots) return nullptr;
        if (span.cells == nullptr && !allocate_cells(span, create)) return nullptr;
        return &span.cells[block * span.payload_slots + slot];
    }
    bool allocate_cells(Span& span, bool create);

    std::unordered_map<uintptr_t, Span> m_spans; // by span address
    CachedSpan m_span_cache[span_cache_size];
    size_t m_span_cells = 0;
    RaceAddressMap<RaceCell> m_table; // slots outside the spans
};

} // namespace csp
