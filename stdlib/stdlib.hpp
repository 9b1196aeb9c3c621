// The standard packages as the front end and the VM see them: each package's declaration
// source (`.csp` text embedded in the binary) and the C++ bodies of its native functions,
// bound by qualified name ("fmt.Println"). Adding a function is a declaration plus a body.
#pragma once
#include "runtime/bytecode.hpp"

#include <optional>
#include <string>

namespace csp::stdlib {

// The declaration source of the standard package `path`, or nullopt if there is none.
std::optional<std::string> package_source(const std::string& path);

// The body of the native function `qualified_name`, or nullptr if there is none.
NativeFn find_native(const std::string& qualified_name);

} // namespace csp::stdlib
