// ReplSession (lang/repl_session.hpp) without a VM: what later inputs keep, type_of, and
// tab completion's candidates.
#include "lang/repl_session.hpp"

#include "stdlib/repl/show.hpp"
#include "stdlib/stdlib.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace {

csp::ReplSession make_session() {
    csp::FrontendOptions options;
    options.packages = [](const std::string& path) {
        auto source = csp::stdlib::repl_package_source(path);
        return source ? source : csp::stdlib::package_source(path);
    };
    options.natives = [](const std::string& name) {
        csp::NativeFn native = csp::stdlib::repl_native(name);
        return native ? native : csp::stdlib::find_native(name);
    };
    return csp::ReplSession(options, csp::stdlib::repl_package_path, "repl");
}

bool contains(const std::vector<std::string>& all, const std::string& one) {
    return std::find(all.begin(), all.end(), one) != all.end();
}

} // namespace

TEST(ReplSession, InputsCompileAndCountLines) {
    csp::ReplSession session = make_session();
    std::ostringstream errors;
    EXPECT_TRUE(session.compile("total := 2\n", errors).has_value());
    EXPECT_TRUE(session.compile("func f(n int) int {\n\treturn n + total\n}\n", errors).has_value());
    EXPECT_EQ(errors.str(), "");
    EXPECT_EQ(session.lines(), 4u);
    EXPECT_FALSE(session.compile("g()\n", errors).has_value());
    EXPECT_EQ(errors.str(), "repl:5:1: undefined: g\ng()\n^\n");
    session.skip("\n// comment\n");
    EXPECT_EQ(session.lines(), 7u);
}

TEST(ReplSession, TypeOf) {
    csp::ReplSession session = make_session();
    std::ostringstream errors;
    ASSERT_TRUE(session.compile("ch := make(chan string, 1)\n", errors).has_value());
    EXPECT_EQ(session.type_of("ch", errors), "chan string");
    EXPECT_EQ(session.type_of("strconv.Atoi(\"1\")", errors), "(int, error)");
    EXPECT_EQ(session.type_of("len(\"abc\")", errors), "int");
    EXPECT_EQ(errors.str(), "");
    EXPECT_FALSE(session.type_of("missing", errors).has_value());
}

TEST(ReplSession, Completions) {
    csp::ReplSession session = make_session();
    std::ostringstream errors;
    ASSERT_TRUE(session.compile("counter := 1\ntype celsius float64\n", errors).has_value());
    EXPECT_TRUE(contains(session.completions("coun"), "counter"));
    EXPECT_TRUE(contains(session.completions("c"), "celsius"));
    EXPECT_TRUE(contains(session.completions("c"), "chan"));
    EXPECT_TRUE(contains(session.completions("fm"), "fmt"));
    EXPECT_EQ(session.completions("strconv.Ato"), std::vector<std::string>{"strconv.Atoi"});
    EXPECT_TRUE(contains(session.completions("fmt.Print"), "fmt.Println"));
    EXPECT_TRUE(session.completions("nosuchpkg.X").empty());
}
