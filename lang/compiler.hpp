// The bytecode compiler: walks the checked AST and emits runtime/bytecode for every
// function, with typed opcodes chosen from the checker's types.
#pragma once
#include "lang/checker.hpp"
#include "lang/frontend.hpp"
#include "runtime/bytecode.hpp"

#include <unordered_map>

namespace csp {

std::unique_ptr<Program> compile_program(CheckedProgram& checked, const NativeResolver& natives,
                                         const std::string& file_path, bool race = false);

// Slots of package variables by "path.name type", kept across compilations.
using GlobalLayout = std::unordered_map<std::string, uint32_t>;

// What the compilations of a REPL session share: package variables' slots, and runtime
// type descriptors by the type's identity across compilations (its spelling and where
// each named type in it, and each of its methods, was declared), so that a value made by
// one input has the same dynamic type as the same type named in a later one.
struct SessionTables {
    GlobalLayout globals;
    std::unordered_map<std::string, uint32_t> types;
};

// Compiles `checked` into `program`, which may hold the functions, types and globals of
// earlier compilations (a REPL session): new ones are appended, so earlier indices stay
// valid; package variables and types already in `tables` keep their slots (and values)
// and descriptors. Returns the index of the new entry function (main.init, then main.main).
uint32_t compile_program_into(CheckedProgram& checked, const NativeResolver& natives, Program& program,
                              SessionTables& tables);

// Slots a value of type t occupies (string and interface 2, others 1).
uint32_t slot_width(const Type* t);

} // namespace csp
