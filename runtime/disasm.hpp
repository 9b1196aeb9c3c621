// The bytecode listing: a readable dump of a Program (functions, constants, instructions
// with source lines, operands, constant values and absolute jump targets), for
// `csp disasm`, golden tests and debugging the compiler.
#pragma once
#include "runtime/bytecode.hpp"

#include <cstdint>
#include <iosfwd>

namespace csp {

// Which operands an opcode uses (the `format` column of opcodes.def).
enum class OperandFormat : uint8_t { none, a, ab, abc, ac, asbx, sbx };
OperandFormat opcode_format(Opcode op);

// The whole program, or (all false) the program's own functions: those of package main
// and the entry function, without the standard packages'.
void disassemble(const Program& program, std::ostream& out, bool all = true);
void disassemble_function(const Program& program, uint32_t function_index, std::ostream& out);

} // namespace csp
