// The bytecode compiler: walks the checked AST and emits runtime/bytecode for every
// function, with typed opcodes chosen from the checker's types.
#pragma once
#include "lang/checker.hpp"
#include "lang/frontend.hpp"
#include "runtime/bytecode.hpp"

namespace csp {

std::unique_ptr<Program> compile_program(CheckedProgram& checked, const NativeResolver& natives,
                                         const std::string& file_path, bool race = false);

// Slots a value of type t occupies (string and interface 2, others 1).
uint32_t slot_width(const Type* t);

} // namespace csp
