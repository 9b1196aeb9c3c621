// Packages of several files (lang/frontend's load_package, used by `csp test`): each
// file's diagnostics carry its own name and line, each file keeps its imports, package
// clauses must agree, and traces locate each function in its own file.
#include "lang/frontend.hpp"
#include "runtime/vm.hpp"
#include "stdlib/stdlib.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace {

csp::FrontendOptions options() {
    csp::FrontendOptions o;
    o.packages = csp::stdlib::package_source;
    o.natives = csp::stdlib::find_native;
    return o;
}

std::string diagnostics(std::vector<csp::NamedSource> files, const std::string& entry = "main") {
    std::ostringstream errors;
    auto result = csp::load_package(std::move(files), entry, options(), errors);
    EXPECT_FALSE(result.program);
    return errors.str();
}

TEST(Package, ErrorsNameTheirOwnFileAndLine) {
    std::string text = diagnostics({
        {"a.csp", "package main\n\nfunc main() {\n\tprintln(x)\n}\n"},
        {"b.csp", "package main\n\nvar y int = \"s\"\n"},
    });
    EXPECT_EQ(text,
              "a.csp:4:10: undefined: x\n\tprintln(x)\n\t        ^\n"
              "b.csp:3:13: cannot use \"s\" (untyped string constant) as int value in variable declaration\n"
              "var y int = \"s\"\n            ^\n");
}

TEST(Package, SyntaxErrorInSecondFile) {
    std::string text = diagnostics({
        {"a.csp", "package main\n\nfunc main() {}\n"},
        {"b.csp", "package main\n\nfunc f( {\n"},
    });
    EXPECT_EQ(text.substr(0, 10), "b.csp:3:9:");
}

TEST(Package, ImportsBelongToTheirFile) {
    // Both files import fmt; b's own import of strconv is unused there.
    std::string text = diagnostics({
        {"a.csp", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(f()) }\n"},
        {"b.csp", "package main\n\nimport (\n\t\"fmt\"\n\t\"strconv\"\n)\n\nfunc f() string { return fmt.Sprint(1) }\n"},
    });
    EXPECT_EQ(text, "b.csp:5:2: \"strconv\" imported and not used\n\t\"strconv\"\n\t^\n");
}

TEST(Package, AnotherFilesImportIsNotVisible) {
    std::string text = diagnostics({
        {"a.csp", "package main\n\nimport \"fmt\"\n\nfunc main() { f() }\n"},
        {"b.csp", "package main\n\nfunc f() { fmt.Println() }\n"},
    });
    EXPECT_EQ(text, "a.csp:3:8: \"fmt\" imported and not used\nimport \"fmt\"\n       ^\n"
                    "b.csp:3:12: undefined: fmt\nfunc f() { fmt.Println() }\n           ^\n");
}

TEST(Package, SameNameImportsDifferentPackagesPerFile) {
    std::ostringstream errors;
    auto result = csp::load_package({
                                        {"a.csp", "package main\n\nimport x \"fmt\"\n\nfunc main() { x.Println(f()) }\n"},
                                        {"b.csp", "package main\n\nimport x \"strconv\"\n\nfunc f() string { return x.Itoa(7) }\n"},
                                    },
                                    "main", options(), errors);
    EXPECT_TRUE(result.program) << errors.str();
}

TEST(Package, PackageClausesMustAgree) {
    std::string text = diagnostics({
        {"dir/a.csp", "package main\n\nfunc main() {}\n"},
        {"dir/b.csp", "package other\n"},
    });
    EXPECT_EQ(text, "found packages main (a.csp) and other (b.csp) in dir\n");
}

TEST(Package, AnyPackageNameWithAnEntryFunction) {
    std::ostringstream errors;
    auto result = csp::load_package({{"a.csp", "package calc\n\nfunc Start() { println(\"started\") }\n"}},
                                    "Start", options(), errors);
    ASSERT_TRUE(result.program) << errors.str();
    std::ostringstream err;
    csp::VM vm(*result.program);
    vm.set_error_stream(&err);
    EXPECT_EQ(vm.run(), 0);
    EXPECT_EQ(err.str(), "started\n");
}

TEST(Package, TracesNameEachFunctionsFile) {
    std::ostringstream errors;
    auto result = csp::load_package({
                                        {"/p/a.csp", "package main\n\nfunc main() {\n\tf()\n}\n"},
                                        {"/p/b.csp", "package main\n\nfunc f() {\n\tpanic(\"boom\")\n}\n"},
                                    },
                                    "main", options(), errors);
    ASSERT_TRUE(result.program) << errors.str();
    std::ostringstream err;
    csp::VM vm(*result.program);
    vm.set_error_stream(&err);
    EXPECT_EQ(vm.run(), 2);
    EXPECT_EQ(err.str(), "panic: boom\n\ngoroutine 1 [running]:\nmain.f()\n\t/p/b.csp:4\nmain.main()\n\t/p/a.csp:4\n");
}

} // namespace
