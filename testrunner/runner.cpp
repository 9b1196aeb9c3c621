// `csp test`: per package directory, the test files and the other .csp files of the
// directory plus a generated driver are compiled as one package and run; the runner adds
// go test's lines around the output (ok/FAIL with the time, exit status, build failures).
#include "testrunner/runner.hpp"

#include "lang/frontend.hpp"
#include "runtime/output.hpp"
#include "runtime/vm.hpp"
#include "stdlib/stdlib.hpp"
#include "testrunner/test2json.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <regex>
#include <sstream>
#include <streambuf>

namespace fs = std::filesystem;

namespace csp::testrunner {

namespace {

// Go's isTest: the name is the prefix alone or continues with a non-lowercase letter.
bool is_test_name(const std::string& name, const std::string& prefix) {
    if (name.size() == prefix.size()) return true;
    char next = name[prefix.size()];
    return !(next >= 'a' && next <= 'z');
}

std::string trim_left_comment(const std::string& line) {
    size_t at = line.find("//");
    std::string text = line.substr(at + 2);
    if (!text.empty() && text[0] == ' ') text.erase(0, 1);
    return text;
}

// The output comment of an example body (the last comment group, go/doc's rules).
bool example_output(const std::vector<std::string>& body, std::string& output, bool& unordered) {
    std::vector<std::string> group;
    std::vector<std::string> last;
    for (const std::string& line : body) {
        size_t first = line.find_first_not_of(" \t");
        bool comment = first != std::string::npos && line.compare(first, 2, "//") == 0;
        if (comment) {
            group.push_back(trim_left_comment(line));
        } else if (!group.empty()) {
            last = std::move(group);
            group.clear();
        }
    }
    if (!group.empty()) last = std::move(group);
    while (!last.empty() && last.back().find_first_not_of(" \t") == std::string::npos) last.pop_back();
    std::string text;
    for (const std::string& line : last) text += line + "\n";
    static const std::regex prefix(R"(^\s*(unordered )?output:)", std::regex::icase);
    std::smatch match;
    if (!std::regex_search(text, match, prefix)) return false;
    unordered = match[1].matched;
    text = text.substr(size_t(match.length(0)));
    size_t start = text.find_first_not_of(' ');
    text = start == std::string::npos ? "" : text.substr(start);
    if (!text.empty() && text[0] == '\n') text.erase(0, 1);
    output = text;
    return true;
}

std::string go_quote(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '"': out += "\\\""; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
                out += buffer;
            } else {
                out += char(c);
            }
        }
    }
    return out + "\"";
}

// A streambuf that writes straight to a file descriptor (go test shows the test
// binary's stdout and stderr as one stream), or appends to a string under -json.
class SinkBuffer : public std::streambuf {
  public:
    explicit SinkBuffer(std::string* capture) : m_capture(capture) {}

  protected:
    int overflow(int c) override {
        if (c != EOF) put(std::string_view(reinterpret_cast<const char*>(&c), 1));
        return c;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        put(std::string_view(s, size_t(n)));
        return n;
    }

  private:
    void put(std::string_view text) {
        if (m_capture) m_capture->append(text);
        else write_all(1, text);
    }
    std::string* m_capture;
};

struct Package {
    std::string display;                // the directory as the user named it
    fs::path dir;
    std::vector<std::string> test_files; // names within dir, sorted
    std::vector<std::string> other_files;
};

bool is_source(const std::string& name) {
    if (name.empty() || name[0] == '.' || name[0] == '_') return false;
    return name.ends_with(".csp");
}

bool is_test_file(const std::string& name) {
    if (name.empty() || name[0] == '.' || name[0] == '_') return false;
    return name.ends_with("_test.csp") || name.ends_with("_test.go");
}

// Groups the arguments by directory: a directory brings all its files, a file only itself
// (with the directory's non-test files).
std::vector<Package> collect_packages(const std::vector<std::string>& paths, std::ostream& err, bool& ok) {
    std::vector<Package> packages;
    auto find = [&](const fs::path& dir, const std::string& display) -> Package& {
        for (Package& p : packages)
            if (p.dir == dir) return p;
        packages.push_back({display, dir, {}, {}});
        return packages.back();
    };
    for (const std::string& path : paths) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            std::string display = fs::path(path).lexically_normal().string();
            if (display.size() > 1 && display.back() == '/') display.pop_back();
            Package& p = find(fs::path(path), display);
            std::vector<std::string> names;
            for (const auto& entry : fs::directory_iterator(path, ec))
                if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
            std::sort(names.begin(), names.end());
            for (const std::string& n : names) {
                if (is_test_file(n)) p.test_files.push_back(n);
                else if (is_source(n)) p.other_files.push_back(n);
            }
        } else if (fs::is_regular_file(path, ec)) {
            fs::path dir = fs::path(path).parent_path();
            if (dir.empty()) dir = ".";
            Package& p = find(dir, dir.lexically_normal().string());
            std::string name = fs::path(path).filename().string();
            if (is_test_file(name)) p.test_files.push_back(name);
            else p.other_files.push_back(name);
        } else {
            err << "csp test: " << path << ": no such file or directory\n";
            ok = false;
        }
    }
    for (Package& p : packages) // a directory's non-test files join tests named one by one
        if (p.other_files.empty()) {
            std::error_code ec;
            std::vector<std::string> names;
            for (const auto& entry : fs::directory_iterator(p.dir, ec))
                if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
            std::sort(names.begin(), names.end());
            for (const std::string& n : names)
                if (is_source(n) && !is_test_file(n)) p.other_files.push_back(n);
        }
    return packages;
}

std::string package_clause(const std::string& text) {
    static const std::regex clause(R"((?:^|\n)\s*package\s+([A-Za-z_][A-Za-z0-9_]*))");
    std::smatch match;
    if (std::regex_search(text, match, clause)) return match[1];
    return "main";
}

std::string seconds(double s) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3fs", s);
    return buffer;
}

struct RunResult {
    int status = 0;
    bool build_failed = false;
    double elapsed = 0;
    std::string output; // under -json (or when the output is held back)
};

// Compiles and runs one package; its output streams to fd 1 unless `capture`.
RunResult run_package(const Package& p, const TestOptions& options, bool capture, std::ostream& err) {
    RunResult result;
    std::vector<NamedSource> files;
    TestFunctions found;
    auto path_of = [&](const std::string& name) {
        return p.display == "." ? "./" + name : (p.dir / name).string();
    };
    for (const std::string& name : p.test_files) {
        std::string text;
        if (!read_source_file(path_of(name), text, err)) {
            result.build_failed = true;
            return result;
        }
        scan_test_file(text, found);
        files.push_back({path_of(name), std::move(text)});
    }
    for (const std::string& name : p.other_files) {
        std::string text;
        if (!read_source_file(path_of(name), text, err)) {
            result.build_failed = true;
            return result;
        }
        files.push_back({path_of(name), std::move(text)});
    }
    std::string package_name = package_clause(files.front().text);
    files.push_back({path_of("_testmain.go"), generate_driver(package_name, found)});

    FrontendOptions frontend;
    frontend.packages = stdlib::package_source;
    frontend.natives = stdlib::find_native;
    auto race = options.flags.find("race"); // -race: the package's code is instrumented
    frontend.race = race != options.flags.end() && race->second == "true";
    std::ostringstream diagnostics;
    FrontendResult compiled = load_package(std::move(files), "cspTestMain", frontend, diagnostics);
    if (!compiled.program) {
        result.build_failed = true;
        std::error_code ec;
        std::string name = fs::absolute(p.dir, ec).lexically_normal().filename().string();
        if (name.empty()) name = fs::absolute(p.dir, ec).lexically_normal().parent_path().filename().string();
        result.output = "# " + p.display + " [" + name + ".test]\n" + diagnostics.str();
        return result;
    }
    std::map<std::string, std::string> flags = options.flags;
#if defined(__x86_64__)
    flags["goarch"] = "amd64";
#elif defined(__aarch64__)
    flags["goarch"] = "arm64";
#else
    flags["goarch"] = "unknown";
#endif
#if defined(__APPLE__)
    flags["goos"] = "darwin";
#else
    flags["goos"] = "linux";
#endif
    flags["pkg"] = p.display;
    stdlib::set_test_flags(flags);
    uint64_t seed = options.seed ? *options.seed : (std::random_device{}() | uint64_t(std::random_device{}()) << 32);
    auto start = std::chrono::steady_clock::now();
    {
        SinkBuffer sink(capture ? &result.output : nullptr);
        std::ostream stream(&sink);
        VM vm(*compiled.program, {p.display + ".test"}, seed);
        vm.set_error_stream(&stream);
        if (capture) vm.out().capture_to(&result.output);
        result.status = vm.run();
        vm.out().flush();
    }
    result.elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace

void scan_test_file(const std::string& text, TestFunctions& found) {
    static const std::regex func(R"(^func\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\))");
    static const std::regex param(R"(^\s*[A-Za-z_][A-Za-z0-9_]*\s+\*\s*testing\.([TBM])\s*$)");
    std::istringstream in(text);
    std::string line;
    std::vector<std::string> lines;
    while (std::getline(in, line)) lines.push_back(line);
    for (size_t k = 0; k < lines.size(); k++) {
        std::smatch match;
        if (!std::regex_search(lines[k], match, func)) continue;
        std::string name = match[1], params = match[2];
        std::smatch kind;
        bool typed = std::regex_search(params, kind, param);
        if (name == "TestMain" && typed && kind[1] == "M") {
            found.has_test_main = true;
        } else if (name.starts_with("Test") && typed && kind[1] == "T" && is_test_name(name, "Test")) {
            found.tests.push_back(name);
        } else if (name.starts_with("Benchmark") && typed && kind[1] == "B" && is_test_name(name, "Benchmark")) {
            found.benchmarks.push_back(name);
        } else if (name.starts_with("Example") && params.find_first_not_of(" \t") == std::string::npos) {
            std::vector<std::string> body;
            for (size_t j = k + 1; j < lines.size() && lines[j] != "}"; j++) body.push_back(lines[j]);
            TestFunctions::Example example{name, "", false};
            if (example_output(body, example.output, example.unordered)) found.examples.push_back(example);
        }
    }
}

std::string generate_driver(const std::string& package_name, const TestFunctions& found) {
    std::string s = "package " + package_name + "\n\nimport cspTesting \"testing\"\n\n";
    s += "var cspTests = []cspTesting.InternalTest{\n";
    for (const std::string& t : found.tests) s += "\t{" + go_quote(t) + ", " + t + "},\n";
    s += "}\n\nvar cspBenchmarks = []cspTesting.InternalBenchmark{\n";
    for (const std::string& b : found.benchmarks) s += "\t{" + go_quote(b) + ", " + b + "},\n";
    s += "}\n\nvar cspExamples = []cspTesting.InternalExample{\n";
    for (const auto& e : found.examples)
        s += "\t{" + go_quote(e.name) + ", " + e.name + ", " + go_quote(e.output) + ", " +
             (e.unordered ? "true" : "false") + "},\n";
    s += "}\n\nfunc cspTestMain() {\n\tm := cspTesting.MainStart(cspTests, cspBenchmarks, cspExamples)\n";
    if (found.has_test_main) s += "\tTestMain(m)\n\tcspTesting.MainExit(m)\n";
    else s += "\tcspTesting.MainRun(m)\n";
    return s + "}\n";
}

namespace {

// Flags without a value (`-v`, `-v=false`) and flags with one. A new flag (-race) is one
// entry here; package testing reads it with flag("name").
const char* const boolean_flags[] = {"v", "failfast", "short", "json", "race"};
const char* const value_flags[] = {"run", "skip", "count", "list", "shuffle", "timeout",
                                   "bench", "benchtime", "parallel", "seed"};

bool in(const char* const* list, size_t n, const std::string& name) {
    for (size_t k = 0; k < n; k++)
        if (name == list[k]) return true;
    return false;
}

// go test's words after a bad flag.
constexpr const char* usage_lines =
    "usage: go test [build/test flags] [packages] [build/test flags & test binary flags]\n"
    "Run 'go help test' and 'go help testflag' for details.\n";

bool parse_int(const std::string& text, int64_t& value) {
    if (text.empty()) return false;
    char* end = nullptr;
    errno = 0;
    value = std::strtoll(text.c_str(), &end, 10);
    return *end == '\0' && errno == 0;
}

// go test's own checks of -count and -shuffle; false with Go's message.
bool valid_value(const std::string& name, const std::string& value, std::ostream& err) {
    int64_t n = 0;
    if (name == "count" && (!parse_int(value, n) || n < 0)) {
        err << "invalid value \"" << value << "\" for flag -count: parse error\n" << usage_lines;
        return false;
    }
    if (name == "shuffle" && value != "on" && value != "off" && !parse_int(value, n)) {
        err << "invalid value \"" << value << "\" for flag -shuffle: -shuffle argument must be \"on\", \"off\", "
            << "or an int64: strconv.ParseInt: parsing \"" << value << "\": invalid syntax\n" << usage_lines;
        return false;
    }
    return true;
}

} // namespace

bool parse_test_args(const std::vector<std::string>& args, TestOptions& options, std::ostream& err) {
    for (size_t k = 0; k < args.size(); k++) {
        const std::string& arg = args[k];
        if (arg.size() < 2 || arg[0] != '-') {
            options.paths.push_back(arg);
            continue;
        }
        std::string name = arg.substr(arg[1] == '-' ? 2 : 1);
        std::optional<std::string> value;
        if (size_t eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (name.starts_with("test.")) name = name.substr(5);
        if (in(boolean_flags, std::size(boolean_flags), name)) {
            std::string v = value.value_or("true");
            if (v != "true" && v != "false") {
                err << "invalid boolean value \"" << v << "\" for -" << name << ": parse error\n" << usage_lines;
                return false;
            }
            options.flags[name] = v;
            if (name == "json") { // go test -json runs the tests with -v
                options.json = v == "true";
                options.flags.erase("json");
                if (options.json) options.flags["v"] = "true";
            }
        } else if (in(value_flags, std::size(value_flags), name)) {
            if (!value) {
                if (k + 1 >= args.size()) {
                    err << "flag needs an argument: -" << name << "\n" << usage_lines;
                    return false;
                }
                value = args[++k];
            }
            if (!valid_value(name, *value, err)) return false;
            if (name == "seed") {
                int64_t seed = 0;
                if (!parse_int(*value, seed)) {
                    err << "invalid value \"" << *value << "\" for flag -seed: parse error\n" << usage_lines;
                    return false;
                }
                options.seed = uint64_t(seed);
            }
            options.flags[name] = *value;
        } else {
            err << "flag provided but not defined: -" << name << "\n" << usage_lines;
            return false;
        }
    }
    return true;
}

int run_tests(const TestOptions& options, std::ostream& out, std::ostream& err) {
    bool local_mode = options.paths.empty(); // go test's local directory mode
    std::vector<std::string> paths = options.paths;
    if (paths.empty()) paths.push_back(".");
    bool ok = true;
    std::vector<Package> packages = collect_packages(paths, err, ok);
    if (!ok) return 1;
    bool any_failed = false;
    bool build_failed = false; // go test's status is then 2
    bool verbose = options.flags.count("v") && options.flags.at("v") == "true";
    for (const Package& p : packages) {
        if (p.test_files.empty()) {
            out << "?   \t" << p.display << "\t[no test files]\n" << std::flush;
            continue;
        }
        // Package list mode hides a passing package's output unless -v, -list or -bench
        // (go test streams benchmarks' output).
        bool hold = options.json ||
                    (!local_mode && !verbose && !options.flags.count("list") && !options.flags.count("bench"));
        out << std::flush;
        RunResult r = run_package(p, options, hold, err);
        std::string tail;
        if (r.build_failed) {
            err << r.output;
            tail = "FAIL\t" + p.display + " [build failed]\n";
            any_failed = build_failed = true;
        } else if (r.status == 0) {
            if (hold && !options.json) r.output.clear();
            tail = "ok  \t" + p.display + "\t" + seconds(r.elapsed) + "\n";
        } else {
            any_failed = true;
            // go test streams the output (and names the exit status) in local directory
            // mode and when benchmarking.
            if (local_mode || options.flags.count("bench"))
                tail = "exit status " + std::to_string(r.status) + "\n";
            tail += "FAIL\t" + p.display + "\t" + seconds(r.elapsed) + "\n";
        }
        if (options.json && !r.build_failed) {
            out << test2json(r.output + tail, p.display, r.elapsed);
        } else {
            if (!r.build_failed) out << r.output;
            out << tail;
        }
        out << std::flush;
    }
    if (any_failed && !local_mode && !options.json) out << "FAIL\n";
    return build_failed ? 2 : any_failed ? 1 : 0;
}

} // namespace csp::testrunner
