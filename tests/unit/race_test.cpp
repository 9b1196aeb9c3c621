// The race detector's API as `csp test -race` will use it: a program compiled with
// FrontendOptions::race runs with a RaceDetector (VM::race()) that counts the races it
// reported; compiled without, it has no RACE opcode and no detector.
#include "lang/frontend.hpp"
#include "runtime/vm.hpp"
#include "stdlib/stdlib.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>

namespace {

using namespace csp;

const char* const racy = R"(package main

import "time"

var counter int

func main() {
	go func() {
		counter = 1
	}()
	time.Sleep(10 * time.Millisecond)
	counter = 2
}
)";

std::unique_ptr<Program> compile(const char* source, bool race) {
    FrontendOptions options;
    options.packages = stdlib::package_source;
    options.natives = stdlib::find_native;
    options.race = race;
    std::ostringstream errors;
    FrontendResult result = load_source("race.csp", source, options, errors);
    EXPECT_TRUE(result.program) << errors.str();
    return std::move(result.program);
}

bool has_race_opcode(const Program& program) {
    for (const auto& f : program.functions)
        for (const Instr& in : f->code)
            if (in.op == Opcode::RACE) return true;
    return false;
}

// Runs a racy program (exit status 66) and returns what it wrote to standard error.
std::string reports_of(const Program& program) {
    VM vm(program);
    std::ostringstream diagnostics;
    vm.set_error_stream(&diagnostics);
    EXPECT_EQ(vm.run(), 66);
    return diagnostics.str();
}

TEST(Race, DetectorCountsAndReports) {
    auto program = compile(racy, true);
    ASSERT_TRUE(program);
    EXPECT_TRUE(has_race_opcode(*program));
    VM vm(*program);
    std::ostringstream diagnostics;
    vm.set_error_stream(&diagnostics);
    EXPECT_EQ(vm.run(), 66);
    ASSERT_NE(vm.race(), nullptr);
    EXPECT_EQ(vm.race()->races(), 1u);
    std::string text = diagnostics.str();
    EXPECT_NE(text.find("Write at counter by main goroutine:"), std::string::npos) << text;
    EXPECT_NE(text.find("Previous write at counter by goroutine 5:"), std::string::npos) << text;
    EXPECT_NE(text.find("Found 1 data race(s)\n"), std::string::npos) << text;
    EXPECT_EQ(race_detector, nullptr); // cleared when the run ends
}

// Where Go prints an address, the report names the location, with the index known at
// run time: one-slot elements (SGET/SSET), and wide ones and their fields, reached
// through SELEM and a pointer (named from the slice's data pointer in RACE's c). A
// whole-element store is named by the slot that raced, as Go's address would be.
TEST(Race, ElementsAreNamedWithTheirIndex) {
    auto program = compile(R"(package main

import "time"

type P struct {
	name string
	age  int
}

var ps = make([]P, 4)
var xs = make([]string, 4)
var ns = make([]int, 4)

func main() {
	i := 2
	go func() {
		ps[i].name = "a"
		ps[i+1].age = 3
		xs[i] = "b"
		ns[i+1] = 4
	}()
	time.Sleep(10 * time.Millisecond)
	println(ps[i].name, ps[i+1].age, xs[i], ns[i+1])
	v := ps[1]
	go func() { ps[1] = v }()
	time.Sleep(10 * time.Millisecond)
	println(ps[1].age)
}
)", true);
    ASSERT_TRUE(program);
    std::string text = reports_of(*program);
    for (const char* line : {"Read at ps[2].name by main goroutine:", "Previous write at ps[2].name by goroutine",
                             "Read at ps[3].age by main goroutine:", "Previous write at ps[3].age by goroutine",
                             "Read at xs[2] by main goroutine:", "Previous write at xs[2] by goroutine",
                             "Read at ns[3] by main goroutine:", "Previous write at ns[3] by goroutine",
                             "Read at ps[1].age by main goroutine:", "Previous write at ps[1].age by goroutine"})
        EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
}

// Indexing a slice held in a field reads the field (the slice's header) first: that
// access is named after the field, not after the element.
TEST(Race, ASliceHeaderIsNamedAfterItsField) {
    auto program = compile(R"(package main

import "time"

type S struct{ names []string }

func main() {
	s := &S{names: make([]string, 2)}
	go func() { s.names = append(s.names, "x") }()
	time.Sleep(10 * time.Millisecond)
	println(s.names[1])
}
)", true);
    ASSERT_TRUE(program);
    std::string text = reports_of(*program);
    EXPECT_NE(text.find("Read at s.names by main goroutine:"), std::string::npos) << text;
    EXPECT_NE(text.find("Previous write at s.names by goroutine"), std::string::npos) << text;
}

TEST(Race, WithoutTheFlagNothingIsInstrumented) {
    auto program = compile(racy, false);
    ASSERT_TRUE(program);
    EXPECT_FALSE(has_race_opcode(*program));
    EXPECT_TRUE(program->race_names.empty());
    VM vm(*program);
    std::ostringstream diagnostics;
    vm.set_error_stream(&diagnostics);
    EXPECT_EQ(vm.run(), 0);
    EXPECT_EQ(vm.race(), nullptr);
    EXPECT_EQ(diagnostics.str(), "");
}

} // namespace
