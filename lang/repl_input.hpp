// The REPL's input completeness rule: whether the lines typed (or read) so far form a
// whole statement or declaration, or need more lines. Used for continuation prompts and
// for splitting a piped session into inputs.
#pragma once
#include <string_view>

namespace csp {

enum class InputState {
    Empty,      // only white space and comments: nothing to run
    Incomplete, // an open ( [ {, raw string or block comment, or a trailing operator
    Complete,   // run it (syntax errors included: more lines would not fix them)
};

InputState input_state(std::string_view text);

} // namespace csp
