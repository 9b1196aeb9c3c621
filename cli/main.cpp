// The csp command line: wires CLI11 subcommands (run, check, disasm, version) to the
// front end, the VM and the standard library, and maps outcomes to exit statuses.
#include "cli/repl.hpp"
#include "lang/frontend.hpp"
#include "runtime/disasm.hpp"
#include "runtime/vm.hpp"
#include "stdlib/stdlib.hpp"
#include "testrunner/runner.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <random>

namespace {

csp::FrontendOptions frontend_options(bool compile, bool race = false) {
    csp::FrontendOptions options;
    options.race = race;
    options.packages = csp::stdlib::package_source;
    options.natives = csp::stdlib::find_native;
    options.compile = compile;
    return options;
}

// CSP_SEED, when set to a number.
std::optional<uint64_t> seed_from_environment() {
    const char* text = std::getenv("CSP_SEED");
    if (text == nullptr || *text == '\0') return std::nullopt;
    char* end = nullptr;
    uint64_t value = std::strtoull(text, &end, 10);
    if (*end != '\0') return std::nullopt;
    return value;
}

int exit_status(csp::FrontendStatus status) {
    return status == csp::FrontendStatus::Ok ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"csp: run, explore and test Go-style concurrent programs"};
    app.require_subcommand(0, 1); // none: the REPL
    app.set_version_flag("--version", CSP_VERSION);

    std::string file;
    std::vector<std::string> script_args;
    auto* run = app.add_subcommand("run", "Compile and run a .csp program");
    std::optional<uint64_t> seed;
    run->add_option("--seed", seed,
                    "Seed of the scheduler and select choices: the same seed repeats the run "
                    "(default: $CSP_SEED, else random, printed after a panic or deadlock)");
    bool race = false;
    run->add_flag("--race", race, "Detect data races (Go's -race): reports, then exit status 66");
    std::optional<std::string> snippet;
    run->add_option("-e", snippet, "Run CODE, a script (statements and declarations), instead of a file")
        ->option_text("CODE");
    run->add_option("file", file, "The program (a Go main package, or a script without a package clause)");
    run->add_option("args", script_args, "Arguments for the program (os.Args[1:])");
    run->prefix_command(); // everything after FILE belongs to the script

    auto* check = app.add_subcommand("check", "Type-check a program without running it");
    check->add_option("file", file, "The program")->required();

    auto* disasm = app.add_subcommand("disasm", "Print the bytecode of a program with source lines");
    disasm->add_option("file", file, "The program")->required();
    bool disasm_all = false;
    disasm->add_flag("--all", disasm_all, "Also list the standard packages' functions");
    disasm->add_flag("--race", race, "Show the bytecode instrumented for the race detector");

    auto* test = app.add_subcommand("test", "Run the tests of packages, as go test does "
                                            "(csp test [-v] [-run RE] [-count N] ... [PATH...])");
    test->prefix_command(); // go test's single-dash flags are parsed by the test runner
    test->set_help_flag();

    auto* version = app.add_subcommand("version", "Print csp's version");

    auto* repl = app.add_subcommand("repl", "Start a session (also: csp with no arguments); reads standard input");
    std::optional<uint64_t> repl_seed;
    repl->add_option("--seed", repl_seed, "Seed of the scheduler and select choices (default: $CSP_SEED, else random)");

    auto known = [&](const std::string& name) {
        for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
            if (sub->check_name(name)) return true;
        return false;
    };
    if (argc > 1 && argv[1][0] != '-' && !known(argv[1])) {
        std::cerr << "csp " << argv[1] << ": unknown command\nRun 'csp --help' for usage.\n";
        return 1;
    }
    // Go spells its flags with one dash: `csp run -race x.go` is `--race`.
    std::vector<std::string> arguments(argv, argv + argc);
    for (size_t k = 2; k < arguments.size() && arguments[k][0] == '-'; ++k)
        if (arguments[k] == "-race") arguments[k] = "--race";
    std::vector<char*> pointers;
    for (std::string& argument : arguments) pointers.push_back(argument.data());
    argv = pointers.data();
    // The arguments after `run`'s file belong to the script (os.Args[1:]), even those that
    // look like csp's options (-help, --seed): CLI11 sees only what precedes them.
    int cli_argc = argc;
    std::vector<std::string> after_file;
    if (argc > 2 && std::string_view(argv[1]) == "run") {
        for (int i = 2; i < argc; ++i) {
            std::string_view a = argv[i];
            if (a == "--seed" || a == "-e") ++i; // its value follows
            if (a.starts_with("-")) continue;
            cli_argc = i + 1;
            after_file.assign(argv + i + 1, argv + argc);
            break;
        }
    }
    try {
        app.parse(cli_argc, argv);
    } catch (const CLI::ParseError& e) {
        int status = app.exit(e);
        return status == 0 ? 0 : 1;
    }

    if (repl->parsed() || app.get_subcommands().empty())
        return csp::cli::run_repl(repl_seed ? repl_seed : seed_from_environment());
    if (version->parsed()) {
        std::cout << "csp version " << CSP_VERSION << "\n";
        return 0;
    }
    if (test->parsed()) {
        csp::testrunner::TestOptions options;
        if (!csp::testrunner::parse_test_args(test->remaining(), options, std::cerr)) return 2;
        if (!options.seed) options.seed = seed_from_environment();
        return csp::testrunner::run_tests(options, std::cout, std::cerr);
    }
    if (run->parsed()) {
        if (file.empty() && !run->remaining().empty() && !snippet) file = run->remaining()[0];
        if (file.empty() && !snippet) {
            std::cerr << "csp run: a file or -e CODE is required\nRun 'csp run --help' for usage.\n";
            return 1;
        }
        std::vector<std::string> args{snippet ? "-e" : file};
        if (snippet && !file.empty()) args.push_back(file); // with -e, FILE is an argument
        for (auto& a : run->remaining()) args.push_back(a);
        for (auto& a : script_args) args.push_back(a);
        for (auto& a : after_file) args.push_back(a);
        auto result = snippet ? csp::load_text("-e", *snippet, frontend_options(true, race), std::cerr)
                              : csp::load_program(file, frontend_options(true, race), std::cerr);
        if (!result.program) return exit_status(result.status);
        bool chosen = seed.has_value();
        if (!seed) seed = seed_from_environment();
        chosen = chosen || seed.has_value();
        if (!seed) seed = std::random_device{}() | uint64_t(std::random_device{}()) << 32;
        csp::VM vm(*result.program, args, *seed);
        vm.set_report_seed(!chosen);
        return vm.run();
    }
    auto result = csp::load_program(file, frontend_options(disasm->parsed(), race), std::cerr);
    if (!result.program || check->parsed()) return exit_status(result.status);
    csp::disassemble(*result.program, std::cout, disasm_all);
    return 0;
}
