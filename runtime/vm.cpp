// The dispatch loop, and nothing else: VM::execute runs the current goroutine's frames
// until the bottom frame returns, a panic goes uncaught, or a fatal error. Helpers live in
// vm_support.cpp and value.hpp; opcode meanings are in opcodes.def.
//
// Loop state kept in locals (reloaded after calls, returns and stack growth): pc (next
// instruction), R (the frame's register base), K (its constants), frame (its record).
#include "runtime/vm.hpp"
#include "runtime/dispatch.hpp"
#include "runtime/panic.hpp"

#include <cstring>
#include <new>
#include <stdexcept>

namespace csp {

int VM::execute() {
#if CSP_COMPUTED_GOTO
    static const void* const dispatch_table[] = {
#define CSP_OP(name, format, meaning) CSP_VM_TABLE_ENTRY(name)
#include "runtime/opcodes.def"
#undef CSP_OP
    };
    static_assert(sizeof(dispatch_table) / sizeof(dispatch_table[0]) == size_t(Opcode::COUNT));
#endif
    Goroutine* g = m_scheduler.current();
    const Function* const* functions = m_functions.data();
    Slot* globals = m_globals.data();
    Slot* stack;
    Slot* stack_end;
    Frame* frames;
    Frame* frames_end;
    Frame* frame;
    Slot* R;
    const Instr* pc;
    const Slot* K;
    Instr instr;
    int budget = preemption_quantum; // back-edges and calls left before g yields

// The loop state of goroutine g, after a switch, a call that grew the stack, or a return.
#define CSP_LOAD_GOROUTINE()                                                                       \
    do {                                                                                           \
        stack = g->stack.data();                                                                   \
        stack_end = stack + g->stack.size();                                                       \
        frames = g->frames.data();                                                                 \
        frames_end = frames + g->frames.size();                                                    \
        frame = frames + g->frame_count - 1;                                                       \
        R = stack + frame->base;                                                                   \
        pc = frame->pc;                                                                            \
        K = frame->function->constants.data();                                                     \
    } while (0)
// Saves g's loop state before it stops running (parks, yields, or another runs).
#define CSP_SAVE_GOROUTINE()                                                                       \
    do {                                                                                           \
        frame->pc = pc;                                                                            \
        g->frame_count = size_t(frame - frames) + 1;                                               \
    } while (0)
// A jump; a backward one is a loop's back-edge, where the running goroutine may be preempted.
#define CSP_JUMP(offset)                                                                           \
    do {                                                                                           \
        int32_t jump_offset = (offset);                                                            \
        pc += jump_offset;                                                                         \
        if (jump_offset < 0 && --budget == 0) [[unlikely]]                                         \
            goto preempt;                                                                          \
    } while (0)
// Parks g for `reason` (its operation is enqueued or never completes) and runs another.
#define CSP_PARK(reason)                                                                           \
    do {                                                                                           \
        CSP_SAVE_GOROUTINE();                                                                      \
        m_scheduler.park(g, reason);                                                               \
        goto reschedule;                                                                           \
    } while (0)

    const Function* callee;        // CALL/CALLV/CALLN: the function being called
    const Closure* callee_closure; // CALLV: the closure being called
    int status;                    // set by the defer and panic steps that end the program
    bool stepping = false;         // in a defer or panic step: goroutine.frame_count is current

// A runtime error at the current instruction: record where, build the panic, unwind.
#define CSP_RUNTIME_ERROR(message, signal)                                                         \
    do {                                                                                           \
        frame->pc = pc;                                                                            \
        panic_runtime_error(std::string(message), signal);                                         \
        goto unwind;                                                                               \
    } while (0)

// After an instruction that allocated: collect if due. Every live value is now in a
// register, a global or the heap, which is what makes this a safepoint.
#define CSP_GC_SAFEPOINT()                                                                         \
    do {                                                                                           \
        if (m_heap.collection_due()) [[unlikely]]                                                  \
            collect_garbage(frame);                                                                \
    } while (0)

// Runs a cold defer or panic step (defer.cpp), which works on g->frame_count and may
// move the stacks: the program ends with its status, or the loop reloads its state.
#define CSP_STEP(call)                                                                             \
    do {                                                                                           \
        g->frame_count = size_t(frame - frames) + 1;                                               \
        stepping = true;                                                                           \
        if (!(call)) return status;                                                                \
        stepping = false;                                                                          \
        goto resume;                                                                               \
    } while (0)

    // The handlers hide behind CSP_VM_CASE, which clang-format cannot see through.
    // clang-format off
    try {
    resume:
        // (Re)load the loop state from the goroutine: at entry, and after the defer and
        // panic steps, which may push frames, grow the stack or resume a recovered frame.
        if (m_goexited != nullptr) [[unlikely]] {
            Goroutine* ended = m_goexited;
            m_goexited = nullptr;
            if (ended == m_main) m_scheduler.park(ended, WaitReason::None); // never woken
            else m_scheduler.exit(ended);
            goto reschedule;
        }
        CSP_LOAD_GOROUTINE();
        for (;;) {
            instr = *pc++;
            CSP_VM_DISPATCH(instr.op) {
            CSP_VM_CASE(NOP) { CSP_VM_NEXT; }
            CSP_VM_CASE(MOVE) {
                R[instr.a] = R[instr.b];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(MOVE2) {
                Slot first = R[instr.b], second = R[instr.b + 1];
                R[instr.a] = first;
                R[instr.a + 1] = second;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(MOVEN) {
                std::memmove(&R[instr.a], &R[instr.b], size_t(instr.c) * sizeof(Slot));
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(LOADK) {
                R[instr.a] = K[instr.b];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(LOADK2) {
                R[instr.a] = K[instr.b];
                R[instr.a + 1] = K[instr.b + 1];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(LOADI) {
                R[instr.a].i = instr.sbx();
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(LOADNIL) {
                std::memset(&R[instr.a], 0, size_t(instr.c) * sizeof(Slot));
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(LOADG) {
                R[instr.a] = globals[instr.b];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(STOREG) {
                globals[instr.b] = R[instr.a];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(LOADF) {
                frame->pc = pc;
                R[instr.a].p = static_closure(instr.b);
                CSP_GC_SAFEPOINT();
                CSP_VM_NEXT;
            }

            // ---- Integer arithmetic: on uint64, so that overflow wraps without UB.
            CSP_VM_CASE(ADD) {
                R[instr.a].u = R[instr.b].u + R[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SUB) {
                R[instr.a].u = R[instr.b].u - R[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(MUL) {
                R[instr.a].u = R[instr.b].u * R[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(DIV) {
                int64_t divisor = R[instr.c].i;
                if (divisor == 0) [[unlikely]]
                    CSP_RUNTIME_ERROR(divide_by_zero_message, false);
                int64_t dividend = R[instr.b].i;
                // MinInt64 / -1 overflows in C++; Go defines it as MinInt64 (negation wraps).
                R[instr.a].i = divisor == -1 ? int64_t(0 - uint64_t(dividend)) : dividend / divisor;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(DIVU) {
                uint64_t divisor = R[instr.c].u;
                if (divisor == 0) [[unlikely]]
                    CSP_RUNTIME_ERROR(divide_by_zero_message, false);
                R[instr.a].u = R[instr.b].u / divisor;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(REM) {
                int64_t divisor = R[instr.c].i;
                if (divisor == 0) [[unlikely]]
                    CSP_RUNTIME_ERROR(divide_by_zero_message, false);
                R[instr.a].i = divisor == -1 ? 0 : R[instr.b].i % divisor;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(REMU) {
                uint64_t divisor = R[instr.c].u;
                if (divisor == 0) [[unlikely]]
                    CSP_RUNTIME_ERROR(divide_by_zero_message, false);
                R[instr.a].u = R[instr.b].u % divisor;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(AND) {
                R[instr.a].u = R[instr.b].u & R[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(OR) {
                R[instr.a].u = R[instr.b].u | R[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(XOR) {
                R[instr.a].u = R[instr.b].u ^ R[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(ANDNOT) {
                R[instr.a].u = R[instr.b].u & ~R[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SHL) {
                uint64_t count = R[instr.c].u;
                R[instr.a].u = count < 64 ? R[instr.b].u << count : 0;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SHR) {
                uint64_t count = R[instr.c].u;
                int64_t value = R[instr.b].i;
                R[instr.a].i = count < 64 ? value >> count : (value < 0 ? -1 : 0);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SHRU) {
                uint64_t count = R[instr.c].u;
                R[instr.a].u = count < 64 ? R[instr.b].u >> count : 0;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(CHKSHIFT) {
                if (R[instr.a].i < 0) [[unlikely]]
                    CSP_RUNTIME_ERROR(negative_shift_message, false);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(NEG) {
                R[instr.a].u = 0 - R[instr.b].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(BITNOT) {
                R[instr.a].u = ~R[instr.b].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(ADDI) {
                R[instr.a].u = R[instr.b].u + uint64_t(int64_t(instr.sc()));
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(ADDK) {
                R[instr.a].u = R[instr.b].u + K[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SUBK) {
                R[instr.a].u = R[instr.b].u - K[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(MULK) {
                R[instr.a].u = R[instr.b].u * K[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(ANDK) {
                R[instr.a].u = R[instr.b].u & K[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(ORK) {
                R[instr.a].u = R[instr.b].u | K[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(XORK) {
                R[instr.a].u = R[instr.b].u ^ K[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SEXT8) {
                R[instr.a].i = int8_t(R[instr.b].u);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SEXT16) {
                R[instr.a].i = int16_t(R[instr.b].u);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SEXT32) {
                R[instr.a].i = int32_t(R[instr.b].u);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(ZEXT8) {
                R[instr.a].u = R[instr.b].u & 0xFF;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(ZEXT16) {
                R[instr.a].u = R[instr.b].u & 0xFFFF;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(ZEXT32) {
                R[instr.a].u = R[instr.b].u & 0xFFFFFFFF;
                CSP_VM_NEXT;
            }

            // ---- Floating point (IEEE: division by zero gives infinities or NaN).
            CSP_VM_CASE(FADD) {
                R[instr.a].f = R[instr.b].f + R[instr.c].f;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(FSUB) {
                R[instr.a].f = R[instr.b].f - R[instr.c].f;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(FMUL) {
                R[instr.a].f = R[instr.b].f * R[instr.c].f;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(FDIV) {
                R[instr.a].f = R[instr.b].f / R[instr.c].f;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(FNEG) {
                R[instr.a].f = -R[instr.b].f;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(FROUND32) {
                R[instr.a].f = round_to_float32(R[instr.b].f);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(I2F) {
                R[instr.a].f = double(R[instr.b].i);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(U2F) {
                R[instr.a].f = double(R[instr.b].u);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(F2I) {
                R[instr.a].i = float_to_int(R[instr.b].f);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(F2U) {
                R[instr.a].u = float_to_uint(R[instr.b].f);
                CSP_VM_NEXT;
            }

            // ---- Comparisons producing a bool.
            CSP_VM_CASE(EQ) {
                R[instr.a].u = R[instr.b].u == R[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(NE) {
                R[instr.a].u = R[instr.b].u != R[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(LT) {
                R[instr.a].u = R[instr.b].i < R[instr.c].i;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(LE) {
                R[instr.a].u = R[instr.b].i <= R[instr.c].i;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(LTU) {
                R[instr.a].u = R[instr.b].u < R[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(LEU) {
                R[instr.a].u = R[instr.b].u <= R[instr.c].u;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(FEQ) {
                R[instr.a].u = R[instr.b].f == R[instr.c].f;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(FNE) {
                R[instr.a].u = R[instr.b].f != R[instr.c].f;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(FLT) {
                R[instr.a].u = R[instr.b].f < R[instr.c].f;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(FLE) {
                R[instr.a].u = R[instr.b].f <= R[instr.c].f;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SEQ) {
                R[instr.a].u = strings_equal(load_string(&R[instr.b]), load_string(&R[instr.c]));
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SNE) {
                R[instr.a].u = !strings_equal(load_string(&R[instr.b]), load_string(&R[instr.c]));
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SLT) {
                R[instr.a].u = compare_strings(load_string(&R[instr.b]), load_string(&R[instr.c])) < 0;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SLE) {
                R[instr.a].u = compare_strings(load_string(&R[instr.b]), load_string(&R[instr.c])) <= 0;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(NOT) {
                R[instr.a].u = R[instr.b].u == 0;
                CSP_VM_NEXT;
            }

            // ---- Control flow. Offsets are relative to the next instruction (pc).
            CSP_VM_CASE(JMP) {
                CSP_JUMP(instr.sbx());
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(JMPIF) {
                if (R[instr.a].u != 0) CSP_JUMP(instr.sbx());
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(JMPIFNOT) {
                if (R[instr.a].u == 0) CSP_JUMP(instr.sbx());
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(JEQ) {
                if (R[instr.a].u == R[instr.b].u) CSP_JUMP(instr.sc());
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(JNE) {
                if (R[instr.a].u != R[instr.b].u) CSP_JUMP(instr.sc());
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(JLT) {
                if (R[instr.a].i < R[instr.b].i) CSP_JUMP(instr.sc());
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(JLE) {
                if (R[instr.a].i <= R[instr.b].i) CSP_JUMP(instr.sc());
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(JLTU) {
                if (R[instr.a].u < R[instr.b].u) CSP_JUMP(instr.sc());
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(JLEU) {
                if (R[instr.a].u <= R[instr.b].u) CSP_JUMP(instr.sc());
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(JEQK) {
                if (R[instr.a].u == K[instr.b].u) CSP_JUMP(instr.sc());
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(JNEK) {
                if (R[instr.a].u != K[instr.b].u) CSP_JUMP(instr.sc());
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(JLTK) {
                if (R[instr.a].i < K[instr.b].i) CSP_JUMP(instr.sc());
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(JLEK) {
                if (R[instr.a].i <= K[instr.b].i) CSP_JUMP(instr.sc());
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(JGTK) {
                if (R[instr.a].i > K[instr.b].i) CSP_JUMP(instr.sc());
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(JGEK) {
                if (R[instr.a].i >= K[instr.b].i) CSP_JUMP(instr.sc());
                CSP_VM_NEXT;
            }

            // ---- Strings.
            CSP_VM_CASE(CONCAT) {
                frame->pc = pc;
                concat(&R[instr.a], load_string(&R[instr.b]), load_string(&R[instr.c]));
                CSP_GC_SAFEPOINT();
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SLEN) {
                R[instr.a].i = R[instr.b + 1].i;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SINDEX) {
                StringRef string = load_string(&R[instr.b]);
                int64_t index = R[instr.c].i;
                if (uint64_t(index) >= uint64_t(string.len)) [[unlikely]]
                    CSP_RUNTIME_ERROR(index_out_of_range_message(index, string.len), false);
                R[instr.a].u = uint8_t(string.data[index]);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(RUNEAT) {
                StringRef string = load_string(&R[instr.b]);
                int64_t index = R[instr.c].i;
                if (uint64_t(index) >= uint64_t(string.len)) [[unlikely]]
                    CSP_RUNTIME_ERROR(index_out_of_range_message(index, string.len), false);
                int64_t width;
                auto* bytes = reinterpret_cast<const unsigned char*>(string.data) + index;
                R[instr.a].i = decode_rune(bytes, string.len - index, width);
                R[instr.a + 1].i = width;
                CSP_VM_NEXT;
            }

            // ---- Calls. See runtime/README.md, "Frames and calls".
            CSP_VM_CASE(CALL) {
                callee = functions[instr.b];
                callee_closure = nullptr;
            }
        enter_callee: {
            // Push a frame for `callee` at R[a]; its arguments are already there.
            if (callee->native != nullptr) [[unlikely]]
                goto call_native;
            Slot* base = R + instr.a;
            frame->pc = pc;
            if (base + callee->frame_slots > stack_end || frame + 1 == frames_end) [[unlikely]] {
                size_t offset = frame->base + instr.a;
                g->frame_count = size_t(frame - frames) + 1;
                if (!grow_stack(offset, callee)) return report_stack_overflow(callee);
                stack = g->stack.data();
                stack_end = stack + g->stack.size();
                frames = g->frames.data();
                frames_end = frames + g->frames.size();
                frame = frames + g->frame_count - 1;
                base = stack + offset;
            }
            Frame* caller = frame++;
            frame->function = callee;
            frame->closure = callee_closure;
            frame->base = caller->base + instr.a;
            frame->race_context = 0;
            clear_registers(base + callee->param_slots, base + callee->frame_slots);
            R = base;
            K = callee->constants.data();
            pc = callee->code.data();
            if (--budget == 0) [[unlikely]]
                goto preempt;
            CSP_VM_NEXT;
        }
            CSP_VM_CASE(CALLV) {
                const Closure* closure = load_closure(&R[instr.b]);
                if (closure == nullptr) [[unlikely]]
                    CSP_RUNTIME_ERROR(nil_dereference_message, true);
                callee = closure->function;
                callee_closure = closure;
                goto enter_callee;
            }
            CSP_VM_CASE(CALLN) {
                callee = functions[instr.b];
            }
        call_native: {
            // Natives run on the caller's registers at R[a] and push no frame; the frame
            // count is current so that natives may walk the stack (runtime.Caller, testing).
            frame->pc = pc;
            g->frame_count = size_t(frame - frames) + 1;
            callee->native(*this, R + instr.a);
            if (m_panic.active) [[unlikely]]
                goto unwind;
            if (m_switch.kind != SwitchRequest::None) [[unlikely]] {
                SwitchRequest kind = m_switch.kind;
                m_switch.kind = SwitchRequest::None;
                CSP_SAVE_GOROUTINE();
                if (kind == SwitchRequest::Park) {
                    m_scheduler.park(g, m_switch.reason);
                } else {
                    m_scheduler.enqueue(g);
                }
                goto reschedule;
            }
            CSP_GC_SAFEPOINT();
            CSP_VM_NEXT;
        }
            CSP_VM_CASE(RET) {
                const Slot* results = R + instr.a;
                for (uint16_t k = 0; k < instr.b; ++k) R[k] = results[k];
                if (frame == frames) [[unlikely]] {
                    g->frame_count = 0;
                    if (g == m_main) return 0; // main returned: the program ends
                    m_scheduler.exit(g);
                    goto reschedule;
                }
                --frame;
                R = stack + frame->base;
                pc = frame->pc;
                K = frame->function->constants.data();
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(CLOSURE) {
                frame->pc = pc;
                Closure* closure = m_heap.make_closure(functions[instr.b], instr.c);
                for (uint16_t k = 0; k < instr.c; ++k) {
                    Instr capture = *pc++; // CAPTURE a b
                    closure->cells[k] = capture.a == 0 ? static_cast<Cell>(R[capture.b].p)
                                                       : frame->closure->cells[capture.b];
                }
                R[instr.a].p = closure;
                CSP_GC_SAFEPOINT();
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(CAPTURE) { CSP_VM_NEXT; } // consumed by CLOSURE; never reached
            CSP_VM_CASE(NEWCELL) {
                frame->pc = pc;
                R[instr.a].p = m_heap.make_slots(instr.b);
                CSP_GC_SAFEPOINT();
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(LOADCELL) {
                R[instr.a] = static_cast<Cell>(R[instr.b].p)[instr.c];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(STORECELL) {
                static_cast<Cell>(R[instr.b].p)[instr.c] = R[instr.a];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(LOADUP) {
                R[instr.a] = frame->closure->cells[instr.b][instr.c];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(STOREUP) {
                frame->closure->cells[instr.b][instr.c] = R[instr.a];
                CSP_VM_NEXT;
            }

            // ---- Pointers: a nil one faults as Go's nil dereference (with the signal line).
            CSP_VM_CASE(LOADP) {
                const Slot* target = static_cast<const Slot*>(R[instr.b].p);
                if (target == nullptr) [[unlikely]]
                    CSP_RUNTIME_ERROR(nil_dereference_message, true);
                R[instr.a] = target[instr.c];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(STOREP) {
                Slot* target = static_cast<Slot*>(R[instr.b].p);
                if (target == nullptr) [[unlikely]]
                    CSP_RUNTIME_ERROR(nil_dereference_message, true);
                target[instr.c] = R[instr.a];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(LOADPN) {
                const Slot* target = static_cast<const Slot*>(R[instr.b].p);
                if (target == nullptr) [[unlikely]]
                    CSP_RUNTIME_ERROR(nil_dereference_message, true);
                std::memmove(&R[instr.a], target, size_t(instr.c) * sizeof(Slot));
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(STOREPN) {
                Slot* target = static_cast<Slot*>(R[instr.b].p);
                if (target == nullptr) [[unlikely]]
                    CSP_RUNTIME_ERROR(nil_dereference_message, true);
                std::memmove(target, &R[instr.a], size_t(instr.c) * sizeof(Slot));
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(ADDP) {
                Slot* target = static_cast<Slot*>(R[instr.b].p);
                if (target == nullptr) [[unlikely]]
                    CSP_RUNTIME_ERROR(nil_dereference_message, true);
                R[instr.a].p = target + instr.c;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(GADDR) {
                R[instr.a].p = globals + instr.b;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(UPADDR) {
                R[instr.a].p = frame->closure->cells[instr.b];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(IEQ) {
                frame->pc = pc;
                bool equal = false;
                if (!interfaces_equal(load_interface(&R[instr.b]), load_interface(&R[instr.c]), equal))
                    [[unlikely]] goto unwind;
                R[instr.a].u = equal;
                CSP_VM_NEXT;
            }
            // ---- Interfaces: dispatch through the dynamic type's method table, assertions.
            CSP_VM_CASE(CALLI) {
                const RtType* type = static_cast<const RtType*>(R[instr.a - 1].p);
                if (type == nullptr) [[unlikely]]
                    CSP_RUNTIME_ERROR(nil_dereference_message, true);
                const RtType* iface = m_types[instr.b];
                const Function* const* table = type->itab_iface == iface ? type->itab : itab(type, iface);
                if (table == nullptr) [[unlikely]] {
                    frame->pc = pc;
                    panic_missing_method(type, iface);
                    goto unwind;
                }
                callee = table[instr.c];
                callee_closure = nullptr;
                goto enter_callee;
            }
            CSP_VM_CASE(PANICWRAP) {
                if (R[instr.a].p == nullptr) [[unlikely]] {
                    StringRef message{K[instr.b].s, K[instr.b + 1].i};
                    CSP_RUNTIME_ERROR(message.view(), false);
                }
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(IFACECHK) {
                if (R[instr.a].p == nullptr) [[unlikely]]
                    CSP_RUNTIME_ERROR(nil_dereference_message, true);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(ASSERT) {
                const RtType* want = m_types[instr.c];
                InterfaceRef value = load_interface(&R[instr.b]);
                if (value.type != want) [[unlikely]] {
                    frame->pc = pc;
                    panic_type_assertion(m_types[pc->a], value.type, want);
                    goto unwind;
                }
                ++pc; // EXTRA
                if (want->slots == 1) R[instr.a] = value.data;
                else copy_slots(&R[instr.a], static_cast<const Slot*>(value.data.p), want->slots);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(ASSERTOK) {
                const RtType* want = m_types[instr.c];
                InterfaceRef value = load_interface(&R[instr.b]);
                uint32_t width = want->slots;
                if (value.type == want) {
                    if (width == 1) R[instr.a] = value.data;
                    else copy_slots(&R[instr.a], static_cast<const Slot*>(value.data.p), width);
                    R[instr.a + width].u = 1;
                } else {
                    for (uint32_t k = 0; k <= width; ++k) R[instr.a + k].u = 0;
                }
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(ASSERTI) {
                InterfaceRef value = load_interface(&R[instr.b]);
                const RtType* want = m_types[instr.c];
                if (value.type == nullptr || !implements(value.type, want)) [[unlikely]] {
                    frame->pc = pc;
                    panic_type_assertion(m_types[pc->a], value.type, want);
                    goto unwind;
                }
                ++pc; // EXTRA
                store_interface(&R[instr.a], value);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(ASSERTIOK) {
                InterfaceRef value = load_interface(&R[instr.b]);
                bool ok = value.type != nullptr && implements(value.type, m_types[instr.c]);
                store_interface(&R[instr.a], ok ? value : InterfaceRef{});
                R[instr.a + 2].u = ok;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(ISTYPE) {
                R[instr.a].u = R[instr.b].p == m_types[instr.c];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(IMPLEMENTS) {
                const RtType* type = static_cast<const RtType*>(R[instr.b].p);
                R[instr.a].u = type != nullptr && implements(type, m_types[instr.c]);
                CSP_VM_NEXT;
            }
            // ---- Goroutines and channels: a blocked operation parks g and runs another.
            CSP_VM_CASE(GO) {
                callee = functions[instr.b];
                callee_closure = nullptr;
                goto go_statement;
            }
            CSP_VM_CASE(GOV) {
                callee_closure = load_closure(&R[instr.b]);
                if (callee_closure == nullptr) [[unlikely]] {
                    frame->pc = pc;
                    raise_fatal_error("go of nil func value");
                    goto unwind;
                }
                callee = callee_closure->function;
            }
        go_statement: {
            frame->pc = pc;
            start_goroutine(callee, callee_closure, R + instr.a, *frame);
            CSP_VM_NEXT;
        }
            CSP_VM_CASE(MAKECHAN) {
                frame->pc = pc;
                R[instr.a].p = make_channel(m_types[instr.b], R[instr.c].i);
                if (m_panic.active) [[unlikely]]
                    goto unwind;
                CSP_GC_SAFEPOINT();
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SEND) {
                frame->pc = pc;
                auto* channel = static_cast<Channel*>(R[instr.a].p);
                if (channel == nullptr) CSP_PARK(WaitReason::ChanSendNilChan);
                if (chan_send_buffered(channel, &R[instr.b], race_tracking())) CSP_VM_NEXT;
                ChanStatus status = chan_send(m_scheduler, channel, &R[instr.b], g);
                if (status == ChanStatus::Blocked) CSP_PARK(WaitReason::ChanSend);
                if (status == ChanStatus::Closed) [[unlikely]]
                    CSP_RUNTIME_ERROR(send_on_closed_message, false);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(RECV) {
                frame->pc = pc;
                auto* channel = static_cast<Channel*>(R[instr.b].p);
                if (channel == nullptr) CSP_PARK(WaitReason::ChanReceiveNilChan);
                if (chan_receive_buffered(channel, &R[instr.a], nullptr, race_tracking())) CSP_VM_NEXT;
                if (chan_receive(m_scheduler, channel, &R[instr.a], nullptr, g) == ChanStatus::Blocked)
                    CSP_PARK(WaitReason::ChanReceive);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(RECVOK) {
                frame->pc = pc;
                auto* channel = static_cast<Channel*>(R[instr.b].p);
                if (channel == nullptr) CSP_PARK(WaitReason::ChanReceiveNilChan);
                if (chan_receive_buffered(channel, &R[instr.a], &R[instr.c], race_tracking())) CSP_VM_NEXT;
                if (chan_receive(m_scheduler, channel, &R[instr.a], &R[instr.c], g) == ChanStatus::Blocked)
                    CSP_PARK(WaitReason::ChanReceive);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(CLOSE) {
                CloseStatus status = chan_close(m_scheduler, static_cast<Channel*>(R[instr.a].p));
                if (status == CloseStatus::NilChannel) [[unlikely]]
                    CSP_RUNTIME_ERROR(close_of_nil_message, false);
                if (status == CloseStatus::AlreadyClosed) [[unlikely]]
                    CSP_RUNTIME_ERROR(close_of_closed_message, false);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(CHLEN) {
                auto* channel = static_cast<const Channel*>(R[instr.b].p);
                R[instr.a].i = channel == nullptr ? 0 : channel->count;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(CHCAP) {
                auto* channel = static_cast<const Channel*>(R[instr.b].p);
                R[instr.a].i = channel == nullptr ? 0 : channel->capacity;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SELECT) {
                frame->pc = pc;
                const SelectSite& site = frame->function->selects[instr.b];
                SelectResult result = select(site, R, g);
                if (result.status == ChanStatus::Blocked) {
                    g->select_result = &R[instr.a];
                    CSP_PARK(select_wait_reason(site, R));
                }
                R[instr.a].i = result.index;
                if (result.status == ChanStatus::Closed) [[unlikely]]
                    CSP_RUNTIME_ERROR(send_on_closed_message, false);
                CSP_VM_NEXT;
            }

            // ---- Interfaces, slices, panics, builtins.
            CSP_VM_CASE(BOX) {
                Slot value = R[instr.b];
                R[instr.a].p = const_cast<RtType*>(m_types[instr.c]);
                R[instr.a + 1] = value;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(BOXN) {
                frame->pc = pc;
                const RtType* type = m_types[instr.c];
                Slot* copy = m_heap.make_slots(type->slots);
                std::memcpy(copy, &R[instr.b], size_t(type->slots) * sizeof(Slot));
                R[instr.a].p = const_cast<RtType*>(type);
                R[instr.a + 1].p = copy;
                CSP_GC_SAFEPOINT();
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(MKSLICE) {
                frame->pc = pc;
                size_t count = instr.c >> 4, width = instr.c & 15;
                if (count == 0) { // no variadic arguments: Go passes a nil slice
                    store_slice(&R[instr.a], {});
                    CSP_VM_NEXT;
                }
                Slot* elements = m_heap.make_slots(count * width);
                std::memcpy(elements, &R[instr.b], count * width * sizeof(Slot));
                store_slice(&R[instr.a], {elements, int64_t(count), int64_t(count)});
                CSP_GC_SAFEPOINT();
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(PANIC) {
                frame->pc = pc;
                raise_panic(load_interface(&R[instr.a]));
                goto unwind;
            }
            CSP_VM_CASE(PRINT) {
                print(&R[instr.a], *m_types[instr.b], instr.c);
                CSP_VM_NEXT;
            }

            // ---- Defer, panic and recover. The steps are in defer.cpp.
            CSP_VM_CASE(DEFER) {
                frame->pc = pc;
                defer_call(size_t(frame - frames), &R[instr.a], instr.b, instr.c);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(RUNDEFERS) {
                if (g->defers.top_frame() != size_t(frame - frames)) {
                    ++pc; // past the JMP back here: this frame's deferred calls are done
                    CSP_VM_NEXT;
                }
                frame->pc = pc;
                CSP_STEP(run_deferred_on_return(status));
            }
            CSP_VM_CASE(UNWIND) { CSP_STEP(continue_panic(status)); }
            CSP_VM_CASE(PANICTEXT) { CSP_STEP(set_panic_text(load_string(&R[instr.a]), status)); }
            CSP_VM_CASE(RECOVER) {
                store_interface(&R[instr.a], recover(size_t(frame - frames)));
                CSP_VM_NEXT;
            }

            // ---- Slices and arrays. Indices compare as unsigned: negatives are out of range.
            // Everything but the element accesses runs out of line (vm_slices.cpp), so that
            // these handlers do not cost the rest of the loop its registers.
            CSP_VM_CASE(EXTRA) { CSP_VM_NEXT; } // consumed by the instruction before; never reached
            CSP_VM_CASE(SGET) {
                const Slot* slice = &R[instr.b];
                int64_t index = R[instr.c].i;
                if (uint64_t(index) >= slice[1].u) [[unlikely]]
                    goto slice_out_of_line; // raises the index error
                R[instr.a] = static_cast<const Slot*>(slice[0].p)[index];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SSET) {
                const Slot* slice = &R[instr.a];
                int64_t index = R[instr.b].i;
                if (uint64_t(index) >= slice[1].u) [[unlikely]]
                    goto slice_out_of_line; // raises the index error
                static_cast<Slot*>(slice[0].p)[index] = R[instr.c];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(SELEM) {
                const Slot* slice = &R[instr.b];
                int64_t index = R[instr.a].i;
                if (uint64_t(index) >= slice[1].u) [[unlikely]]
                    goto slice_out_of_line; // raises the index error
                R[instr.a].p = static_cast<Slot*>(slice[0].p) + index * instr.c;
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(CHKIDX) {
                int64_t index = R[instr.a].i;
                if (uint64_t(index) >= K[instr.b].u) [[unlikely]]
                    goto slice_out_of_line; // raises the index error
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(LOADX) {
                R[instr.a] = R[instr.b + R[instr.c].i];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(STOREX) {
                R[instr.b + R[instr.c].i] = R[instr.a];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(LOADMEM) {
                copy_slots(&R[instr.a], static_cast<const Slot*>(R[instr.b].p), instr.c);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(STOREMEM) {
                copy_slots(static_cast<Slot*>(R[instr.b].p), &R[instr.a], instr.c);
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(ADDRG) {
                R[instr.a].p = globals + instr.sbx();
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(ADDRUP) {
                R[instr.a].p = frame->closure->cells[instr.b];
                CSP_VM_NEXT;
            }
            CSP_VM_CASE(APPEND) {
                Slot* slice = &R[instr.a];
                int64_t length = slice[1].i;
                if (length < slice[2].i) [[likely]] { // room left: no allocation
                    uint32_t width = m_types[instr.c]->slots;
                    Slot* target = static_cast<Slot*>(slice[0].p) + length * width;
                    copy_slots(target, &R[instr.b], width);
                    slice[1].i = length + 1;
                    CSP_VM_NEXT;
                }
                goto slice_out_of_line;
            }
            // -race: the next instruction's access, checked out of line (vm_race.cpp).
            CSP_VM_CASE(RACE) {
                frame->pc = pc;
                race_access(R, frames, frame, pc - 1);
                CSP_VM_NEXT;
            }
            // Every map operation goes through one out-of-line handler (vm_maps.cpp).
            CSP_VM_CASE(MAKEMAP)
            CSP_VM_CASE(MAPGET)
            CSP_VM_CASE(MAPGETOK)
            CSP_VM_CASE(MAPSET)
            CSP_VM_CASE(MAPDEL)
            CSP_VM_CASE(MAPLEN)
            CSP_VM_CASE(MAPCLEAR)
            CSP_VM_CASE(MAPITER)
            CSP_VM_CASE(MAPNEXT) {
                frame->pc = pc;
                pc = map_operation(R, pc);
                if (pc == nullptr) [[unlikely]]
                    goto unwind;
                CSP_GC_SAFEPOINT();
                CSP_VM_NEXT;
            }
            // The rest of the slice operations, and the index errors of those above, share one
            // out-of-line handler.
            CSP_VM_CASE(MEMDUP)
            CSP_VM_CASE(MAKESLICE)
            CSP_VM_CASE(SLICE)
            CSP_VM_CASE(SLICE3)
            CSP_VM_CASE(STRSLICE)
            CSP_VM_CASE(APPENDN)
            CSP_VM_CASE(APPENDS)
            CSP_VM_CASE(APPENDSTR)
            CSP_VM_CASE(COPY)
            CSP_VM_CASE(COPYSTR)
            CSP_VM_CASE(CLEAR)
            CSP_VM_CASE(EQV)
            CSP_VM_CASE(STR2BYTES)
            CSP_VM_CASE(STR2RUNES)
            CSP_VM_CASE(BYTES2STR)
            CSP_VM_CASE(RUNES2STR)
            CSP_VM_CASE(RUNE2STR)
            slice_out_of_line: {
                frame->pc = pc;
                pc = slice_operation(R, K, pc);
                if (pc == nullptr) [[unlikely]]
                    goto unwind;
                CSP_GC_SAFEPOINT();
                CSP_VM_NEXT;
            }
            }
        }
    preempt:
        // g used up its quantum at a back-edge or call: to the tail of the run queue.
        budget = preemption_quantum;
        if (s_interrupt) [[unlikely]] { // Ctrl-C in a REPL session (vm_session.cpp)
            CSP_SAVE_GOROUTINE();
            m_scheduler.enqueue(g);
            return interrupted_status;
        }
        if (!m_timers.empty()) fire_timers(); // a goroutine polling a timer in a loop sees it fire
        if (!m_stdin_waiters.empty()) poll_stdin(0); // nor does a stdin reader wait for it
        if (!m_scheduler.has_runnable()) CSP_VM_NEXT;
        CSP_SAVE_GOROUTINE();
        m_scheduler.enqueue(g);
    reschedule:
        // g has parked, yielded or exited (its state saved): run the next goroutine.
        g = next_goroutine();
        if (g == nullptr) return s_interrupt ? interrupted_status : report_deadlock();
        m_scheduler.set_current(g);
        g->status = GoroutineStatus::Running;
        CSP_LOAD_GOROUTINE();
        if (frame->function->native != nullptr) [[unlikely]] { // go nativeFunction(...)
            frame->function->native(*this, R);
            if (m_panic.active) goto unwind;
            m_scheduler.exit(g);
            goto reschedule;
        }
        if (g->woken_by_close) [[unlikely]] { // its send was blocked when the channel closed
            g->woken_by_close = false;
            frame->pc = pc;
            panic_runtime_error(std::string(send_on_closed_message), false);
            goto unwind;
        }
        CSP_VM_NEXT;
    unwind:
        // A panic was raised at the top frame (its pc saved at the fault).
        CSP_STEP(start_panic(status));
    } catch (const OutOfMemory& error) {
        if (!stepping) g->frame_count = size_t(frame - frames) + 1;
        return report_out_of_memory(error.requested, error.in_use);
    } catch (const std::bad_alloc&) {
        if (!stepping) g->frame_count = size_t(frame - frames) + 1;
        return report_out_of_memory(0, m_heap.bytes_in_use());
    } catch (const std::length_error&) { // a native asked a std::string for too much
        if (!stepping) g->frame_count = size_t(frame - frames) + 1;
        return report_out_of_memory(0, m_heap.bytes_in_use());
    }
    // clang-format on
#undef CSP_RUNTIME_ERROR
#undef CSP_LOAD_GOROUTINE
#undef CSP_SAVE_GOROUTINE
#undef CSP_JUMP
#undef CSP_PARK
#undef CSP_GC_SAFEPOINT
#undef CSP_STEP
}

} // namespace csp
