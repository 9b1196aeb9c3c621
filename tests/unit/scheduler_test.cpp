// Unit tests of the scheduler's invariants (runtime/scheduler.cpp, the channel engine's
// wake-ups): the FIFO run queue, the runnext slot, woken goroutines running next, select
// woken exactly once, lazily made GoroutineExtra blocks; and, through compiled programs,
// the orders Go 1.19 prints with GOMAXPROCS=1 (expected outputs produced by Go) and the
// repeatable preemption of a goroutine that never blocks.
#include "lang/frontend.hpp"
#include "runtime/channel.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/vm.hpp"
#include "stdlib/stdlib.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace {

using namespace csp;

Channel unbuffered() {
    Channel c{};
    c.elem_slots = 1;
    return c;
}

Slot v(int64_t i) { return Slot{.i = i}; }

TEST(SchedulerInvariants, EnqueueIsFifo) {
    Scheduler s;
    Goroutine* g[4];
    for (Goroutine*& each : g) each = s.spawn();
    for (Goroutine* each : g) s.enqueue(each);
    for (Goroutine* each : g) EXPECT_EQ(s.pick(), each);
    EXPECT_EQ(s.pick(), nullptr);
    EXPECT_FALSE(s.has_runnable());
}

TEST(SchedulerInvariants, RunnextComesBeforeTheQueueAndOnlyOnce) {
    Scheduler s;
    Goroutine* queued = s.spawn();
    Goroutine* next = s.spawn();
    s.enqueue(queued);
    s.ready(next);
    EXPECT_TRUE(s.has_runnable());
    EXPECT_EQ(s.pick(), next);
    EXPECT_EQ(s.pick(), queued); // runnext was emptied by the first pick
    EXPECT_EQ(s.pick(), nullptr);
}

TEST(SchedulerInvariants, ParkedGoroutinesAreOnNoQueueUntilReadied) {
    Scheduler s;
    Goroutine* g = s.spawn();
    s.park(g, WaitReason::ChanReceive);
    EXPECT_EQ(g->status, GoroutineStatus::Waiting);
    EXPECT_EQ(g->wait_reason, WaitReason::ChanReceive);
    EXPECT_FALSE(s.has_runnable());
    s.ready(g);
    EXPECT_EQ(g->status, GoroutineStatus::Runnable);
    EXPECT_EQ(g->wait_reason, WaitReason::None);
    EXPECT_EQ(s.pick(), g);
}

TEST(SchedulerInvariants, ExitUnlinksFromTheLiveList) {
    Scheduler s;
    Goroutine* a = s.spawn();
    Goroutine* b = s.spawn();
    Goroutine* c = s.spawn();
    s.exit(b);
    EXPECT_EQ(s.live_count(), 2u);
    EXPECT_EQ(s.first_live(), c); // newest first
    EXPECT_EQ(c->next_live, a);
    EXPECT_EQ(a->prev_live, c);
    s.exit(c);
    EXPECT_EQ(s.first_live(), a);
    EXPECT_EQ(a->prev_live, nullptr);
}

TEST(SchedulerInvariants, AWokenReceiverRunsBeforeQueuedGoroutines) {
    Scheduler s;
    Channel c = unbuffered();
    Goroutine* receiver = s.spawn();
    Goroutine* sender = s.spawn();
    Goroutine* q1 = s.spawn();
    Goroutine* q2 = s.spawn();
    Slot into = v(0);
    ASSERT_EQ(chan_receive(s, &c, &into, nullptr, receiver), ChanStatus::Blocked);
    s.park(receiver, WaitReason::ChanReceive);
    s.enqueue(q1);
    s.enqueue(q2);
    Slot value = v(3);
    EXPECT_EQ(chan_send(s, &c, &value, sender), ChanStatus::Done);
    EXPECT_EQ(s.pick(), receiver);
    EXPECT_EQ(s.pick(), q1);
    EXPECT_EQ(s.pick(), q2);
}

TEST(SchedulerInvariants, ClosingEveryCaseWakesASelectOnce) {
    Scheduler s;
    Channel a = unbuffered(), b = unbuffered();
    Goroutine* selecting = s.spawn();
    Slot into_a = v(9), into_b = v(9);
    SelectCase cases[] = {{&a, &into_a, nullptr, false}, {&b, &into_b, nullptr, false}};
    ASSERT_EQ(chan_select(s, cases, 2, false, selecting).status, ChanStatus::Blocked);
    s.park(selecting, WaitReason::Select);
    EXPECT_EQ(chan_close(s, &a), CloseStatus::Done);
    EXPECT_EQ(selecting->extra().select_chosen, 0);
    EXPECT_EQ(into_a.i, 0); // the zero value of a closed channel
    EXPECT_TRUE(b.recvq.empty());
    EXPECT_EQ(chan_close(s, &b), CloseStatus::Done); // finds no waiter: no second wake
    EXPECT_EQ(into_b.i, 9);
    EXPECT_EQ(s.pick(), selecting);
    EXPECT_EQ(s.pick(), nullptr);
}

TEST(SchedulerInvariants, SelectOnBothEndsOfOneChannelIsWokenOnce) {
    Scheduler s;
    Channel c = unbuffered();
    Goroutine* selecting = s.spawn();
    Goroutine* receiver = s.spawn();
    Slot out = v(5), in = v(0);
    SelectCase cases[] = {{&c, &in, nullptr, false}, {&c, &out, nullptr, true}};
    ASSERT_EQ(chan_select(s, cases, 2, false, selecting).status, ChanStatus::Blocked);
    s.park(selecting, WaitReason::Select);
    Slot into = v(0);
    EXPECT_EQ(chan_receive(s, &c, &into, nullptr, receiver), ChanStatus::Done);
    EXPECT_EQ(into.i, 5);
    EXPECT_EQ(selecting->extra().select_chosen, 1);
    EXPECT_TRUE(c.recvq.empty() && c.sendq.empty()); // the receive case was withdrawn
    EXPECT_EQ(s.pick(), selecting);
    EXPECT_EQ(s.pick(), nullptr);
}

// Parked goroutines stay small: plain channel waits never make the extra block.
TEST(SchedulerInvariants, OnlySelectMakesTheExtraBlock) {
    Scheduler s;
    Channel c = unbuffered();
    Goroutine* receiver = s.spawn();
    Goroutine* sender = s.spawn();
    Slot into = v(0), value = v(1);
    ASSERT_EQ(chan_receive(s, &c, &into, nullptr, receiver), ChanStatus::Blocked);
    EXPECT_EQ(chan_send(s, &c, &value, sender), ChanStatus::Done);
    EXPECT_EQ(receiver->extra_if_any(), nullptr);
    EXPECT_EQ(sender->extra_if_any(), nullptr);
    SelectCase cases[] = {{&c, &into, nullptr, false}};
    ASSERT_EQ(chan_select(s, cases, 1, false, receiver).status, ChanStatus::Blocked);
    EXPECT_NE(receiver->extra_if_any(), nullptr);
}

// A program's stdout, or its diagnostics when it does not compile or fails.
std::string run_program(const char* source) {
    FrontendOptions options;
    options.packages = stdlib::package_source;
    options.natives = stdlib::find_native;
    std::ostringstream errors;
    FrontendResult result = load_source("sched.csp", source, options, errors);
    if (!result.program) return "compile error: " + errors.str();
    VM vm(*result.program);
    std::string out;
    vm.out().capture_to(&out);
    std::ostringstream diagnostics;
    vm.set_error_stream(&diagnostics);
    int status = vm.run();
    return status == 0 ? out : out + "status " + std::to_string(status) + ": " + diagnostics.str();
}

// Expected outputs below are Go 1.19's with GOMAXPROCS=1.
TEST(SchedulingOrder, EachNewGoroutineTakesRunnext) {
    const char* source = R"(package main

import (
	"fmt"
	"runtime"
)

func main() {
	for _, name := range []string{"A", "B", "C"} {
		go func(n string) { fmt.Println(n) }(name)
	}
	runtime.Gosched()
	fmt.Println("main")
}
)";
    EXPECT_EQ(run_program(source), "C\nA\nB\nmain\n");
}

TEST(SchedulingOrder, AGoroutineWokenByASendRunsNext) {
    const char* source = R"(package main

import (
	"fmt"
	"runtime"
)

func main() {
	c := make(chan int)
	done := make(chan bool)
	go func() { fmt.Println("worker", <-c); done <- true }()
	runtime.Gosched()
	go func() { fmt.Println("X") }()
	go func() { fmt.Println("Y") }()
	c <- 1
	fmt.Println("main sent")
	<-done
	runtime.Gosched()
	fmt.Println("main")
}
)";
    EXPECT_EQ(run_program(source), "main sent\nworker 1\nX\nY\nmain\n");
}

TEST(SchedulingOrder, GoschedGoesToTheBackOfTheQueue) {
    const char* source = R"(package main

import (
	"fmt"
	"runtime"
)

func main() {
	for i := 0; i < 3; i++ {
		go func(i int) { fmt.Println("g", i); runtime.Gosched(); fmt.Println("g", i, "again") }(i)
	}
	runtime.Gosched()
	runtime.Gosched()
	fmt.Println("main")
}
)";
    EXPECT_EQ(run_program(source), "g 2\ng 0\ng 1\ng 2 again\ng 0 again\ng 1 again\nmain\n");
}

// `for {}` never blocks: preemption by instruction count lets main finish, and (unlike
// Go's timer-driven preemption) a run repeats exactly, so the count main sees is stable.
TEST(SchedulingOrder, SpinningGoroutinesArePreemptedRepeatably) {
    const char* source = R"(package main

import (
	"fmt"
	"runtime"
)

func main() {
	counter := 0
	go func() {
		for {
			counter++
		}
	}()
	go func() {
		for {
		}
	}()
	runtime.Gosched() // both spinners run until preempted, then main again
	fmt.Println(counter > 0)
	fmt.Println(counter)
}
)";
    std::string first = run_program(source);
    EXPECT_EQ(first.substr(0, 5), "true\n") << first;
    EXPECT_EQ(run_program(source), first);
}

} // namespace

namespace {

TEST(GoroutineMemory, ABorrowedStackKeepsItsContentsWhenItGrows) {
    Goroutine* g = Goroutine::create(8, 3);
    ASSERT_EQ(g->stack.size(), 8u);
    ASSERT_EQ(g->frames.size(), 3u);
    // The block holds the goroutine, then its registers, then its frames.
    auto* block = reinterpret_cast<char*>(g);
    EXPECT_GT(reinterpret_cast<char*>(g->stack.data()), block);
    EXPECT_GT(reinterpret_cast<char*>(g->frames.data()), reinterpret_cast<char*>(g->stack.data() + 7));
    for (int k = 0; k < 8; ++k) g->stack[size_t(k)].i = k * 11;
    ASSERT_TRUE(g->reserve(6, 10, size_t(1) << 20)); // needs 16 registers
    EXPECT_GE(g->stack.size(), 16u);
    for (int k = 0; k < 8; ++k) EXPECT_EQ(g->stack[size_t(k)].i, k * 11);
    Goroutine::destroy(g); // frees the grown stack and the block (ASan checks both)
}

TEST(GoroutineMemory, ADeadGoroutineIsReusedAsNew) {
    Scheduler s;
    Goroutine* main = s.spawn();
    Goroutine* a = s.spawn(16, 3);
    a->wait_reason = WaitReason::ChanSend;
    a->woken_by_close = true;
    a->frame_count = 2;
    s.exit(a);
    Goroutine* b = s.spawn(16, 3);
    EXPECT_EQ(b, a); // the same memory, made new
    EXPECT_EQ(b->status, GoroutineStatus::Runnable);
    EXPECT_EQ(b->wait_reason, WaitReason::None);
    EXPECT_FALSE(b->woken_by_close);
    EXPECT_EQ(b->frame_count, 0u);
    EXPECT_EQ(b->extra_if_any(), nullptr);
    EXPECT_GT(b->id, main->id);
    EXPECT_EQ(s.first_live(), b);
    EXPECT_EQ(s.live_count(), 2u);
    // A reused goroutine asked for a bigger stack gets one.
    s.exit(b);
    Goroutine* c = s.spawn(64, 5);
    EXPECT_GE(c->stack.size(), 64u);
    EXPECT_GE(c->frames.size(), 5u);
}

TEST(GoroutineMemory, GoroutinesStartWithTheStackEarlierOnesGrewTo) {
    // Each goroutine's deferred wg.Done() calls Add: more registers than a new goroutine
    // of func1 is first given, so the first one grows its stack and the rest need not.
    const char* source = R"(package main

import "sync"

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
		}()
	}
	wg.Wait()
}
)";
    FrontendOptions options;
    options.packages = stdlib::package_source;
    options.natives = stdlib::find_native;
    std::ostringstream errors;
    FrontendResult result = load_source("hint.csp", source, options, errors);
    ASSERT_TRUE(result.program) << errors.str();
    const Function* func1 = nullptr;
    for (const auto& f : result.program->functions)
        if (f->name == "main.main.func1") func1 = f.get();
    ASSERT_NE(func1, nullptr);
    EXPECT_EQ(func1->goroutine_stack_hint, 0u);
    VM vm(*result.program);
    EXPECT_EQ(vm.run(), 0);
    EXPECT_GT(func1->goroutine_stack_hint, func1->frame_slots + 4);
}

} // namespace
