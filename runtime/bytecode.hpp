// The executable form of a program, produced by lang/compiler and run by the VM:
// instructions, functions with their constants and line tables, runtime type
// descriptors, and the table of native functions. The opcodes are in opcodes.def.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace csp {

// One 8-byte register or memory slot. Values are untyped here; the compiler knows types.
union Slot {
    int64_t i;
    uint64_t u;
    double f;
    void* p;
    const char* s;
};
static_assert(sizeof(Slot) == 8);

enum class Opcode : uint16_t {
#define CSP_OP(name, format, meaning) name,
#include "runtime/opcodes.def"
#undef CSP_OP
    COUNT
};

struct Instr {
    Opcode op;
    uint16_t a;
    uint16_t b;
    uint16_t c;

    int32_t sbx() const { return int32_t(uint32_t(b) | (uint32_t(c) << 16)); }
    int16_t sc() const { return int16_t(c); }
    static Instr make(Opcode op, uint16_t a = 0, uint16_t b = 0, uint16_t c = 0) {
        return {op, a, b, c};
    }
    static Instr make_sbx(Opcode op, uint16_t a, int32_t sbx) {
        return {op, a, uint16_t(uint32_t(sbx) & 0xFFFF), uint16_t(uint32_t(sbx) >> 16)};
    }
};
static_assert(sizeof(Instr) == 8);

const char* opcode_name(Opcode op);
const char* opcode_meaning(Opcode op);

// Runtime type descriptors: what the VM and the natives need to know of a type
// (fmt's %v and %T, boxing into interfaces, the builtin print).
enum class TypeKind : uint8_t {
    Bool, Int, Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32, Uint64, Uintptr,
    Float32, Float64, String, Func, Interface, Slice, Array, Struct, Pointer, Nil, Map,
};

struct RtType;
struct Function;

// A struct field as fmt and equality see it.
struct RtField {
    std::string name;    // "" never: an embedded field is named by its type
    const RtType* type;
    uint32_t offset;     // in slots from the struct's first slot
    bool embedded;
};

// A method in a type's method set, for dispatch through interfaces (CALLI): the function
// takes an interface's data word as its receiver (the value of a one-slot type, else the
// address of the boxed value; for pointer types the pointer), then the arguments. An
// interface type lists the methods it requires (function unused).
struct RtMethod {
    std::string name;
    std::string signature; // "func(int) string": matched by assertions to interfaces
    uint32_t function;
};

struct RtType {
    TypeKind kind;
    std::string name; // Go's %T spelling: "int", "main.Celsius", "func(int) string"
    uint32_t slots;   // width of a value in slots
    const RtType* elem = nullptr;    // slices, arrays and pointers: the element type; maps: the value type
    const RtType* key = nullptr;     // maps: the key type
    int64_t length = 0;              // arrays: the number of elements
    // Go's unsafe.Sizeof on a 64-bit target: append grows a slice's capacity by Go's
    // rule, which rounds the new array's size in bytes up to a malloc size class.
    uint64_t size = 0;
    std::vector<RtField> fields{};   // structs
    std::vector<RtMethod> methods{}; // the method set (interfaces: the methods required), by name
    // A runtime error type (runtime.boundsError...): its value is the string Error returns.
    bool error_text = false;
    // CALLI's cache: the interface this type was last called through, and the functions
    // implementing that interface's methods, in its order (VM::itab).
    mutable const RtType* itab_iface = nullptr;
    mutable const Function* const* itab = nullptr;
};

class VM;
using NativeFn = void (*)(VM& vm, Slot* frame);

// One case of a select statement, by registers of the frame (see SELECT).
struct SelectCaseSite {
    uint16_t channel;    // register holding the channel
    uint16_t value;      // send: the value's first register; receive: where the value goes
    uint16_t ok;         // receive with ok: its register
    bool is_send;
    bool has_value;      // receive: false when the value is discarded
    bool has_ok;
};

struct SelectSite {
    std::vector<SelectCaseSite> cases;
    bool has_default = false;
};

struct Function {
    std::string name;            // as in traces: "main.main", "main.f", "main.main.func1"
    std::vector<Instr> code;
    std::vector<Slot> constants;
    std::vector<uint32_t> lines; // source line of each instruction
    uint32_t line = 0;           // line of the declaration: where a stack overflow is reported
    uint32_t param_slots = 0;    // arguments occupy R[0 .. param_slots)
    uint32_t result_slots = 0;
    uint32_t frame_slots = 0;    // registers used by the frame, arguments included
    bool has_params = false;     // traces print "f(...)" rather than "f()"
    bool wrapper = false;        // compiler-made (a method value's -fm): hidden from traces
    NativeFn native = nullptr;   // set for natives: no code, called by CALLN or CALL
    std::vector<SelectSite> selects; // select statements, by SELECT's b operand
    // Functions with defer statements: whether Go would open-code their defers (traces
    // then show the runtime's panic frame at panic.go:884 rather than 890), and if so where
    // a recovered panic resumes the frame (a RUNDEFERS; without open-coding, each DEFER
    // is followed by a JMP over its own such pad, as Go resumes at its deferproc).
    uint32_t recover_pc = 0;
    bool open_coded_defers = false;
    bool panic_frame = false; // the VM's "panic" frame: Go hides it when it is innermost
    std::string file;         // the file traces show; empty: the program's
    // The registers goroutines started with this function grew their stacks to (up to a
    // few hundred): later ones start with as many, and so skip the growth.
    mutable uint32_t goroutine_stack_hint = 0;
    uint32_t race_accesses = 0; // -race: RACE opcodes in `code` (their b operands: 0, 1, ...)
};

struct Closure; // runtime/value.hpp

// A location named in race reports (RACE's a operand): "counter", "acc.sum"; an
// indexed one ("xs") is printed with the element index known at run time and the path
// within the element ("xs[3]", "ps[1].name"): the index is (address / 8 - the slice's
// data pointer / 8) / width.
struct RaceName {
    std::string text;
    bool indexed = false;
    uint32_t width = 1;  // indexed: the element's slots
    std::string suffix;  // indexed: the path within the element (".name")
    bool operator==(const RaceName&) const = default;
};

struct Program {
    std::string file_path;  // absolute path of the main file, for traces
    std::string source_text; // the main file's text, for listings with source lines
    std::vector<std::unique_ptr<Function>> functions;
    std::vector<std::unique_ptr<RtType>> types;
    uint32_t global_slots = 0;
    uint32_t init_function = 0; // runs package initialisation, then main.main
    // Go with GOMAXPROCS=1 numbers its own goroutines 2-4 (forcegc, bgsweep, bgscavenge)
    // and 5 (the finalizer goroutine, started when package os initialises): the first
    // goroutine of a go statement is 5 or 6. csp numbers them alike, so dumps match Go's.
    uint64_t first_goroutine_id = 5;
    // The dynamic types of runtime error panic values, by RuntimeErrorKind (vm.hpp); empty
    // in hand-built programs, whose runtime errors then use VM::runtime_error_type.
    std::vector<uint32_t> runtime_error_types;
    std::vector<std::unique_ptr<std::string>> strings; // owned constant bytes
    // Compiled with -race: the VM runs a RaceDetector (runtime/race.hpp) for the RACE
    // opcodes and the race hooks of the standard packages.
    bool race = false;
    std::vector<RaceName> race_names;

    // Returns a stable pointer to a copy of `s` for use in constant slots.
    const char* intern(const std::string& s) {
        strings.push_back(std::make_unique<std::string>(s));
        return strings.back()->data();
    }
};

} // namespace csp
