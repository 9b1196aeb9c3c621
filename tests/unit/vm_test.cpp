// Unit tests for the VM (runtime/): hand-assembled Programs run to completion, checking
// results (written to stdout by small test natives), Go's panic and fatal error texts,
// exit statuses, the builtin print format and the disassembler. A disabled benchmark
// (--gtest_also_run_disabled_tests --gtest_filter='*Benchmark*') times fib(32) and loops.
#include "runtime/disasm.hpp"
#include "runtime/panic.hpp"
#include "runtime/vm.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace csp;
using O = Opcode;

Instr I(Opcode op, uint16_t a = 0, uint16_t b = 0, uint16_t c = 0) { return Instr::make(op, a, b, c); }
Instr J(Opcode op, uint16_t a, int32_t sbx) { return Instr::make_sbx(op, a, sbx); }
// c operand holding a signed 16-bit value (ADDI, jumps).
uint16_t sc(int v) { return uint16_t(int16_t(v)); }
Slot K(int64_t v) { return Slot{.i = v}; }
Slot KF(double v) { return Slot{.f = v}; }

// ---- Test natives: they write their argument to stdout, one per line.
void out_int(VM& vm, Slot* frame) { vm.out().write(std::to_string(frame[0].i) + "\n"); }
void out_uint(VM& vm, Slot* frame) { vm.out().write(std::to_string(frame[0].u) + "\n"); }
void out_float(VM& vm, Slot* frame) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g\n", frame[0].f);
    vm.out().write(buffer);
}
void out_string(VM& vm, Slot* frame) {
    vm.out().write(load_string(frame).view());
    vm.out().write("\n");
}
// sum(a, b, c int) int
void sum3(VM&, Slot* frame) { frame[0].i = frame[0].i + frame[1].i + frame[2].i; }
// sum of a []int: (slice) int
void sum_slice(VM&, Slot* frame) {
    SliceRef slice = load_slice(frame);
    int64_t total = 0;
    for (int64_t k = 0; k < slice.len; ++k) total += static_cast<Slot*>(slice.data)[k].i;
    frame[0].i = slice.data == nullptr ? -1 : total * 1000 + slice.cap; // -1: a nil slice
}
void fail_native(VM& vm, Slot*) { vm.raise_panic_message("runtime error: from native"); }
void fatal_native(VM& vm, Slot*) { vm.raise_fatal_error("all goroutines are asleep - deadlock!"); }
void string_panic_native(VM& vm, Slot*) { vm.raise_panic_string("strings: negative Repeat count"); }
void big_write(VM& vm, Slot*) { vm.out().write(std::string(100000, 'y')); }
void huge_string(VM& vm, Slot* frame) {
    store_string(frame, {nullptr, 0});
    vm.heap().allocate(size_t(1) << 40);
}

// Builds a Program function by function. Function 0.. are added in order; natives too.
struct Builder {
    Program program;

    Builder() { program.file_path = "/src/test.csp"; }

    uint32_t function(std::string name, uint32_t params, uint32_t results, uint32_t frame,
                      std::vector<Instr> code, std::vector<Slot> constants = {},
                      std::vector<uint32_t> lines = {}) {
        auto function = std::make_unique<Function>();
        function->name = std::move(name);
        function->param_slots = params;
        function->result_slots = results;
        function->frame_slots = frame;
        function->has_params = params > 0;
        function->code = std::move(code);
        function->constants = std::move(constants);
        if (lines.empty())
            for (size_t k = 0; k < function->code.size(); ++k) lines.push_back(uint32_t(10 + k));
        function->lines = std::move(lines);
        program.functions.push_back(std::move(function));
        return uint32_t(program.functions.size() - 1);
    }

    // Reserves an index now and fills it later (for recursion and forward calls).
    uint32_t reserve() { return function("?", 0, 0, 0, {}); }
    void define(uint32_t index, std::string name, uint32_t params, uint32_t results, uint32_t frame,
                std::vector<Instr> code, std::vector<Slot> constants = {},
                std::vector<uint32_t> lines = {}) {
        function(std::move(name), params, results, frame, std::move(code), std::move(constants),
                 std::move(lines));
        std::swap(program.functions[index], program.functions.back());
        program.functions.pop_back();
    }

    uint32_t native(std::string name, NativeFn fn, uint32_t params, uint32_t results) {
        auto function = std::make_unique<Function>();
        function->name = std::move(name);
        function->native = fn;
        function->param_slots = params;
        function->result_slots = results;
        function->has_params = params > 0;
        program.functions.push_back(std::move(function));
        return uint32_t(program.functions.size() - 1);
    }

    uint32_t type(TypeKind kind, std::string name, uint32_t slots) {
        program.types.push_back(std::make_unique<RtType>(RtType{kind, std::move(name), slots}));
        return uint32_t(program.types.size() - 1);
    }

    // A string constant: two slots appended to `constants`; returns the first index.
    uint16_t string_constant(std::vector<Slot>& constants, const std::string& text) {
        constants.push_back(Slot{.s = program.intern(text)});
        constants.push_back(Slot{.i = int64_t(text.size())});
        return uint16_t(constants.size() - 2);
    }
};

struct Result {
    int status;
    std::string out;
    std::string err;
};

Result run(const Program& program, size_t max_stack_bytes = VM::default_max_stack_bytes,
           size_t heap_limit = Heap::default_limit) {
    Result result;
    std::ostringstream errors;
    {
        VM vm(program);
        vm.out().capture_to(&result.out);
        vm.set_error_stream(&errors);
        vm.set_max_stack_bytes(max_stack_bytes);
        vm.heap().set_limit(heap_limit);
        result.status = vm.run();
    }
    result.err = errors.str();
    return result;
}

// Runs `main` as the program's entry; natives out_int=0, out_uint=1, out_float=2,
// out_string=3 are always present.
struct Asm : Builder {
    uint32_t OUT_INT = native("test.outInt", out_int, 1, 0);
    uint32_t OUT_UINT = native("test.outUint", out_uint, 1, 0);
    uint32_t OUT_FLOAT = native("test.outFloat", out_float, 1, 0);
    uint32_t OUT_STRING = native("test.outString", out_string, 2, 0);

    Result run_main(std::vector<Instr> code, std::vector<Slot> constants, uint32_t frame = 16,
                    size_t max_stack_bytes = VM::default_max_stack_bytes) {
        program.init_function = function("main.main", 0, 0, frame, std::move(code), std::move(constants));
        return run(program, max_stack_bytes);
    }
};

// ---------------------------------------------------------------------------------------

TEST(VM, IntegerArithmeticWraps) {
    Asm t;
    int64_t max = std::numeric_limits<int64_t>::max();
    auto r = t.run_main(
        {
            I(O::LOADK, 0, 0),          // max
            I(O::ADDI, 1, 0, sc(1)),    // max + 1 = min
            I(O::CALLN, 1, t.OUT_INT),
            I(O::LOADK, 1, 0),
            I(O::MUL, 1, 1, 0),         // max * max = 1
            I(O::CALLN, 1, t.OUT_INT),
            I(O::LOADK, 1, 1),          // min
            I(O::NEG, 1, 1),            // -min = min
            I(O::CALLN, 1, t.OUT_INT),
            I(O::LOADI, 2, 0),
            J(O::LOADI, 2, -70000),
            I(O::SUBK, 1, 2, 0),        // -70000 - max
            I(O::CALLN, 1, t.OUT_INT),
            I(O::LOADK, 1, 0),
            I(O::ADDK, 1, 1, 0),        // max + max = -2
            I(O::CALLN, 1, t.OUT_INT),
            I(O::LOADI, 1, 6),
            I(O::LOADI, 2, 3),
            I(O::ANDNOT, 1, 1, 2),      // 6 &^ 3 = 4
            I(O::CALLN, 1, t.OUT_INT),
            I(O::BITNOT, 1, 2),         // ^3 = -4
            I(O::CALLN, 1, t.OUT_INT),
            I(O::RET, 0, 0),
        },
        {K(max), K(std::numeric_limits<int64_t>::min())});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "-9223372036854775808\n1\n-9223372036854775808\n"
                     "9223372036854705809\n-2\n4\n-4\n");
    EXPECT_EQ(r.err, "");
}

TEST(VM, SignedAndUnsignedDivision) {
    Asm t;
    int64_t min = std::numeric_limits<int64_t>::min();
    std::vector<Instr> code;
    std::vector<Slot> constants;
    struct Case { Opcode op; int64_t x, y; bool u; };
    std::vector<Case> cases = {
        {O::DIV, 7, -2, false},  {O::REM, 7, -2, false},  {O::DIV, -7, 2, false},
        {O::REM, -7, 2, false},  {O::DIV, min, -1, false}, {O::REM, min, -1, false},
        {O::DIVU, -1, 2, true},  {O::REMU, -1, 10, true},
    };
    for (const Case& c : cases) {
        constants.push_back(K(c.x));
        constants.push_back(K(c.y));
        code.push_back(I(O::LOADK, 2, uint16_t(constants.size() - 2)));
        code.push_back(I(O::LOADK, 3, uint16_t(constants.size() - 1)));
        code.push_back(I(c.op, 1, 2, 3));
        code.push_back(I(O::CALLN, 1, c.u ? t.OUT_UINT : t.OUT_INT));
    }
    code.push_back(I(O::RET, 0, 0));
    auto r = t.run_main(code, constants);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "-3\n1\n-3\n-1\n-9223372036854775808\n0\n9223372036854775807\n5\n");
}

TEST(VM, DivideByZeroPanicsWithTrace) {
    for (Opcode op : {O::DIV, O::DIVU, O::REM, O::REMU}) {
        Asm t;
        uint32_t divide = t.function("main.divide", 2, 1, 3,
                                     {I(op, 2, 0, 1), I(O::RET, 2, 1)}, {}, {6, 7});
        t.program.init_function = t.function(
            "main.main", 0, 0, 8,
            {I(O::LOADI, 0, 7), I(O::LOADI, 1, 4), I(O::CALL, 0, divide),
             I(O::CALLN, 0, t.OUT_INT), I(O::LOADI, 0, 1), I(O::LOADI, 1, 0),
             I(O::CALL, 0, divide), I(O::RET, 0, 0)},
            {}, {11, 11, 11, 11, 12, 12, 12, 13});
        auto r = run(t.program);
        EXPECT_EQ(r.status, 2);
        bool remainder = op == O::REM || op == O::REMU;
        EXPECT_EQ(r.out, remainder ? "3\n" : "1\n");
        EXPECT_EQ(r.err, "panic: runtime error: integer divide by zero\n\n"
                         "goroutine 1 [running]:\n"
                         "main.divide(...)\n\t/src/test.csp:6\n"
                         "main.main()\n\t/src/test.csp:12\n")
            << opcode_name(op);
    }
}

TEST(VM, ShiftsBeyondWidth) {
    Asm t;
    std::vector<Instr> code;
    std::vector<Slot> constants;
    struct Case { Opcode op; int64_t x; uint64_t n; };
    std::vector<Case> cases = {
        {O::SHL, 1, 63}, {O::SHL, 1, 64}, {O::SHL, 1, ~0ull}, {O::SHR, -8, 1},
        {O::SHR, -8, 64}, {O::SHR, 8, 100}, {O::SHRU, -1, 63}, {O::SHRU, -1, 64},
    };
    for (const Case& c : cases) {
        constants.push_back(K(c.x));
        constants.push_back(Slot{.u = c.n});
        code.push_back(I(O::LOADK, 2, uint16_t(constants.size() - 2)));
        code.push_back(I(O::LOADK, 3, uint16_t(constants.size() - 1)));
        code.push_back(I(c.op, 1, 2, 3));
        code.push_back(I(O::CALLN, 1, t.OUT_INT));
    }
    code.push_back(I(O::LOADI, 1, 5));
    code.push_back(I(O::CHKSHIFT, 1)); // fine
    code.push_back(J(O::LOADI, 1, -1));
    code.push_back(I(O::CHKSHIFT, 1)); // panics
    code.push_back(I(O::RET, 0, 0));
    auto r = t.run_main(code, constants);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "-9223372036854775808\n0\n0\n-4\n-1\n0\n1\n0\n");
    EXPECT_EQ(r.err, "panic: runtime error: negative shift amount\n\ngoroutine 1 [running]:\n"
                     "main.main()\n\t/src/test.csp:45\n");
}

TEST(VM, SignAndZeroExtension) {
    Asm t;
    auto r = t.run_main(
        {
            I(O::LOADK, 0, 0), I(O::SEXT8, 1, 0), I(O::CALLN, 1, t.OUT_INT),
            I(O::ZEXT8, 1, 0), I(O::CALLN, 1, t.OUT_INT),
            I(O::SEXT16, 1, 0), I(O::CALLN, 1, t.OUT_INT),
            I(O::ZEXT16, 1, 0), I(O::CALLN, 1, t.OUT_INT),
            I(O::SEXT32, 1, 0), I(O::CALLN, 1, t.OUT_INT),
            I(O::ZEXT32, 1, 0), I(O::CALLN, 1, t.OUT_INT),
            I(O::RET, 0, 0),
        },
        {K(0x1234'8000'80FF)});
    EXPECT_EQ(r.out, "-1\n255\n-32513\n33023\n-2147450625\n2147516671\n");
}

TEST(VM, FloatOperationsAndConversions) {
    Asm t;
    double nan = std::numeric_limits<double>::quiet_NaN();
    auto r = t.run_main(
        {
            I(O::LOADK, 0, 0), I(O::LOADK, 1, 1),                   // 1.5, 0.25
            I(O::FADD, 2, 0, 1), I(O::CALLN, 2, t.OUT_FLOAT),       // 1.75
            I(O::FSUB, 2, 0, 1), I(O::CALLN, 2, t.OUT_FLOAT),       // 1.25
            I(O::FMUL, 2, 0, 1), I(O::CALLN, 2, t.OUT_FLOAT),       // 0.375
            I(O::FDIV, 2, 0, 1), I(O::CALLN, 2, t.OUT_FLOAT),       // 6
            I(O::LOADI, 3, 0), I(O::FDIV, 2, 0, 3), I(O::CALLN, 2, t.OUT_FLOAT), // +inf
            I(O::FNEG, 2, 0), I(O::CALLN, 2, t.OUT_FLOAT),          // -1.5
            I(O::LOADK, 4, 2), I(O::FROUND32, 2, 4), I(O::CALLN, 2, t.OUT_FLOAT), // float32(0.1)
            I(O::LOADK, 4, 3), I(O::FROUND32, 2, 4), I(O::CALLN, 2, t.OUT_FLOAT), // 1e39 -> inf
            I(O::LOADK, 4, 4),                                      // NaN
            I(O::F2I, 2, 4), I(O::CALLN, 2, t.OUT_INT),
            I(O::F2U, 2, 4), I(O::CALLN, 2, t.OUT_UINT),
            I(O::LOADK, 4, 3),                                      // 1e39
            I(O::F2I, 2, 4), I(O::CALLN, 2, t.OUT_INT),
            I(O::F2U, 2, 4), I(O::CALLN, 2, t.OUT_UINT),
            I(O::FNEG, 4, 4),                                       // -1e39
            I(O::F2I, 2, 4), I(O::CALLN, 2, t.OUT_INT),
            I(O::F2U, 2, 4), I(O::CALLN, 2, t.OUT_UINT),
            I(O::LOADK, 4, 5),                                      // -3.9
            I(O::F2I, 2, 4), I(O::CALLN, 2, t.OUT_INT),
            J(O::LOADI, 4, -7), I(O::I2F, 2, 4), I(O::CALLN, 2, t.OUT_FLOAT),
            I(O::U2F, 2, 4), I(O::CALLN, 2, t.OUT_FLOAT),           // 2^64 - 7 as float
            I(O::LOADK, 4, 4),                                      // NaN comparisons
            I(O::FEQ, 2, 4, 4), I(O::CALLN, 2, t.OUT_INT),
            I(O::FNE, 2, 4, 4), I(O::CALLN, 2, t.OUT_INT),
            I(O::FLT, 2, 1, 0), I(O::CALLN, 2, t.OUT_INT),
            I(O::FLE, 2, 0, 1), I(O::CALLN, 2, t.OUT_INT),
            I(O::RET, 0, 0),
        },
        {KF(1.5), KF(0.25), KF(0.1), KF(1e39), KF(nan), KF(-3.9)});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "1.75\n1.25\n0.375\n6\ninf\n-1.5\n0.10000000149011612\ninf\n"
                     // Go on amd64: MinInt64, and 2^63 for uint64, whenever out of range or NaN
                     "-9223372036854775808\n9223372036854775808\n-9223372036854775808\n9223372036854775808\n"
                     "-9223372036854775808\n9223372036854775808\n-3\n-7\n1.8446744073709552e+19\n0\n1\n1\n0\n");
}

TEST(VM, ComparisonsAndJumps) {
    Asm t;
    // Counts how many of a list of conditional jumps are taken: each taken jump skips an
    // ADDI that adds 100; untaken ones add 1.
    std::vector<Instr> code = {I(O::LOADI, 0, 0), J(O::LOADI, 1, -5), I(O::LOADI, 2, 3)};
    auto jump = [&](Instr j) {
        code.push_back(j);
        code.push_back(I(O::ADDI, 0, 0, 1));
    };
    jump(I(O::JLT, 1, 2, sc(1)));   // -5 < 3: taken
    jump(I(O::JLTU, 1, 2, sc(1)));  // huge < 3: not taken
    jump(I(O::JLE, 2, 2, sc(1)));   // taken
    jump(I(O::JLEU, 2, 1, sc(1)));  // taken
    jump(I(O::JEQ, 1, 2, sc(1)));   // not
    jump(I(O::JNE, 1, 2, sc(1)));   // taken
    jump(I(O::JEQK, 2, 0, sc(1)));  // 3 == K0(3): taken
    jump(I(O::JNEK, 2, 0, sc(1)));  // not
    jump(I(O::JLTK, 1, 0, sc(1)));  // taken
    jump(I(O::JLEK, 2, 0, sc(1)));  // taken
    jump(I(O::JGTK, 2, 0, sc(1)));  // not
    jump(I(O::JGEK, 2, 0, sc(1)));  // taken
    jump(J(O::JMPIF, 2, 1));        // taken
    jump(J(O::JMPIFNOT, 2, 1));     // not
    code.push_back(I(O::CALLN, 0, t.OUT_INT));
    // bool-producing comparisons, summed into R0 as bits
    code.push_back(I(O::LT, 3, 1, 2)); code.push_back(I(O::CALLN, 3, t.OUT_INT));
    code.push_back(I(O::LTU, 3, 1, 2)); code.push_back(I(O::CALLN, 3, t.OUT_INT));
    code.push_back(I(O::LE, 3, 2, 2)); code.push_back(I(O::CALLN, 3, t.OUT_INT));
    code.push_back(I(O::LEU, 3, 1, 2)); code.push_back(I(O::CALLN, 3, t.OUT_INT));
    code.push_back(I(O::EQ, 3, 1, 1)); code.push_back(I(O::CALLN, 3, t.OUT_INT));
    code.push_back(I(O::NE, 3, 1, 1)); code.push_back(I(O::CALLN, 3, t.OUT_INT));
    code.push_back(I(O::NOT, 3, 3)); code.push_back(I(O::CALLN, 3, t.OUT_INT));
    code.push_back(J(O::JMP, 0, 1));
    code.push_back(I(O::CALLN, 3, t.OUT_INT)); // skipped
    code.push_back(I(O::RET, 0, 0));
    auto r = t.run_main(code, {K(3)});
    EXPECT_EQ(r.out, "5\n1\n0\n1\n0\n1\n0\n1\n");
}

TEST(VM, MovesGlobalsAndConstants) {
    Asm t;
    t.program.global_slots = 2;
    auto r = t.run_main(
        {
            I(O::LOADI, 0, 1), I(O::LOADI, 1, 2), I(O::LOADI, 2, 3),
            I(O::MOVE2, 1, 0),          // overlapping: R1, R2 := R0, R1 = 1, 2
            I(O::CALLN, 2, t.OUT_INT),  // 2 (before the call overwrites... natives read R2)
            I(O::LOADI, 0, 7), I(O::LOADI, 1, 8), I(O::LOADI, 2, 9),
            I(O::MOVEN, 4, 0, 3),       // R4..R6 = 7 8 9
            I(O::CALLN, 6, t.OUT_INT),
            I(O::LOADNIL, 4, 0, 3),
            I(O::CALLN, 5, t.OUT_INT),
            I(O::LOADI, 0, 42), I(O::STOREG, 0, 1), I(O::LOADG, 9, 1), I(O::CALLN, 9, t.OUT_INT),
            I(O::MOVE, 10, 9), I(O::CALLN, 10, t.OUT_INT),
            I(O::LOADK2, 11, 0), I(O::CALLN, 11, t.OUT_STRING),
            I(O::RET, 0, 0),
        },
        {Slot{.s = t.program.intern("konst")}, K(5)});
    EXPECT_EQ(r.out, "2\n9\n0\n42\n42\nkonst\n");
}

TEST(VM, StringOperations) {
    Asm t;
    std::vector<Slot> k;
    uint16_t hello = t.string_constant(k, "hello, ");
    uint16_t world = t.string_constant(k, "world");
    uint16_t utf = t.string_constant(k, "\xc3\xa9\xff\xe2\x82\xed\xa0\x80\xf0\x9f\x98\x80");
    auto r = t.run_main(
        {
            I(O::LOADK2, 0, hello), I(O::LOADK2, 2, world),
            I(O::CONCAT, 4, 0, 2), I(O::CALLN, 4, t.OUT_STRING), // hello, world
            I(O::SLEN, 6, 4), I(O::CALLN, 6, t.OUT_INT),         // 12
            I(O::LOADNIL, 6, 0, 2), I(O::CONCAT, 8, 6, 2), I(O::CALLN, 8, t.OUT_STRING), // "" + world
            I(O::SEQ, 10, 8, 2), I(O::CALLN, 10, t.OUT_INT),     // 1
            I(O::SNE, 10, 8, 2), I(O::CALLN, 10, t.OUT_INT),     // 0
            I(O::SLT, 10, 0, 2), I(O::CALLN, 10, t.OUT_INT),     // "hello, " < "world": 1
            I(O::SLE, 10, 2, 0), I(O::CALLN, 10, t.OUT_INT),     // 0
            I(O::SLT, 10, 6, 0), I(O::CALLN, 10, t.OUT_INT),     // "" < "hello, ": 1
            I(O::SEQ, 10, 6, 6), I(O::CALLN, 10, t.OUT_INT),     // "" == "": 1
            I(O::LOADI, 11, 1), I(O::SINDEX, 10, 2, 11), I(O::CALLN, 10, t.OUT_INT), // 'o'
            // RUNEAT over "é", 0xff, truncated e2 82, surrogate ed a0 80, U+1F600
            I(O::LOADK2, 0, utf),
            I(O::LOADI, 2, 0), I(O::RUNEAT, 3, 0, 2), I(O::CALLN, 3, t.OUT_INT), I(O::CALLN, 4, t.OUT_INT),
            I(O::LOADI, 2, 2), I(O::RUNEAT, 3, 0, 2), I(O::CALLN, 3, t.OUT_INT), I(O::CALLN, 4, t.OUT_INT),
            I(O::LOADI, 2, 3), I(O::RUNEAT, 3, 0, 2), I(O::CALLN, 3, t.OUT_INT), I(O::CALLN, 4, t.OUT_INT),
            I(O::LOADI, 2, 5), I(O::RUNEAT, 3, 0, 2), I(O::CALLN, 3, t.OUT_INT), I(O::CALLN, 4, t.OUT_INT),
            I(O::LOADI, 2, 8), I(O::RUNEAT, 3, 0, 2), I(O::CALLN, 3, t.OUT_INT), I(O::CALLN, 4, t.OUT_INT),
            I(O::LOADI, 2, 11), I(O::RUNEAT, 3, 0, 2), I(O::CALLN, 3, t.OUT_INT), I(O::CALLN, 4, t.OUT_INT),
            I(O::LOADI, 11, 5), I(O::LOADK2, 8, world), I(O::LOADK2, 0, hello),
            I(O::SLEN, 2, 8), I(O::SINDEX, 10, 8, 2),            // "world"[5]: panics
            I(O::RET, 0, 0),
        },
        k);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "hello, world\n12\nworld\n1\n0\n1\n0\n1\n1\n111\n"
                     "233\n2\n65533\n1\n65533\n1\n65533\n1\n128512\n4\n65533\n1\n");
    EXPECT_EQ(r.err, "panic: runtime error: index out of range [5] with length 5\n\n"
                     "goroutine 1 [running]:\nmain.main()\n\t/src/test.csp:63\n");
}

TEST(VM, NegativeStringIndexOmitsLength) {
    Asm t;
    std::vector<Slot> k;
    uint16_t abc = t.string_constant(k, "abc");
    auto r = t.run_main({I(O::LOADK2, 0, abc), J(O::LOADI, 2, -1), I(O::SINDEX, 3, 0, 2),
                         I(O::RET, 0, 0)},
                        k);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "panic: runtime error: index out of range [-1]");
}

TEST(VM, CallWithMultipleResults) {
    Asm t;
    // divmod(a, b int) (int, int)
    uint32_t divmod = t.function("main.divmod", 2, 2, 4,
                                 {I(O::DIV, 2, 0, 1), I(O::REM, 3, 0, 1), I(O::RET, 2, 2)});
    auto r = t.run_main({I(O::LOADI, 5, 17), I(O::LOADI, 6, 5), I(O::CALL, 5, divmod),
                         I(O::CALLN, 5, t.OUT_INT), I(O::CALLN, 6, t.OUT_INT), I(O::RET, 0, 0)},
                        {});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "3\n2\n");
}

TEST(VM, NewFrameRegistersAreZeroed) {
    Asm t;
    uint32_t dirty = t.function("main.dirty", 0, 0, 4,
                                {I(O::LOADI, 0, 7), I(O::LOADI, 1, 7), I(O::LOADI, 2, 7),
                                 I(O::LOADI, 3, 7), I(O::RET, 0, 0)});
    uint32_t clean = t.function("main.clean", 1, 1, 4,
                                {I(O::ADD, 0, 0, 1), I(O::ADD, 0, 0, 2), I(O::ADD, 0, 0, 3),
                                 I(O::RET, 0, 1)});
    auto r = t.run_main({I(O::CALL, 4, dirty), I(O::LOADI, 4, 1), I(O::CALL, 4, clean),
                         I(O::CALLN, 4, t.OUT_INT), I(O::RET, 0, 0)},
                        {});
    EXPECT_EQ(r.out, "1\n");
}

// fib(n int) int: if n < 2 { return n }; return fib(n-1) + fib(n-2)
uint32_t add_fib(Builder& b) {
    uint32_t fib = b.reserve();
    b.define(fib, "main.fib", 1, 1, 4,
             {I(O::JGEK, 0, 0, sc(1)), I(O::RET, 0, 1), I(O::ADDI, 2, 0, sc(-1)),
              I(O::CALL, 2, uint16_t(fib)), I(O::ADDI, 3, 0, sc(-2)), I(O::CALL, 3, uint16_t(fib)),
              I(O::ADD, 1, 2, 3), I(O::RET, 1, 1)},
             {K(2)});
    return fib;
}

TEST(VM, RecursiveFib) {
    Asm t;
    uint32_t fib = add_fib(t);
    auto r = t.run_main({I(O::LOADI, 0, 20), I(O::CALL, 0, uint16_t(fib)),
                         I(O::CALLN, 0, t.OUT_INT), I(O::RET, 0, 0)},
                        {});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "6765\n");
}

TEST(VM, ClosuresShareCells) {
    Asm t;
    // counter := func() int { x++; return x } capturing cell x; inner closure (func1.1)
    // captures the same cell through its enclosing closure and adds 10.
    uint32_t inner = t.function("main.main.func1.1", 0, 0, 2,
                                {I(O::LOADUP, 0, 0, 0), I(O::ADDI, 0, 0, sc(10)),
                                 I(O::STOREUP, 0, 0, 0), I(O::RET, 0, 0)});
    uint32_t counter = t.function("main.main.func1", 0, 1, 3,
                                  {I(O::LOADUP, 0, 0, 0), I(O::ADDI, 0, 0, sc(1)),
                                   I(O::STOREUP, 0, 0, 0), I(O::CLOSURE, 1, uint16_t(inner), 1),
                                   I(O::CAPTURE, 1, 0), I(O::RET, 0, 1)});
    auto r = t.run_main(
        {
            I(O::NEWCELL, 0, 1),                         // x
            I(O::LOADI, 1, 5), I(O::STORECELL, 1, 0, 0), // x = 5
            I(O::CLOSURE, 1, uint16_t(counter), 1), I(O::CAPTURE, 0, 0),
            I(O::CALLV, 2, 1), I(O::CALLN, 2, t.OUT_INT),                   // 6
            I(O::CALLV, 2, 1), I(O::CALLN, 2, t.OUT_INT),                   // 7
            I(O::LOADCELL, 3, 0, 0), I(O::CALLN, 3, t.OUT_INT),             // 7
            I(O::CLOSURE, 4, uint16_t(inner), 1), I(O::CAPTURE, 0, 0),
            I(O::CALLV, 5, 4), I(O::LOADCELL, 3, 0, 0), I(O::CALLN, 3, t.OUT_INT), // 17
            I(O::LOADF, 6, uint16_t(t.OUT_INT)), I(O::LOADI, 7, 99), I(O::CALLV, 7, 6), // 99
            I(O::RET, 0, 0),
        },
        {});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "6\n7\n7\n17\n99\n");
}

TEST(VM, StaticClosureViaLoadf) {
    Asm t;
    uint32_t twice = t.function("main.twice", 1, 1, 1, {I(O::ADD, 0, 0, 0), I(O::RET, 0, 1)});
    auto r = t.run_main({I(O::LOADF, 0, uint16_t(twice)), I(O::LOADF, 1, uint16_t(twice)),
                         I(O::EQ, 2, 0, 1), I(O::CALLN, 2, t.OUT_INT), // same closure
                         I(O::LOADI, 3, 21), I(O::CALLV, 3, 0), I(O::CALLN, 3, t.OUT_INT),
                         I(O::RET, 0, 0)},
                        {});
    EXPECT_EQ(r.out, "1\n42\n");
}

TEST(VM, NilFuncCallPanicsWithSignal) {
    Asm t;
    uint32_t call = t.function("main.call", 1, 0, 3, {I(O::CALLV, 1, 0), I(O::RET, 0, 0)}, {}, {4, 5});
    t.program.init_function =
        t.function("main.main", 0, 0, 4, {I(O::LOADNIL, 0, 0, 1), I(O::CALL, 0, call), I(O::RET, 0, 0)},
                   {}, {8, 9, 10});
    auto r = run(t.program);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "panic: runtime error: invalid memory address or nil pointer dereference\n"
                     "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x0]\n\n"
                     "goroutine 1 [running]:\nmain.call(...)\n\t/src/test.csp:4\n"
                     "main.main()\n\t/src/test.csp:9\n");
}

TEST(VM, PointersLoadStoreAndAddress) {
    Asm t;
    t.program.global_slots = 2;
    auto r = t.run_main(
        {
            I(O::NEWCELL, 0, 3),                                       // p := new([3]int)
            I(O::LOADI, 1, 7), I(O::STOREP, 1, 0, 2),                  // p[2] = 7
            I(O::LOADP, 2, 0, 2), I(O::CALLN, 2, t.OUT_INT),           // 7
            I(O::ADDP, 3, 0, 1), I(O::LOADI, 1, 5), I(O::STOREP, 1, 3, 0), // *(&p[1]) = 5
            I(O::LOADPN, 4, 0, 3), I(O::CALLN, 5, t.OUT_INT),          // 5
            I(O::LOADI, 4, 1), I(O::LOADI, 5, 2), I(O::LOADI, 6, 3),
            I(O::STOREPN, 4, 0, 3), I(O::LOADP, 7, 0, 0), I(O::CALLN, 7, t.OUT_INT), // 1
            I(O::LOADI, 8, 9), I(O::STOREG, 8, 1), I(O::GADDR, 9, 1),   // &G[1]
            I(O::LOADP, 10, 9, 0), I(O::CALLN, 10, t.OUT_INT),         // 9
            I(O::LOADI, 8, 4), I(O::STOREP, 8, 9, 0), I(O::LOADG, 10, 1), I(O::CALLN, 10, t.OUT_INT), // 4
            I(O::RET, 0, 0),
        },
        {});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "7\n5\n1\n9\n4\n");
}

TEST(VM, AddressOfCapturedVariable) {
    Asm t;
    // func() *int { return &x } for a captured x, then *p = 42 seen through the cell.
    uint32_t addr = t.function("main.main.func1", 0, 1, 1, {I(O::UPADDR, 0, 0), I(O::RET, 0, 1)});
    auto r = t.run_main({I(O::NEWCELL, 0, 1), I(O::CLOSURE, 1, uint16_t(addr), 1), I(O::CAPTURE, 0, 0),
                         I(O::CALLV, 2, 1), I(O::LOADI, 3, 42), I(O::STOREP, 3, 2, 0),
                         I(O::LOADCELL, 4, 0, 0), I(O::CALLN, 4, t.OUT_INT), I(O::RET, 0, 0)},
                        {});
    EXPECT_EQ(r.out, "42\n");
}

TEST(VM, NilPointerLoadPanicsWithSignal) {
    for (Opcode op : {O::LOADP, O::STOREP, O::LOADPN, O::STOREPN, O::ADDP}) {
        Asm t;
        auto r = t.run_main({I(O::LOADNIL, 0, 0, 1), I(op, 1, 0, 1), I(O::RET, 0, 0)}, {});
        EXPECT_EQ(r.status, 2);
        EXPECT_EQ(r.err, "panic: runtime error: invalid memory address or nil pointer dereference\n"
                         "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x0]\n\n"
                         "goroutine 1 [running]:\nmain.main()\n\t/src/test.csp:11\n")
            << opcode_name(op);
    }
}

TEST(VM, InterfaceEquality) {
    Asm t;
    uint32_t int_type = t.type(TypeKind::Int, "int", 1);
    uint32_t other_int = t.type(TypeKind::Int, "main.MyInt", 1);
    uint32_t str = t.type(TypeKind::String, "string", 2);
    uint32_t fn = t.type(TypeKind::Func, "func()", 1);
    std::vector<Slot> k;
    uint16_t a = t.string_constant(k, "ab");
    uint16_t b = t.string_constant(k, "ab");
    auto r = t.run_main(
        {
            I(O::LOADI, 0, 3), I(O::BOX, 1, 0, uint16_t(int_type)), I(O::BOX, 3, 0, uint16_t(int_type)),
            I(O::IEQ, 5, 1, 3), I(O::CALLN, 5, t.OUT_INT),             // 1: same type and value
            I(O::BOX, 3, 0, uint16_t(other_int)), I(O::IEQ, 5, 1, 3), I(O::CALLN, 5, t.OUT_INT), // 0
            I(O::LOADK2, 6, a), I(O::BOXN, 1, 6, uint16_t(str)), I(O::LOADK2, 6, b),
            I(O::BOXN, 3, 6, uint16_t(str)), I(O::IEQ, 5, 1, 3), I(O::CALLN, 5, t.OUT_INT), // 1
            I(O::LOADNIL, 1, 0, 2), I(O::LOADNIL, 3, 0, 2), I(O::IEQ, 5, 1, 3), I(O::CALLN, 5, t.OUT_INT), // 1
            I(O::LOADF, 0, uint16_t(t.OUT_INT)), I(O::BOX, 1, 0, uint16_t(fn)), I(O::BOX, 3, 0, uint16_t(fn)),
            I(O::IEQ, 5, 1, 3), I(O::RET, 0, 0),
        },
        k);
    EXPECT_EQ(r.out, "1\n0\n1\n1\n");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "panic: runtime error: comparing uncomparable type func()\n\n"
                     "goroutine 1 [running]:\nmain.main()\n\t/src/test.csp:31\n");
}

TEST(VM, NativesViaCallnAndCall) {
    Asm t;
    uint32_t sum = t.native("test.sum", sum3, 3, 1);
    auto r = t.run_main({I(O::LOADI, 3, 1), I(O::LOADI, 4, 20), I(O::LOADI, 5, 300),
                         I(O::CALLN, 3, uint16_t(sum)), I(O::CALLN, 3, t.OUT_INT),
                         I(O::LOADI, 4, 20), I(O::LOADI, 5, 300),
                         I(O::CALL, 3, uint16_t(sum)), I(O::CALLN, 3, t.OUT_INT), I(O::RET, 0, 0)},
                        {});
    EXPECT_EQ(r.out, "321\n641\n");
}

TEST(VM, NativePanicUsesCallerLine) {
    Asm t;
    uint32_t fail = t.native("test.fail", fail_native, 0, 0);
    auto r = t.run_main({I(O::NOP), I(O::CALLN, 0, uint16_t(fail)), I(O::RET, 0, 0)}, {});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "panic: runtime error: from native\n\ngoroutine 1 [running]:\n"
                     "main.main()\n\t/src/test.csp:11\n");
}

TEST(VM, MakeSliceForNative) {
    Asm t;
    uint32_t sum = t.native("test.sumSlice", sum_slice, 3, 1);
    auto r = t.run_main({I(O::LOADI, 0, 4), I(O::LOADI, 1, 5), I(O::LOADI, 2, 6),
                         I(O::MKSLICE, 3, 0, (3 << 4) | 1), I(O::CALLN, 3, uint16_t(sum)),
                         I(O::CALLN, 3, t.OUT_INT), I(O::MKSLICE, 3, 0, 0 | 1),
                         I(O::CALLN, 3, uint16_t(sum)), I(O::CALLN, 3, t.OUT_INT), I(O::RET, 0, 0)},
                        {});
    EXPECT_EQ(r.out, "15003\n-1\n"); // no elements: a nil slice, as Go passes for f()
}

TEST(VM, NativeFatalErrorAndStringPanic) {
    {
        Asm t;
        uint32_t fatal = t.native("test.fatal", fatal_native, 0, 0);
        auto r = t.run_main({I(O::CALLN, 0, uint16_t(fatal)), I(O::RET, 0, 0)}, {});
        EXPECT_EQ(r.status, 2);
        EXPECT_EQ(r.err, "fatal error: all goroutines are asleep - deadlock!\n\n"
                         "goroutine 1 [running]:\nmain.main()\n\t/src/test.csp:10\n");
    }
    {
        Asm t;
        uint32_t fail = t.native("test.fail", string_panic_native, 0, 0);
        auto r = t.run_main({I(O::CALLN, 0, uint16_t(fail)), I(O::RET, 0, 0)}, {});
        EXPECT_EQ(r.status, 2);
        EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "panic: strings: negative Repeat count");
    }
}

TEST(VM, LargeOutputIsFlushedInOrder) {
    Asm t;
    uint32_t write = t.native("test.bigWrite", big_write, 0, 0);
    auto r = t.run_main({I(O::LOADI, 0, 7), I(O::CALLN, 0, t.OUT_INT), I(O::CALLN, 0, uint16_t(write)),
                         I(O::CALLN, 0, uint16_t(write)), I(O::LOADI, 0, 8), I(O::CALLN, 0, t.OUT_INT),
                         I(O::RET, 0, 0)},
                        {});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "7\n" + std::string(200000, 'y') + "8\n");
}

TEST(VM, MakeSliceOfTwoSlotElements) {
    Asm t;
    std::vector<Slot> k;
    uint16_t a = t.string_constant(k, "ab");
    uint16_t b = t.string_constant(k, "cde");
    // []string{"ab", "cde"}: read back the second element's length through the slice.
    uint32_t second_len = t.native(
        "test.secondLen",
        [](VM&, Slot* frame) {
            SliceRef slice = load_slice(frame);
            frame[0].i = load_string(static_cast<Slot*>(slice.data) + 2).len * 10 + slice.len;
        },
        3, 1);
    auto r = t.run_main({I(O::LOADK2, 0, a), I(O::LOADK2, 2, b), I(O::MKSLICE, 4, 0, (2 << 4) | 2),
                         I(O::CALLN, 4, uint16_t(second_len)), I(O::CALLN, 4, t.OUT_INT), I(O::RET, 0, 0)},
                        k);
    EXPECT_EQ(r.out, "32\n");
}

// Panics with a boxed value of type `type_index`, built by `setup` into R[0..].
Result panic_with(Asm& t, std::vector<Instr> setup, std::vector<Slot> constants) {
    setup.push_back(I(O::PANIC, 4));
    return t.run_main(std::move(setup), std::move(constants));
}

TEST(VM, PanicValuesPrintLikeGo) {
    {
        Asm t;
        uint32_t T = t.type(TypeKind::Int, "main.T", 1);
        auto r = panic_with(t, {I(O::LOADI, 0, 5), I(O::BOX, 4, 0, uint16_t(T))}, {});
        EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "panic: main.T(5)");
    }
    {
        Asm t;
        uint32_t T = t.type(TypeKind::Int, "int", 1);
        auto r = panic_with(t, {J(O::LOADI, 0, -5), I(O::BOX, 4, 0, uint16_t(T))}, {});
        EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "panic: -5");
    }
    {
        Asm t;
        uint32_t T = t.type(TypeKind::Uint8, "uint8", 1);
        auto r = panic_with(t, {I(O::LOADI, 0, 200), I(O::BOX, 4, 0, uint16_t(T))}, {});
        EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "panic: 200");
    }
    {
        Asm t;
        std::vector<Slot> k;
        uint16_t s = t.string_constant(k, "boom \"x\"");
        uint32_t T = t.type(TypeKind::String, "string", 2);
        auto r = panic_with(t, {I(O::LOADK2, 0, s), I(O::BOXN, 4, 0, uint16_t(T))}, k);
        EXPECT_EQ(r.status, 2);
        EXPECT_EQ(r.err, "panic: boom \"x\"\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/test.csp:12\n");
    }
    {
        Asm t;
        std::vector<Slot> k;
        uint16_t s = t.string_constant(k, "bad");
        uint32_t T = t.type(TypeKind::String, "main.E", 2);
        auto r = panic_with(t, {I(O::LOADK2, 0, s), I(O::BOXN, 4, 0, uint16_t(T))}, k);
        EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "panic: main.E(\"bad\")");
    }
    {
        Asm t;
        uint32_t T = t.type(TypeKind::Float64, "float64", 1);
        auto r = panic_with(t, {I(O::LOADK, 0, 0), I(O::BOX, 4, 0, uint16_t(T))}, {KF(3.5)});
        EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "panic: +3.500000e+000");
    }
    {
        Asm t;
        uint32_t T = t.type(TypeKind::Float64, "main.F", 1);
        auto r = panic_with(t, {I(O::LOADK, 0, 0), I(O::BOX, 4, 0, uint16_t(T))}, {KF(-0.002)});
        EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "panic: main.F(-2.000000e-003)");
    }
    {
        Asm t;
        uint32_t T = t.type(TypeKind::Bool, "bool", 1);
        auto r = panic_with(t, {I(O::LOADI, 0, 1), I(O::BOX, 4, 0, uint16_t(T))}, {});
        EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "panic: true");
    }
    {
        Asm t;
        auto r = panic_with(t, {I(O::LOADNIL, 4, 0, 2)}, {});
        EXPECT_EQ(r.status, 2);
        EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "panic: nil");
    }
    {
        Asm t;
        uint32_t T = t.type(TypeKind::Func, "func()", 1);
        auto r = panic_with(t, {I(O::LOADNIL, 0, 0, 1), I(O::BOX, 4, 0, uint16_t(T))}, {});
        EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "panic: (func()) 0x0");
    }
}

TEST(VM, PanicFlushesStdoutFirstAndHidesRuntimeFrames) {
    Asm t;
    uint32_t T = t.type(TypeKind::Int, "int", 1);
    uint32_t main_main = t.function("main.main", 0, 0, 4,
                                    {I(O::LOADI, 0, 1), I(O::CALLN, 0, t.OUT_INT),
                                     I(O::BOX, 2, 0, uint16_t(T)), I(O::PANIC, 2)},
                                    {}, {3, 3, 4, 4});
    t.program.init_function =
        t.function("runtime.main", 0, 0, 1, {I(O::CALL, 0, uint16_t(main_main)), I(O::RET, 0, 0)});
    auto r = run(t.program);
    EXPECT_EQ(r.out, "1\n");
    EXPECT_EQ(r.err, "panic: 1\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/test.csp:4\n");
}

TEST(VM, StackOverflowEndsCleanly) {
    Asm t;
    // f(n int) int { return f(n+1) + 1 }
    uint32_t f = t.reserve();
    t.define(f, "main.f", 1, 1, 3,
             {I(O::ADDI, 1, 0, sc(1)), I(O::CALL, 1, uint16_t(f)), I(O::ADDI, 1, 1, sc(1)),
              I(O::RET, 1, 1)},
             {}, {4, 5, 5, 5});
    t.program.functions[f]->line = 3; // `func f` is on line 3: Go reports the entered function there
    t.program.init_function =
        t.function("main.main", 0, 0, 2, {I(O::LOADI, 0, 0), I(O::CALL, 0, uint16_t(f)), I(O::RET, 0, 0)},
                   {}, {8, 9, 9});
    auto r = run(t.program, 1 << 20);
    EXPECT_EQ(r.status, 2);
    std::string head = "runtime: goroutine stack exceeds 1048576-byte limit\n"
                       "fatal error: stack overflow\n\ngoroutine 1 [running]:\n"
                       "main.f(...)\n\t/src/test.csp:3\n";
    ASSERT_EQ(r.err.substr(0, head.size()), head);
    std::string frame = "main.f(...)\n\t/src/test.csp:5\n";
    std::string rest = r.err.substr(head.size());
    for (int k = 0; k < 99; ++k) {
        ASSERT_EQ(rest.substr(0, frame.size()), frame) << k;
        rest = rest.substr(frame.size());
    }
    EXPECT_EQ(rest, "...additional frames elided...\n");
}

TEST(VM, StackOverflowAtLargerLimit) {
    // Growth through many doublings must end with Go's message, not a crash.
    Asm t;
    uint32_t f = t.reserve();
    t.define(f, "main.f", 1, 1, 3,
             {I(O::ADDI, 1, 0, sc(1)), I(O::CALL, 1, uint16_t(f)), I(O::ADDI, 1, 1, sc(1)),
              I(O::RET, 1, 1)});
    t.program.init_function =
        t.function("main.main", 0, 0, 2, {I(O::LOADI, 0, 0), I(O::CALL, 0, uint16_t(f)), I(O::RET, 0, 0)});
    auto r = run(t.program, 64 << 20);
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err.substr(0, r.err.find("\n\n")),
              "runtime: goroutine stack exceeds 67108864-byte limit\nfatal error: stack overflow");
}

TEST(VM, OutOfMemoryIsAFatalError) {
    Asm t;
    uint32_t huge = t.native("test.huge", huge_string, 0, 2);
    auto r = t.run_main({I(O::CALLN, 0, uint16_t(huge)), I(O::RET, 0, 0)}, {});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("fatal error: out of memory\n"), std::string::npos) << r.err;
}

TEST(VM, ConcatOverHeapLimitIsOutOfMemory) {
    Asm t;
    std::vector<Slot> k;
    uint16_t s = t.string_constant(k, std::string(1000, 'x'));
    // s = s + s forever: exceeds a 1 MiB heap after a few rounds.
    Program& p = t.program;
    p.init_function = t.function("main.main", 0, 0, 4,
                                 {I(O::LOADK2, 0, s), I(O::CONCAT, 0, 0, 0), J(O::JMP, 0, -2)}, k);
    auto r = run(p, VM::default_max_stack_bytes, 1 << 20);
    EXPECT_EQ(r.status, 2);
    std::string first_line = r.err.substr(0, r.err.find('\n'));
    EXPECT_EQ(first_line.substr(0, first_line.find('(')), "runtime: out of memory: cannot allocate 1024000-byte block ");
    EXPECT_TRUE(first_line.ends_with(" in use)")) << first_line;
    EXPECT_NE(r.err.find("\nfatal error: out of memory\n\ngoroutine 1 [running]:\nmain.main()\n"),
              std::string::npos);
}

TEST(VM, BuiltinPrint) {
    Asm t;
    uint32_t INT = t.type(TypeKind::Int, "int", 1);
    uint32_t FLOAT = t.type(TypeKind::Float64, "float64", 1);
    uint32_t STRING = t.type(TypeKind::String, "string", 2);
    uint32_t BOOL = t.type(TypeKind::Bool, "bool", 1);
    uint32_t ANY = t.type(TypeKind::Interface, "interface {}", 2);
    uint32_t UINT = t.type(TypeKind::Uint64, "uint64", 1);
    uint32_t NIL = t.type(TypeKind::Nil, "nil", 1);
    std::vector<Slot> k = {KF(1.5)};
    uint16_t s = t.string_constant(k, "str");
    auto r = t.run_main(
        {
            I(O::LOADI, 0, 1), I(O::CALLN, 0, t.OUT_INT), // stdout first, flushed before print
            J(O::LOADI, 0, -42), I(O::PRINT, 0, uint16_t(INT), 1),
            I(O::LOADK, 0, 0), I(O::PRINT, 0, uint16_t(FLOAT), 1),
            I(O::LOADK2, 0, s), I(O::PRINT, 0, uint16_t(STRING), 1),
            I(O::LOADI, 0, 1), I(O::PRINT, 0, uint16_t(BOOL), 1),
            I(O::LOADNIL, 0, 0, 2), I(O::PRINT, 0, uint16_t(ANY), 1),
            J(O::LOADI, 0, -1), I(O::PRINT, 0, uint16_t(UINT), 1),
            I(O::PRINT, 0, uint16_t(NIL), 2),
            I(O::PRINT, 0, uint16_t(STRING), 0), // empty: no separator
            I(O::RET, 0, 0),
        },
        k);
    EXPECT_EQ(r.out, "1\n");
    EXPECT_EQ(r.err, "-42 +1.500000e+000 str true (0x0,0x0) 18446744073709551615 nil\n");
}

TEST(PrintFloat, MatchesGoRuntime) {
    auto f = [](double v) {
        std::string s;
        append_print_float(s, v);
        return s;
    };
    EXPECT_EQ(f(1.5), "+1.500000e+000");
    EXPECT_EQ(f(-0.002), "-2.000000e-003");
    EXPECT_EQ(f(0.0), "+0.000000e+000");
    EXPECT_EQ(f(-0.0), "-0.000000e+000");
    EXPECT_EQ(f(1e300), "+1.000000e+300");
    EXPECT_EQ(f(123456789), "+1.234568e+008");
    EXPECT_EQ(f(std::numeric_limits<double>::infinity()), "+Inf");
    EXPECT_EQ(f(-std::numeric_limits<double>::infinity()), "-Inf");
    EXPECT_EQ(f(std::numeric_limits<double>::quiet_NaN()), "NaN");
    EXPECT_EQ(f(5e-324), "+4.940656e-324");
    EXPECT_EQ(f(9.9999999), "+1.000000e+001");
}

TEST(Disassembler, ListsFunctionsConstantsAndTargets) {
    Builder b;
    uint32_t fib = add_fib(b);
    std::vector<Slot> k;
    uint16_t s = b.string_constant(k, "hi\n");
    b.program.init_function = b.function("main.main", 0, 0, 4,
                                         {I(O::LOADK2, 0, s), I(O::LOADI, 2, 3),
                                          I(O::CALL, 2, uint16_t(fib)), J(O::JMP, 0, -3), I(O::RET, 0, 0)},
                                         k);
    std::ostringstream out;
    disassemble(b.program, out);
    std::string text = out.str();
    EXPECT_NE(text.find("function 0 main.fib (params 1, results 1, frame 4, 1 constants, 8 instructions)\n"
                        "  K[0] = 2\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("      0     10  JGEK      0 0 1          ; K[0] = 2, to 2\n"
                        "      1     11  RET       0 1\n"
                        "      2     12  ADDI      2 0 -1\n"
                        "      3     13  CALL      2 0            ; main.fib\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("  K[0] = \"hi\\n\"\n"
                        "      0     10  LOADK2    0 0            ; K[0] = \"hi\\n\"\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("      3     13  JMP       -3             ; to 1\n"), std::string::npos) << text;
}

TEST(Opcodes, NamesAndMeaningsComeFromTheList) {
    EXPECT_STREQ(opcode_name(Opcode::ADD), "ADD");
    EXPECT_STREQ(opcode_meaning(Opcode::ADD), "R[a] := R[b] + R[c]");
    EXPECT_STREQ(opcode_name(Opcode::PRINT), "PRINT");
    EXPECT_EQ(opcode_format(Opcode::JMP), OperandFormat::sbx);
}

// ---- Benchmark (disabled by default; timing never decides a test's outcome).

double seconds_to_run(const Program& program, std::string& out) {
    auto start = std::chrono::steady_clock::now();
    VM vm(program);
    vm.out().capture_to(&out);
    int status = vm.run();
    EXPECT_EQ(status, 0);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(VM, DISABLED_Benchmark) {
    {
        Asm t;
        uint32_t fib = add_fib(t);
        t.program.init_function = t.function(
            "main.main", 0, 0, 4,
            {I(O::LOADI, 0, 32), I(O::CALL, 0, uint16_t(fib)), I(O::CALLN, 0, t.OUT_INT), I(O::RET, 0, 0)});
        std::string out;
        double s = seconds_to_run(t.program, out);
        EXPECT_EQ(out, "2178309\n");
        std::printf("fib(32): %.3f s\n", s);
    }
    {
        // sum := 0; for i := 0; i < 3000; i++ { for j := 0; j < 10000; j++ { sum += (i ^ j) & 7 } }
        Asm t;
        t.program.init_function = t.function(
            "main.main", 0, 0, 8,
            {
                I(O::LOADI, 0, 0),            // 0: sum
                I(O::LOADI, 1, 0),            // 1: i
                J(O::JMP, 0, 8),              // 2: -> 11 (i condition)
                I(O::LOADI, 2, 0),            // 3: j
                J(O::JMP, 0, 4),              // 4: -> 9 (j condition)
                I(O::XOR, 3, 1, 2),           // 5
                I(O::ANDK, 3, 3, 1),          // 6
                I(O::ADD, 0, 0, 3),           // 7
                I(O::ADDI, 2, 2, sc(1)),      // 8
                I(O::JLTK, 2, 2, sc(-5)),     // 9: j < 10000 -> 5
                I(O::ADDI, 1, 1, sc(1)),      // 10
                I(O::JLTK, 1, 0, sc(-9)),     // 11: i < 3000 -> 3
                I(O::CALLN, 0, t.OUT_INT),
                I(O::RET, 0, 0),
            },
            {K(3000), K(7), K(10000)});
        std::string out;
        double s = seconds_to_run(t.program, out);
        EXPECT_EQ(out, "105000000\n");
        std::printf("loops: %.3f s\n", s);
    }
}

} // namespace
