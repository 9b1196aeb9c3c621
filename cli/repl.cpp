// The REPL's driver: splits standard input into inputs by the completeness rule
// (lang/repl_input.hpp), compiles each into the session's program and runs it on the
// session's VM. Over a pipe there are no prompts: the stream is the session.
#include "cli/repl.hpp"

#include "lang/repl_input.hpp"
#include "lang/repl_session.hpp"
#include "runtime/vm.hpp"
#include "stdlib/repl/show.hpp"
#include "stdlib/stdlib.hpp"

#include <iostream>
#include <random>
#include <string>

namespace csp::cli {

namespace {

// The standard packages, plus the package printing expression values.
FrontendOptions session_options() {
    FrontendOptions options;
    options.packages = [](const std::string& path) {
        auto source = stdlib::repl_package_source(path);
        return source ? source : stdlib::package_source(path);
    };
    options.natives = [](const std::string& name) {
        NativeFn native = stdlib::repl_native(name);
        return native ? native : stdlib::find_native(name);
    };
    return options;
}

// Globals a session may hold in all (their addresses must not move).
constexpr size_t session_global_slots = size_t(1) << 20;

class PipeSession {
  public:
    explicit PipeSession(uint64_t seed)
        : m_session(session_options(), stdlib::repl_package_path, "repl"),
          m_vm(m_session.program(), {"csp"}, seed) {
        m_vm.reserve_globals(session_global_slots);
    }

    // Runs one input; returns false when the session ends (os.Exit) with `status`.
    bool run(const std::string& input, int& status) {
        std::optional<uint32_t> entry = m_session.compile(input, std::cerr);
        if (!entry) return true;
        if (!m_vm.sync_program()) {
            std::cerr << "csp: the session's variables outgrew their space\n";
            return true;
        }
        VM::EntryResult result = m_vm.run_entry(*entry);
        if (result.outcome != VM::EntryOutcome::Exited) return true;
        status = result.status;
        return false;
    }

    void skip(const std::string& input) { m_session.skip(input); }

  private:
    ReplSession m_session;
    VM m_vm;
};

} // namespace

int run_repl(std::optional<uint64_t> seed) {
    if (!seed) seed = std::random_device{}() | uint64_t(std::random_device{}()) << 32;
    PipeSession session(*seed);
    std::string input, line;
    int status = 0;
    while (std::getline(std::cin, line)) {
        input += line;
        input += '\n';
        InputState state = input_state(input);
        if (state == InputState::Incomplete) continue;
        if (state == InputState::Empty) session.skip(input); // still lines of the session
        else if (!session.run(input, status)) return status;
        input.clear();
    }
    if (!input.empty() && !session.run(input, status)) return status; // incomplete at the end
    return 0;
}

} // namespace csp::cli
