// The three dispatch macros of the interpreter loop, so that computed goto (a GNU
// extension: one indirect jump per handler, which branch predictors learn per opcode) and a
// portable switch are one header apart. CMake's CSP_COMPUTED_GOTO option picks one.
//
// Shape of a loop using them (runtime/vm.cpp):
//     static const void* const dispatch_table[] = { CSP_VM_TABLE_ENTRY(op)... }; (goto only)
//     for (;;) {
//         instr = *pc++;
//         CSP_VM_DISPATCH(instr.op) {
//             CSP_VM_CASE(ADD) { ...; CSP_VM_NEXT; }
//             ...
//         }
//     }
// `instr` and `pc` must be in scope. CSP_VM_NEXT fetches and dispatches the next
// instruction (computed goto) or leaves the switch for the loop to do it.
#pragma once
#include "runtime/bytecode.hpp"

#ifndef CSP_COMPUTED_GOTO
#if defined(__GNUC__)
#define CSP_COMPUTED_GOTO 1
#else
#define CSP_COMPUTED_GOTO 0
#endif
#endif

#if CSP_COMPUTED_GOTO

// One entry of the label table, which the loop builds from opcodes.def in opcode order.
#define CSP_VM_TABLE_ENTRY(name) &&op_##name,
#define CSP_VM_DISPATCH(op) goto* dispatch_table[size_t(op)];
#define CSP_VM_CASE(name) op_##name:
#define CSP_VM_NEXT                                                                                \
    do {                                                                                           \
        instr = *pc++;                                                                             \
        goto* dispatch_table[size_t(instr.op)];                                                    \
    } while (0)

#else

#define CSP_VM_DISPATCH(op) switch (uint16_t(op))
#define CSP_VM_CASE(name) case uint16_t(Opcode::name):
#define CSP_VM_NEXT break

#endif
