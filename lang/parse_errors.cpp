// Go's syntax-error phrases, chosen from the innermost context at the failure point.
#include "lang/parse_errors.hpp"

namespace csp::parse_errors {

static std::string phrase(const Tracker& t, const std::string& token) {
    std::string head = "syntax error: unexpected " + token;
    for (auto it = t.at_farthest.rbegin(); it != t.at_farthest.rend(); ++it) {
        bool at_start = it->start == t.farthest;
        // A bracketed context that failed on its own opening token is not where we are.
        bool opens_with_token = it->context != Context::RequiredExpression &&
                                it->context != Context::Statement &&
                                it->context != Context::TopLevelDecl &&
                                it->context != Context::TopLevel;
        if (at_start && opens_with_token) continue;
        switch (it->context) {
        case Context::RequiredExpression:
            if (!at_start) continue;
            if (token == "{" && it + 1 != t.at_farthest.rend() &&
                (it + 1)->context == Context::IfHeader)
                return "syntax error: missing condition in if statement";
            return head + ", expecting expression";
        case Context::VarSpec: return head + ", expecting type";
        case Context::ArgumentList: return head + " in argument list; possibly missing comma or )";
        case Context::CompositeLiteral:
            return head + " in composite literal; possibly missing comma or }";
        case Context::ParameterList:
            return head + " in parameter list; possibly missing comma or )";
        case Context::Paren: return head + ", expecting )";
        case Context::Index: return head + ", expecting comma, : or ]";
        case Context::IfHeader: return head + ", expecting { after if clause";
        case Context::ForHeader: return head + ", expecting { after for clause";
        case Context::SwitchHeader: return head + ", expecting { after switch clause";
        case Context::CaseClause: return head + ", expecting :";
        case Context::Statement:
            if (at_start) continue; // no statement starts here: the enclosing block decides
            return head + " at end of statement";
        case Context::Block: return head + ", expecting }";
        case Context::FuncDecl: return head + ", expecting name or (";
        case Context::TopLevelDecl:
            if (at_start && token != "EOF")
                return "syntax error: non-declaration statement outside function body";
            continue;
        case Context::TopLevel: return head + " after top level declaration";
        case Context::None: continue;
        }
    }
    return head;
}

} // namespace csp::parse_errors

namespace csp::parse_errors {

Message message(const Tracker& t, size_t farthest, const std::string& token,
                std::optional<size_t> newline_before) {
    std::string text = phrase(t, token);
    // `if cond` NEWLINE `{` and `func f()` NEWLINE `{`: Go names the newline, not the brace.
    if (token == "{" && newline_before) {
        if (text == "syntax error: missing condition in if statement")
            return {*newline_before, "syntax error: unexpected newline, expecting { after if clause"};
        if (text == "syntax error: non-declaration statement outside function body")
            return {farthest, "syntax error: unexpected semicolon or newline before {"};
    }
    return {farthest, text};
}

} // namespace csp::parse_errors
