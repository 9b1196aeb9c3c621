// `csp test`: finds a package's test files, generates the driver that hands its tests,
// examples and benchmarks to package testing (stdlib/testing/testing.csp), compiles the
// package with it, runs it, and prints what `go test` prints around the test output.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace csp::testrunner {

struct TestOptions {
    std::vector<std::string> paths; // files or directories; empty: the current directory
    // The -test.* flags package testing reads, by name without the prefix: "v", "run",
    // "skip", "count", "failfast", "list", "short", "shuffle", "timeout", "bench",
    // "benchtime", "parallel".
    std::map<std::string, std::string> flags;
    bool json = false;             // -json: test2json's event stream (implies -v)
    std::optional<uint64_t> seed;  // the scheduler's seed
};

// What the driver needs from the test files: names in source order.
struct TestFunctions {
    std::vector<std::string> tests;
    std::vector<std::string> benchmarks;
    struct Example {
        std::string name;
        std::string output;
        bool unordered = false;
    };
    std::vector<Example> examples;
    bool has_test_main = false;
};

// Scans the source of a test file for TestXxx(t *testing.T), BenchmarkXxx(b *testing.B),
// ExampleXxx() with an output comment, and TestMain(m *testing.M).
void scan_test_file(const std::string& text, TestFunctions& found);

// The driver file: package `package_name`, with entry function cspTestMain.
std::string generate_driver(const std::string& package_name, const TestFunctions& found);

// Parses go test's flags (-v, -run RE, -count=N, --flag, -test.flag...) and paths from
// `args`; false with a message on `err` for an unknown flag or a missing value. Boolean
// flags are listed in boolean_flags, the others take a value.
bool parse_test_args(const std::vector<std::string>& args, TestOptions& options, std::ostream& err);

// Runs `csp test`; returns the exit status: 0 all passed, 1 a test failed, 2 a package
// did not compile (as go test).
int run_tests(const TestOptions& options, std::ostream& out, std::ostream& err);

} // namespace csp::testrunner
