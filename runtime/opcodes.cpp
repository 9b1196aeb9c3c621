// Names, one-line meanings and operand formats of the opcodes, all generated from the
// X-macro list in opcodes.def so that they cannot drift from the enum.
#include "runtime/bytecode.hpp"
#include "runtime/disasm.hpp"

#include <cstddef>

namespace csp {

namespace {

constexpr const char* names[] = {
#define CSP_OP(name, format, meaning) #name,
#include "runtime/opcodes.def"
#undef CSP_OP
};

constexpr const char* meanings[] = {
#define CSP_OP(name, format, meaning) meaning,
#include "runtime/opcodes.def"
#undef CSP_OP
};

constexpr OperandFormat formats[] = {
#define CSP_OP(name, format, meaning) OperandFormat::format,
#include "runtime/opcodes.def"
#undef CSP_OP
};

static_assert(std::size(names) == size_t(Opcode::COUNT));

} // namespace

const char* opcode_name(Opcode op) {
    return op < Opcode::COUNT ? names[size_t(op)] : "?";
}

const char* opcode_meaning(Opcode op) {
    return op < Opcode::COUNT ? meanings[size_t(op)] : "?";
}

OperandFormat opcode_format(Opcode op) {
    return op < Opcode::COUNT ? formats[size_t(op)] : OperandFormat::abc;
}

} // namespace csp
