// `csp` with no arguments and `csp repl`: wires a REPL session (lang/repl_session.hpp)
// to a VM (runtime/vm_session.cpp) and to standard input.
#pragma once
#include <cstdint>
#include <optional>

namespace csp::cli {

// Reads standard input as a session and returns the exit status.
int run_repl(std::optional<uint64_t> seed);

} // namespace csp::cli
