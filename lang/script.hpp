// Script mode: a file without a package clause becomes an ordinary main package, so the
// checker and compiler see a Go program. Its top-level statements, in order, become the
// body of main.main; its top-level variables become package-level variables initialised
// where they stand; standard packages named in it are imported. See docs/script.md.
#pragma once
#include "lang/ast.hpp"
#include "lang/diagnostics.hpp"

#include <functional>
#include <optional>
#include <string>

namespace csp {

struct ScriptOptions {
    // The import path of the standard package a script means by `name.X`
    // ("strings" -> "strings", "atomic" -> "sync/atomic"), or nullopt.
    std::function<std::optional<std::string>(const std::string& name)> standard_package;
    // REPL sessions (lang/repl_session.hpp): the items before this offset are the
    // declarations kept from earlier inputs. They are declared but never run, and a later
    // declaration of the same name replaces them. 0 for a script file.
    uint32_t current_input = 0;
    // REPL sessions (set: REPL mode, from the first input on): the package (an import
    // path) whose Settle() ends each input's main, and whose Show(values ...any) prints
    // the value(s) of an input that is one expression statement, when show_expression is
    // set. Empty for a script file.
    std::string repl_package;
    bool show_expression = false;
};

// The name under which script mode imports ScriptOptions::repl_package.
constexpr const char* show_package_name = "__repl";

// Rewrites the script `file` in place into a main package (file.is_script becomes
// false). Errors (Go's "no new variables on left side of :=") go to `diags`. Returns
// whether an expression input became a call of Show (ScriptOptions::show_expression).
bool transform_script(File& file, Diagnostics& diags, const ScriptOptions& options);

// The standard packages a script may use without importing, by name, given a source of
// package declarations (stdlib::package_source): Go's import path for each name.
std::optional<std::string> standard_package_path(
    const std::string& name, const std::function<bool(const std::string& path)>& exists);

} // namespace csp
