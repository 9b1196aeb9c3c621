// The bytecode compiler: walks the checked AST and emits runtime/bytecode for every
// function, with typed opcodes chosen from the checker's types.
#pragma once
#include "lang/checker.hpp"
#include "lang/frontend.hpp"
#include "runtime/bytecode.hpp"

#include <unordered_map>

namespace csp {

std::unique_ptr<Program> compile_program(CheckedProgram& checked, const NativeResolver& natives,
                                         const std::string& file_path);

// Slots of package variables by "path.name type", kept across compilations.
using GlobalLayout = std::unordered_map<std::string, uint32_t>;

// Compiles `checked` into `program`, which may hold the functions, types and globals of
// earlier compilations (a REPL session): new ones are appended, so earlier indices stay
// valid, and a package variable already in `layout` keeps its slot (and value). Returns
// the index of the new entry function (main.init, then main.main).
uint32_t compile_program_into(CheckedProgram& checked, const NativeResolver& natives, Program& program,
                              GlobalLayout& layout);

// Slots a value of type t occupies (string and interface 2, others 1).
uint32_t slot_width(const Type* t);

} // namespace csp
