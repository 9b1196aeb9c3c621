// The performance contract's rule that copying a string, slice or interface value never
// allocates (they are two or three slots copied as they are), nor does appending within
// capacity: a compiled program copies them in a loop, and the heap's allocation count
// must not depend on how many times the loop runs.
#include "lang/frontend.hpp"
#include "runtime/vm.hpp"
#include "stdlib/stdlib.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace {

using namespace csp;

const char* const program_template = R"(package main

type Shape interface{ Area() int }

type Sq struct{ n int }

func (s *Sq) Area() int { return s.n * s.n }

type Box struct {
	name  string
	items []int
	shape Shape
	any   any
}

var sink Box

func pass(s string, xs []int, sh Shape, v any) (string, []int, Shape, any) {
	return s, xs, sh, v
}

func main() {
	s := "a string constant"
	xs := make([]int, 3, 8)
	var sh Shape = &Sq{3}
	var v any = sh
	total := 0
	for i := 0; i < ITERATIONS; i++ {
		t, ys, sh2, w := pass(s, xs, sh, v)
		sink = Box{t, ys, sh2, w}
		arr := [3]any{w, sink.any, sh2}
		v = arr[i%3]
		m := sink
		sh = m.shape
		xs = append(xs[:2], i)
		total += len(t) + len(ys) + sh.Area()
		if v == nil {
			total--
		}
	}
	println(total > 0)
}
)";

size_t allocations_for(int iterations) {
    std::string source = program_template;
    source.replace(source.find("ITERATIONS"), 10, std::to_string(iterations));
    FrontendOptions options;
    options.packages = stdlib::package_source;
    options.natives = stdlib::find_native;
    std::ostringstream errors;
    FrontendResult result = load_source("copy.csp", source, options, errors);
    EXPECT_TRUE(result.program) << errors.str();
    if (!result.program) return 0;
    VM vm(*result.program);
    std::ostringstream diagnostics;
    vm.set_error_stream(&diagnostics);
    EXPECT_EQ(vm.run(), 0) << diagnostics.str();
    EXPECT_EQ(diagnostics.str(), "true\n");
    return vm.heap().allocation_count();
}

TEST(Copying, StringsSlicesAndInterfacesNeverAllocate) {
    size_t few = allocations_for(10);
    size_t many = allocations_for(100000);
    EXPECT_GT(few, 0u); // the setup allocates (the slice, the *Sq)
    EXPECT_EQ(few, many);
}

} // namespace
