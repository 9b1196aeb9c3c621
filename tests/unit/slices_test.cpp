// Arrays and slices where csp differs from Go on purpose (features not supported yet, the
// compiler's limits): clean compile errors, never crashes. Everything Go itself decides is
// covered by the Go-verified script tests in tests/scripts/{slices,arrays,strings}.
#include "lang/frontend.hpp"
#include "runtime/vm.hpp"
#include "stdlib/stdlib.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace {

struct Outcome {
    csp::FrontendStatus status;
    std::string errors;
    std::string out;
    int exit = -1;
};

Outcome run(const std::string& body, const std::string& globals = "") {
    csp::FrontendOptions options;
    options.packages = csp::stdlib::package_source;
    options.natives = csp::stdlib::find_native;
    std::string text = "package main\n\nimport \"fmt\"\n\nvar _ = fmt.Sprint\n" + globals +
                       "\nfunc main() {\n" + body + "\n}\n";
    std::ostringstream errors;
    Outcome outcome;
    csp::FrontendResult result;
    csp::run_with_stack(csp::frontend_stack_bytes,
                        [&] { result = csp::load_source("x.csp", text, options, errors); });
    outcome.status = result.status;
    outcome.errors = errors.str();
    if (result.program) {
        std::ostringstream error_stream;
        csp::VM vm(*result.program);
        vm.set_error_stream(&error_stream);
        outcome.exit = vm.run();
        outcome.errors += error_stream.str();
    }
    return outcome;
}

TEST(SlicesPointers, SlicingAnArrayAliasesIt) {
    Outcome o = run("\tvar a [3]int\n\ts := a[1:]\n\ts[0] = 4\n\tif a[1] != 4 || cap(s) != 2 { panic(1) }");
    EXPECT_EQ(o.status, csp::FrontendStatus::Ok) << o.errors;
    EXPECT_EQ(o.exit, 0) << o.errors;
}

TEST(SlicesPointers, AddressOfAnElementAliasesIt) {
    Outcome o = run("\ts := []int{1}\n\tp := &s[0]\n\t*p = 5\n\tif s[0] != 5 { panic(1) }");
    EXPECT_EQ(o.status, csp::FrontendStatus::Ok) << o.errors;
    EXPECT_EQ(o.exit, 0) << o.errors;
}

TEST(SlicesPointers, IndexingAPointerToAnArrayWritesThrough) {
    Outcome o = run("\tvar a [3]int\n\tpa := &a\n\tpa[0] = 1\n\tpa[2]++\n\tif a[0]+a[2] != 2 { panic(1) }");
    EXPECT_EQ(o.status, csp::FrontendStatus::Ok) << o.errors;
    EXPECT_EQ(o.exit, 0) << o.errors;
}

TEST(SlicesUnsupported, RangeOverAPointerToAnArrayNamesTheFeature) {
    Outcome o = run("\tvar a [3]int\n\tpa := &a\n\tfor range pa {}");
    EXPECT_EQ(o.status, csp::FrontendStatus::CompileError);
    EXPECT_NE(o.errors.find("range over *[3]int is not supported yet"), std::string::npos) << o.errors;
}

TEST(SlicesPointers, FieldsOfElementsAndElementsOfFields) {
    Outcome o = run("\ts := []P{{X: 1, Y: 2}}\n\ts[0].X = 5\n\tq := &P{}\n\tq.A[1] = 7\n\tr := &s[0]\n\tr.Y = 3\n"
                    "\tif s[0].X+s[0].Y+q.A[1] != 15 { panic(1) }",
                    "type P struct { X, Y int; A [2]int }\n");
    EXPECT_EQ(o.status, csp::FrontendStatus::Ok) << o.errors;
    EXPECT_EQ(o.exit, 0) << o.errors;
}

TEST(SlicesLimits, HugeArrayTypesAreACompileError) {
    Outcome o = run("\tvar a [1 << 40]int\n\t_ = a");
    EXPECT_EQ(o.status, csp::FrontendStatus::CompileError);
    EXPECT_NE(o.errors.find("not supported yet"), std::string::npos) << o.errors;
}

TEST(SlicesLimits, ALocalArrayTooWideForRegistersIsACompileError) {
    Outcome o = run("\tvar a [100000]int\n\ta[5] = 1\n\t_ = a");
    EXPECT_EQ(o.status, csp::FrontendStatus::CompileError);
    EXPECT_NE(o.errors.find("not supported yet"), std::string::npos) << o.errors;
}

TEST(SlicesLimits, AWideGlobalArrayKeepsOtherGlobalsReachable) {
    Outcome o = run("\tbig[99999] = 3\n\tafter = 4\n\tif big[99999]+after != 7 { panic(1) }",
                    "var big [100000]int\nvar after int\n");
    EXPECT_EQ(o.status, csp::FrontendStatus::Ok) << o.errors;
    EXPECT_EQ(o.exit, 0) << o.errors;
}

TEST(SlicesRuntime, AppendWithRoomDoesNotAllocate) {
    // 1000 appends into a slice made with room for them: one allocation for the array.
    csp::FrontendOptions options;
    options.packages = csp::stdlib::package_source;
    options.natives = csp::stdlib::find_native;
    std::ostringstream errors;
    csp::FrontendResult result;
    std::string text = "package main\n\nfunc main() {\n\ts := make([]int, 0, 1000)\n"
                       "\tfor i := 0; i < 1000; i++ {\n\t\ts = append(s, i)\n\t\ts[i] += s[i/2]\n\t}\n}\n";
    csp::run_with_stack(csp::frontend_stack_bytes,
                        [&] { result = csp::load_source("x.csp", text, options, errors); });
    ASSERT_TRUE(result.program) << errors.str();
    csp::VM vm(*result.program);
    EXPECT_EQ(vm.run(), 0);
    EXPECT_EQ(vm.heap().object_count(), 1u);
}

} // namespace
