// Fuzz-style test of the whole pipeline: mutated, truncated and random inputs built from
// the script corpus go through the front end, the compiler and (when they compile) the VM
// in a child process. Each must end in a run or a clean error: never a crash, an abort or
// a sanitizer report. A program that loops forever is allowed; the child is stopped.
#include "lang/frontend.hpp"
#include "runtime/vm.hpp"
#include "stdlib/stdlib.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> corpus() {
    std::vector<std::string> seeds;
    fs::path root = fs::path(CSP_SOURCE_DIR) / "tests" / "scripts";
    for (auto& entry : fs::recursive_directory_iterator(root))
        if (entry.path().extension() == ".csp") seeds.push_back(read(entry.path()));
    std::sort(seeds.begin(), seeds.end());
    return seeds;
}

// One mutation of a corpus program, chosen by `round`.
std::string mutate(const std::vector<std::string>& seeds, std::mt19937& rng, int round) {
    std::string text = seeds[rng() % seeds.size()];
    switch (round % 5) {
    case 0: return text.substr(0, rng() % (text.size() + 1)); // truncated
    case 1:                                                   // bytes replaced
        for (int k = 0; k < 4 && !text.empty(); ++k) text[rng() % text.size()] = char(rng() % 256);
        return text;
    case 2: { // random bytes
        std::string junk(rng() % 300, ' ');
        for (char& c : junk) c = char(rng() % 256);
        return junk;
    }
    case 3: { // a line of another program spliced in
        const std::string& other = seeds[rng() % seeds.size()];
        size_t from = rng() % (other.size() + 1);
        size_t to = other.find('\n', from);
        text.insert(rng() % (text.size() + 1), other.substr(from, to == std::string::npos ? 0 : to - from));
        return text;
    }
    default: // bytes removed
        if (!text.empty()) text.erase(rng() % text.size(), 1 + rng() % 8);
        return text;
    }
}

csp::FrontendOptions options() {
    csp::FrontendOptions o;
    o.packages = csp::stdlib::package_source;
    o.natives = csp::stdlib::find_native;
    return o;
}

// Runs `program` in a child with a time limit and small stack and heap limits; returns
// the wait status.
int run_in_child(const csp::Program& program) {
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        alarm(2);
        csp::VM vm(program);
        vm.set_max_stack_bytes(16 << 20);
        vm.heap().set_limit(64 << 20);
        _exit(vm.run());
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

TEST(PipelineFuzz, AnyInputEndsInARunOrACleanError) {
    std::vector<std::string> seeds = corpus();
    ASSERT_FALSE(seeds.empty());
    std::mt19937 rng(20261123);
    int compiled = 0;
    // Sanitized builds run ten times slower: fewer rounds keep the suite's time bounded.
#ifdef CSP_SANITIZED
    constexpr int rounds = 400;
#else
    constexpr int rounds = 3000;
#endif
    for (int round = 0; round < rounds; ++round) {
        std::string text = mutate(seeds, rng, round);
        std::ostringstream errors;
        csp::FrontendResult result = csp::load_source("fuzz.csp", text, options(), errors);
        if (!result.program) {
            EXPECT_EQ(result.status, csp::FrontendStatus::CompileError) << text;
            EXPECT_FALSE(errors.str().empty()) << text;
            continue;
        }
        ++compiled;
        int status = run_in_child(*result.program);
        bool stopped = WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM;
        bool exited = WIFEXITED(status); // any status: os.Exit chooses its own
        EXPECT_TRUE(exited || stopped) << "wait status " << status << " for:\n" << text;
    }
    EXPECT_GT(compiled, 0);
}

} // namespace
