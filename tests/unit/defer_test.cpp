// Unit tests for defer, panic and recover that script tests cannot express: fatal errors
// (whose full Go output the script tools do not rewrite) run no deferred calls, and the
// defer stack and panic list stay sound at scale. Programs go through the whole pipeline.
#include "lang/frontend.hpp"
#include "runtime/vm.hpp"
#include "stdlib/stdlib.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace {

using namespace csp;

struct Outcome {
    int status = -1;
    std::string out;
    std::string err;
};

Outcome run(const std::string& source, size_t max_stack = VM::default_max_stack_bytes,
            size_t heap_limit = Heap::default_limit) {
    FrontendOptions options;
    options.packages = stdlib::package_source;
    options.natives = stdlib::find_native;
    std::ostringstream errors;
    FrontendResult result = load_source("case.csp", source, options, errors);
    Outcome outcome;
    if (result.status != FrontendStatus::Ok) {
        outcome.err = errors.str();
        return outcome;
    }
    std::ostringstream err;
    {
        VM vm(*result.program);
        vm.out().capture_to(&outcome.out);
        vm.set_error_stream(&err);
        vm.set_max_stack_bytes(max_stack);
        vm.heap().set_limit(heap_limit);
        outcome.status = vm.run();
    }
    outcome.err = err.str();
    return outcome;
}

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

TEST(Defer, StackOverflowInDeferredCallRunsNoMoreDeferredCalls) {
    auto r = run(R"(package main

import "fmt"

func down(n int) int {
	return down(n+1) + 1
}

func main() {
	defer fmt.Println("never")
	defer func() {
		fmt.Println("deferred")
		down(0)
	}()
	panic("first")
}
)",
                 1 << 20);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "deferred\n");
    // As Go's throw: no panic lines, the trace from the overflowing call.
    EXPECT_TRUE(starts_with(r.err, "runtime: goroutine stack exceeds 1048576-byte limit\n"
                                   "fatal error: stack overflow\n\ngoroutine 1 [running]:\n"
                                   "main.down(...)\n\t"))
        << r.err;
    EXPECT_NE(r.err.find("case.csp:5\nmain.down(...)\n"), std::string::npos) << r.err;
}

TEST(Defer, StackOverflowRunsNoDeferredCalls) {
    auto r = run(R"(package main

import "fmt"

func down(n int) int {
	defer fmt.Println("never in down")
	return down(n+1) + 1
}

func main() {
	defer fmt.Println("never in main")
	down(0)
}
)",
                 1 << 20);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(starts_with(r.err, "runtime: goroutine stack exceeds 1048576-byte limit\n"))
        << r.err;
}

TEST(Defer, OutOfMemoryRunsNoDeferredCalls) {
    auto r = run(R"(package main

import "fmt"

func main() {
	defer fmt.Println("never")
	s := "0123456789abcdef"
	for {
		s = s + s
	}
}
)",
                 VM::default_max_stack_bytes, 1 << 20);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("fatal error: out of memory\n"), std::string::npos) << r.err;
}

TEST(Defer, DeferStackPastHeapLimitIsOutOfMemory) {
    auto r = run(R"(package main

import "fmt"

func main() {
	for i := 0; i < 10000000; i++ {
		defer fmt.Println("never", i)
	}
}
)",
                 VM::default_max_stack_bytes, 1 << 20);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("fatal error: out of memory\n"), std::string::npos) << r.err;
}

TEST(Defer, ManyRecoveriesLeaveNothingBehind) {
    auto r = run(R"(package main

import "fmt"

func risky(n int) (result int) {
	defer func() {
		if recover() != nil {
			result = n
		}
	}()
	defer func() {}()
	panic(n)
}

func main() {
	total := 0
	for i := 0; i < 200000; i++ {
		total += risky(i)
	}
	fmt.Println(total, recover())
}
)");
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "19999900000 <nil>\n");
}

TEST(Defer, LongChainOfNilDeferredCallsDoesNotRecurse) {
    // Each nil deferred call panics at once while the previous panic runs it: a chain of
    // 100000 panics, started in a loop rather than by recursion on the C++ stack.
    auto r = run(R"(package main

func main() {
	var f func()
	for i := 0; i < 100000; i++ {
		defer f()
	}
	panic("first")
}
)");
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(starts_with(r.err, "panic: first\n\tpanic: runtime error: invalid memory address"))
        << r.err.substr(0, 200);
    size_t panics = 0;
    for (size_t at = r.err.find("panic: "); at != std::string::npos;
         at = r.err.find("panic: ", at + 1))
        ++panics;
    EXPECT_EQ(panics, 100001u);
}

} // namespace
