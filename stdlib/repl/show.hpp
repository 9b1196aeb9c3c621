// The REPL's value printing: package "csp/repl", which REPL sessions import under a
// hidden name to print the value(s) of an expression input (lang/script.hpp,
// ScriptOptions::show_package). Not in the registry: the REPL adds it to its options.
#pragma once
#include "runtime/bytecode.hpp"

#include <optional>
#include <string>

namespace csp::stdlib {

constexpr const char* repl_package_path = "csp/repl";

// The declaration source of "csp/repl" (func Show(values ...any)), nullopt for other paths.
std::optional<std::string> repl_package_source(const std::string& path);
// The body of "csp/repl.Show", nullptr for other names.
NativeFn repl_native(const std::string& qualified_name);

} // namespace csp::stdlib
