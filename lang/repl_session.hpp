// A REPL session's compiler: each input is compiled together with the declarations kept
// from earlier inputs into one growing Program, whose new entry function runs only the
// new input (runtime/vm_session.cpp runs it on the session's VM). See docs/repl.md.
#pragma once
#include "lang/compiler.hpp"
#include "lang/frontend.hpp"

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace csp {

class ReplSession {
  public:
    // `options.packages` must know `show_package` (the package printing expression
    // values, stdlib/repl/show.hpp); `name` is the session's file name in messages.
    ReplSession(FrontendOptions options, std::string show_package, std::string name);

    // Compiles one input (whole lines, ending in a newline). On success returns the
    // function to run; else prints Go's errors to `errors` and returns nullopt. The
    // input's lines count in the session's line numbers either way.
    std::optional<uint32_t> compile(const std::string& input, std::ostream& errors);

    // The type of `expression` (its types, for a multi-valued call), as the checker sees
    // it after the kept declarations; nullopt after printing errors. Nothing runs.
    std::optional<std::string> type_of(const std::string& expression, std::ostream& errors);

    // Tab completion: the keywords, predeclared names, session names and standard
    // packages starting with `word`, or for `pkg.Pre` the package's exported names
    // starting with Pre (spelled `pkg.Name`); sorted.
    std::vector<std::string> completions(const std::string& word) const;

    // Counts the lines of an input with nothing to run (blank lines, comments).
    void skip(const std::string& input);

    Program& program() { return *m_program; }
    // Lines read so far: the next input starts on line lines() + 1.
    uint32_t lines() const { return m_lines; }

  private:
    struct Attempt;
    bool attempt(Attempt& work, bool show, std::ostream& errors);
    bool compile_checked(CheckedProgram& checked, Attempt& work, std::ostream& errors);

    FrontendOptions m_options;
    std::string m_show_package;
    std::string m_name;
    // Earlier inputs line for line, reduced to their declarations: a top-level `:=` or var
    // as `var name T;`, statements blanked. Later inputs are compiled after this text.
    std::string m_kept;
    uint32_t m_lines = 0;
    std::vector<std::string> m_names; // declared at the top level by earlier inputs
    std::unique_ptr<Program> m_program;
    SessionTables m_tables;
};

} // namespace csp
