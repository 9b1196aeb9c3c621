// The map hash table (runtime/map.hpp) directly: growth, tombstones, iteration across a
// rehash, float keys. Go's own
// behaviour is covered by the Go-verified script tests in tests/scripts/maps.
#include "runtime/map.hpp"
#include "runtime/vm.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace {

struct IntMap {
    csp::Heap heap;
    csp::RtType int_type{csp::TypeKind::Int, "int", 1};
    csp::RtType map_type{csp::TypeKind::Map, "map[int]int", 1};
    csp::MapHeader* m;
    IntMap() {
        map_type.key = &int_type;
        map_type.elem = &int_type;
        m = csp::map_make(heap, map_type, 0);
    }
    void set(int64_t k, int64_t v) {
        csp::Slot key{.i = k};
        csp::map_insert(heap, m, &key)->i = v;
    }
    const csp::Slot* find(int64_t k) {
        csp::Slot key{.i = k};
        return csp::map_find(m, &key);
    }
};

TEST(MapTable, InsertFindDeleteAcrossGrowth) {
    IntMap t;
    for (int64_t i = 0; i < 10000; ++i) t.set(i, i * 2);
    EXPECT_EQ(t.m->count, 10000);
    for (int64_t i = 0; i < 10000; i += 2) {
        csp::Slot key{.i = i};
        csp::map_delete(t.m, &key);
    }
    EXPECT_EQ(t.m->count, 5000);
    EXPECT_EQ(t.find(4), nullptr);
    ASSERT_NE(t.find(5), nullptr);
    EXPECT_EQ(t.find(5)->i, 10);
    uint64_t capacity = t.m->capacity;
    for (int64_t i = 0; i < 100000; ++i) { // churn: tombstones must not fill the table
        t.set(20000 + i, i);
        csp::Slot key{.i = 20000 + i};
        csp::map_delete(t.m, &key);
    }
    EXPECT_EQ(t.m->count, 5000);
    EXPECT_EQ(t.m->capacity, capacity); // rehashing in place drops the tombstones
}

TEST(MapTable, IterationSurvivesARehashAndSkipsDeletedKeys) {
    IntMap t;
    for (int64_t i = 0; i < 6; ++i) t.set(i, i);
    csp::Slot it[csp::map_iterator_slots], out[2];
    csp::map_iter_init(t.m, it, 3);
    ASSERT_TRUE(csp::map_iter_next(t.m, it, out));
    std::set<int64_t> seen{out[0].i};
    for (int64_t i = 100; i < 200; ++i) t.set(i, i); // forces a rehash
    for (int64_t i = 0; i < 6; ++i)
        if (!seen.count(i)) {
            csp::Slot key{.i = i};
            csp::map_delete(t.m, &key); // every old key not yet produced
            break;
        }
    t.set(*seen.begin(), 42);
    int produced_old = 1;
    while (csp::map_iter_next(t.m, it, out)) {
        EXPECT_TRUE(seen.insert(out[0].i).second) << "key produced twice";
        EXPECT_LT(out[0].i, 100) << "the old table holds no new keys";
        produced_old++;
    }
    EXPECT_EQ(produced_old, 5);
}

TEST(MapTable, FloatKeysFollowGo) {
    csp::Heap heap;
    csp::RtType f{csp::TypeKind::Float64, "float64", 1};
    csp::RtType mt{csp::TypeKind::Map, "map[float64]int", 1};
    mt.key = &f;
    mt.elem = &f;
    csp::MapHeader* m = csp::map_make(heap, mt, 4);
    csp::Slot zero{.f = 0.0}, negative_zero{.f = -0.0}, nan{.f = std::nan("")};
    csp::map_insert(heap, m, &zero);
    csp::map_insert(heap, m, &negative_zero);
    EXPECT_EQ(m->count, 1);
    csp::map_insert(heap, m, &nan);
    csp::map_insert(heap, m, &nan);
    EXPECT_EQ(m->count, 3);
    EXPECT_EQ(csp::map_find(m, &nan), nullptr);
}

} // namespace
