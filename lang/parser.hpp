// The parser: lexical pass, PEGTL parse into a parse tree, then conversion into the AST
// (ast.hpp), applying Go's operator precedence and parameter grouping.
#pragma once
#include "lang/ast.hpp"
#include "lang/diagnostics.hpp"

#include <memory>

namespace csp {

// Parses `source`; returns null after reporting syntax errors to `diags`.
std::unique_ptr<File> parse_file(const SourceFile& source, Diagnostics& diags);

// Parses the file of `combined` (a package's sources, SourceFile::concatenate) whose text
// is `file` and starts at offset `base`: positions are in `combined`. Lexical errors go to
// `file_diags`, syntax errors to `diags`.
std::unique_ptr<File> parse_file_at(const SourceFile& combined, const SourceFile& file, uint32_t base,
                                    Diagnostics& file_diags, Diagnostics& diags);

// Decodes a Go string/rune literal body (with quotes); false when an escape is invalid,
// with the byte offset of the bad escape in `error_at` and Go's message in `error`.
bool unquote_literal(std::string_view literal, std::string& out, size_t& error_at,
                     std::string& error);

// Go's rendering of an expression in messages (types.ExprString): `x + y`, `f(a, b)`.
std::string expr_string(const Expr* e);

} // namespace csp
