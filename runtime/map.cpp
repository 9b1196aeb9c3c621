// The hash table behind Go maps (see map.hpp): hashing and key equality by runtime type,
// linear probing with tombstones, growth to keep the load under 3/4, and iteration that
// tolerates inserts and deletes during a range loop.
#include "runtime/map.hpp"

#include "runtime/value.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace csp {

namespace {

constexpr uint64_t occupied_bit = uint64_t(1) << 63;

uint64_t mix(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

uint64_t hash_bytes(const char* p, int64_t n) {
    uint64_t h = 0xcbf29ce484222325ULL ^ uint64_t(n);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        std::memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    for (; i < n; ++i) h = (h ^ uint8_t(p[i])) * 0x100000001b3ULL;
    return mix(h);
}

uint64_t nan_counter = 0;

Slot* entry_at(Slot* table, const MapHeader* m, uint64_t i) { return table + i * m->entry_slots; }

} // namespace

uint64_t hash_value(const RtType& type, const Slot* slots) {
    switch (type.kind) {
    case TypeKind::String: {
        StringRef s = load_string(slots);
        return hash_bytes(s.data, s.len);
    }
    case TypeKind::Float32: case TypeKind::Float64: {
        double d = slots[0].f;
        if (d == 0) return mix(0);                // +0 and -0 are one key
        if (std::isnan(d)) return mix(++nan_counter); // NaN != NaN: every one its own key
        return mix(slots[0].u);
    }
    case TypeKind::Array: {
        uint64_t h = 0x9e3779b97f4a7c15ULL;
        for (int64_t k = 0; k < type.length; ++k)
            h = mix(h ^ hash_value(*type.elem, slots + k * type.elem->slots));
        return h;
    }
    case TypeKind::Struct: {
        uint64_t h = 0x243f6a8885a308d3ULL;
        for (const RtField& f : type.fields) h = mix(h ^ hash_value(*f.type, slots + f.offset));
        return h;
    }
    case TypeKind::Interface: { // the dynamic value (unhashable_key checked first)
        InterfaceRef v = load_interface(slots);
        return v.type == nullptr ? mix(0) : hash_value(*v.type, interface_payload(v));
    }
    default: return mix(slots[0].u); // integers, bools, pointers, channels
    }
}

bool key_may_be_unhashable(const RtType& type) {
    if (type.kind == TypeKind::Interface) return true;
    if (type.kind == TypeKind::Struct)
        return std::any_of(type.fields.begin(), type.fields.end(),
                           [](const RtField& f) { return key_may_be_unhashable(*f.type); });
    return type.kind == TypeKind::Array && key_may_be_unhashable(*type.elem);
}

const RtType* unhashable_key(const RtType& type, const Slot* slots) {
    if (type.kind == TypeKind::Array) {
        for (int64_t k = 0; k < type.length; ++k)
            if (const RtType* t = unhashable_key(*type.elem, slots + k * type.elem->slots)) return t;
        return nullptr;
    }
    if (type.kind == TypeKind::Struct) {
        for (const RtField& f : type.fields)
            if (const RtType* t = unhashable_key(*f.type, slots + f.offset)) return t;
        return nullptr;
    }
    if (type.kind != TypeKind::Interface) return nullptr;
    InterfaceRef v = load_interface(slots);
    if (v.type == nullptr) return nullptr;
    switch (v.type->kind) {
    case TypeKind::Slice: case TypeKind::Func: case TypeKind::Map: return v.type;
    default: return unhashable_key(*v.type, interface_payload(v));
    }
}

bool equal_keys(const RtType& type, const Slot* a, const Slot* b) {
    switch (type.kind) {
    case TypeKind::String: {
        StringRef x = load_string(a), y = load_string(b);
        return x.len == y.len && (x.len == 0 || std::memcmp(x.data, y.data, size_t(x.len)) == 0);
    }
    case TypeKind::Float32: case TypeKind::Float64: return a[0].f == b[0].f;
    case TypeKind::Array:
        for (int64_t k = 0; k < type.length; ++k) {
            uint64_t off = uint64_t(k) * type.elem->slots;
            if (!equal_keys(*type.elem, a + off, b + off)) return false;
        }
        return true;
    case TypeKind::Struct:
        for (const RtField& f : type.fields)
            if (!equal_keys(*f.type, a + f.offset, b + f.offset)) return false;
        return true;
    case TypeKind::Interface: {
        InterfaceRef x = load_interface(a), y = load_interface(b);
        if (x.type == nullptr || y.type == nullptr) return x.type == y.type;
        // one type may have two descriptors (the VM's own string type): names are unique
        if (x.type != y.type && x.type->name != y.type->name) return false;
        return equal_keys(*x.type, interface_payload(x), interface_payload(y));
    }
    default: return a[0].u == b[0].u;
    }
}

MapHeader* map_make(Heap& heap, const RtType& map_type, int64_t hint) {
    auto* m = static_cast<MapHeader*>(heap.allocate(sizeof(MapHeader), ObjectKind::Slots));
    m->type = &map_type;
    m->key_slots = map_type.key->slots;
    m->value_slots = map_type.elem->slots;
    m->entry_slots = 1 + m->key_slots + m->value_slots;
    // Go ignores a hint whose buckets would pass the allocation limit; so does this (2^32).
    if (hint > 0 && hint <= (int64_t(1) << 32)) {
        uint64_t cap = 8;
        while (cap * 3 / 4 < uint64_t(hint)) cap *= 2;
        m->table = heap.make_slots(size_t(cap * m->entry_slots));
        m->capacity = cap;
    }
    return m;
}

Slot* map_find(MapHeader* m, const Slot* key) {
    if (m == nullptr || m->count == 0) return nullptr;
    const RtType& kt = *m->type->key;
    uint64_t h = hash_value(kt, key) | occupied_bit;
    uint64_t mask = m->capacity - 1;
    for (uint64_t i = h & mask;; i = (i + 1) & mask) {
        Slot* e = entry_at(m->table, m, i);
        if (e[0].u == 0) return nullptr;
        if (e[0].u == h && equal_keys(kt, e + 1, key)) return e + 1 + m->key_slots;
    }
}

namespace {

// Moves every live entry into a new table of `capacity` entries (dropping tombstones).
void rehash(Heap& heap, MapHeader* m, uint64_t capacity) {
    Slot* old = m->table;
    uint64_t old_capacity = m->capacity;
    Slot* table = heap.make_slots(size_t(capacity * m->entry_slots));
    uint64_t mask = capacity - 1;
    for (uint64_t j = 0; j < old_capacity; ++j) {
        Slot* e = entry_at(old, m, j);
        if (e[0].u < 2) continue;
        uint64_t i = e[0].u & mask;
        while (table[i * m->entry_slots].u != 0) i = (i + 1) & mask;
        std::memcpy(table + i * m->entry_slots, e, m->entry_slots * sizeof(Slot));
    }
    m->table = table;
    m->capacity = capacity;
    m->used = uint64_t(m->count);
}

} // namespace

Slot* map_insert(Heap& heap, MapHeader* m, const Slot* key) {
    if (Slot* v = map_find(m, key)) return v;
    if ((m->used + 1) * 4 > m->capacity * 3) {
        uint64_t cap = m->capacity == 0 ? 8 : m->capacity;
        while ((uint64_t(m->count) + 1) * 4 > cap * 3 / 2) cap *= 2; // grow to at most 3/8 full
        rehash(heap, m, cap);
    }
    const RtType& kt = *m->type->key;
    uint64_t h = hash_value(kt, key) | occupied_bit;
    uint64_t mask = m->capacity - 1;
    uint64_t i = h & mask;
    while (entry_at(m->table, m, i)[0].u >= 2) i = (i + 1) & mask;
    Slot* e = entry_at(m->table, m, i);
    if (e[0].u == 0) m->used++;
    e[0].u = h;
    std::memcpy(e + 1, key, m->key_slots * sizeof(Slot));
    std::memset(static_cast<void*>(e + 1 + m->key_slots), 0, m->value_slots * sizeof(Slot));
    m->count++;
    return e + 1 + m->key_slots;
}

void map_delete(MapHeader* m, const Slot* key) {
    Slot* v = map_find(m, key);
    if (v == nullptr) return;
    Slot* e = v - 1 - m->key_slots;
    e[0].u = 1;
    // clear the slots: the collector must not keep what they pointed to alive
    std::memset(static_cast<void*>(e + 1), 0, (m->entry_slots - 1) * sizeof(Slot));
    m->count--;
}

void map_clear(MapHeader* m) {
    if (m == nullptr || m->capacity == 0) return;
    // a new table: an iteration in progress keeps the old one and finds nothing in this one
    std::memset(static_cast<void*>(m->table), 0, m->capacity * m->entry_slots * sizeof(Slot));
    m->count = 0;
    m->used = 0;
}

void map_iter_init(MapHeader* m, Slot* it, uint64_t random_start) {
    uint64_t capacity = m ? m->capacity : 0;
    it[0].p = m ? m->table : nullptr;
    it[1].u = capacity;
    it[2].u = 0;
    it[3].u = capacity ? random_start & (capacity - 1) : 0;
}

bool map_iter_next(MapHeader* m, Slot* it, Slot* out) {
    auto* table = static_cast<Slot*>(it[0].p);
    uint64_t capacity = it[1].u;
    while (it[2].u < capacity) {
        uint64_t i = (it[3].u + it[2].u++) & (capacity - 1);
        Slot* e = table + i * m->entry_slots;
        if (e[0].u < 2) continue;
        const Slot* value = e + 1 + m->key_slots;
        if (table != m->table) { // the map grew: its current entry, if still there
            value = map_find(m, e + 1);
            if (value == nullptr) continue;
        }
        std::memcpy(out, e + 1, m->key_slots * sizeof(Slot));
        std::memcpy(out + m->key_slots, value, m->value_slots * sizeof(Slot));
        return true;
    }
    return false;
}

} // namespace csp
