// Unit tests for the channel engine and the scheduler (runtime/channel.cpp,
// runtime/scheduler.cpp) without the VM: goroutines are scheduler records, values are
// one-slot integers, and the tests check Go's rules and the invariants of chan.go.
#include "runtime/channel.hpp"
#include "runtime/scheduler.hpp"

#include <gtest/gtest.h>

#include <map>

namespace {

using namespace csp;

Channel make_channel(int64_t capacity, std::vector<Slot>& storage) {
    storage.assign(size_t(capacity), Slot{.u = 0});
    Channel c{};
    c.elem_slots = 1;
    c.capacity = capacity;
    c.buffer = capacity > 0 ? storage.data() : nullptr;
    return c;
}

Slot v(int64_t i) { return Slot{.i = i}; }

TEST(Scheduler, ReadiedGoroutineRunsNextAndBumpsThePreviousToTheTail) {
    Scheduler s;
    Goroutine* a = s.spawn();
    Goroutine* b = s.spawn();
    Goroutine* c = s.spawn();
    s.enqueue(c);
    s.ready(a);
    s.ready(b); // b takes runnext; a goes behind c
    EXPECT_EQ(s.pick(), b);
    EXPECT_EQ(s.pick(), c);
    EXPECT_EQ(s.pick(), a);
    EXPECT_EQ(s.pick(), nullptr);
    EXPECT_EQ(s.live_count(), 3u);
    EXPECT_EQ(a->id, 1u);
    EXPECT_EQ(b->id, 6u); // after main, ids start at 6 as in Go with GOMAXPROCS=1
    EXPECT_EQ(c->id, 7u);
}

TEST(Channel, UnbufferedHandsTheValueToAWaitingReceiver) {
    Scheduler s;
    std::vector<Slot> storage;
    Channel c = make_channel(0, storage);
    Goroutine* receiver = s.spawn();
    Goroutine* sender = s.spawn();
    Slot into = v(0), ok = v(7);
    ASSERT_EQ(chan_receive(s, &c, &into, &ok, receiver), ChanStatus::Blocked);
    s.park(receiver, WaitReason::ChanReceive);
    Slot value = v(42);
    EXPECT_EQ(chan_send(s, &c, &value, sender), ChanStatus::Done);
    EXPECT_EQ(into.i, 42);
    EXPECT_EQ(ok.u, 1u);
    EXPECT_EQ(receiver->status, GoroutineStatus::Runnable);
    EXPECT_EQ(s.pick(), receiver);
    EXPECT_TRUE(c.recvq.empty() && c.sendq.empty());
}

TEST(Channel, UnbufferedSenderWaitsForAReceiver) {
    Scheduler s;
    std::vector<Slot> storage;
    Channel c = make_channel(0, storage);
    Goroutine* sender = s.spawn();
    Goroutine* receiver = s.spawn();
    Slot value = v(5);
    ASSERT_EQ(chan_send(s, &c, &value, sender), ChanStatus::Blocked);
    Slot into = v(0);
    EXPECT_EQ(chan_receive(s, &c, &into, nullptr, receiver), ChanStatus::Done);
    EXPECT_EQ(into.i, 5);
    EXPECT_EQ(s.pick(), sender);
}

TEST(Channel, BufferIsAFifoRingAndAFullBufferBlocksSenders) {
    Scheduler s;
    std::vector<Slot> storage;
    Channel c = make_channel(2, storage);
    Goroutine* g = s.spawn();
    Goroutine* blocked = s.spawn();
    Slot into = v(0);
    for (int round = 0; round < 3; ++round) { // wraps around the ring
        Slot a = v(round * 10 + 1), b = v(round * 10 + 2), x = v(round * 10 + 3);
        EXPECT_EQ(chan_send(s, &c, &a, g), ChanStatus::Done);
        EXPECT_EQ(chan_send(s, &c, &b, g), ChanStatus::Done);
        ASSERT_EQ(chan_send(s, &c, &x, blocked), ChanStatus::Blocked);
        // Receiving from the full buffer takes the head and moves the waiting sender's
        // value into the tail: order is a, b, x.
        for (int64_t want : {a.i, b.i, x.i}) {
            ASSERT_EQ(chan_receive(s, &c, &into, nullptr, g), ChanStatus::Done);
            EXPECT_EQ(into.i, want);
        }
        EXPECT_EQ(s.pick(), blocked);
        EXPECT_EQ(c.count, 0);
    }
}

TEST(Channel, CloseWakesReceiversWithZeroAndSendersToPanic) {
    Scheduler s;
    std::vector<Slot> storage;
    Channel c = make_channel(0, storage);
    Goroutine* r1 = s.spawn();
    Goroutine* r2 = s.spawn();
    Slot into1 = v(9), into2 = v(9), ok1 = v(1), ok2 = v(1);
    chan_receive(s, &c, &into1, &ok1, r1);
    chan_receive(s, &c, &into2, &ok2, r2);
    EXPECT_EQ(chan_close(s, &c), CloseStatus::Done);
    EXPECT_EQ(into1.i, 0);
    EXPECT_EQ(ok1.u, 0u);
    EXPECT_EQ(into2.i, 0);
    EXPECT_EQ(ok2.u, 0u);
    EXPECT_EQ(chan_close(s, &c), CloseStatus::AlreadyClosed);
    EXPECT_EQ(chan_close(s, nullptr), CloseStatus::NilChannel);
    Slot value = v(1);
    EXPECT_EQ(chan_send(s, &c, &value, r1), ChanStatus::Closed);

    Channel d = make_channel(0, storage);
    Goroutine* sender = s.spawn();
    ASSERT_EQ(chan_send(s, &d, &value, sender), ChanStatus::Blocked);
    chan_close(s, &d);
    EXPECT_TRUE(sender->woken_by_close);
    EXPECT_EQ(sender->status, GoroutineStatus::Runnable);
}

TEST(Channel, ClosedBufferedChannelDrainsBeforeReportingClosed) {
    Scheduler s;
    std::vector<Slot> storage;
    Channel c = make_channel(3, storage);
    Goroutine* g = s.spawn();
    Slot a = v(1), b = v(2), into = v(0), ok = v(0);
    chan_send(s, &c, &a, g);
    chan_send(s, &c, &b, g);
    chan_close(s, &c);
    chan_receive(s, &c, &into, &ok, g);
    EXPECT_EQ(into.i, 1);
    EXPECT_EQ(ok.u, 1u);
    chan_receive(s, &c, &into, &ok, g);
    EXPECT_EQ(into.i, 2);
    chan_receive(s, &c, &into, &ok, g);
    EXPECT_EQ(into.i, 0);
    EXPECT_EQ(ok.u, 0u);
}

TEST(Select, DefaultRunsWhenNoCaseIsReadyAndNilChannelsAreNeverChosen) {
    Scheduler s;
    std::vector<Slot> storage;
    Channel c = make_channel(0, storage);
    Goroutine* g = s.spawn();
    Slot into = v(0);
    SelectCase cases[] = {{&c, &into, nullptr, false}, {nullptr, &into, nullptr, false}};
    SelectResult r = chan_select(s, cases, 2, true, g);
    EXPECT_EQ(r.index, -1);
    EXPECT_TRUE(c.recvq.empty());
}

TEST(Select, ChoosesUniformlyAmongReadyCases) {
    std::map<int, int> chosen;
    for (uint64_t seed = 1; seed <= 3000; ++seed) {
        Scheduler s(seed);
        std::vector<Slot> s1, s2, s3;
        Channel a = make_channel(1, s1), b = make_channel(1, s2), c = make_channel(1, s3);
        Goroutine* g = s.spawn();
        Slot one = v(1), into = v(0);
        chan_send(s, &a, &one, g);
        chan_send(s, &b, &one, g);
        chan_send(s, &c, &one, g);
        SelectCase cases[] = {{&a, &into, nullptr, false}, {&b, &into, nullptr, false}, {&c, &into, nullptr, false}};
        ++chosen[chan_select(s, cases, 3, false, g).index];
    }
    ASSERT_EQ(chosen.size(), 3u);
    for (auto& [index, times] : chosen) EXPECT_NEAR(times, 1000, 120) << "case " << index;
}

TEST(Select, SameSeedSameChoices) {
    auto run = [](uint64_t seed) {
        Scheduler s(seed);
        std::string picks;
        for (int k = 0; k < 50; ++k) {
            std::vector<Slot> s1, s2;
            Channel a = make_channel(1, s1), b = make_channel(1, s2);
            Goroutine* g = s.spawn();
            Slot one = v(1), into = v(0);
            chan_send(s, &a, &one, g);
            chan_send(s, &b, &one, g);
            SelectCase cases[] = {{&a, &into, nullptr, false}, {&b, &into, nullptr, false}};
            picks += char('0' + chan_select(s, cases, 2, false, g).index);
            s.exit(g);
        }
        return picks;
    };
    EXPECT_EQ(run(77), run(77));
    EXPECT_NE(run(77), run(78));
}

TEST(Select, ABlockedSelectIsWokenExactlyOnce) {
    Scheduler s;
    std::vector<Slot> s1, s2;
    Channel a = make_channel(0, s1), b = make_channel(0, s2);
    Goroutine* selecting = s.spawn();
    Goroutine* sender1 = s.spawn();
    Goroutine* sender2 = s.spawn();
    Slot into_a = v(0), into_b = v(0);
    SelectCase cases[] = {{&a, &into_a, nullptr, false}, {&b, &into_b, nullptr, false}};
    ASSERT_EQ(chan_select(s, cases, 2, false, selecting).status, ChanStatus::Blocked);
    s.park(selecting, WaitReason::Select);
    Slot x = v(11), y = v(22);
    EXPECT_EQ(chan_send(s, &b, &y, sender1), ChanStatus::Done);
    EXPECT_EQ(selecting->extra().select_chosen, 1);
    EXPECT_EQ(into_b.i, 22);
    // The select's waiter on `a` was withdrawn: a second sender must wait.
    EXPECT_TRUE(a.recvq.empty());
    EXPECT_EQ(chan_send(s, &a, &x, sender2), ChanStatus::Blocked);
    EXPECT_EQ(into_a.i, 0);
}

TEST(Select, SendCaseOnAClosedChannelReportsClosed) {
    Scheduler s;
    std::vector<Slot> storage;
    Channel c = make_channel(1, storage);
    chan_close(s, &c);
    Goroutine* g = s.spawn();
    Slot value = v(1);
    SelectCase cases[] = {{&c, &value, nullptr, true}};
    SelectResult r = chan_select(s, cases, 1, true, g);
    EXPECT_EQ(r.index, 0);
    EXPECT_EQ(r.status, ChanStatus::Closed);
}

} // namespace
