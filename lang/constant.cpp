// Exact constant arithmetic on GMP rationals, literal parsing, and correct rounding to
// IEEE floating point.
#include "lang/constant.hpp"

#include <cmath>
#include <cstdio>

namespace csp {

Constant Constant::boolean(bool b) {
    Constant c;
    c.m_kind = Kind::Bool;
    c.m_bool = b;
    return c;
}

Constant Constant::string(std::string s) {
    Constant c;
    c.m_kind = Kind::String;
    c.m_string = std::make_shared<const std::string>(std::move(s));
    return c;
}

Constant Constant::integer(const mpz_class& v) {
    Constant c;
    c.m_kind = Kind::Int;
    c.m_number = std::make_shared<const mpq_class>(v);
    return c;
}

Constant Constant::floating(const mpq_class& v) {
    Constant c;
    c.m_kind = Kind::Float;
    mpq_class q = v;
    q.canonicalize();
    c.m_number = std::make_shared<const mpq_class>(q);
    return c;
}

static std::string without_underscores(std::string_view text) {
    std::string s;
    for (char ch : text)
        if (ch != '_') s += ch;
    return s;
}

Constant Constant::from_int_literal(std::string_view text) {
    std::string s = without_underscores(text);
    int base = 10;
    size_t start = 0;
    if (s.size() > 1 && s[0] == '0') {
        char p = s[1] | 0x20;
        if (p == 'x') base = 16, start = 2;
        else if (p == 'b') base = 2, start = 2;
        else if (p == 'o') base = 8, start = 2;
        else base = 8, start = 1;
    }
    mpz_class v;
    if (start >= s.size() || v.set_str(s.substr(start), base) != 0) return {};
    return integer(v);
}

// Decimal float: digits, optional fraction, optional exponent, made exact as a rational.
static bool parse_decimal_float(const std::string& s, mpq_class& out) {
    size_t e = s.find_first_of("eE");
    std::string mant = s.substr(0, e);
    long exp10 = 0;
    if (e != std::string::npos) {
        std::string es = s.substr(e + 1);
        if (es.empty() || es.size() > 9) return false;
        exp10 = std::stol(es);
    }
    size_t dot = mant.find('.');
    std::string digits = mant;
    if (dot != std::string::npos) {
        digits = mant.substr(0, dot) + mant.substr(dot + 1);
        exp10 -= long(mant.size() - dot - 1);
    }
    if (digits.empty()) return false;
    mpz_class m(digits, 10);
    if (std::labs(exp10) > 100000) return false; // far beyond any float; Go also rejects
    mpz_class p;
    mpz_ui_pow_ui(p.get_mpz_t(), 10, (unsigned long)std::labs(exp10));
    out = exp10 >= 0 ? mpq_class(m * p) : mpq_class(m, p);
    out.canonicalize();
    return true;
}

// Hexadecimal float: 0x mantissa p exponent (binary).
static bool parse_hex_float(const std::string& s, mpq_class& out) {
    size_t p = s.find_first_of("pP");
    if (p == std::string::npos) return false;
    std::string mant = s.substr(2, p - 2);
    long exp2 = std::stol(s.substr(p + 1));
    size_t dot = mant.find('.');
    std::string digits = mant;
    if (dot != std::string::npos) {
        digits = mant.substr(0, dot) + mant.substr(dot + 1);
        exp2 -= 4 * long(mant.size() - dot - 1);
    }
    if (digits.empty() || std::labs(exp2) > 100000) return false;
    mpz_class m(digits, 16);
    mpz_class scale = 1;
    mpz_mul_2exp(scale.get_mpz_t(), scale.get_mpz_t(), (unsigned long)std::labs(exp2));
    out = exp2 >= 0 ? mpq_class(m * scale) : mpq_class(m, scale);
    out.canonicalize();
    return true;
}

Constant Constant::from_float_literal(std::string_view text) {
    std::string s = without_underscores(text);
    mpq_class q;
    bool ok = s.size() > 1 && s[0] == '0' && (s[1] | 0x20) == 'x' ? parse_hex_float(s, q)
                                                                   : parse_decimal_float(s, q);
    if (!ok) return {};
    return floating(q);
}

mpz_class Constant::as_integer() const {
    mpz_class r;
    mpz_tdiv_q(r.get_mpz_t(), m_number->get_num_mpz_t(), m_number->get_den_mpz_t());
    return r;
}

Constant Constant::to_int() const { return integer(as_integer()); }
Constant Constant::to_float() const { return floating(*m_number); }

int64_t Constant::int64_value() const {
    mpz_class v = as_integer();
    if (mpz_fits_slong_p(v.get_mpz_t())) return mpz_get_si(v.get_mpz_t());
    // Wrap to 64 bits (used only after a range check, or for unsigned reinterpretation).
    mpz_class m;
    mpz_fdiv_r_2exp(m.get_mpz_t(), v.get_mpz_t(), 64);
    return int64_t(uint64_t(mpz_get_ui(m.get_mpz_t())));
}

uint64_t Constant::uint64_value() const {
    mpz_class m, v = as_integer();
    mpz_fdiv_r_2exp(m.get_mpz_t(), v.get_mpz_t(), 64);
    return mpz_get_ui(m.get_mpz_t());
}

std::optional<double> Constant::double_value(int mantissa_bits, int min_exponent,
                                             int max_exponent) const {
    const mpq_class& q = *m_number;
    int sign = sgn(q);
    if (sign == 0) return 0.0;
    mpq_class a = abs(q);
    // 2^e <= a < 2^(e+1)
    long e = long(mpz_sizeinbase(a.get_num_mpz_t(), 2)) - long(mpz_sizeinbase(a.get_den_mpz_t(), 2));
    auto pow2 = [](long k) {
        mpq_class r = 1;
        if (k >= 0) mpq_mul_2exp(r.get_mpq_t(), r.get_mpq_t(), k);
        else mpq_div_2exp(r.get_mpq_t(), r.get_mpq_t(), -k);
        return r;
    };
    if (a < pow2(e)) e--;
    if (e > max_exponent) return std::nullopt;
    if (e < min_exponent) e = min_exponent; // subnormal: fewer significant bits
    long shift = mantissa_bits - 1 - e;
    mpq_class scaled = a * pow2(shift);
    mpz_class m;
    mpz_fdiv_q(m.get_mpz_t(), scaled.get_num_mpz_t(), scaled.get_den_mpz_t());
    mpq_class rem = scaled - mpq_class(m);
    int cmp_half = cmp(rem, mpq_class(1, 2));
    if (cmp_half > 0 || (cmp_half == 0 && mpz_odd_p(m.get_mpz_t()))) m += 1;
    double d = std::ldexp(mpz_get_d(m.get_mpz_t()), int(-shift));
    if (std::isinf(d) || std::ilogb(d) > max_exponent) return std::nullopt;
    return sign < 0 ? -d : d;
}

std::string Constant::to_string() const {
    switch (m_kind) {
    case Kind::None: return "?";
    case Kind::Bool: return m_bool ? "true" : "false";
    case Kind::String: {
        std::string out = "\"";
        for (char c : *m_string) {
            if (c == '"' || c == '\\') out += '\\';
            if (c == '\n') { out += "\\n"; continue; }
            out += c;
        }
        return out + "\"";
    }
    case Kind::Int: return m_number->get_num().get_str();
    case Kind::Float: {
        if (m_number->get_den() == 1 && mpz_sizeinbase(m_number->get_num_mpz_t(), 10) <= 21)
            return m_number->get_num().get_str();
        auto d = double_value();
        if (!d) return "1e+309";
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.6g", *d);
        return buf;
    }
    }
    return "?";
}

Constant Constant::binary(char op, const Constant& a, const Constant& b) {
    const mpq_class& x = *a.m_number;
    const mpq_class& y = *b.m_number;
    bool ints = a.m_kind == Kind::Int && b.m_kind == Kind::Int;
    auto make = [&](const mpq_class& v) { return ints ? integer(v.get_num()) : floating(v); };
    switch (op) {
    case '+': return make(x + y);
    case '-': return make(x - y);
    case '*': return make(x * y);
    case '/': {
        if (sgn(y) == 0) return {};
        if (!ints) return floating(x / y);
        mpz_class r;
        mpz_tdiv_q(r.get_mpz_t(), x.get_num_mpz_t(), y.get_num_mpz_t());
        return integer(r);
    }
    }
    if (!ints) return {};
    mpz_class r;
    const mpz_class& xi = x.get_num();
    const mpz_class& yi = y.get_num();
    switch (op) {
    case '%':
        if (sgn(yi) == 0) return {};
        mpz_tdiv_r(r.get_mpz_t(), xi.get_mpz_t(), yi.get_mpz_t());
        return integer(r);
    case '&': return integer(xi & yi);
    case '|': return integer(xi | yi);
    case '^': return integer(xi ^ yi);
    case 'n': return integer(xi & ~yi); // &^
    }
    return {};
}

std::optional<bool> Constant::compare(const std::string& op, const Constant& a, const Constant& b) {
    int c = 0;
    if (a.m_kind == Kind::Bool && b.m_kind == Kind::Bool) {
        if (op == "==") return a.m_bool == b.m_bool;
        if (op == "!=") return a.m_bool != b.m_bool;
        return std::nullopt;
    }
    if (a.m_kind == Kind::String && b.m_kind == Kind::String) c = a.m_string->compare(*b.m_string);
    else if (a.is_numeric() && b.is_numeric()) c = cmp(*a.m_number, *b.m_number);
    else return std::nullopt;
    if (op == "==") return c == 0;
    if (op == "!=") return c != 0;
    if (op == "<") return c < 0;
    if (op == "<=") return c <= 0;
    if (op == ">") return c > 0;
    if (op == ">=") return c >= 0;
    return std::nullopt;
}

Constant Constant::negate() const {
    if (m_kind == Kind::Int) return integer(-m_number->get_num());
    return floating(-*m_number);
}

Constant Constant::shift(bool left, uint64_t count) const {
    mpz_class v = m_number->get_num(), r;
    if (left) mpz_mul_2exp(r.get_mpz_t(), v.get_mpz_t(), count);
    else mpz_fdiv_q_2exp(r.get_mpz_t(), v.get_mpz_t(), count);
    return integer(r);
}

} // namespace csp
