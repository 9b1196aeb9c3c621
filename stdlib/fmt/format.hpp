// Go's fmt/strconv text formatting engine for scalar operands: fmt.Sprintf verbs, flags,
// width/precision and error forms, Sprint/Sprintln spacing, strconv.FormatFloat and Quote,
// and the builtin println float form. It ports Go 1.19's fmt/format.go, fmt/print.go and
// strconv/ftoa.go logic, using std::to_chars only as the source of correctly rounded digits.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace csp::fmt {

enum class ArgKind : uint8_t { Bool, Int, Uint, Float, String, Nil, Composite };

class ValueSink;

// An operand the formatter cannot print by itself (slices, arrays, funcs; later structs
// and maps): it prints itself through the sink, element by element, as Go's printValue
// walks a reflect.Value. stdlib/fmt/value_printer.cpp implements it for VM values.
class CompositeValue {
  public:
    virtual void print(ValueSink& sink, char32_t verb) const = 0;

  protected:
    ~CompositeValue() = default;
};

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
    const CompositeValue* composite = nullptr; // kind Composite
    // Set when the operand's type has String, Error or GoString methods (composites: the
    // composite itself): the operand is printed through it, which calls the method when
    // the verb takes one (Go's handleMethods) and prints the value otherwise.
    const CompositeValue* handler = nullptr;
    bool is_error = false; // the operand has an Error method (Errorf's %w takes it)
};

// What the printer offers a composite operand printing itself (Go's pp and fmt methods).
// Output goes to the printer's buffer; the directive's flags stay in effect, so that a
// width applies to each element as in Go.
class ValueSink {
  public:
    virtual void print_arg(const Arg& arg, char32_t verb) = 0; // a scalar element (printValue)
    virtual void bad_verb(const Arg& arg, char32_t verb) = 0;  // %!verb(type=value)
    virtual void write(std::string_view text) = 0;             // raw text, not padded
    // Go's fmtBytes for []byte (and byte arrays with %s %q %x %X): false when the verb
    // is not one of its own, so that the caller prints the elements instead.
    virtual bool print_bytes(std::string_view bytes, bool nil, char32_t verb, std::string_view type_name) = 0;
    // Go's fmtPointer for funcs and %p of slices: false for a verb it does not accept.
    virtual bool print_pointer(uint64_t address, char32_t verb, std::string_view type_name) = 0;
    virtual bool sharp_v() const = 0; // %#v: Go syntax
    virtual bool plus_v() const = 0;  // %+v: field names
    virtual bool erroring() const = 0; // printing a bad verb's operand: no methods are called

  protected:
    ~ValueSink() = default;
};

void append_printf(std::string& out, std::string_view format, std::span<const Arg> args);
// fmt.Errorf's formatting: %w accepted once on an error operand; returns its index or -1.
int append_errorf(std::string& out, std::string_view format, std::span<const Arg> args);
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
