// Unicode as Go's packages unicode and unicode/utf8 define it, shared by every native that
// looks at runes (fmt, strings, strconv, unicode, utf8): Go's UTF-8 decoding rules and the
// rune classes and case mappings generated from Go 1.19 (tables.cpp, gen_tables.go).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace csp::unicode {

constexpr int32_t rune_error = 0xFFFD;
constexpr int32_t max_rune = 0x10FFFF;
constexpr int32_t rune_self = 0x80;

// ---- UTF-8, exactly as Go's unicode/utf8: any malformed, overlong, surrogate or truncated
// sequence decodes as (U+FFFD, 1); an empty string as (U+FFFD, 0).

struct Decoded {
    int32_t rune;
    size_t width;
};

inline Decoded decode_rune(std::string_view s, size_t i = 0) {
    if (i >= s.size()) return {rune_error, 0};
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) return {b0, 1};
    size_t need = 0;
    unsigned lo = 0x80, hi = 0xBF;
    int32_t r = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 2, r = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 3, r = b0 & 0x0F;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F; // excludes surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 4, r = b0 & 0x07;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F; // caps at U+10FFFF
    } else {
        return {rune_error, 1};
    }
    if (s.size() - i < need) return {rune_error, 1};
    for (size_t k = 1; k < need; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if (b < lo || b > hi) return {rune_error, 1};
        lo = 0x80, hi = 0xBF;
        r = (r << 6) | (b & 0x3F);
    }
    return {r, need};
}

// utf8.DecodeLastRuneInString of s[:end].
inline Decoded decode_last_rune(std::string_view s, size_t end) {
    if (end == 0) return {rune_error, 0};
    size_t start = end - 1;
    if (static_cast<unsigned char>(s[start]) < 0x80) return {static_cast<unsigned char>(s[start]), 1};
    // Back up over at most UTFMax-1 continuation bytes to a possible start byte.
    size_t lim = end >= 4 ? end - 4 : 0;
    while (start > lim && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    Decoded d = decode_rune(s.substr(0, end), start);
    if (start + d.width != end) return {rune_error, 1};
    return d;
}

inline bool valid_rune(int64_t r) {
    return (0 <= r && r < 0xD800) || (0xDFFF < r && r <= max_rune);
}

// utf8.RuneLen: bytes needed to encode r, -1 for an invalid rune.
inline int rune_len(int64_t r) {
    if (r < 0) return -1;
    if (r < 0x80) return 1;
    if (r < 0x800) return 2;
    if (0xD800 <= r && r <= 0xDFFF) return -1;
    if (r < 0x10000) return 3;
    if (r <= max_rune) return 4;
    return -1;
}

// utf8.EncodeRune: an invalid rune encodes as U+FFFD.
inline void append_rune(std::string& out, int64_t r) {
    if (!valid_rune(r)) r = rune_error;
    if (r < 0x80) return out.push_back(static_cast<char>(r));
    const int tail = r < 0x800 ? 1 : r < 0x10000 ? 2 : 3; // continuation bytes
    constexpr unsigned char lead[] = {0, 0xC0, 0xE0, 0xF0};
    out += static_cast<char>(lead[tail] | (r >> (6 * tail)));
    for (int k = tail - 1; k >= 0; --k)
        out += static_cast<char>(0x80 | ((r >> (6 * k)) & 0x3F));
}

inline int64_t rune_count(std::string_view s) {
    int64_t n = 0;
    for (size_t i = 0; i < s.size(); i += decode_rune(s, i).width)
        ++n;
    return n;
}

// ---- Rune classes and case mappings (tables.cpp).

struct RuneRange {
    int32_t lo, hi, stride;
};
struct RuneTable {
    const RuneRange* ranges;
    size_t count;
};
struct CaseEntry {
    int32_t rune, upper, lower, title;
};
struct FoldEntry {
    int32_t rune, fold;
};

extern const RuneTable letter_table, digit_table, number_table, space_table, upper_table,
    lower_table, title_table, punct_table, symbol_table, mark_table, control_table,
    graphic_table, print_table;
extern const CaseEntry* const case_entries;
extern const size_t case_entry_count;
extern const FoldEntry* const fold_entries;
extern const size_t fold_entry_count;

bool in_table(const RuneTable& table, int64_t r);
enum class Case { Upper, Lower, Title };
int64_t to_case(Case c, int64_t r); // unicode.ToUpper/ToLower/ToTitle
int64_t simple_fold(int64_t r);     // unicode.SimpleFold

} // namespace csp::unicode
