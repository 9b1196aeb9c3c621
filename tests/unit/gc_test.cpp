// Unit tests for the garbage collector (runtime/gc.cpp): reachability through roots,
// block contents and interior pointers; sweeping of garbage; and a stress test in which a
// compiled program allocates far more than the heap limit while keeping little, which
// only finishes if the collector frees as it goes. Run under ASan by `setup.sh sanitize`.
#include "lang/frontend.hpp"
#include "runtime/heap.hpp"
#include "runtime/vm.hpp"
#include "stdlib/stdlib.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <sstream>

namespace {

using namespace csp;

// What a compiled program did: its status, stdout, diagnostics and the heap afterwards.
struct ProgramRun {
    int status = -1;
    std::string out, errors;
    size_t collections = 0, bytes_in_use = 0;
};

ProgramRun compile_and_run(const char* source, size_t heap_limit) {
    FrontendOptions options;
    options.packages = stdlib::package_source;
    options.natives = stdlib::find_native;
    std::ostringstream errors;
    FrontendResult result = load_source("gc.csp", source, options, errors);
    ProgramRun run;
    if (!result.program) {
        run.errors = errors.str();
        return run;
    }
    VM vm(*result.program);
    vm.out().capture_to(&run.out);
    std::ostringstream diagnostics;
    vm.set_error_stream(&diagnostics);
    vm.heap().set_limit(heap_limit);
    run.status = vm.run();
    run.errors = diagnostics.str();
    run.collections = vm.heap().collections();
    run.bytes_in_use = vm.heap().bytes_in_use();
    return run;
}

std::vector<Heap::RootRange> roots_of(std::vector<void*>& words) {
    return {{words.data(), words.size()}};
}

TEST(GC, FreesWhatNoRootReaches) {
    Heap heap;
    std::vector<void*> roots(1);
    Slot* kept = heap.make_slots(4);
    roots[0] = kept;
    for (int k = 0; k < 100; ++k) heap.make_slots(4);
    EXPECT_EQ(heap.object_count(), 101u);
    heap.collect(roots_of(roots));
    EXPECT_EQ(heap.object_count(), 1u);
    EXPECT_EQ(heap.bytes_in_use(), sizeof(ObjectHeader) + 4 * sizeof(Slot)); // 32 bytes: a size class
}

TEST(GC, FollowsPointersInsideBlocksButNotInsideBytes) {
    Heap heap;
    std::vector<void*> roots(1);
    // root -> a -> b -> string bytes; a string whose bytes look like a pointer keeps nothing.
    Slot* a = heap.make_slots(2);
    Slot* b = heap.make_slots(2);
    StringRef text = heap.make_string("payload");
    a[1].p = b;
    store_string(b, text);
    Slot* fake_target = heap.make_slots(1);
    auto* bytes = static_cast<char*>(heap.allocate(sizeof(void*), ObjectKind::Bytes));
    std::memcpy(bytes, &fake_target, sizeof(void*));
    a[0].p = bytes;
    roots[0] = a;
    heap.collect(roots_of(roots));
    EXPECT_EQ(heap.object_count(), 4u); // a, b, the string, the byte block; not fake_target
    EXPECT_EQ(load_string(b).view(), "payload");
}

TEST(GC, InteriorAndOnePastTheEndPointersKeepTheirBlock) {
    Heap heap;
    std::vector<void*> roots(2);
    Slot* array = heap.make_slots(8);
    StringRef text = heap.make_string("a longer string");
    roots[0] = array + 3;                  // a slice starting mid-array
    roots[1] = const_cast<char*>(text.data + text.len); // an empty substring at the end
    heap.collect(roots_of(roots));
    EXPECT_EQ(heap.object_count(), 2u);
}

TEST(GC, CyclesAreCollected) {
    Heap heap;
    std::vector<void*> roots(1, nullptr);
    Slot* a = heap.make_slots(1);
    Slot* b = heap.make_slots(1);
    a[0].p = b;
    b[0].p = a;
    heap.collect(roots_of(roots));
    EXPECT_EQ(heap.object_count(), 0u);
}

TEST(GC, LongChainsAreMarkedWithoutRecursion) {
    Heap heap;
    std::vector<void*> roots(1);
    Slot* head = nullptr;
    for (int k = 0; k < 200000; ++k) {
        Slot* node = heap.make_slots(1);
        node[0].p = head;
        head = node;
    }
    roots[0] = head;
    heap.collect(roots_of(roots));
    EXPECT_EQ(heap.object_count(), 200000u);
}

// A program allocating about 1 GB in all (strings, closures, cells, boxed values) under a
// 64 MiB heap limit: it runs to the end only if garbage is collected along the way.
// (The expected line is what Go 1.19 prints for this program.)
TEST(GC, AllocationHeavyProgramRunsInBoundedMemory) {
    const char* source = R"(package main

import "fmt"

func main() {
	keep := ""
	total := 0
	for i := 0; i < 200000; i++ {
		s := fmt.Sprint("item-", i)
		t := s + s + s + s + s + s + s + s + s + s + s + s + s + s + s + s
		f := func() int { return len(t) + i }
		total += f()
		if i%50000 == 0 {
			keep = keep + "|" + s
		}
	}
	fmt.Println(total, keep)
}
)";
    ProgramRun run = compile_and_run(source, size_t(64) << 20);
    EXPECT_EQ(run.status, 0) << run.errors;
    EXPECT_EQ(run.out, "20033322240 |item-0|item-50000|item-100000|item-150000\n");
    EXPECT_GT(run.collections, 5u);
    EXPECT_LT(run.bytes_in_use, size_t(64) << 20);
}

} // namespace

namespace {

// Goroutines parked inside closures: once main moves on, each closure (and the cells of
// `block` and `done`) is referenced only by its goroutine's frame record. Collections
// while they wait must keep them (ASan reports a use after free otherwise).
TEST(GC, ClosuresOfParkedGoroutinesSurvive) {
    const char* source = R"(package main

import "fmt"

func main() {
	block := make(chan bool)
	done := make(chan int)
	for i := 0; i < 1000; i++ {
		go func() {
			<-block
			done <- 1
		}()
	}
	s := ""
	for i := 0; i < 300000; i++ {
		s = fmt.Sprint(i)
	}
	close(block)
	total := 0
	for i := 0; i < 1000; i++ {
		total += <-done
	}
	fmt.Println(total, s)
}
)";
    ProgramRun run = compile_and_run(source, Heap::default_limit);
    EXPECT_EQ(run.status, 0) << run.errors;
    EXPECT_EQ(run.out, "1000 299999\n");
    EXPECT_GT(run.collections, 0u);
}

} // namespace
