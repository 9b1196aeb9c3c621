// Front-end tests: the grammar has no rules that can loop (analyze), Go's semicolon rule,
// and the Go-verified syntax and compile-error cases of tests/scripts checked in-process
// (file, line, column and message of every error, as `csp check` prints them).
#include "lang/checker.hpp"
#include "lang/frontend.hpp"
#include "lang/grammar.hpp"
#include "lang/lexer.hpp"
#include "lang/parse_tree.hpp"
#include "lang/parser.hpp"
#include "stdlib/stdlib.hpp"

#include <gtest/gtest.h>
#include <tao/pegtl/contrib/analyze.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string front_end_on_this_stack(const std::string& name, const std::string& text, bool& parsed);

// Parses and checks `text` on a stack as large as `csp run` gives the front end; returns
// the printed diagnostics.
std::string front_end(const std::string& name, const std::string& text, bool& parsed) {
    std::string result;
    csp::run_with_stack(csp::frontend_stack_bytes, [&] { result = front_end_on_this_stack(name, text, parsed); });
    return result;
}

std::string front_end_on_this_stack(const std::string& name, const std::string& text, bool& parsed) {
    csp::SourceFile src(name, text);
    csp::Diagnostics diags(src);
    auto file = csp::parse_file(src, diags);
    parsed = file != nullptr;
    if (file) {
        // The standard packages' declarations, as the csp binary embeds them (nested
        // paths such as unicode/utf8 included).
        csp::PackageSource packages = csp::stdlib::package_source;
        csp::check_program(*file, diags, packages);
    }
    std::ostringstream out;
    diags.print(out);
    return out.str();
}

TEST(Grammar, AnalyzeFindsNoProblems) {
    EXPECT_EQ(tao::pegtl::analyze<csp::grammar::file>(1), 0u);
}

TEST(Grammar, BenchmarkProgramsParse) {
    fs::path bench = fs::path(CSP_SOURCE_DIR) / ".." / "shared" / "bench";
    if (!fs::exists(bench)) GTEST_SKIP() << "no ../shared/bench";
    for (auto& entry : fs::directory_iterator(bench)) {
        if (entry.path().extension() != ".go") continue;
        bool parsed = false;
        std::string errors = front_end(entry.path().filename().string(), read(entry.path()), parsed);
        EXPECT_TRUE(parsed) << entry.path() << "\n" << errors;
    }
}

// The arena parse tree (lang/parse_tree.hpp) on a toy grammar: nodes recorded by a rule
// attempt that fails, even inside PEGTL's own internal rules, are taken back.
namespace toy {
namespace pegtl = tao::pegtl;
struct num : pegtl::plus<pegtl::digit> {};
struct name : pegtl::plus<pegtl::alpha> {};
struct call : pegtl::seq<name, pegtl::one<'('>, num, pegtl::one<')'>> {};
// star<num, one<'+'>> runs an internal seq: "2" is matched, then '+' is not.
struct sum : pegtl::seq<pegtl::star<num, pegtl::one<'+'>>, num> {};
struct top : pegtl::seq<pegtl::sor<call, sum, name>, pegtl::eof> {};
template <typename Rule> using selector = pegtl::parse_tree::selector<Rule, pegtl::parse_tree::store_content::on<num, name, call>>;
template <typename Rule> struct control : pegtl::normal<Rule> {};

std::string shape(const csp::ParseNode& n) {
    std::string out = n.is_type<num>() ? "num" : n.is_type<name>() ? "name" : n.is_type<call>() ? "call" : "?";
    out += ":" + std::string(n.string_view());
    if (!n.children.empty()) {
        out += "(";
        for (const csp::ParseNode* c : n.children) out += shape(*c) + " ";
        out.back() = ')';
    }
    return out;
}

std::string parse(const std::string& text) {
    csp::ParseTree tree;
    pegtl::memory_input<> in(text, "toy");
    if (!pegtl::parse<top, pegtl::nothing, csp::TreeControl<selector, control>::type>(in, tree)) return "no match";
    std::string out;
    for (const csp::ParseNode* c : tree.root().children) out += shape(*c) + " ";
    return out;
}
} // namespace toy

TEST(ParseTree, FailedAttemptsLeaveNoNodes) {
    EXPECT_EQ(toy::parse("f(12)"), "call:f(12)(name:f num:12) ");
    // call fails after recording name "f": the node goes, and name matches on its own.
    EXPECT_EQ(toy::parse("f"), "name:f ");
    EXPECT_EQ(toy::parse("1+2+3"), "num:1 num:2 num:3 ");
    EXPECT_EQ(toy::parse("7"), "num:7 ");
    EXPECT_EQ(toy::parse("1+"), "no match");
}

size_t identifier_length(std::string_view text) {
    tao::pegtl::memory_input<> in(text.data(), text.data() + text.size(), "");
    return tao::pegtl::parse<csp::lex::identifier>(in) ? size_t(in.current() - text.data()) : 0;
}

TEST(Identifiers, KeywordsAreNotIdentifiersButWordsStartingWithThemAre) {
    EXPECT_EQ(identifier_length("format("), 6u);
    EXPECT_EQ(identifier_length("for "), 0u);
    EXPECT_EQ(identifier_length("for2"), 4u);
    EXPECT_EQ(identifier_length("fallthrough;"), 0u);
    EXPECT_EQ(identifier_length("fallthroughs"), 12u);
    EXPECT_EQ(identifier_length("go"), 0u);
    EXPECT_EQ(identifier_length("gopher"), 6u);
    EXPECT_EQ(identifier_length("_"), 1u);
    EXPECT_EQ(identifier_length("_x9.y"), 3u);
    EXPECT_EQ(identifier_length("9a"), 0u);
    EXPECT_EQ(identifier_length("\xcf\x80r := 1"), 3u); // πr
    EXPECT_EQ(identifier_length("Type"), 4u);
    EXPECT_EQ(identifier_length("@"), 0u);
    EXPECT_EQ(identifier_length("["), 0u);
    EXPECT_EQ(identifier_length("`"), 0u);
    EXPECT_EQ(identifier_length("{"), 0u);
    for (const char* kw : {"break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
                           "for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range",
                           "return", "select", "struct", "switch", "type", "var"})
        EXPECT_EQ(identifier_length(kw), 0u) << kw;
}

TEST(Semicolons, ReturnThenNewlineReturnsNothing) {
    bool parsed = false;
    std::string errors = front_end("x.csp", "package main\n\nfunc f() int {\n\treturn\n\t42\n}\n\nfunc main() { f() }\n", parsed);
    EXPECT_TRUE(parsed);
    EXPECT_NE(errors.find("x.csp:4:2: not enough return values"), std::string::npos) << errors;
}

TEST(Semicolons, TrailingOperatorAndCommaContinueTheLine) {
    bool parsed = false;
    std::string errors = front_end("x.csp",
        "package main\n\nfunc add(a,\n\tb int) int {\n\treturn a +\n\t\tb\n}\n\nfunc main() { _ = add(1,\n\t2) }\n", parsed);
    EXPECT_TRUE(parsed);
    EXPECT_EQ(errors, "");
}

TEST(Semicolons, NameThenParenOnNextLineIsTwoStatements) {
    bool parsed = false;
    std::string errors = front_end("x.csp", "package main\n\nfunc main() {\n\tx := 1\n\tx\n\t(x)\n}\n", parsed);
    EXPECT_TRUE(parsed);
    EXPECT_NE(errors.find("x.csp:5:2: x (variable of type int) is not used"), std::string::npos) << errors;
    EXPECT_NE(errors.find("x.csp:6:2: (x) (variable of type int) is not used"), std::string::npos) << errors;
}

// Every syntax and compile-error case of the script corpus, against Go's expected output.
class CorpusCase : public testing::TestWithParam<fs::path> {};

bool pending(const fs::path& csp) {
    std::ifstream in(fs::path(CSP_SOURCE_DIR) / "tests" / "unit" / "frontend_pending.txt");
    std::string line;
    while (std::getline(in, line))
        if (line == csp.stem().string()) return true;
    return false;
}

TEST_P(CorpusCase, FrontEndReportsWhatGoReports) {
    fs::path csp = GetParam();
    if (pending(csp)) GTEST_SKIP() << "pending: listed in tests/unit/frontend_pending.txt";
    fs::path expected = fs::path(csp).replace_extension(".stderr");
    bool parsed = false;
    std::string got = front_end(csp.filename().string(), read(csp), parsed);
    EXPECT_EQ(got, read(expected)) << csp;
}

std::vector<fs::path> corpus(const char* folder) {
    std::vector<fs::path> cases;
    fs::path dir = fs::path(CSP_SOURCE_DIR) / "tests" / "scripts" / folder;
    for (auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".csp") cases.push_back(entry.path());
    std::sort(cases.begin(), cases.end());
    return cases;
}

std::string case_name(const testing::TestParamInfo<fs::path>& info) {
    std::string name = info.param.stem().string();
    for (char& c : name)
        if (!std::isalnum((unsigned char)c)) c = '_';
    return name;
}

INSTANTIATE_TEST_SUITE_P(Syntax, CorpusCase, testing::ValuesIn(corpus("syntax")), case_name);
INSTANTIATE_TEST_SUITE_P(CompileErrors, CorpusCase, testing::ValuesIn(corpus("compile_errors")), case_name);

// Any bytes at all give either a parse or a clean error, never a crash or a hang.
TEST(Fuzz, RandomAndTruncatedInputsNeverCrash) {
    std::mt19937 rng(12345);
    std::vector<std::string> seeds;
    for (const char* folder : {"ints", "loops", "closures", "switch", "syntax"})
        for (auto& p : corpus(folder)) seeds.push_back(read(p));
    for (int round = 0; round < 400; round++) {
        std::string text = seeds[rng() % seeds.size()];
        switch (round % 4) {
        case 0: text = text.substr(0, rng() % (text.size() + 1)); break;
        case 1:
            for (int k = 0; k < 5 && !text.empty(); k++) text[rng() % text.size()] = char(rng() % 256);
            break;
        case 2: {
            std::string junk(rng() % 200, ' ');
            for (char& c : junk) c = char(rng() % 256);
            text = junk;
            break;
        }
        default:
            if (!text.empty()) text.erase(rng() % text.size(), 1 + rng() % 8);
        }
        bool parsed = false;
        front_end("fuzz.csp", text, parsed);
    }
    SUCCEED();
}

} // namespace

namespace {

std::string program_with_body(const std::string& body) {
    return "package main\n\nfunc main() {\n" + body + "\n}\n";
}

std::string repeat(const std::string& s, size_t n) {
    std::string out;
    for (size_t k = 0; k < n; ++k) out += s;
    return out;
}

} // namespace

// Nesting past csp::max_nesting_depth is a syntax error, never a C++ stack overflow; up
// to the limit it parses.
TEST(Limits, DeepNestingIsASyntaxErrorNotACrash) {
    const size_t over = csp::max_nesting_depth + 1;
    const std::string too_deep[] = {
        program_with_body("\tx := " + repeat("(", over) + "1" + repeat(")", over) + "\n\t_ = x"),
        program_with_body(repeat("{", over) + repeat("}", over)),
        program_with_body("\tx := 1" + repeat("+1", over) + "\n\t_ = x"),
        program_with_body("\tx := " + repeat("^", over) + "1\n\t_ = x"),
    };
    for (const std::string& text : too_deep) {
        bool parsed = true;
        std::string errors = front_end("deep.csp", text, parsed);
        EXPECT_FALSE(parsed);
        EXPECT_NE(errors.find("syntax error: exceeded max nesting depth"), std::string::npos) << errors.substr(0, 200);
    }
    const size_t under = csp::max_nesting_depth / 2;
    bool parsed = false;
    std::string errors = front_end(
        "deep.csp", program_with_body("\tx := " + repeat("(", under) + "1" + repeat(")", under) + "\n\t_ = x"), parsed);
    EXPECT_TRUE(parsed);
    EXPECT_EQ(errors, "");
}

// A file with a vast number of errors is reported Go's way (ten, then "too many errors")
// without work growing with the square of the count.
TEST(Limits, ManyErrorsStopAtTen) {
    std::string body;
    for (int k = 0; k < 200000; ++k) body += "\tundefined" + std::to_string(k) + "()\n";
    bool parsed = false;
    std::string errors = front_end("many.csp", program_with_body(body), parsed);
    EXPECT_TRUE(parsed);
    EXPECT_NE(errors.find("many.csp:13:2: too many errors\n"), std::string::npos) << errors;
}

// A very long source line is shown as a window around the error's column.
TEST(Limits, LongLinesAreShownAsAWindow) {
    bool parsed = true;
    std::string errors = front_end("long.csp", program_with_body("\tx := 1" + repeat(" + 1", 5000) + " + y"), parsed);
    EXPECT_NE(errors.find("undefined: y\n..."), std::string::npos) << errors.substr(0, 400);
    EXPECT_LT(errors.size(), 1000u);
}
