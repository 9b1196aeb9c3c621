// Printing of compile errors with the offending source line and a caret.
#include "lang/diagnostics.hpp"

#include <algorithm>

namespace csp {

void Diagnostics::error(Pos pos, std::string message) {
    for (const Diagnostic& d : m_errors) // one error per position, as Go reports
        if (d.pos.offset == pos.offset && d.message == message) return;
    m_errors.push_back({pos, std::move(message)});
}

static void print_one(std::ostream& out, const SourceFile& file, const Diagnostic& d) {
    LineCol lc = file.line_col(d.pos);
    out << file.name() << ':' << lc.line << ':' << lc.column << ": " << d.message << '\n';
    std::string_view line = file.line_text(lc.line);
    out << line << '\n';
    std::string caret;
    for (uint32_t i = 0; i + 1 < lc.column && i < line.size(); i++)
        caret += line[i] == '\t' ? '\t' : ' ';
    out << caret << "^\n";
}

void Diagnostics::print(std::ostream& out) const {
    std::vector<Diagnostic> sorted = m_errors;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return a.pos.offset < b.pos.offset;
    });
    size_t shown = 0;
    for (const Diagnostic& d : sorted) {
        if (shown == 10) {
            out << m_file.name() << ':' << m_file.line_col(d.pos).line << ':'
                << m_file.line_col(d.pos).column << ": too many errors\n";
            break;
        }
        print_one(out, m_file, d);
        shown++;
    }
}

} // namespace csp
