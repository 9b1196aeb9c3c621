// Semicolon insertion and byte validation, using the token rules of lexical.hpp.
#include "lang/lexer.hpp"

#include "lang/lexical.hpp"

#include <algorithm>
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
    return {uint32_t(offset - (before - inserted.begin()))};
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

bool is_keyword(std::string_view word) { return match_length<lex::keyword>(word, 0) == word.size(); }

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
};

bool Lexer::quoted_literal(char quote) {
    size_t len = quote == '"'    ? match_length<lex::string_lit>(m_text, m_pos)
                 : quote == '`' ? match_length<lex::raw_string_lit>(m_text, m_pos)
                                : match_length<lex::rune_lit>(m_text, m_pos);
    if (len > 0) {
        token(len, true);
        return true;
    }
    const char* what = quote == '"' ? "string literal not terminated"
                       : quote == '`' ? "string not terminated"
                                      : "rune literal not terminated";
    if (quote == '\'' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\'')
        what = "empty rune literal or unescaped ' in rune literal";
    if (quote == '"') {
        size_t nl = m_text.find('\n', m_pos);
        size_t q = m_pos + 1;
        while (q < m_text.size() && m_text[q] != '"' && m_text[q] != '\n')
            q += m_text[q] == '\\' ? 2 : 1;
        if (nl != std::string_view::npos && q >= nl) what = "newline in string";
    }
    error(m_pos, what);
    return false;
}

bool Lexer::literal_or_operator() {
    char c = m_text[m_pos];
    if (c == '"' || c == '`' || c == '\'') return quoted_literal(c);
    bool number_start = (c >= '0' && c <= '9') ||
                        (c == '.' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] >= '0' &&
                         m_text[m_pos + 1] <= '9');
    if (number_start) {
        size_t len = match_length<lex::imag_lit>(m_text, m_pos);
        if (!len) len = match_length<lex::float_lit>(m_text, m_pos);
        if (!len) len = match_length<lex::int_lit>(m_text, m_pos);
        if (!len) len = match_length<lex::bad_number>(m_text, m_pos);
        token(len, true);
        return true;
    }
    if (size_t len = match_length<lex::word>(m_text, m_pos)) {
        std::string_view w = m_text.substr(m_pos, len);
        token(len, !is_keyword(w) || ends_statement_keyword(w));
        return true;
    }
    if (size_t len = match_length<lex::operator_token>(m_text, m_pos)) {
        std::string_view op = m_text.substr(m_pos, len);
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
