// The race detector's data structures (runtime/race_shadow.hpp): sparse vector clocks,
// the interning table, and shadow cells mapped per heap span or keyed by address; and the
// detector's slots: only goroutines that access shared memory get a clock component.
#include "lang/frontend.hpp"
#include "runtime/race_shadow.hpp"
#include "runtime/vm.hpp"
#include "stdlib/stdlib.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <sstream>
#include <vector>

namespace {

using namespace csp;

TEST(RaceClock, AbsentComponentsAreZero) {
    RaceClock c;
    EXPECT_TRUE(c.empty());
    EXPECT_EQ(c.get(7), 0u);
    c.set(7, 3);
    c.set(2, 5);
    EXPECT_EQ(c.get(7), 3u);
    EXPECT_EQ(c.get(2), 5u);
    EXPECT_EQ(c.get(3), 0u);
    c.increment(7);
    EXPECT_EQ(c.get(7), 4u);
    EXPECT_EQ(c.size(), 2u);
}

TEST(RaceClock, JoinTakesMaximaInPlaceAndByMerging) {
    RaceClock a, b;
    a.set(1, 4);
    a.set(5, 1);
    b.set(1, 2);
    b.set(5, 9);
    a.join(b); // same slots: in place
    EXPECT_EQ(a.get(1), 4u);
    EXPECT_EQ(a.get(5), 9u);
    EXPECT_EQ(a.size(), 2u);
    RaceClock c;
    c.set(0, 7);
    c.set(3, 2);
    c.set(9, 1);
    a.join(c); // new slots: merged, still sorted
    EXPECT_EQ(a.size(), 5u);
    EXPECT_EQ(a.get(0), 7u);
    EXPECT_EQ(a.get(1), 4u);
    EXPECT_EQ(a.get(3), 2u);
    EXPECT_EQ(a.get(5), 9u);
    EXPECT_EQ(a.get(9), 1u);
    RaceClock d;
    d.assign(a);
    d.increment(3);
    EXPECT_EQ(d.get(3), 3u);
    EXPECT_EQ(a.get(3), 2u);
}

TEST(RaceInternTable, FindsWhatWasInsertedAcrossGrowth) {
    RaceInternTable t;
    EXPECT_EQ(t.find({1, 2, 3}), 0u);
    for (uint32_t k = 1; k <= 5000; ++k) t.insert({k, k * 7, k ^ 99}, k);
    EXPECT_EQ(t.size(), 5000u);
    for (uint32_t k = 1; k <= 5000; ++k) ASSERT_EQ(t.find({k, k * 7, k ^ 99}), k);
    EXPECT_EQ(t.find({1, 7, 1}), 0u);
}

// A fake span: 64 KiB aligned, blocks of 48 bytes (16 header + 4 slots) after 16 bytes.
struct FakeSpan {
    char* memory = static_cast<char*>(std::aligned_alloc(RaceShadow::span_bytes, RaceShadow::span_bytes));
    ~FakeSpan() { std::free(memory); }
    static constexpr size_t stride = 48, first = 16, count = (RaceShadow::span_bytes - first) / stride;
    char* slot(size_t block, size_t k) { return memory + first + block * stride + 16 + 8 * k; }
};

TEST(RaceShadow, SpanSlotsMapToDistinctCellsWithoutTheTable) {
    RaceShadow shadow;
    FakeSpan span;
    shadow.span_formatted(span.memory, FakeSpan::first, FakeSpan::stride, FakeSpan::count);
    EXPECT_EQ(shadow.find(span.slot(3, 1)), nullptr); // nothing allocated yet
    for (size_t b = 0; b < FakeSpan::count; b += 97)
        for (size_t k = 0; k < 4; ++k) shadow.cell(span.slot(b, k)).write = b * 4 + k + 1;
    for (size_t b = 0; b < FakeSpan::count; b += 97)
        for (size_t k = 0; k < 4; ++k) ASSERT_EQ(shadow.cell(span.slot(b, k)).write, b * 4 + k + 1);
    EXPECT_EQ(shadow.table_size(), 0u);
    EXPECT_EQ(shadow.span_shadows(), 1u);
    // Freeing a block clears its cells only.
    shadow.forget(span.slot(97, 0), 32);
    EXPECT_EQ(shadow.find(span.slot(97, 2))->write, 0u);
    EXPECT_EQ(shadow.find(span.slot(194, 0))->write, 194u * 4 + 1);
    // Reformatted for another size class: the old cells are gone.
    shadow.span_formatted(span.memory, FakeSpan::first, 32, (RaceShadow::span_bytes - 16) / 32);
    EXPECT_EQ(shadow.span_shadows(), 0u);
    EXPECT_EQ(shadow.find(span.slot(0, 0)), nullptr);
    // Released: its addresses now go to the keyed table.
    shadow.span_released(span.memory);
    shadow.cell(span.slot(0, 0)).read = 5;
    EXPECT_EQ(shadow.table_size(), 1u);
}

TEST(RaceShadow, SlotsOfOneBlockAreConsecutiveCells) {
    RaceShadow shadow;
    FakeSpan span;
    shadow.span_formatted(span.memory, FakeSpan::first, FakeSpan::stride, FakeSpan::count);
    RaceCell* cells = shadow.cells(span.slot(5, 1), 3); // slots 1-3 of block 5
    ASSERT_NE(cells, nullptr);
    for (size_t k = 0; k < 3; ++k) EXPECT_EQ(&cells[k], &shadow.cell(span.slot(5, 1 + k)));
    EXPECT_EQ(shadow.cells(span.slot(5, 1), 4), nullptr); // would run into block 6
    EXPECT_EQ(shadow.cells(span.slot(5, 0) - 8, 1), nullptr); // a block header
    std::vector<uint64_t> words(4);
    EXPECT_EQ(shadow.cells(&words[0], 2), nullptr); // outside the spans: one by one
}

TEST(RaceShadow, ForgettingASpanClearsEveryBlock) {
    RaceShadow shadow;
    FakeSpan span;
    shadow.span_formatted(span.memory, FakeSpan::first, FakeSpan::stride, FakeSpan::count);
    shadow.cell(span.slot(0, 0)).write = 1;
    shadow.cell(span.slot(FakeSpan::count - 1, 3)).read = 2;
    shadow.forget_span(span.memory);
    EXPECT_EQ(shadow.find(span.slot(0, 0))->write, 0u);
    EXPECT_EQ(shadow.find(span.slot(FakeSpan::count - 1, 3))->read, 0u);
    EXPECT_EQ(shadow.span_shadows(), 1u); // the array stays for the span's next blocks
    // Formatted again (any size class that fits): the zeroed array serves it.
    shadow.span_formatted(span.memory, FakeSpan::first, 32, (RaceShadow::span_bytes - 16) / 32);
    EXPECT_EQ(shadow.span_shadows(), 1u);
    RaceCell* cell = shadow.find(span.slot(0, 0));
    ASSERT_NE(cell, nullptr);
    EXPECT_EQ(cell->write, 0u);
    EXPECT_EQ(cell->read, 0u);
}

TEST(RaceShadow, KeyedTableSurvivesGrowthAndDeletion) {
    RaceShadow shadow;
    std::vector<uint64_t> words(20000);
    for (size_t k = 0; k < words.size(); ++k) shadow.cell(&words[k]).write = k + 1;
    EXPECT_EQ(shadow.table_size(), words.size());
    // Free every other run of 8 slots: the rest must still be found (backward shift).
    for (size_t k = 0; k < words.size(); k += 16) shadow.forget(&words[k], 8 * 8);
    for (size_t k = 0; k < words.size(); ++k) {
        RaceCell* c = shadow.find(&words[k]);
        if (k % 16 < 8)
            ASSERT_EQ(c, nullptr) << k;
        else
            ASSERT_TRUE(c != nullptr && c->write == k + 1) << k;
    }
    EXPECT_EQ(shadow.table_size(), words.size() / 2);
}

std::unique_ptr<Program> compile(const char* source) {
    FrontendOptions options;
    options.packages = stdlib::package_source;
    options.natives = stdlib::find_native;
    options.race = true;
    std::ostringstream errors;
    FrontendResult result = load_source("slots.csp", source, options, errors);
    EXPECT_TRUE(result.program) << errors.str();
    return std::move(result.program);
}

// Goroutines that only communicate get no clock component; those that access do.
TEST(RaceDetector, OnlyAccessingGoroutinesTakeSlots) {
    auto program = compile(R"(package main

var total int

func relay(in chan int, out chan int) {
	for v := range in {
		out <- v
	}
	close(out)
}

func main() {
	first := make(chan int)
	in := first
	for i := 0; i < 50; i++ {
		out := make(chan int)
		go relay(in, out)
		in = out
	}
	go func(c chan int) {
		for i := 0; i < 10; i++ {
			c <- i
		}
		close(c)
	}(first)
	for v := range in {
		total += v
	}
	done := make(chan bool)
	for i := 0; i < 3; i++ {
		go func() {
			total++
			done <- true
		}()
		<-done
	}
	println(total)
}
)");
    ASSERT_TRUE(program);
    VM vm(*program);
    std::ostringstream diagnostics;
    vm.set_error_stream(&diagnostics);
    EXPECT_EQ(vm.run(), 0) << diagnostics.str();
    ASSERT_NE(vm.race(), nullptr);
    EXPECT_EQ(vm.race()->races(), 0u) << diagnostics.str();
    EXPECT_EQ(vm.race()->slots(), 4u); // main and the three that write total
}

TEST(RaceDetector, GoroutinesThatSawNoAccessKeepNoClocks) {
    // A fan-out through a buffered channel by goroutines that touch no shared memory (the
    // captured channel is only ever read): no slot, and no clock per buffer slot.
    auto program = compile(R"(package main

import "sync"

func main() {
	const n = 2000
	var wg sync.WaitGroup
	results := make(chan int, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results <- i % 7
		}(i)
	}
	wg.Wait()
	close(results)
	sum := 0
	for v := range results {
		sum += v
	}
	println(sum)
}
)");
    ASSERT_TRUE(program);
    VM vm(*program);
    std::ostringstream diagnostics;
    vm.set_error_stream(&diagnostics);
    EXPECT_EQ(vm.run(), 0) << diagnostics.str();
    ASSERT_NE(vm.race(), nullptr);
    EXPECT_EQ(vm.race()->races(), 0u) << diagnostics.str();
    EXPECT_EQ(vm.race()->slots(), 0u);
    EXPECT_LT(vm.race()->sync_keys(), 10u);
}

} // namespace
