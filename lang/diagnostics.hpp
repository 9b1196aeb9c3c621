// Compile-time diagnostics: collected per file, sorted by position, and printed as
// `file:LINE:COL: message`, any extra lines, the source line, and a caret under the column.
#pragma once
#include "lang/source.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace csp {

struct Diagnostic {
    Pos pos;
    std::string message; // may hold more lines (Go's "\thave (...)\n\twant (...)")
};

class Diagnostics {
  public:
    explicit Diagnostics(const SourceFile& file) : m_file(file) {}
    void error(Pos pos, std::string message);
    bool has_errors() const { return !m_errors.empty(); }
    size_t count() const { return m_errors.size(); }
    const std::vector<Diagnostic>& errors() const { return m_errors; }
    // Prints the errors sorted by position, Go's way: the first 10 reported, then "too many errors".
    void print(std::ostream& out) const;
    const SourceFile& file() const { return m_file; }

  private:
    const SourceFile& m_file;
    // In the order reported; only the first `error_limit` are kept (Go stops there).
    static constexpr size_t error_limit = 10;
    std::vector<Diagnostic> m_errors;
    uint32_t m_last_syntax_line = 0;
    uint32_t m_last_line = 0;
    std::string m_last_message;
};

} // namespace csp
