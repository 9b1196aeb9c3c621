// Syntax errors in Go's words. A PEG parser fails far from where a person sees the
// mistake, so the control below records the farthest position any rule reached and the
// innermost "context" rule active there (argument list, composite literal, if header...);
// the message is then "unexpected <token>" plus the context's phrase, as Go's parser says.
#pragma once
#include "lang/grammar.hpp"

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace csp::parse_errors {

enum class Context : uint8_t {
    None, TopLevel, TopLevelDecl, FuncDecl, Statement, RequiredExpression, ArgumentList, CompositeLiteral,
    ParameterList, Paren, IfHeader, VarSpec, ForHeader, SwitchHeader, CaseClause, Index, Block,
};

struct Frame {
    Context context;
    const char* start;
};

struct Tracker {
    const char* farthest = nullptr;
    std::vector<Frame> stack;
    std::vector<Frame> at_farthest; // snapshot of the stack when `farthest` was set
};

inline thread_local Tracker* tracker = nullptr;

template <typename Rule> struct context_of { static constexpr Context value = Context::None; };
#define CSP_CONTEXT(rule, ctx)                                                                  \
    template <> struct context_of<grammar::rule> { static constexpr Context value = Context::ctx; }
CSP_CONTEXT(go_file, TopLevel);
CSP_CONTEXT(top_level_decl, TopLevelDecl);
CSP_CONTEXT(function_decl, FuncDecl);
CSP_CONTEXT(statement, Statement);
CSP_CONTEXT(required_expression, RequiredExpression);
CSP_CONTEXT(required_expression_list, RequiredExpression);
CSP_CONTEXT(operand_after_operator, RequiredExpression);
CSP_CONTEXT(operand_after_unary, RequiredExpression);
CSP_CONTEXT(call_arguments, ArgumentList);
CSP_CONTEXT(literal_value, CompositeLiteral);
CSP_CONTEXT(parameters, ParameterList);
CSP_CONTEXT(paren_expression, Paren);
CSP_CONTEXT(if_header, IfHeader);
CSP_CONTEXT(for_header_wrap, ForHeader);
CSP_CONTEXT(switch_header, SwitchHeader);
CSP_CONTEXT(case_label, CaseClause);
CSP_CONTEXT(index_or_slice, Index);
CSP_CONTEXT(block, Block);
CSP_CONTEXT(var_spec, VarSpec);
#undef CSP_CONTEXT

template <typename Rule> struct control : tao::pegtl::normal<Rule> {
    static constexpr Context context = context_of<Rule>::value;

    template <typename Input, typename... States>
    static void start(const Input& in, States&&...) {
        Tracker& t = *tracker;
        if constexpr (context != Context::None) t.stack.push_back({context, in.current()});
        if constexpr (!std::is_base_of_v<grammar::token, Rule>) return;
        if (in.current() > t.farthest) {
            t.farthest = in.current();
            t.at_farthest = t.stack;
        } else if (in.current() == t.farthest && t.stack.size() > t.at_farthest.size()) {
            t.at_farthest = t.stack; // a deeper context starting at the same place
        }
    }
    template <typename Input, typename... States> static void success(const Input&, States&&...) {
        if constexpr (context != Context::None) tracker->stack.pop_back();
    }
    template <typename Input, typename... States> static void failure(const Input&, States&&...) {
        if constexpr (context != Context::None) tracker->stack.pop_back();
    }
};

struct Message {
    size_t offset; // in the lexed text
    std::string text;
};

// Builds Go's message for a failure at tracker.farthest. `token` is how Go names the token
// there; `newline_before` is the offset of an inserted semicolon just before it, if any.
Message message(const Tracker& tracker, size_t farthest, const std::string& token,
                std::optional<size_t> newline_before);

} // namespace csp::parse_errors
