// Go's fmt/strconv text formatting engine for scalar operands: fmt.Sprintf verbs, flags,
// width/precision and error forms, Sprint/Sprintln spacing, strconv.FormatFloat and Quote,
// and the builtin println float form. It ports Go 1.19's fmt/format.go, fmt/print.go and
// strconv/ftoa.go logic, using std::to_chars only as the source of correctly rounded digits.
#pragma once
#include "runtime/bytecode.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace csp::fmt {

// Value: any other run-time value (structs, pointers, funcs), printed by the recursive
// value printer (value_printer.cpp) from its type descriptor and slots.
enum class ArgKind : uint8_t { Bool, Int, Uint, Float, String, Nil, Value };

// One operand as the formatter sees it. Only the field matching `kind` is meaningful.
struct Arg {
    ArgKind kind = ArgKind::Nil;
    uint8_t bits = 64;          // Int/Uint: 8,16,32,64; Float: 32 or 64
    std::string_view type_name; // Go's %T spelling: "int", "uint8", "float64", "main.Celsius"
    int64_t i = 0;
    uint64_t u = 0;
    double f = 0;
    bool b = false;
    std::string_view s;
    const RtType* type = nullptr; // Value: the value's type
    const Slot* slots = nullptr;  // Value: its slots (valid while the formatter runs)
};

// The operand for a value of `type` in `slots`: a scalar Arg for basic kinds, else Value.
Arg value_arg(const RtType& type, const Slot* slots);

// What the value printer needs of fmt's printer (Go's pp): the directive's flags, raw
// and padded output, and the scalar formatting of leaves.
class ValueSink {
  public:
    virtual void write(std::string_view text) = 0;             // unpadded
    virtual void pad(std::string_view text) = 0;               // padded to the width
    virtual void scalar(const Arg& arg, char32_t verb) = 0;    // a basic value, as printArg
    virtual void hex_address(uint64_t address, bool leading_0x) = 0; // Go's fmt0x64
    virtual bool plus_v() const = 0;
    virtual bool sharp_v() const = 0;
    virtual bool sharp() const = 0;

  protected:
    ~ValueSink() = default;
};

// Go's printValue: a value of `type` at `slots` with `verb`; depth 0 for an operand.
void print_value(ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb, int depth);

void append_printf(std::string& out, std::string_view format, std::span<const Arg> args);
void append_print(std::string& out, std::span<const Arg> args);   // fmt.Sprint
void append_println(std::string& out, std::span<const Arg> args); // fmt.Sprintln
// strconv.FormatFloat: fmt is one of b e E f g G x X; prec -1 means shortest; bit_size 32
// rounds to float32 first. An unknown fmt appends '%' and fmt, as Go does.
void append_float(std::string& out, double f, char fmt, int prec, int bit_size);
void append_builtin_float(std::string& out, double f); // builtin println: +1.500000e+000

// strconv.Quote / QuoteToASCII / QuoteRune / QuoteRuneToASCII.
void append_quote(std::string& out, std::string_view s, bool ascii_only = false);
void append_quote_rune(std::string& out, char32_t r, bool ascii_only = false);
bool is_print(char32_t r);                     // strconv.IsPrint
bool can_backquote(std::string_view s);        // strconv.CanBackquote
std::string_view type_name_of(const Arg& arg); // arg.type_name, or the basic type's name

} // namespace csp::fmt
