// Unit tests for what script tests cannot check against Go yet: traces through frames of
// standard packages written in csp (Go shows its own source files and lines there). A
// goroutine parked in sync.Cond.Wait carries Go's wait reason in deadlock dumps, and
// atomic.Value's panics end the program with Go's message.
#include "lang/frontend.hpp"
#include "runtime/vm.hpp"
#include "stdlib/stdlib.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace {

using namespace csp;

struct ProgramRun {
    int status = -1;
    std::string out, errors;
};

ProgramRun run(const char* source) {
    FrontendOptions options;
    options.packages = stdlib::package_source;
    options.natives = stdlib::find_native;
    std::ostringstream errors;
    FrontendResult result = load_source("cond.csp", source, options, errors);
    ProgramRun outcome;
    if (!result.program) {
        outcome.errors = errors.str();
        return outcome;
    }
    VM vm(*result.program);
    vm.out().capture_to(&outcome.out);
    std::ostringstream diagnostics;
    vm.set_error_stream(&diagnostics);
    outcome.status = vm.run();
    // Traces show the file's absolute path: keep only its name.
    outcome.errors = diagnostics.str();
    for (size_t at; (at = outcome.errors.find("\t/")) != std::string::npos;)
        outcome.errors.erase(at + 1, outcome.errors.find("cond.csp", at) - at - 1);
    return outcome;
}

TEST(SyncCond, DeadlockDumpShowsCondWait) {
    ProgramRun r = run(R"(package main

import "sync"

func main() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	go func() {
		mu.Lock()
		c.Wait()
	}()
	mu.Lock()
	c.Wait()
}
)");
    EXPECT_EQ(r.status, 2) << r.errors;
    EXPECT_EQ(r.errors.rfind("fatal error: all goroutines are asleep - deadlock!\n\n"
                             "goroutine 1 [sync.Cond.Wait]:\nsync.(*Cond).Wait(...)\n",
                             0),
              0u)
        << r.errors;
    EXPECT_NE(r.errors.find("main.main()\n\tcond.csp:13\n"), std::string::npos) << r.errors;
    // Go 1.19 numbers this goroutine 5 too (checked with go build; GOMAXPROCS=1).
    EXPECT_NE(r.errors.find("goroutine 5 [sync.Cond.Wait]:\nsync.(*Cond).Wait(...)\n"), std::string::npos)
        << r.errors;
    EXPECT_NE(r.errors.find("main.main.func1()\n\tcond.csp:10\n"), std::string::npos) << r.errors;
}

TEST(SyncCond, MutexWaitIsSemacquire) {
    // Go 1.19 names only Cond's wait; Mutex and WaitGroup park in [semacquire].
    ProgramRun r = run(R"(package main

import "sync"

func main() {
	var mu sync.Mutex
	mu.Lock()
	mu.Lock()
}
)");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.errors.find("goroutine 1 [semacquire]:\nsync.(*Mutex).Lock(...)\n"), std::string::npos)
        << r.errors;
}

TEST(AtomicValue, UncaughtPanicHasGosMessage) {
    ProgramRun r = run(R"(package main

import "sync/atomic"

func main() {
	var v atomic.Value
	v.Store(1)
	v.Store("x")
}
)");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.errors.rfind("panic: sync/atomic: store of inconsistently typed value into Value\n\n"
                             "goroutine 1 [running]:\nsync/atomic.(*Value).Store(...)\n",
                             0),
              0u)
        << r.errors;
    EXPECT_NE(r.errors.find("main.main()\n\tcond.csp:8\n"), std::string::npos) << r.errors;
}

} // namespace
