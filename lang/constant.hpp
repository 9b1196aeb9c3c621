// Exact compile-time constants (Go's untyped and typed constants): booleans, strings, and
// numbers held as exact rationals (GMP), so `1 << 62 * 4 / 8` is computed without
// overflow and only checked when a constant meets a sized type.
#pragma once
#include <gmpxx.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace csp {

class Constant {
  public:
    enum class Kind : uint8_t { None, Bool, String, Int, Float };

    Constant() = default;
    static Constant boolean(bool b);
    static Constant string(std::string s);
    static Constant integer(const mpz_class& v);
    static Constant integer(int64_t v) { return integer(mpz_class(std::to_string(v))); }
    static Constant floating(const mpq_class& v);
    // Parses a Go literal; returns None when malformed.
    static Constant from_int_literal(std::string_view text);
    static Constant from_float_literal(std::string_view text);

    Kind kind() const { return m_kind; }
    bool is_valid() const { return m_kind != Kind::None; }
    bool is_numeric() const { return m_kind == Kind::Int || m_kind == Kind::Float; }
    bool as_bool() const { return m_bool; }
    const std::string& as_string() const { return *m_string; }
    const mpq_class& as_rational() const { return *m_number; }
    bool is_integral() const { return is_numeric() && m_number->get_den() == 1; }
    mpz_class as_integer() const; // truncated toward zero

    Constant to_int() const;   // requires is_integral()
    Constant to_float() const; // Int -> Float
    int64_t int64_value() const;
    uint64_t uint64_value() const;
    // Correctly rounded (half to even) value; nullopt on overflow.
    std::optional<double> double_value(int mantissa_bits = 53, int min_exponent = -1022,
                                       int max_exponent = 1023) const;

    // Go's rendering in messages: 300, 1e+100, 0.5, "s", true.
    std::string to_string() const;

    // Arithmetic on numeric constants of the same kind (after promotion by the caller).
    // Division of two Int constants truncates; returns None for division by zero.
    static Constant binary(char op, const Constant& a, const Constant& b);
    static std::optional<bool> compare(const std::string& op, const Constant& a, const Constant& b);
    Constant negate() const;
    Constant shift(bool left, uint64_t count) const; // Int only

  private:
    Kind m_kind = Kind::None;
    bool m_bool = false;
    std::shared_ptr<const std::string> m_string;
    std::shared_ptr<const mpq_class> m_number;
};

} // namespace csp
