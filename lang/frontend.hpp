// The front end as one call: read a file, parse, check and compile it to a Program.
// Errors are printed Go's way; the caller maps the outcome to an exit status.
#pragma once
#include "lang/checker.hpp"
#include "runtime/bytecode.hpp"

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace csp {

using NativeResolver = std::function<NativeFn(const std::string& qualified_name)>;

struct FrontendOptions {
    PackageSource packages;   // declaration sources of standard packages
    NativeResolver natives;   // bodies of native functions
    bool compile = true;      // false: parse and check only
    bool race = false;        // -race: instrument the program for the race detector
};

enum class FrontendStatus { Ok, FileError, CompileError };

struct FrontendResult {
    FrontendStatus status = FrontendStatus::Ok;
    std::unique_ptr<Program> program;
};

// Reads the file at `path` and compiles it, on a thread with a stack of
// frontend_stack_bytes so that deeply nested source cannot overflow it.
FrontendResult load_program(const std::string& path, const FrontendOptions& options,
                            std::ostream& errors);

// Compiles `text` (a snippet: `csp run -e`) as the file `name`, as load_program does.
FrontendResult load_text(const std::string& name, std::string text, const FrontendOptions& options,
                         std::ostream& errors);

// Compiles `text` as the file `path` on the calling thread's stack.
FrontendResult load_source(const std::string& path, std::string text, const FrontendOptions& options,
                           std::ostream& errors);

// Script mode's settings for these options: implicit imports of their standard packages.
struct ScriptOptions;
ScriptOptions script_options(const FrontendOptions& options);

// One file of a package: its name (as diagnostics show it) and its text.
struct NamedSource {
    std::string name;
    std::string text;
};

// Compiles the files of one package (all with the same package clause; each with its own
// imports) into a program that starts at the function `entry` ("main" for main.main), on a
// thread with a stack of frontend_stack_bytes. Diagnostics and traces name each file.
FrontendResult load_package(std::vector<NamedSource> files, const std::string& entry,
                            const FrontendOptions& options, std::ostream& errors);

// Reads a file for load_package; false (with the error printed) if it cannot be read.
bool read_source_file(const std::string& path, std::string& out, std::ostream& errors);

constexpr size_t frontend_stack_bytes = size_t(1) << 30;

// Runs `work` on a new thread with a stack of `stack_bytes` and waits for it; exceptions
// propagate. The passes recurse over the source's nesting, so they run this way.
void run_with_stack(size_t stack_bytes, const std::function<void()>& work);

} // namespace csp
