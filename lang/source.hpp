// A source file held in memory, and positions in it. Positions are byte offsets into the
// original text; line and column (both 1-based, column counted in bytes as Go does) are
// derived on demand from a table of line starts.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace csp {

struct Pos {
    uint32_t offset = 0; // byte offset into SourceFile::text
};

struct LineCol {
    uint32_t line;
    uint32_t column;
};

class SourceFile {
  public:
    SourceFile(std::string name, std::string text);
    const std::string& name() const { return m_name; }
    const std::string& text() const { return m_text; }
    LineCol line_col(Pos pos) const;
    // The text of line `line` (1-based), without its newline.
    std::string_view line_text(uint32_t line) const;
    Pos pos_of(uint32_t line, uint32_t column) const;

  private:
    std::string m_name;
    std::string m_text;
    std::vector<uint32_t> m_line_starts; // offset of the first byte of each line
};

} // namespace csp
