// Go maps: an open-addressing hash table (linear probing, tombstones) in VM heap blocks.
// A map value is one slot: a MapHeader* (null = nil map). Keys are hashed and compared by
// their RtType (one case per kind), so new key kinds (structs, interfaces) are one case each.
#pragma once
#include "runtime/bytecode.hpp"
#include "runtime/heap.hpp"

#include <cstdint>

namespace csp {

// The header, itself an ObjectKind::Slots block so the collector scans `table`. Every field
// is a full slot. The table holds `capacity` entries of `entry_slots` slots each:
// {state, key slots, value slots}; state 0 = empty, 1 = deleted, else the key's hash with
// the top bit set.
struct MapHeader {
    Slot* table;
    int64_t count;        // live entries
    uint64_t capacity;    // a power of two (0 before the first insert)
    uint64_t used;        // live + deleted entries (probing ends at an empty one)
    const RtType* type;   // the map type: key in `key`, value in `elem`
    uint64_t entry_slots;
    uint64_t key_slots;
    uint64_t value_slots;
};

// An iteration in progress (range over a map) lives in 4 register slots: {table, capacity,
// entries visited, random first entry}. It keeps the table it started on; when the map has
// grown since, each key is looked up in the current table, so entries deleted meanwhile are
// skipped and updated values are seen (as Go's mapiternext).
constexpr uint32_t map_iterator_slots = 4;

uint64_t hash_value(const RtType& type, const Slot* slots);
bool equal_keys(const RtType& type, const Slot* a, const Slot* b);
// Keys holding interfaces may hold a value Go cannot hash: its type (the VM panics with
// Go's `hash of unhashable type T`), or null.
bool key_may_be_unhashable(const RtType& type);
const RtType* unhashable_key(const RtType& type, const Slot* slots);

MapHeader* map_make(Heap& heap, const RtType& map_type, int64_t hint);
// The value slots of `key`, or null when absent (or the map is nil).
Slot* map_find(MapHeader* m, const Slot* key);
// The value slots of `key`, inserting a zeroed entry when absent. m must not be nil.
Slot* map_insert(Heap& heap, MapHeader* m, const Slot* key);
void map_delete(MapHeader* m, const Slot* key);
void map_clear(MapHeader* m);

void map_iter_init(MapHeader* m, Slot* it, uint64_t random_start);
// The next entry's {key, value} slots into out (key then value); false when done.
bool map_iter_next(MapHeader* m, Slot* it, Slot* out);

} // namespace csp
