// The lexical pass: validates the bytes of a file (UTF-8, no NUL, terminated literals and
// comments) and applies Go's automatic semicolon rule by writing an explicit ';' after the
// last token of each line that ends in an identifier, literal, one of the keywords
// break/continue/fallthrough/return, or one of ++ -- ) ] }. The grammar then treats
// newlines as plain white space.
#pragma once
#include "lang/diagnostics.hpp"

#include <string>
#include <vector>

namespace csp {

// Deepest bracket nesting, and deepest expression nesting, the front end accepts. The
// passes recurse over nesting; past this a file gets a syntax error, not a crash.
constexpr size_t max_nesting_depth = 10000;

struct LexedSource {
    std::string text;               // the source with inserted semicolons
    std::vector<uint32_t> inserted; // ascending offsets (in `text`) of inserted semicolons
    uint32_t base = 0;              // offset of the file in a package's combined source

    // Maps an offset in `text` back to the original file.
    Pos original(size_t offset) const;
    bool is_inserted(size_t offset) const;
};

// Returns false (with diagnostics) when the bytes cannot be tokenized.
bool lex_source(const SourceFile& file, Diagnostics& diags, LexedSource& out);

// Decodes one UTF-8 sequence at s[i]; returns its length (0 if invalid) and the rune.
int decode_utf8(std::string_view s, size_t i, uint32_t& rune);
void append_utf8(std::string& out, uint32_t rune);

} // namespace csp
