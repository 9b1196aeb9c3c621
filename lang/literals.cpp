// Decoding of Go string, raw string and rune literals (escapes, \u and \x forms).
#include "lang/lexer.hpp"
#include "lang/parser.hpp"

namespace csp {

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes one escape starting at s[i] == '\\'; appends to out; returns the new index or 0.
static size_t decode_escape(std::string_view s, size_t i, char quote, std::string& out,
                            std::string& error) {
    char c = i + 1 < s.size() ? s[i + 1] : 0;
    switch (c) {
    case 'a': out += '\a'; return i + 2;
    case 'b': out += '\b'; return i + 2;
    case 'f': out += '\f'; return i + 2;
    case 'n': out += '\n'; return i + 2;
    case 'r': out += '\r'; return i + 2;
    case 't': out += '\t'; return i + 2;
    case 'v': out += '\v'; return i + 2;
    case '\\': out += '\\'; return i + 2;
    case '\'':
    case '"':
        if (c != quote) break;
        out += c;
        return i + 2;
    case 'x':
    case 'u':
    case 'U': {
        int digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
        uint32_t v = 0;
        for (int k = 0; k < digits; k++) {
            int h = i + 2 + k < s.size() ? hex_value(s[i + 2 + k]) : -1;
            if (h < 0) {
                error = "invalid character in hexadecimal escape";
                return 0;
            }
            v = v * 16 + uint32_t(h);
        }
        if (c == 'x') {
            out += char(v);
        } else {
            if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)) {
                error = "escape is invalid Unicode code point";
                return 0;
            }
            append_utf8(out, v);
        }
        return i + 2 + digits;
    }
    default:
        if (c >= '0' && c <= '7') {
            uint32_t v = 0;
            for (int k = 0; k < 3; k++) {
                char d = i + 1 + k < s.size() ? s[i + 1 + k] : 0;
                if (d < '0' || d > '7') {
                    error = "invalid character in octal escape";
                    return 0;
                }
                v = v * 8 + uint32_t(d - '0');
            }
            if (v > 255) {
                error = "octal escape value > 255";
                return 0;
            }
            out += char(v);
            return i + 4;
        }
    }
    error = "unknown escape sequence";
    return 0;
}

bool unquote_literal(std::string_view lit, std::string& out, size_t& error_at, std::string& error) {
    out.clear();
    if (lit.size() < 2) {
        error = "malformed literal";
        error_at = 0;
        return false;
    }
    char quote = lit[0];
    std::string_view body = lit.substr(1, lit.size() - 2);
    if (quote == '`') {
        for (char c : body)
            if (c != '\r') out += c;
        return true;
    }
    for (size_t i = 0; i < body.size();) {
        if (body[i] != '\\') {
            out += body[i++];
            continue;
        }
        size_t next = decode_escape(body, i, quote, out, error);
        if (next == 0) {
            error_at = i + 1;
            return false;
        }
        i = next;
    }
    return true;
}

} // namespace csp
