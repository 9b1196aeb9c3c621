// input_state: one scan over the text, skipping comments and literals, tracking bracket
// depth and the last token; Go's automatic semicolons end a line after anything but an
// operator, so a line ending in one continues on the next.
#include "lang/repl_input.hpp"

#include <cctype>
#include <string>

namespace csp {

namespace {

bool is_word_char(char c) { return std::isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80; }

// Operators after which Go inserts no semicolon and a statement cannot end.
bool continues(std::string_view token) {
    static const char* const operators[] = {
        "+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "&^", "&&", "||", "==", "!=", "<",
        "<=", ">", ">=", "=", ":=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=",
        "&^=", "<-", "!", ",", ".", ":", "...",
    };
    for (const char* op : operators)
        if (token == op) return true;
    return false;
}

} // namespace

InputState input_state(std::string_view text) {
    int depth = 0;
    std::string last; // the last token outside comments
    size_t i = 0;
    while (i < text.size()) {
        char c = text[i];
        if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
            while (i < text.size() && text[i] != '\n') i++;
        } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
            size_t end = text.find("*/", i + 2);
            if (end == std::string_view::npos) return InputState::Incomplete;
            i = end + 2;
        } else if (c == '`') {
            size_t end = text.find('`', i + 1);
            if (end == std::string_view::npos) return InputState::Incomplete;
            i = end + 1;
            last.assign(1, '`');
        } else if (c == '"' || c == '\'') { // ends at its quote or (an error) the line's end
            size_t k = i + 1;
            while (k < text.size() && text[k] != c && text[k] != '\n') k += text[k] == '\\' ? 2 : 1;
            i = k < text.size() && text[k] == c ? k + 1 : k;
            last.assign(1, '"');
        } else if (std::isspace((unsigned char)c)) {
            i++;
        } else if (is_word_char(c)) {
            size_t start = i;
            while (i < text.size() && (is_word_char(text[i]) || (text[i] == '.' && std::isdigit((unsigned char)text[start])))) i++;
            last = std::string(text.substr(start, i - start));
        } else {
            if (c == '(' || c == '[' || c == '{') depth++;
            if (c == ')' || c == ']' || c == '}') depth--;
            // the longest operator here (3, 2 or 1 characters)
            size_t len = 1;
            for (size_t n = 3; n > 1; n--)
                if (i + n <= text.size() && continues(text.substr(i, n))) {
                    len = n;
                    break;
                }
            if (len == 1 && i + 1 < text.size() && (text.substr(i, 2) == "++" || text.substr(i, 2) == "--"))
                len = 2;
            last = std::string(text.substr(i, len));
            i += len;
        }
    }
    if (last.empty()) return InputState::Empty;
    if (depth > 0 || continues(last)) return InputState::Incomplete;
    return InputState::Complete;
}

} // namespace csp
