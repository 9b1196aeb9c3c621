// Line tables for source files: offset <-> line/column conversion.
#include "lang/source.hpp"

#include <algorithm>

namespace csp {

SourceFile::SourceFile(std::string name, std::string text)
    : m_name(std::move(name)), m_text(std::move(text)) {
    m_line_starts.push_back(0);
    for (uint32_t i = 0; i < m_text.size(); i++)
        if (m_text[i] == '\n') m_line_starts.push_back(i + 1);
}

LineCol SourceFile::line_col(Pos pos) const {
    auto it = std::upper_bound(m_line_starts.begin(), m_line_starts.end(), pos.offset);
    uint32_t line = uint32_t(it - m_line_starts.begin());
    uint32_t column = pos.offset - m_line_starts[line - 1] + 1;
    if (const Segment* seg = segment_at(pos)) line -= seg->first_line;
    return {line, column};
}

// Each file's text must end in a newline so that no line spans two files.
SourceFile SourceFile::concatenate(const std::vector<std::pair<std::string, std::string>>& files) {
    std::string text;
    std::vector<Segment> segments;
    uint32_t lines = 0;
    for (auto& [name, body] : files) {
        segments.push_back({name, uint32_t(text.size()), lines});
        text += body;
        if (body.empty() || body.back() != '\n') text += '\n';
        for (char c : body) lines += c == '\n';
        if (body.empty() || body.back() != '\n') lines++;
    }
    SourceFile combined(files.empty() ? std::string() : files.front().first, std::move(text));
    combined.m_segments = std::move(segments);
    return combined;
}

const SourceFile::Segment* SourceFile::segment_at(Pos pos) const {
    if (m_segments.empty()) return nullptr;
    auto it = std::upper_bound(m_segments.begin(), m_segments.end(), pos.offset,
                               [](uint32_t offset, const Segment& s) { return offset < s.start; });
    return it == m_segments.begin() ? &m_segments.front() : &*(it - 1);
}

const std::string& SourceFile::name_at(Pos pos) const {
    const Segment* seg = segment_at(pos);
    return seg ? seg->name : m_name;
}

std::string_view SourceFile::line_text_at(Pos pos) const {
    auto it = std::upper_bound(m_line_starts.begin(), m_line_starts.end(), pos.offset);
    return line_text(uint32_t(it - m_line_starts.begin()));
}

std::string_view SourceFile::line_text(uint32_t line) const {
    if (line == 0 || line > m_line_starts.size()) return {};
    uint32_t start = m_line_starts[line - 1];
    uint32_t end = line < m_line_starts.size() ? m_line_starts[line] - 1 : uint32_t(m_text.size());
    std::string_view text(m_text.data() + start, end - start);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    return text;
}

Pos SourceFile::pos_of(uint32_t line, uint32_t column) const {
    if (line == 0) return {0};
    if (line > m_line_starts.size()) return {uint32_t(m_text.size())};
    return {m_line_starts[line - 1] + (column > 0 ? column - 1 : 0)};
}

} // namespace csp
