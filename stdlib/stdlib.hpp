// The standard packages as the front end and the VM see them: each package's declaration
// source (`.csp` text embedded in the binary) and the C++ bodies of its native functions,
// bound by qualified name ("fmt.Println"). Adding a function is a declaration plus a body.
#pragma once
#include "runtime/bytecode.hpp"

#include <map>
#include <optional>
#include <string>

namespace csp::stdlib {

// The declaration source of the standard package `path`, or nullopt if there is none.
std::optional<std::string> package_source(const std::string& path);

// The body of the native function `qualified_name`, or nullptr if there is none.
NativeFn find_native(const std::string& qualified_name);

// The -test.* flags package testing reads (name without the prefix -> value), set by the
// test runner before the program starts.
void set_test_flags(std::map<std::string, std::string> flags);

} // namespace csp::stdlib
