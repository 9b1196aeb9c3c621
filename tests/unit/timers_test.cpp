// The timer heap (runtime/timers.hpp): firing order by instant then creation, O(log n)
// removal from anywhere in the heap, periodic timers that drop missed periods, and the
// pending set the collector walks.
#include "runtime/timers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace csp {
namespace {

void* tag(uintptr_t n) { return reinterpret_cast<void*>(n); }

// Pops every timer due at `now`, returning their targets as numbers.
std::vector<uintptr_t> fire(TimerHeap& heap, int64_t now) {
    std::vector<uintptr_t> out;
    FiredTimer fired;
    while (heap.pop_due(now, fired)) out.push_back(reinterpret_cast<uintptr_t>(fired.target));
    return out;
}

TEST(TimerHeap, FiresInOrderOfInstantThenCreation) {
    TimerHeap heap;
    heap.add(30, 0, TimerKind::Send, tag(3));
    heap.add(10, 0, TimerKind::Send, tag(1));
    heap.add(20, 0, TimerKind::Call, tag(2));
    heap.add(10, 0, TimerKind::Send, tag(4)); // same instant as 1, created later
    EXPECT_EQ(heap.next_when(), 10);
    EXPECT_EQ(fire(heap, 5), std::vector<uintptr_t>{});
    EXPECT_EQ(fire(heap, 20), (std::vector<uintptr_t>{1, 4, 2}));
    EXPECT_EQ(heap.size(), 1u);
    EXPECT_EQ(fire(heap, 100), std::vector<uintptr_t>{3});
    EXPECT_TRUE(heap.empty());
}

TEST(TimerHeap, StopRemovesFromAnywhere) {
    TimerHeap heap;
    uint64_t a = heap.add(10, 0, TimerKind::Send, tag(1));
    uint64_t b = heap.add(20, 0, TimerKind::Send, tag(2));
    uint64_t c = heap.add(30, 0, TimerKind::Send, tag(3));
    EXPECT_TRUE(heap.stop(b));
    EXPECT_FALSE(heap.stop(b)); // already stopped
    EXPECT_TRUE(heap.pending(a));
    EXPECT_FALSE(heap.pending(b));
    EXPECT_TRUE(heap.stop(a)); // the top
    EXPECT_EQ(heap.next_when(), 30);
    EXPECT_EQ(fire(heap, 30), std::vector<uintptr_t>{3});
    EXPECT_FALSE(heap.stop(c)); // fired
    EXPECT_FALSE(heap.stop(12345)); // never existed
    EXPECT_TRUE(heap.empty());
}

TEST(TimerHeap, ResetIsStopThenAdd) {
    TimerHeap heap;
    uint64_t a = heap.add(10, 0, TimerKind::Send, tag(1));
    heap.add(20, 0, TimerKind::Send, tag(2));
    EXPECT_TRUE(heap.stop(a));
    heap.add(30, 0, TimerKind::Send, tag(1));
    EXPECT_EQ(fire(heap, 100), (std::vector<uintptr_t>{2, 1}));
}

TEST(TimerHeap, PeriodicTimersDropMissedPeriods) {
    TimerHeap heap;
    uint64_t id = heap.add(10, 10, TimerKind::Send, tag(7));
    EXPECT_EQ(fire(heap, 10), std::vector<uintptr_t>{7}); // once, then due at 20
    EXPECT_EQ(heap.next_when(), 20);
    EXPECT_EQ(fire(heap, 55), std::vector<uintptr_t>{7}); // 20..50 missed: one firing, next at 60
    EXPECT_EQ(heap.next_when(), 60);
    EXPECT_TRUE(heap.pending(id));
    EXPECT_TRUE(heap.stop(id));
    EXPECT_TRUE(heap.empty());
}

TEST(TimerHeap, PeriodicTimerNearTheEndOfTimeSaturates) {
    TimerHeap heap;
    const int64_t late = INT64_MAX - 5;
    heap.add(late, INT64_MAX / 2, TimerKind::Send, tag(1));
    EXPECT_EQ(fire(heap, late), std::vector<uintptr_t>{1});
    EXPECT_EQ(heap.next_when(), INT64_MAX);
}

TEST(TimerHeap, WakeupsAreNotStoppable) {
    TimerHeap heap;
    uint64_t id = heap.add_wakeup(10, nullptr);
    EXPECT_FALSE(heap.stop(id));
    FiredTimer fired;
    ASSERT_TRUE(heap.pop_due(10, fired));
    EXPECT_EQ(fired.kind, TimerKind::Wakeup);
}

TEST(TimerHeap, ForEachVisitsPendingTimers) {
    TimerHeap heap;
    heap.add(10, 0, TimerKind::Send, tag(1));
    uint64_t b = heap.add(20, 0, TimerKind::Call, tag(2));
    heap.add(30, 5, TimerKind::Send, tag(3));
    heap.stop(b);
    std::vector<uintptr_t> seen;
    heap.for_each([&](TimerKind, void* target) { seen.push_back(reinterpret_cast<uintptr_t>(target)); });
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(seen, (std::vector<uintptr_t>{1, 3}));
}

// Random adds and stops against a sorted reference.
TEST(TimerHeap, MatchesAReferenceUnderRandomOperations) {
    std::mt19937_64 random(42);
    TimerHeap heap;
    struct Ref {
        int64_t when;
        uint64_t id;
        uintptr_t target;
    };
    std::vector<Ref> reference;
    uintptr_t next_target = 1;
    for (int round = 0; round < 20000; ++round) {
        if (reference.empty() || random() % 3 != 0) {
            int64_t when = int64_t(random() % 1000);
            uint64_t id = heap.add(when, 0, TimerKind::Send, tag(next_target));
            reference.push_back({when, id, next_target++});
        } else {
            size_t k = random() % reference.size();
            ASSERT_TRUE(heap.stop(reference[k].id));
            reference.erase(reference.begin() + long(k));
        }
    }
    std::sort(reference.begin(), reference.end(),
              [](const Ref& a, const Ref& b) { return a.when != b.when ? a.when < b.when : a.id < b.id; });
    std::vector<uintptr_t> expected;
    for (const Ref& r : reference) expected.push_back(r.target);
    ASSERT_EQ(heap.size(), reference.size());
    EXPECT_EQ(fire(heap, 1000), expected);
}

} // namespace
} // namespace csp
