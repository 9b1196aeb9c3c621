// Native bodies of package strconv: formatting integers and floats, quoting (over fmt's
// port of Go's ftoa.go and quote.go) and ParseFloat's scanning. Errors are built by the
// csp side (strconv.csp), as Go's *NumError values.
#include "stdlib/fmt/format.hpp"
#include "stdlib/natives.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace csp::stdlib {

namespace {

void return_text(VM& vm, Slot* frame, std::string_view text) { store_string(frame, vm.heap().make_string(text)); }

template <typename Int> void format_integer(VM& vm, Slot* frame, Int value, int64_t base) {
    if (base < 2 || base > 36) return vm.raise_panic_string("strconv: illegal AppendInt/FormatInt base");
    char buffer[72];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, int(base));
    (void)ec;
    return_text(vm, frame, std::string_view(buffer, size_t(end - buffer)));
}

void itoa(VM& vm, Slot* frame) { format_integer(vm, frame, frame[0].i, 10); }
void format_int(VM& vm, Slot* frame) { format_integer(vm, frame, frame[0].i, frame[1].i); }
void format_uint(VM& vm, Slot* frame) { format_integer(vm, frame, frame[0].u, frame[1].i); }

// FormatFloat(f float64, fmt byte, prec, bitSize int) string
void format_float(VM& vm, Slot* frame) {
    int64_t bit_size = frame[3].i;
    if (bit_size != 32 && bit_size != 64)
        return vm.raise_panic_string("strconv: illegal AppendFloat/FormatFloat bitSize");
    int64_t prec = frame[2].i;
    std::string out;
    fmt::append_float(out, frame[0].f, char(frame[1].u), int(std::clamp<int64_t>(prec, -1, 1 << 30)), int(bit_size));
    return_text(vm, frame, out);
}

template <bool ascii> void quote(VM& vm, Slot* frame) {
    std::string out;
    fmt::append_quote(out, load_string(frame).view(), ascii);
    return_text(vm, frame, out);
}

template <bool ascii> void quote_rune(VM& vm, Slot* frame) {
    std::string out;
    int64_t r = frame[0].i;
    fmt::append_quote_rune(out, r < 0 || r > 0x10FFFF ? char32_t(0xFFFD) : char32_t(r), ascii);
    return_text(vm, frame, out);
}

void can_backquote(VM&, Slot* frame) { frame[0].i = fmt::can_backquote(load_string(frame).view()); }

void is_print(VM&, Slot* frame) {
    int64_t r = frame[0].i;
    frame[0].i = r >= 0 && r <= 0x10FFFF && fmt::is_print(char32_t(r));
}

char lower(char c) { return char(c | ('x' - 'X')); }

// Go's underscoreOK: underscores only between digits (a base prefix counts as a digit).
bool underscore_ok(std::string_view s) {
    char saw = '^';
    size_t i = 0;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    bool hex = false;
    if (s.size() >= 2 && s[0] == '0' && (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
        i = 2, saw = '0', hex = lower(s[1]) == 'x';
    }
    for (; i < s.size(); ++i) {
        if (('0' <= s[i] && s[i] <= '9') || (hex && 'a' <= lower(s[i]) && lower(s[i]) <= 'f')) {
            saw = '0';
            continue;
        }
        if (s[i] == '_') {
            if (saw != '0') return false;
            saw = '_';
            continue;
        }
        if (saw == '_') return false;
        saw = '!';
    }
    return saw != '_';
}

// Go's readFloat, as a syntax check: whether all of s is a decimal or hexadecimal float.
bool float_syntax(std::string_view s) {
    size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    bool hex = i + 2 < s.size() && s[i] == '0' && lower(s[i + 1]) == 'x';
    if (hex) i += 2;
    bool underscores = false, saw_dot = false, saw_digits = false;
    for (; i < s.size(); ++i) {
        char c = s[i];
        if (c == '_') underscores = true;
        else if (c == '.' && !saw_dot) saw_dot = true;
        else if (('0' <= c && c <= '9') || (hex && 'a' <= lower(c) && lower(c) <= 'f')) saw_digits = true;
        else break;
    }
    if (!saw_digits) return false;
    if (i < s.size() && lower(s[i]) == (hex ? 'p' : 'e')) {
        if (++i >= s.size()) return false;
        if (s[i] == '+' || s[i] == '-') ++i;
        if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
        for (; i < s.size() && (('0' <= s[i] && s[i] <= '9') || s[i] == '_'); ++i)
            if (s[i] == '_') underscores = true;
    } else if (hex) {
        return false; // a hexadecimal mantissa needs a 'p' exponent
    }
    if (underscores && !underscore_ok(s.substr(0, i))) return false;
    return i == s.size();
}

// Go's special: [+-]inf, [+-]infinity (any case), nan.
bool special_float(std::string_view s, double& value) {
    auto equal_fold = [](std::string_view a, std::string_view b) {
        if (a.size() != b.size()) return false;
        for (size_t k = 0; k < a.size(); ++k)
            if (lower(a[k]) != b[k]) return false;
        return true;
    };
    if (equal_fold(s, "nan")) return value = std::nan(""), true;
    double sign = 1;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) sign = s[0] == '-' ? -1 : 1, s.remove_prefix(1);
    if (equal_fold(s, "inf") || equal_fold(s, "infinity")) return value = sign * HUGE_VAL, true;
    return false;
}

// parseFloat(s string, bitSize int) (f float64, status int): 0 ok, 1 syntax, 2 range.
void parse_float(VM&, Slot* frame) {
    std::string_view s = load_string(frame).view();
    bool is32 = frame[2].i == 32;
    double value = 0;
    int64_t status = 0;
    if (special_float(s, value)) {
    } else if (!float_syntax(s)) {
        status = 1;
    } else {
        std::string digits;
        for (char c : s)
            if (c != '_') digits += c;
        errno = 0;
        value = is32 ? double(std::strtof(digits.c_str(), nullptr)) : std::strtod(digits.c_str(), nullptr);
        if (errno == ERANGE && std::isinf(value)) status = 2;
    }
    frame[0].f = value;
    frame[1].i = status;
}

} // namespace

const NativeEntry strconv_natives[] = {
    {"strconv.Itoa", itoa},
    {"strconv.FormatInt", format_int},
    {"strconv.FormatUint", format_uint},
    {"strconv.FormatFloat", format_float},
    {"strconv.Quote", quote<false>},
    {"strconv.QuoteToASCII", quote<true>},
    {"strconv.QuoteRune", quote_rune<false>},
    {"strconv.QuoteRuneToASCII", quote_rune<true>},
    {"strconv.CanBackquote", can_backquote},
    {"strconv.IsPrint", is_print},
    {"strconv.parseFloat", parse_float},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
