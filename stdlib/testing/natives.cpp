// Native bodies of package testing: the flags the test runner passes in, regular
// expressions for -run/-skip (std::regex, ECMAScript syntax, close to RE2 for the
// patterns tests use), the caller's file:line for log lines, and capture of an example's
// standard output.
#include "stdlib/natives.hpp"
#include "stdlib/stdlib.hpp"

#include "runtime/panic.hpp"
#include "runtime/race.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <vector>

namespace csp::stdlib {

namespace {

std::map<std::string, std::string>& test_flags() {
    static std::map<std::string, std::string> flags;
    return flags;
}

// flag(name string) string: the value of a -test.<name> flag, "" when unset.
void flag(VM& vm, Slot* frame) {
    auto& flags = test_flags();
    auto it = flags.find(std::string(load_string(frame).view()));
    store_string(frame, it == flags.end() ? StringRef{} : vm.heap().make_string(it->second));
}

// matchString(pattern, s string) (matched, valid bool).
void match_string(VM&, Slot* frame) {
    std::string pattern(load_string(frame).view());
    std::string text(load_string(frame + 2).view());
    bool matched = false, valid = true;
    try {
        matched = std::regex_search(text, std::regex(pattern, std::regex::ECMAScript));
    } catch (const std::regex_error&) {
        valid = false;
    }
    frame[0].i = matched;
    frame[1].i = valid;
}

// caller(skip int) (file string, line int, function string): the frame `skip` levels
// above the function calling caller (0: that function itself), as runtime.Caller.
void caller(VM& vm, Slot* frame) {
    int64_t skip = frame[0].i;
    const Goroutine& g = *vm.scheduler().current();
    StringRef file{}, function{};
    int64_t line = 0;
    if (skip >= 0 && size_t(skip) < g.frame_count) {
        const Frame& f = g.frames[g.frame_count - 1 - size_t(skip)];
        size_t at = size_t(f.pc - f.function->code.data());
        if (at > 0) at--;
        line = at < f.function->lines.size() ? f.function->lines[at] : 0;
        const std::string& path = f.function->file.empty() ? vm.program().file_path : f.function->file;
        file = vm.heap().make_string(path);
        function = vm.heap().make_string(f.function->name);
    }
    store_string(frame, file);
    frame[2].i = line;
    store_string(frame + 3, function);
}

std::string& captured() {
    static std::string text;
    return text;
}

// Where output went before the example's capture (the runner's own capture under -json).
std::string*& previous_capture() {
    static std::string* previous = nullptr;
    return previous;
}

// captureStart(): standard output goes to a buffer until captureStop returns it.
void capture_start(VM& vm, Slot*) {
    vm.out().flush();
    captured().clear();
    previous_capture() = vm.out().capture();
    vm.out().capture_to(&captured());
}

void capture_stop(VM& vm, Slot* frame) {
    vm.out().flush();
    vm.out().capture_to(previous_capture());
    store_string(frame, vm.heap().make_string(captured()));
    captured().clear();
}

// lookupEnv(key string) (string, bool)
void lookup_env(VM& vm, Slot* frame) {
    const char* value = std::getenv(std::string(load_string(frame).view()).c_str());
    store_string(frame, value ? vm.heap().make_string(value) : StringRef{});
    frame[2].i = value != nullptr;
}

// setenv(key, value string, set bool): sets, or unsets when !set.
void set_env(VM&, Slot* frame) {
    std::string key(load_string(frame).view());
    if (frame[4].i) ::setenv(key.c_str(), std::string(load_string(frame + 2).view()).c_str(), 1);
    else ::unsetenv(key.c_str());
}

// makeTempDir(pattern string) string: a new directory under $TMPDIR, as os.MkdirTemp.
void make_temp_dir(VM& vm, Slot* frame) {
    std::string base = std::filesystem::temp_directory_path().string();
    std::string path = base + "/" + std::string(load_string(frame).view()) + "XXXXXX";
    std::vector<char> buffer(path.begin(), path.end());
    buffer.push_back('\0');
    const char* made = ::mkdtemp(buffer.data());
    store_string(frame, vm.heap().make_string(made ? made : ""));
}

void remove_all(VM&, Slot* frame) {
    std::error_code ec;
    std::filesystem::remove_all(std::string(load_string(frame).view()), ec);
}

// printStderr(s string): as the runtime writes to standard error (stdout flushed first).
void print_stderr(VM& vm, Slot* frame) { vm.write_error(load_string(frame).view()); }

// timedOut(message string): Go's test alarm panics with GOTRACEBACK=all: the message,
// the alarm goroutine's trace, then every other goroutine's; the binary exits with 2.
void timed_out(VM& vm, Slot* frame) {
    std::string text = "panic: " + std::string(load_string(frame).view()) + "\n\n";
    const Goroutine* current = vm.scheduler().current();
    append_goroutine_trace(text, vm.program(), *current);
    std::vector<const Goroutine*> others;
    for (const Goroutine* g = vm.scheduler().first_live(); g != nullptr; g = g->next_live)
        if (g != current) others.push_back(g);
    std::sort(others.begin(), others.end(), [](const Goroutine* a, const Goroutine* b) { return a->id < b->id; });
    for (const Goroutine* g : others) {
        text += '\n';
        append_goroutine_trace(text, vm.program(), *g);
    }
    vm.write_error(text);
    vm.request_exit(2);
}

// raceErrors() int: the races the detector has reported (csp test -race).
void race_errors(VM&, Slot* frame) { frame[0].i = race_detector ? int64_t(race_detector->races()) : 0; }

} // namespace

void set_test_flags(std::map<std::string, std::string> flags) { test_flags() = std::move(flags); }

const NativeEntry testing_natives[] = {
    {"testing.raceErrors", race_errors},
    {"testing.flag", flag},
    {"testing.matchString", match_string},
    {"testing.caller", caller},
    {"testing.captureStart", capture_start},
    {"testing.captureStop", capture_stop},
    {"testing.lookupEnv", lookup_env},
    {"testing.printStderr", print_stderr},
    {"testing.timedOut", timed_out},
    {"testing.setenv", set_env},
    {"testing.makeTempDir", make_temp_dir},
    {"testing.removeAll", remove_all},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
