// The REPL's driver: reads lines (libedit on a terminal, plain reads from a pipe), splits
// them into inputs by the completeness rule (lang/repl_input.hpp), runs `:` commands,
// compiles each input into the session's program (lang/repl_session.hpp) and runs it on
// the session's VM (runtime/vm_session.cpp). See docs/repl.md.
#include "cli/repl.hpp"

#include "lang/repl_input.hpp"
#include "lang/repl_session.hpp"
#include "runtime/disasm.hpp"
#include "runtime/output.hpp"
#include "runtime/timers.hpp"
#include "runtime/vm.hpp"
#include "stdlib/repl/show.hpp"
#include "stdlib/stdlib.hpp"

#include <editline/readline.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <poll.h>
#include <unistd.h>
#include <vector>

namespace csp::cli {

namespace {

// The standard packages, plus the REPL's own (printing values, :chan, :goroutines).
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

const char* const help_text =
    "Enter Go statements, declarations and expressions; an expression's value is printed.\n"
    "Input continues on more lines while brackets are open or a line ends in an operator.\n"
    "Commands:\n"
    "  :help            this text\n"
    "  :quit            end the session (also Ctrl-D)\n"
    "  :type EXPR       the type of EXPR\n"
    "  :chan EXPR       a channel's len, cap, closed flag and waiting goroutines\n"
    "  :goroutines      every other goroutine: its state, wait reason and frames\n"
    "  :disasm NAME     the bytecode of function NAME (main: the last input's code)\n"
    "  :load FILE       run FILE as one input (a script)\n"
    "  :reset           start a new session (variables, declarations, goroutines go)\n"
    "  :seed N          seed the scheduler and select's choices with N\n"
    "  :history         the inputs so far\n";

class Repl {
  public:
    Repl(uint64_t seed, bool terminal) : m_seed(seed), m_terminal(terminal) { reset(); }

    // Runs one complete input or command; false when the session ends (with status()).
    bool input(const std::string& text) {
        if (input_state(text) == InputState::Empty) {
            m_session->skip(text);
            return true;
        }
        m_history.push_back(text);
        size_t start = text.find_first_not_of(" \t");
        if (text[start] == ':') return command(text.substr(start));
        return run(text);
    }
    int status() const { return m_status; }
    const ReplSession& session() const { return *m_session; }

    // Terminal: how long the prompt may wait before goroutines need to run (0: at once,
    // -1: until input), and running them, their output (stdout and stderr) into `output`.
    int background_wait_ms() {
        if (m_vm->scheduler().has_runnable()) return 0;
        if (m_vm->timers().empty()) return -1;
        int64_t wait = (m_vm->timers().next_when() - monotonic_now()) / 1'000'000;
        return int(std::clamp<int64_t>(wait, 0, 1000));
    }
    // False when a goroutine ended the session (os.Exit).
    bool run_background(std::string& output) {
        const Program& program = m_session->program();
        for (size_t k = program.functions.size(); k-- > 0;) {
            if (program.functions[k]->name != std::string(stdlib::repl_package_path) + ".Settle") continue;
            std::ostringstream errors;
            m_vm->out().capture_to(&output);
            m_vm->set_error_stream(&errors);
            VM::EntryResult result = m_vm->run_entry(uint32_t(k), false);
            m_vm->out().flush();
            m_vm->out().capture_to(nullptr);
            m_vm->set_error_stream(nullptr);
            output += errors.str();
            if (result.outcome == VM::EntryOutcome::Exited) m_status = result.status;
            return result.outcome != VM::EntryOutcome::Exited;
        }
        return true;
    }

  private:
    void reset() {
        m_vm.reset(); // before the program it runs
        m_session = std::make_unique<ReplSession>(session_options(), stdlib::repl_package_path, "repl");
        m_vm = std::make_unique<VM>(m_session->program(), std::vector<std::string>{"csp"}, m_seed);
        m_vm->reserve_globals(session_global_slots);
        m_vm->out().set_line_buffered(m_terminal);
    }

    bool run(const std::string& text) {
        std::optional<uint32_t> entry = m_session->compile(text, std::cerr);
        if (!entry) return true;
        if (!m_vm->sync_program()) {
            std::cerr << "csp: the session's variables outgrew their space; :reset\n";
            return true;
        }
        VM::EntryResult result = m_vm->run_entry(*entry);
        if (result.outcome == VM::EntryOutcome::Interrupted) std::cerr << "interrupted\n";
        if (result.outcome != VM::EntryOutcome::Exited) return true;
        m_status = result.status;
        return false;
    }

    bool command(const std::string& line);
    void disasm(const std::string& name);
    void load(const std::string& path);

    std::unique_ptr<ReplSession> m_session;
    std::unique_ptr<VM> m_vm;
    uint64_t m_seed;
    bool m_terminal;
    int m_status = 0;
    std::vector<std::string> m_history;
};

bool Repl::command(const std::string& line) {
    std::string text = line.substr(0, line.find_last_not_of(" \t\n") + 1);
    size_t space = text.find_first_of(" \t");
    std::string name = text.substr(0, space);
    std::string argument = space == std::string::npos ? "" : text.substr(text.find_first_not_of(" \t", space));
    bool counted = false; // whether the command's line went into the session's numbering
    if (name == ":quit" || name == ":q") return false;
    if (name == ":help") {
        std::cout << help_text;
    } else if (name == ":type" && !argument.empty()) {
        if (auto type = m_session->type_of(argument, std::cerr)) std::cout << *type << "\n";
    } else if (name == ":chan" && !argument.empty()) {
        counted = true;
        run("__repl.Chan(" + argument + ")\n");
    } else if (name == ":goroutines") {
        counted = true;
        run("__repl.Goroutines()\n");
    } else if (name == ":disasm" && !argument.empty()) {
        disasm(argument);
    } else if (name == ":load" && !argument.empty()) {
        load(argument);
    } else if (name == ":reset") {
        reset();
        counted = true; // a new session numbers from its first line
    } else if (name == ":seed" && !argument.empty() && argument.find_first_not_of("0123456789") == std::string::npos) {
        m_seed = std::strtoull(argument.c_str(), nullptr, 10);
        m_vm->scheduler().reseed(m_seed);
    } else if (name == ":history") {
        for (size_t k = 0; k < m_history.size(); k++) std::cout << k + 1 << "  " << m_history[k];
    } else {
        std::cerr << "csp: unknown command " << text << " (:help lists them)\n";
    }
    std::cout.flush();
    if (!counted) m_session->skip(line);
    return true;
}

// :disasm NAME: the last function compiled under that name (main.NAME or PKG.NAME).
void Repl::disasm(const std::string& name) {
    const Program& program = m_session->program();
    std::string qualified = name.find('.') == std::string::npos ? "main." + name : name;
    for (size_t k = program.functions.size(); k-- > 0;) {
        if (program.functions[k]->name != qualified) continue;
        disassemble_function(program, uint32_t(k), std::cout);
        return;
    }
    std::cerr << "csp: no function " << qualified << "\n";
}

// :load FILE: the file's text runs as one input, as a script would.
void Repl::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "csp: cannot open " << path << "\n";
        return;
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::string source = text.str();
    if (!source.empty() && source.back() != '\n') source += '\n';
    run(source);
}

// ~/.csp_history, or nothing without a home.
std::string history_path() {
    const char* home = std::getenv("HOME");
    return home && *home ? std::string(home) + "/.csp_history" : "";
}

// The line libedit's callback interface delivered, if any.
struct {
    bool ready = false;
    bool end = false; // Ctrl-D
    std::string text;
} terminal_line;

void on_terminal_line(char* text) {
    if (text == nullptr) {
        terminal_line.end = true;
    } else {
        terminal_line.text = text;
        terminal_line.ready = true;
        std::free(text);
    }
}

// Reads one line with libedit while goroutines run: their output appears above the
// prompt, which is then redrawn with the half-typed line. False at Ctrl-D.
bool read_terminal_line(Repl& repl, const char* prompt, std::string& line) {
    terminal_line.ready = terminal_line.end = false;
    rl_callback_handler_install(prompt, on_terminal_line);
    while (!terminal_line.ready && !terminal_line.end) {
        pollfd input{0, POLLIN, 0};
        int ready = poll(&input, 1, repl.background_wait_ms());
        if (ready > 0) {
            rl_callback_read_char();
            continue;
        }
        if (ready < 0) continue; // EINTR: Ctrl-C, a resize
        std::string output;
        bool going = repl.run_background(output);
        if (!output.empty()) write_all(1, "\r\x1b[K" + output); // over the prompt line
        if (!going) {
            rl_callback_handler_remove();
            return false;
        }
        if (!output.empty()) rl_forced_update_display(); // the prompt again, below
    }
    rl_callback_handler_remove();
    line = terminal_line.text;
    return terminal_line.ready;
}

} // namespace

// Tab completion through libedit: the session's candidates for the word at the cursor.
const Repl* completing = nullptr; // the session changes at :reset
std::vector<std::string> candidates;

char* next_candidate(const char* word, int state) {
    static size_t next = 0;
    if (state == 0) {
        candidates = completing ? completing->session().completions(word) : std::vector<std::string>{};
        next = 0;
    }
    return next < candidates.size() ? strdup(candidates[next++].c_str()) : nullptr;
}

char** complete(const char* word, int, int) {
    rl_attempted_completion_over = 1; // no file names
    return rl_completion_matches(word, next_candidate);
}

// Ctrl-C on a terminal stops the running input, not the session.
void on_interrupt(int) { VM::request_interrupt(); }

int run_repl(std::optional<uint64_t> seed) {
    if (!seed) seed = std::random_device{}() | uint64_t(std::random_device{}()) << 32;
    bool terminal = isatty(0) && isatty(1);
    if (terminal) {
        struct sigaction action = {};
        action.sa_handler = on_interrupt;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        sigaction(SIGINT, &action, nullptr);
        rl_catch_signals = 0; // at the prompt, Ctrl-C is ignored rather than fatal
        rl_attempted_completion_function = complete;
    }
    Repl repl(*seed, terminal);
    completing = &repl;
    std::string history = terminal ? history_path() : "";
    if (!history.empty()) read_history(history.c_str());
    if (terminal) std::cout << "csp " << CSP_VERSION << ": :help for help, Ctrl-D to leave\n";
    std::string input, line;
    for (;;) {
        if (input.empty()) VM::clear_interrupt();
        bool more = terminal ? read_terminal_line(repl, input.empty() ? "csp> " : "...  ", line)
                             : bool(std::getline(std::cin, line));
        if (!more) break;
        input += line + "\n";
        if (input_state(input) == InputState::Incomplete) continue;
        if (terminal && input_state(input) != InputState::Empty) {
            add_history(input.substr(0, input.size() - 1).c_str()); // a multi-line entry as one
            if (!history.empty()) write_history(history.c_str());
        }
        bool going = repl.input(input);
        input.clear();
        if (!going) return repl.status();
    }
    if (!input.empty() && !repl.input(input)) return repl.status(); // incomplete at the end
    if (terminal) std::cout << "\n";
    return repl.status();
}

} // namespace csp::cli
