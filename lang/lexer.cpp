// Semicolon insertion and byte validation, using the token rules of lexical.hpp.
#include "lang/lexer.hpp"

#include "lang/lexical.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace csp {

namespace pegtl = tao::pegtl;

int decode_utf8(std::string_view s, size_t i, uint32_t& rune) {
    unsigned char c = s[i];
    if (c < 0x80) {
        rune = c;
        return 1;
    }
    int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (len == 0 || c > 0xF4 || i + len > s.size()) return 0;
    uint32_t r = c & (0x3F >> (len - 1));
    for (int k = 1; k < len; k++) {
        unsigned char cc = s[i + k];
        if ((cc & 0xC0) != 0x80) return 0;
        r = (r << 6) | (cc & 0x3F);
    }
    static const uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (r < min_for_len[len] || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return 0;
    rune = r;
    return len;
}

void append_utf8(std::string& out, uint32_t r) {
    if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = 0xFFFD;
    if (r < 0x80) {
        out += char(r);
    } else if (r < 0x800) {
        out += char(0xC0 | (r >> 6));
        out += char(0x80 | (r & 0x3F));
    } else if (r < 0x10000) {
        out += char(0xE0 | (r >> 12));
        out += char(0x80 | ((r >> 6) & 0x3F));
        out += char(0x80 | (r & 0x3F));
    } else {
        out += char(0xF0 | (r >> 18));
        out += char(0x80 | ((r >> 12) & 0x3F));
        out += char(0x80 | ((r >> 6) & 0x3F));
        out += char(0x80 | (r & 0x3F));
    }
}

Pos LexedSource::original(size_t offset) const {
    auto before = std::lower_bound(inserted.begin(), inserted.end(), uint32_t(offset));
    return {uint32_t(base + offset - (before - inserted.begin()))};
}

bool LexedSource::is_inserted(size_t offset) const {
    return std::binary_search(inserted.begin(), inserted.end(), uint32_t(offset));
}

namespace {

// Validates the whole file as UTF-8 without NUL bytes; reports the first bad byte.
bool validate_bytes(const SourceFile& file, Diagnostics& diags) {
    const std::string& s = file.text();
    for (size_t i = 0; i < s.size();) {
        uint32_t rune;
        int len = decode_utf8(s, i, rune);
        if (len == 0) {
            diags.error({uint32_t(i)}, "invalid UTF-8 encoding");
            return false;
        }
        if (rune == 0) {
            diags.error({uint32_t(i)}, "invalid NUL character");
            return false;
        }
        if (rune == 0xFEFF && i > 0) {
            diags.error({uint32_t(i)}, "invalid BOM in the middle of the file");
            return false;
        }
        i += len;
    }
    return true;
}

// Tries the token rule R at `at`; returns the length matched or 0.
template <typename Rule>
size_t match_length(std::string_view text, size_t at) {
    pegtl::memory_input<pegtl::tracking_mode::lazy> in(text.data() + at, text.data() + text.size(),
                                                       "");
    try {
        if (pegtl::parse<Rule>(in)) return size_t(in.current() - (text.data() + at));
    } catch (const pegtl::parse_error&) {
    }
    return 0;
}

bool ends_statement_keyword(std::string_view word) {
    return word == "break" || word == "continue" || word == "fallthrough" || word == "return";
}

bool is_keyword(std::string_view word) { return lex::is_keyword_text(word); }

// Go's scanner.number (cmd/compile/internal/syntax): how far a number literal extends,
// and its first lexical error, reported where Go reports it.
class NumberScanner {
  public:
    NumberScanner(std::string_view text, size_t start) : m_text(text), m_start(start), m_i(start) {}

    size_t scan(); // returns the literal's length
    size_t error_at = 0;
    std::string message; // empty when the literal is well-formed

  private:
    char ch() const { return m_i < m_text.size() ? m_text[m_i] : '\0'; }
    static char lower(char c) { return char(c | 0x20); }
    static bool is_decimal(char c) { return c >= '0' && c <= '9'; }
    static bool is_hex(char c) { return is_decimal(c) || (lower(c) >= 'a' && lower(c) <= 'f'); }
    void fail(size_t at, std::string text) {
        if (!message.empty()) return;
        error_at = at;
        message = std::move(text);
    }
    int digits(int base, long* invalid);
    void exponent(char prefix, bool& is_float, int& digsep);

    std::string_view m_text;
    size_t m_start;
    size_t m_i;
};

const char* base_name(int base) {
    return base == 2 ? "binary" : base == 8 ? "octal" : base == 10 ? "decimal" : "hexadecimal";
}

// Consumes digits and '_'; returns bit 0 if a digit was seen, bit 1 if a '_' was.
int NumberScanner::digits(int base, long* invalid) {
    int digsep = 0;
    for (;;) {
        char c = ch();
        bool digit = base <= 10 ? is_decimal(c) : is_hex(c);
        if (!digit && c != '_') return digsep;
        if (c == '_') digsep |= 2;
        else digsep |= 1;
        if (c != '_' && base < 10 && c >= '0' + base && invalid && *invalid < 0)
            *invalid = long(m_i - m_start);
        m_i++;
    }
}

void NumberScanner::exponent(char prefix, bool& is_float, int& digsep) {
    char e = lower(ch());
    if (e == 'e' && prefix != 0 && prefix != '0')
        fail(m_i, std::string("'") + ch() + "' exponent requires decimal mantissa");
    if (e == 'p' && prefix != 'x')
        fail(m_i, std::string("'") + ch() + "' exponent requires hexadecimal mantissa");
    m_i++;
    is_float = true;
    if (ch() == '+' || ch() == '-') m_i++;
    digsep = digits(10, nullptr) | (digsep & 2);
    if (!(digsep & 1)) fail(m_i, "exponent has no digits");
}

// The index of the first misplaced '_' in a literal, or -1 (Go's invalidSep).
long invalid_separator(std::string_view x) {
    char x1 = ' ', d = '.';
    size_t i = 0;
    if (x.size() >= 2 && x[0] == '0') {
        x1 = char(x[1] | 0x20);
        if (x1 == 'x' || x1 == 'o' || x1 == 'b') d = '0', i = 2;
    }
    for (; i < x.size(); i++) {
        char p = d;
        d = x[i];
        bool hex = (d >= 'a' && d <= 'f') || (d >= 'A' && d <= 'F');
        if (d == '_') {
            if (p != '0') return long(i);
        } else if ((d >= '0' && d <= '9') || (x1 == 'x' && hex)) {
            d = '0';
        } else {
            if (p == '_') return long(i) - 1;
            d = '.';
        }
    }
    return d == '_' ? long(x.size()) - 1 : -1;
}

size_t NumberScanner::scan() {
    int base = 10, digsep = 0;
    char prefix = 0;
    long invalid = -1;
    bool seen_point = ch() == '.', is_float = false;
    if (seen_point) m_i++;
    if (!seen_point) {
        if (ch() == '0') {
            m_i++;
            switch (lower(ch())) {
            case 'x': m_i++, base = 16, prefix = 'x'; break;
            case 'o': m_i++, base = 8, prefix = 'o'; break;
            case 'b': m_i++, base = 2, prefix = 'b'; break;
            default: base = 8, prefix = '0', digsep = 1; // the leading 0 is a digit
            }
        }
        digsep |= digits(base, &invalid);
        if (ch() == '.') {
            if (prefix == 'o' || prefix == 'b')
                fail(m_i, std::string("invalid radix point in ") + base_name(base) + " literal");
            m_i++;
            seen_point = true;
        }
    }
    if (seen_point) is_float = true, digsep |= digits(base, &invalid);
    if (!(digsep & 1)) fail(m_i, std::string(base_name(base)) + " literal has no digits");
    if (lower(ch()) == 'e' || lower(ch()) == 'p') exponent(prefix, is_float, digsep);
    else if (prefix == 'x' && is_float) fail(m_i, "hexadecimal mantissa requires a 'p' exponent");
    bool imaginary = ch() == 'i';
    if (imaginary) m_i++;
    std::string_view lit = m_text.substr(m_start, m_i - m_start);
    if (!is_float && !imaginary && invalid >= 0)
        fail(m_start + size_t(invalid), std::string("invalid digit '") + lit[size_t(invalid)] +
                                            "' in " + base_name(base) + " literal");
    if (digsep & 2)
        if (long at = invalid_separator(lit); at >= 0)
            fail(m_start + size_t(at), "'_' must separate successive digits");
    return lit.size();
}

class Lexer {
  public:
    Lexer(const SourceFile& file, Diagnostics& diags, LexedSource& out)
        : m_text(file.text()), m_diags(diags), m_out(out) {}

    bool run();

  private:
    void newline_seen() {
        if (m_triggers) insert_semicolon();
        m_triggers = false;
    }
    void insert_semicolon() {
        m_out.text.insert(m_out.text.begin() + m_token_end, ';');
        m_out.inserted.push_back(uint32_t(m_token_end));
    }
    void token(size_t len, bool triggers) {
        m_out.text.append(m_text.substr(m_pos, len));
        m_pos += len;
        m_token_end = m_out.text.size();
        m_triggers = triggers;
    }
    void error(size_t at, std::string message) {
        m_diags.error({uint32_t(at)}, std::move(message));
        m_failed = true;
    }
    bool literal_or_operator();
    bool quoted_literal(char quote);

    std::string_view m_text;
    Diagnostics& m_diags;
    LexedSource& m_out;
    size_t m_pos = 0;
    size_t m_token_end = 0; // end of the last token in m_out.text
    bool m_triggers = false; // the last token ends a statement at a newline
    bool m_failed = false;
    size_t m_depth = 0;      // brackets open: ( [ { not yet closed
};

bool Lexer::quoted_literal(char quote) {
    size_t len = quote == '"'    ? match_length<lex::string_lit>(m_text, m_pos)
                 : quote == '`' ? match_length<lex::raw_string_lit>(m_text, m_pos)
                                : match_length<lex::rune_lit>(m_text, m_pos);
    if (len > 0) {
        token(len, true);
        return true;
    }
    if (quote == '`') {
        error(m_pos, "string not terminated");
        return false;
    }
    // Go's scanner stops at the first newline, end of file, or (runes) an empty literal.
    size_t i = m_pos + 1;
    while (i < m_text.size() && m_text[i] != quote && m_text[i] != '\n')
        i += m_text[i] == '\\' && i + 1 < m_text.size() && m_text[i + 1] != '\n' ? 2 : 1;
    bool is_string = quote == '"';
    if (i >= m_text.size())
        error(m_pos, is_string ? "string not terminated" : "rune literal not terminated");
    else if (m_text[i] == '\n')
        error(i, is_string ? "newline in string" : "newline in rune literal");
    else
        error(i, "empty rune literal or unescaped '");
    return false;
}

bool Lexer::literal_or_operator() {
    char c = m_text[m_pos];
    if (c == '"' || c == '`' || c == '\'') return quoted_literal(c);
    bool number_start = (c >= '0' && c <= '9') ||
                        (c == '.' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] >= '0' &&
                         m_text[m_pos + 1] <= '9');
    if (number_start) {
        // A malformed number is reported but lexing goes on, as Go's scanner does;
        // parse_file then stops before type checking.
        NumberScanner number(m_text, m_pos);
        size_t len = number.scan();
        token(len, true);
        if (!number.message.empty()) {
            m_diags.error({uint32_t(number.error_at)}, number.message);
            // The grammar must see the malformed literal as one token: its '.', '+' and
            // '-' become '_' (same length, so positions are unchanged).
            for (size_t i = m_out.text.size() - len; i < m_out.text.size(); i++)
                if (!std::isalnum((unsigned char)m_out.text[i])) m_out.text[i] = '_';
        }
        return true;
    }
    if (size_t len = match_length<lex::word>(m_text, m_pos)) {
        std::string_view w = m_text.substr(m_pos, len);
        token(len, !is_keyword(w) || ends_statement_keyword(w));
        return true;
    }
    if (size_t len = match_length<lex::operator_token>(m_text, m_pos)) {
        std::string_view op = m_text.substr(m_pos, len);
        if (op == "(" || op == "[" || op == "{") {
            if (++m_depth > max_nesting_depth) {
                error(m_pos, "syntax error: exceeded max nesting depth");
                return false;
            }
        } else if ((op == ")" || op == "]" || op == "}") && m_depth > 0) {
            --m_depth;
        }
        token(len, op == ")" || op == "]" || op == "}" || op == "++" || op == "--");
        return true;
    }
    uint32_t rune = 0;
    decode_utf8(m_text, m_pos, rune);
    char buf[64];
    if (rune >= 0x20 && rune < 0x7F)
        std::snprintf(buf, sizeof buf, "invalid character U+%04X '%c'", rune, char(rune));
    else
        std::snprintf(buf, sizeof buf, "invalid character U+%04X", rune);
    error(m_pos, buf);
    return false;
}

bool Lexer::run() {
    if (m_text.substr(0, 3) == "\xEF\xBB\xBF") { // a leading BOM is ignored, as in Go
        m_out.text.append("   ");
        m_pos = 3;
    }
    if (m_text.substr(m_pos, 2) == "#!") { // `#!/usr/bin/env csp`: a line of white space
        size_t end = std::min(m_text.find('\n', m_pos), m_text.size());
        m_out.text.append(end - m_pos, ' ');
        m_pos = end;
    }
    while (m_pos < m_text.size() && !m_failed) {
        char c = m_text[m_pos];
        if (c == '\n') {
            newline_seen();
            m_out.text += c;
            m_pos++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            m_out.text += c;
            m_pos++;
        } else if (c == '/' && m_pos + 1 < m_text.size() &&
                   (m_text[m_pos + 1] == '/' || m_text[m_pos + 1] == '*')) {
            size_t len = match_length<lex::comment>(m_text, m_pos);
            if (len == 0) {
                error(m_pos, "comment not terminated");
                break;
            }
            std::string_view body = m_text.substr(m_pos, len);
            if (body[1] == '*' && body.find('\n') != std::string_view::npos) newline_seen();
            m_out.text.append(body);
            m_pos += len;
        } else if (!literal_or_operator()) {
            break;
        }
    }
    if (!m_failed && m_triggers) insert_semicolon();
    return !m_failed;
}

} // namespace

bool lex_source(const SourceFile& file, Diagnostics& diags, LexedSource& out) {
    if (!validate_bytes(file, diags)) return false;
    Lexer lexer(file, diags, out);
    return lexer.run();
}

} // namespace csp

// Go's 25 keywords, by length first.
bool csp::lex::is_keyword_text(std::string_view w) {
    switch (w.size()) {
    case 2: return w == "go" || w == "if";
    case 3: return w == "for" || w == "map" || w == "var";
    case 4: return w == "case" || w == "chan" || w == "else" || w == "func" || w == "goto" || w == "type";
    case 5: return w == "break" || w == "const" || w == "defer" || w == "range";
    case 6: return w == "import" || w == "return" || w == "select" || w == "struct" || w == "switch";
    case 7: return w == "default" || w == "package";
    case 8: return w == "continue";
    case 9: return w == "interface";
    case 11: return w == "fallthrough";
    default: return false;
    }
}
