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

    // A package of several files is one SourceFile whose text is the files' texts one
    // after the other: each keeps its name, and line_col counts lines within its file.
    struct Segment {
        std::string name;
        uint32_t start = 0;      // offset of the file's first byte
        uint32_t first_line = 0; // index in m_line_starts of its first line
    };
    static SourceFile concatenate(const std::vector<std::pair<std::string, std::string>>& files);
    // The file holding `pos` (name() when there is one file), and the text of its line.
    const std::string& name_at(Pos pos) const;
    std::string_view line_text_at(Pos pos) const;
    const std::vector<Segment>& segments() const { return m_segments; }

  private:
    std::string m_name;
    std::string m_text;
    std::vector<uint32_t> m_line_starts; // offset of the first byte of each line
    std::vector<Segment> m_segments;     // empty for a single file
    const Segment* segment_at(Pos pos) const;
};

} // namespace csp
