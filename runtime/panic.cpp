// Formatting of runtime failures and builtin print output, ported from Go's runtime
// (print.go's printfloat/printhex, panic.go's printpanicval, error.go's bounds messages,
// traceback.go's frame lines).
#include "runtime/panic.hpp"

#include <algorithm>
#include <vector>

#include <string_view>

namespace csp {

std::string index_out_of_range_message(int64_t index, int64_t length) {
    // Go omits the length for a negative index (boundsNegErrorFmt).
    std::string message = "runtime error: index out of range [" + std::to_string(index) + "]";
    if (index >= 0) message += " with length " + std::to_string(length);
    return message;
}

std::string slice_bounds_message(SliceBounds check, int64_t x, int64_t y) {
    // Go's boundsErrorFmt; a negative x uses boundsNegErrorFmt, which drops y.
    static constexpr std::string_view formats[][2] = {
        {"[:%x] with length %y", "[:%x]"},   {"[:%x] with capacity %y", "[:%x]"},
        {"[%x:%y]", "[%x:]"},                {"[::%x] with length %y", "[::%x]"},
        {"[::%x] with capacity %y", "[::%x]"}, {"[:%x:%y]", "[:%x:]"},
        {"[%x:%y:]", "[%x::]"},
    };
    std::string_view format = formats[size_t(check)][x < 0 ? 1 : 0];
    std::string message = "runtime error: slice bounds out of range ";
    for (size_t k = 0; k < format.size(); ++k) {
        if (format[k] != '%') {
            message += format[k];
            continue;
        }
        message += std::to_string(format[++k] == 'x' ? x : y);
    }
    return message;
}

void append_print_float(std::string& out, double value) {
    if (value != value) {
        out += "NaN";
        return;
    }
    if (value + value == value && value > 0) {
        out += "+Inf";
        return;
    }
    if (value + value == value && value < 0) {
        out += "-Inf";
        return;
    }
    constexpr int digits = 7;
    char buffer[digits + 7];
    buffer[0] = '+';
    int exponent = 0;
    if (value == 0) {
        if (1 / value < 0) buffer[0] = '-';
    } else {
        if (value < 0) {
            value = -value;
            buffer[0] = '-';
        }
        while (value >= 10) {
            ++exponent;
            value /= 10;
        }
        while (value < 1) {
            --exponent;
            value *= 10;
        }
        double half = 5.0;
        for (int i = 0; i < digits; ++i)
            half /= 10;
        value += half;
        if (value >= 10) {
            ++exponent;
            value /= 10;
        }
    }
    for (int i = 0; i < digits; ++i) {
        int digit = int(value);
        buffer[i + 2] = char(digit + '0');
        value -= double(digit);
        value *= 10;
    }
    buffer[1] = buffer[2];
    buffer[2] = '.';
    buffer[digits + 2] = 'e';
    buffer[digits + 3] = '+';
    if (exponent < 0) {
        exponent = -exponent;
        buffer[digits + 3] = '-';
    }
    buffer[digits + 4] = char(exponent / 100 + '0');
    buffer[digits + 5] = char(exponent / 10 % 10 + '0');
    buffer[digits + 6] = char(exponent % 10 + '0');
    out.append(buffer, sizeof buffer);
}

void append_hex(std::string& out, uint64_t value) {
    char buffer[16];
    int n = 0;
    do {
        buffer[n++] = "0123456789abcdef"[value & 15];
        value >>= 4;
    } while (value != 0);
    out += "0x";
    while (n > 0)
        out += buffer[--n];
}

namespace {

bool is_signed_integer(TypeKind kind) {
    return kind == TypeKind::Int || kind == TypeKind::Int8 || kind == TypeKind::Int16 ||
           kind == TypeKind::Int32 || kind == TypeKind::Int64;
}

bool is_unsigned_integer(TypeKind kind) {
    return kind == TypeKind::Uint || kind == TypeKind::Uint8 || kind == TypeKind::Uint16 ||
           kind == TypeKind::Uint32 || kind == TypeKind::Uint64 || kind == TypeKind::Uintptr;
}

// Go's spelling of the predeclared type of each basic kind ("" for the others).
std::string_view basic_name(TypeKind kind) {
    switch (kind) {
    case TypeKind::Bool:
        return "bool";
    case TypeKind::Int:
        return "int";
    case TypeKind::Int8:
        return "int8";
    case TypeKind::Int16:
        return "int16";
    case TypeKind::Int32:
        return "int32";
    case TypeKind::Int64:
        return "int64";
    case TypeKind::Uint:
        return "uint";
    case TypeKind::Uint8:
        return "uint8";
    case TypeKind::Uint16:
        return "uint16";
    case TypeKind::Uint32:
        return "uint32";
    case TypeKind::Uint64:
        return "uint64";
    case TypeKind::Uintptr:
        return "uintptr";
    case TypeKind::Float32:
        return "float32";
    case TypeKind::Float64:
        return "float64";
    case TypeKind::String:
        return "string";
    default:
        return "";
    }
}

bool is_basic_kind(TypeKind kind) {
    return !basic_name(kind).empty();
}

} // namespace

void append_print_value(std::string& out, const RtType& type, const Slot* value) {
    TypeKind kind = type.kind;
    if (is_signed_integer(kind)) {
        out += std::to_string(value->i);
    } else if (is_unsigned_integer(kind)) {
        out += std::to_string(value->u);
    } else if (kind == TypeKind::Float32 || kind == TypeKind::Float64) {
        append_print_float(out, value->f);
    } else if (kind == TypeKind::Bool) {
        out += value->u != 0 ? "true" : "false";
    } else if (kind == TypeKind::String) {
        out += load_string(value).view();
    } else if (kind == TypeKind::Interface) {
        out += '(';
        append_hex(out, value[0].u);
        out += ',';
        append_hex(out, value[1].u);
        out += ')';
    } else if (kind == TypeKind::Slice) {
        out += '[' + std::to_string(value[1].i) + '/' + std::to_string(value[2].i) + ']';
        append_hex(out, value[0].u);
    } else if (kind == TypeKind::Nil) {
        out += "nil";
    } else {
        append_hex(out, value->u); // funcs and other one-word references
    }
}

void append_panic_value(std::string& out, InterfaceRef value, const RtType& runtime_error_type) {
    const RtType* type = value.type;
    if (type == nullptr) {
        out += "nil"; // Go 1.19; Go 1.21 reports a *runtime.PanicNilError instead
        return;
    }
    const Slot* payload = interface_payload(value);
    if (type == &runtime_error_type || type->error_text) {
        out += load_string(payload).view();
        return;
    }
    if (!is_basic_kind(type->kind)) {
        out += '(' + type->name + ") ";
        append_hex(out, value.data.u);
        return;
    }
    bool named = type->name != basic_name(type->kind);
    if (!named) {
        append_print_value(out, *type, payload);
        return;
    }
    // printanycustomtype: the string between quotes is raw, not %q-escaped, in Go 1.19.
    out += type->name;
    out += type->kind == TypeKind::String ? "(\"" : "(";
    append_print_value(out, *type, payload);
    out += type->kind == TypeKind::String ? "\")" : ")";
}

namespace {

void append_frame(std::string& out, const Program& program, const Function& function,
                  uint32_t line) {
    out += function.name;
    out += function.has_params ? "(...)\n\t" : "()\n\t";
    out += function.file.empty() ? program.file_path : function.file;
    out += ':';
    out += std::to_string(line);
    out += '\n';
}

uint32_t line_of(const Function& function, size_t instruction) {
    return instruction < function.lines.size() ? function.lines[instruction] : 0;
}

bool hidden(const Function& function) {
    return function.wrapper || function.name.starts_with("runtime.");
}

} // namespace

void append_goroutine_trace(std::string& out, const Program& program, const Goroutine& goroutine,
                            const Function* entering, size_t max_frames) {
    out += "goroutine " + std::to_string(goroutine.id) + " [";
    out += goroutine.status == GoroutineStatus::Waiting ? wait_reason_text(goroutine.wait_reason) : "running";
    out += "]:\n";
    size_t printed = 0;
    if (entering != nullptr && !hidden(*entering)) {
        append_frame(out, program, *entering, entering->line); // Go: the function's own line
        ++printed;
    }
    for (size_t k = goroutine.frame_count; k-- > 0;) {
        const Frame& frame = goroutine.frames[k];
        // Go elides compiler-made wrappers, unless the panic is in the wrapper itself.
        bool faulting_wrapper = k + 1 == goroutine.frame_count && frame.function->file == "<autogenerated>";
        if (hidden(*frame.function) && !faulting_wrapper) continue;
        // Go shows the panic frame between a deferred call and the frames it unwinds,
        // but not as the innermost frame (showframe's firstFrame).
        if (frame.function->panic_frame && printed == 0) continue;
        if (printed == max_frames) {
            out += "...additional frames elided...\n";
            break;
        }
        // frame.pc is the instruction after the faulting one or the call.
        size_t next = size_t(frame.pc - frame.function->code.data());
        append_frame(out, program, *frame.function, line_of(*frame.function, next == 0 ? 0 : next - 1));
        ++printed;
    }
    if (goroutine.creator != nullptr) {
        const std::string& file = goroutine.creator->file;
        out += "created by " + goroutine.creator->name + "\n\t" + (file.empty() ? program.file_path : file) + ':' +
               std::to_string(goroutine.creator_line) + '\n';
    }
}

void append_all_goroutines(std::string& out, const Program& program, const Goroutine* first_live) {
    std::vector<const Goroutine*> all;
    for (const Goroutine* g = first_live; g != nullptr; g = g->next_live) all.push_back(g);
    std::sort(all.begin(), all.end(), [](const Goroutine* a, const Goroutine* b) { return a->id < b->id; });
    for (size_t k = 0; k < all.size(); ++k) {
        if (k > 0) out += '\n';
        append_goroutine_trace(out, program, *all[k]);
    }
}

} // namespace csp
