// Printing of compile errors with the offending source line and a caret.
#include "lang/diagnostics.hpp"

#include <algorithm>

namespace csp {

// Go's filters (base.ErrorfAt, FlushErrors): one syntax error per line, no error
// repeating the previous one's message on its line, and identical errors once.
void Diagnostics::error(Pos pos, std::string message) {
    if (m_errors.size() >= error_limit) return; // "too many errors" is already due
    uint32_t line = m_file.line_col(pos).line;
    bool syntax = message.rfind("syntax error", 0) == 0;
    if (syntax) {
        if (line == m_last_syntax_line) return;
        m_last_syntax_line = line;
    } else {
        if (line == m_last_line && message == m_last_message) return;
        m_last_line = line;
        m_last_message = message;
    }
    for (const Diagnostic& d : m_errors) // Go prints an identical error once
        if (d.pos.offset == pos.offset && d.message == message) return;
    m_errors.push_back({pos, std::move(message)});
}

// Source lines longer than this are shown as a window around the column, between "...".
static constexpr size_t max_shown_line = 240;

static void print_one(std::ostream& out, const SourceFile& file, const Diagnostic& d) {
    LineCol lc = file.line_col(d.pos);
    out << file.name_at(d.pos) << ':' << lc.line << ':' << lc.column << ": " << d.message << '\n';
    std::string_view line = file.line_text_at(d.pos);
    size_t column = std::min<size_t>(lc.column == 0 ? 0 : lc.column - 1, line.size());
    std::string prefix, suffix;
    if (line.size() > max_shown_line) {
        size_t start = column > max_shown_line / 2 ? column - max_shown_line / 2 : 0;
        if (start > 0) prefix = "...";
        if (start + max_shown_line < line.size()) suffix = "...";
        column -= start;
        line = line.substr(start, max_shown_line);
    }
    out << prefix << line << suffix << '\n';
    std::string caret(prefix.size(), ' ');
    for (size_t i = 0; i < column; i++)
        caret += line[i] == '\t' ? '\t' : ' ';
    out << caret << "^\n";
}

// Go stops at the tenth error reported: it prints those ten by position, then
// "too many errors" at the tenth's position.
void Diagnostics::print(std::ostream& out) const {
    const size_t limit = 10;
    std::vector<Diagnostic> sorted(m_errors.begin(), m_errors.begin() + std::min(limit, m_errors.size()));
    std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return a.pos.offset < b.pos.offset;
    });
    for (const Diagnostic& d : sorted) print_one(out, m_file, d);
    if (m_errors.size() < limit) return;
    LineCol lc = m_file.line_col(m_errors[limit - 1].pos);
    out << m_file.name_at(m_errors[limit - 1].pos) << ':' << lc.line << ':' << lc.column << ": too many errors\n";
}

} // namespace csp
