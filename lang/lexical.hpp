// PEGTL rules for Go's tokens: identifiers, keywords, literals, operators and comments.
// Shared by the semicolon pass (lexer.cpp) and the grammar (grammar.hpp). Rules here
// consume no padding; the grammar appends its own `skip` after each token.
#pragma once
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

#include <string_view>

namespace csp::lex {
namespace pegtl = tao::pegtl;
using namespace pegtl;

// Letters: ASCII letters, '_' and any non-ASCII code point (validated as UTF-8 elsewhere).
struct non_ascii : utf8::range<0x80, 0x10FFFF> {};
struct letter : sor<ranges<'a', 'z', 'A', 'Z', '_'>, non_ascii> {};
struct ident_char : sor<ranges<'a', 'z', 'A', 'Z', '0', '9', '_'>, non_ascii> {};

// clang-format off
struct kw_break : TAO_PEGTL_STRING("break") {};
struct keyword : seq<sor<
    TAO_PEGTL_STRING("break"), TAO_PEGTL_STRING("case"), TAO_PEGTL_STRING("chan"),
    TAO_PEGTL_STRING("const"), TAO_PEGTL_STRING("continue"), TAO_PEGTL_STRING("default"),
    TAO_PEGTL_STRING("defer"), TAO_PEGTL_STRING("else"), TAO_PEGTL_STRING("fallthrough"),
    TAO_PEGTL_STRING("for"), TAO_PEGTL_STRING("func"), TAO_PEGTL_STRING("go"),
    TAO_PEGTL_STRING("goto"), TAO_PEGTL_STRING("if"), TAO_PEGTL_STRING("import"),
    TAO_PEGTL_STRING("interface"), TAO_PEGTL_STRING("map"), TAO_PEGTL_STRING("package"),
    TAO_PEGTL_STRING("range"), TAO_PEGTL_STRING("return"), TAO_PEGTL_STRING("select"),
    TAO_PEGTL_STRING("struct"), TAO_PEGTL_STRING("switch"), TAO_PEGTL_STRING("type"),
    TAO_PEGTL_STRING("var")>, not_at<ident_char>> {};
// clang-format on
// An identifier: a word that is not a keyword. Hand-written (one scan of the word, then a
// keyword test by length and text) since it is the grammar's most tried rule. Bytes from
// 0x80 on are non-ASCII letters, as `letter` has them: the lexer validated the UTF-8.
bool is_keyword_text(std::string_view word);
struct identifier {
    using rule_t = identifier;
    using subs_t = type_list<>;
    template <apply_mode, rewind_mode, template <typename...> class Action, template <typename...> class Control,
              typename ParseInput, typename... States>
    static bool match(ParseInput& in, States&&...) {
        const char* begin = in.current();
        const char* p = begin;
        const char* end = in.end();
        auto letter_byte = [](unsigned char c) {
            return unsigned((c | 0x20) - 'a') < 26u || c == '_' || c >= 0x80;
        };
        if (p == end || !letter_byte(static_cast<unsigned char>(*p))) return false;
        ++p;
        while (p != end && (letter_byte(static_cast<unsigned char>(*p)) || unsigned(*p - '0') < 10u)) ++p;
        if (is_keyword_text({begin, size_t(p - begin)})) return false;
        in.bump_in_this_line(size_t(p - begin));
        return true;
    }
};
struct word : seq<letter, star<ident_char>> {}; // identifier or keyword

// Numbers (Go spec "Integer literals", "Floating-point literals"); '_' separators allowed.
struct dec_digits : seq<digit, star<opt<one<'_'>>, digit>> {};
struct hex_digits : seq<xdigit, star<opt<one<'_'>>, xdigit>> {};
struct bin_digits : seq<ranges<'0', '1'>, star<opt<one<'_'>>, ranges<'0', '1'>>> {};
struct oct_digits : seq<ranges<'0', '7'>, star<opt<one<'_'>>, ranges<'0', '7'>>> {};
struct dec_exponent : seq<one<'e', 'E'>, opt<one<'+', '-'>>, dec_digits> {};
struct hex_exponent : seq<one<'p', 'P'>, opt<one<'+', '-'>>, dec_digits> {};
struct hex_mantissa : sor<seq<opt<one<'_'>>, hex_digits, opt<one<'.'>, opt<hex_digits>>>,
                          seq<one<'.'>, hex_digits>> {};
struct hex_float : seq<one<'0'>, one<'x', 'X'>, hex_mantissa, hex_exponent> {};
struct dec_float : sor<seq<dec_digits, one<'.'>, opt<dec_digits>, opt<dec_exponent>>,
                       seq<dec_digits, dec_exponent>,
                       seq<one<'.'>, dec_digits, opt<dec_exponent>>> {};
struct float_lit : seq<sor<hex_float, dec_float>, not_at<ident_char>> {};
struct hex_int : seq<one<'0'>, one<'x', 'X'>, opt<one<'_'>>, hex_digits> {};
struct bin_int : seq<one<'0'>, one<'b', 'B'>, opt<one<'_'>>, bin_digits> {};
struct oct_int : seq<one<'0'>, opt<one<'o', 'O'>>, opt<one<'_'>>, oct_digits> {};
struct dec_int : sor<seq<range<'1', '9'>, opt<opt<one<'_'>>, dec_digits>>, one<'0'>> {};
struct int_lit : seq<sor<hex_int, bin_int, oct_int, dec_int>, not_at<ident_char>> {};
struct imag_lit : seq<sor<hex_float, dec_float, hex_int, bin_int, oct_int, dec_digits>,
                      one<'i'>, not_at<ident_char>> {};
// A malformed number ("0x", "1e", "09") is taken whole so that the checker can name it.
struct bad_number : seq<digit, star<sor<ident_char, one<'.'>>>> {};

// Rune and string literals. Escapes are validated and decoded by the parser.
struct escape : seq<one<'\\'>, any> {};
struct rune_char : sor<escape, seq<not_one<'\'', '\n'>>> {};
struct rune_lit : seq<one<'\''>, plus<rune_char>, one<'\''>> {};
struct string_char : sor<escape, not_one<'"', '\n'>> {};
struct string_lit : seq<one<'"'>, star<string_char>, one<'"'>> {};
struct raw_string_lit : seq<one<'`'>, star<not_one<'`'>>, one<'`'>> {};

struct line_comment : seq<two<'/'>, until<at<sor<one<'\n'>, eof>>>> {};
struct block_comment : seq<one<'/'>, one<'*'>, until<seq<one<'*'>, one<'/'>>>> {};
struct comment : sor<line_comment, block_comment> {};

// Operators and punctuation, longest first so that PEG's ordered choice takes the
// longest match ("<<=" before "<<" before "<=" before "<").
// clang-format off
struct operator_token : sor<
    TAO_PEGTL_STRING("<<="), TAO_PEGTL_STRING(">>="), TAO_PEGTL_STRING("&^="),
    TAO_PEGTL_STRING("..."), TAO_PEGTL_STRING("&&"), TAO_PEGTL_STRING("||"),
    TAO_PEGTL_STRING("<-"), TAO_PEGTL_STRING("++"), TAO_PEGTL_STRING("--"),
    TAO_PEGTL_STRING("=="), TAO_PEGTL_STRING("!="), TAO_PEGTL_STRING("<="),
    TAO_PEGTL_STRING(">="), TAO_PEGTL_STRING(":="), TAO_PEGTL_STRING("<<"),
    TAO_PEGTL_STRING(">>"), TAO_PEGTL_STRING("&^"), TAO_PEGTL_STRING("+="),
    TAO_PEGTL_STRING("-="), TAO_PEGTL_STRING("*="), TAO_PEGTL_STRING("/="),
    TAO_PEGTL_STRING("%="), TAO_PEGTL_STRING("&="), TAO_PEGTL_STRING("|="),
    TAO_PEGTL_STRING("^="),
    one<'+', '-', '*', '/', '%', '&', '|', '^', '<', '>', '=', '!', '(', ')', '[', ']',
        '{', '}', ',', ';', '.', ':', '~'>> {};
// clang-format on

} // namespace csp::lex

// For tao::pegtl::analyze: an identifier consumes input when it succeeds.
template <typename Name> struct tao::pegtl::analyze_traits<Name, csp::lex::identifier> : analyze_any_traits<> {};
