// The PEGTL grammar of the whole language (Go's syntax minus generics), rules only.
// Padding: the lexical pass (lexer.hpp) has already written Go's automatic semicolons
// into the text, so newlines are ordinary white space here. Every token rule consumes the
// white space and comments after it (`skip`); the file rule consumes leading padding.
// Parse-tree nodes are selected in parser.cpp; node-bearing rules are named by meaning.
#pragma once
#include "lang/lexical.hpp"

#include <tao/pegtl/contrib/analyze_traits.hpp>

namespace csp::grammar {
namespace pegtl = tao::pegtl;
using namespace pegtl;

// Composite literals `T{...}` are not allowed at the top level of an if/for/switch header
// (the `{` opens the block); parentheses, brackets and braces lift the restriction. The
// depth is parse-time state, saved and restored around the rules below.
inline thread_local bool composite_forbidden = false;

template <bool Forbidden, typename Rule> struct with_composite {
    using rule_t = with_composite;
    using subs_t = type_list<Rule>;
    template <apply_mode A, rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename Input, typename... States>
    static bool match(Input& in, States&&... st) {
        bool saved = composite_forbidden;
        composite_forbidden = Forbidden;
        bool ok = Control<Rule>::template match<A, M, Action, Control>(in, st...);
        composite_forbidden = saved;
        return ok;
    }
};
template <typename Rule> using header = with_composite<true, Rule>;
template <typename Rule> using nested = with_composite<false, Rule>;

struct composite_allowed {
    using rule_t = composite_allowed;
    using subs_t = empty_list;
    template <typename Input> static bool match(Input&) { return !composite_forbidden; }
};

// ---- padding and tokens --------------------------------------------------------------
struct skip : star<sor<one<' ', '\t', '\r', '\n'>, lex::comment>> {};
// Rules deriving from `token` are the grammar's terminals; syntax errors are located at
// the farthest position where one of them was attempted (parse_errors.hpp).
struct token {};
template <typename Keyword> struct key : seq<Keyword, not_at<lex::ident_char>, skip>, token {};
template <typename Op, typename... NotFollowedBy>
struct sym : seq<Op, not_at<sor<NotFollowedBy...>>, skip>, token {};
template <char C> using ch = one<C>;

// clang-format off
struct kw_package : key<TAO_PEGTL_STRING("package")> {};
struct kw_import : key<TAO_PEGTL_STRING("import")> {};
struct kw_func : key<TAO_PEGTL_STRING("func")> {};
struct kw_var : key<TAO_PEGTL_STRING("var")> {};
struct kw_const : key<TAO_PEGTL_STRING("const")> {};
struct kw_type : key<TAO_PEGTL_STRING("type")> {};
struct kw_struct : key<TAO_PEGTL_STRING("struct")> {};
struct kw_interface : key<TAO_PEGTL_STRING("interface")> {};
struct kw_map : key<TAO_PEGTL_STRING("map")> {};
struct kw_chan : key<TAO_PEGTL_STRING("chan")> {};
struct kw_if : key<TAO_PEGTL_STRING("if")> {};
struct kw_else : key<TAO_PEGTL_STRING("else")> {};
struct kw_for : key<TAO_PEGTL_STRING("for")> {};
struct kw_range : key<TAO_PEGTL_STRING("range")> {};
struct kw_switch : key<TAO_PEGTL_STRING("switch")> {};
struct kw_case : key<TAO_PEGTL_STRING("case")> {};
struct kw_default : key<TAO_PEGTL_STRING("default")> {};
struct kw_select : key<TAO_PEGTL_STRING("select")> {};
struct kw_go : key<TAO_PEGTL_STRING("go")> {};
struct kw_defer : key<TAO_PEGTL_STRING("defer")> {};
struct kw_return : key<TAO_PEGTL_STRING("return")> {};
struct kw_break : key<TAO_PEGTL_STRING("break")> {};
struct kw_continue : key<TAO_PEGTL_STRING("continue")> {};
struct kw_goto : key<TAO_PEGTL_STRING("goto")> {};
struct kw_fallthrough : key<TAO_PEGTL_STRING("fallthrough")> {};

struct semi : sym<ch<';'>> {};
struct comma : sym<ch<','>> {};
struct colon : sym<ch<':'>, ch<'='>> {};
struct dot : sym<ch<'.'>, ch<'.'>> {};
struct ellipsis : sym<TAO_PEGTL_STRING("...")> {};
struct lparen : sym<ch<'('>> {};
struct rparen : sym<ch<')'>> {};
struct lbrack : sym<ch<'['>> {};
struct rbrack : sym<ch<']'>> {};
struct lbrace : sym<ch<'{'>> {};
struct rbrace : sym<ch<'}'>> {};
struct star_op : sym<ch<'*'>, ch<'='>> {};
struct arrow : sym<TAO_PEGTL_STRING("<-")> {};
struct define : sym<TAO_PEGTL_STRING(":=")> {};
struct assign_eq : sym<ch<'='>, ch<'='>> {};
// clang-format on

struct ident_token : lex::identifier, token {};
struct identifier : seq<ident_token, skip> {};

// ---- literals ------------------------------------------------------------------------
struct imag_token : lex::imag_lit, token {};
struct float_token : lex::float_lit, token {};
struct int_token : lex::int_lit, token {};
struct bad_number_token : lex::bad_number, token {};
struct rune_token : lex::rune_lit, token {};
struct string_token : sor<lex::string_lit, lex::raw_string_lit>, token {};
struct string_literal : seq<string_token, skip> {};
struct basic_literal : seq<sor<imag_token, float_token, int_token, bad_number_token, rune_token,
                               string_token>, skip> {};

// ---- types ---------------------------------------------------------------------------
struct type;
struct expression;
struct expression_list;
struct block;
struct signature;

struct type_name : seq<identifier, opt<dot, identifier>> {};           // T or pkg.T
struct array_length_ellipsis : ellipsis {};                              // [...]T
struct array_type : seq<lbrack, nested<sor<array_length_ellipsis, expression>>, rbrack, type> {};
struct slice_type : seq<lbrack, rbrack, type> {};
struct pointer_type : seq<star_op, type> {};
struct map_type : seq<kw_map, lbrack, nested<type>, rbrack, type> {};
struct send_chan_type : seq<kw_chan, arrow, type> {};                    // chan<- T
struct recv_chan_type : seq<arrow, kw_chan, type> {};                    // <-chan T
struct bidi_chan_type : seq<kw_chan, type> {};                           // chan T
struct chan_type : sor<send_chan_type, recv_chan_type, bidi_chan_type> {};
struct func_type : seq<kw_func, signature> {};
struct field_tag : string_literal {};
struct embedded_pointer : star_op {};
struct embedded_field : seq<opt<embedded_pointer>, type_name, opt<field_tag>> {};
struct identifier_list : list<identifier, comma> {};
struct field_group : seq<identifier_list, type, opt<field_tag>> {};
struct field_decl : sor<field_group, embedded_field> {};
struct struct_type
    : seq<kw_struct, lbrace, nested<star<field_decl, sor<semi, at<rbrace>>>>, rbrace> {};
struct method_spec : seq<identifier, signature> {};
struct embedded_interface : type_name {};
struct interface_element : sor<method_spec, embedded_interface> {};
struct interface_type
    : seq<kw_interface, lbrace, star<interface_element, sor<semi, at<rbrace>>>, rbrace> {};
struct paren_type : seq<lparen, nested<type>, rparen> {};
struct type_literal : sor<array_type, slice_type, struct_type, pointer_type, func_type,
                          interface_type, map_type, chan_type> {};
struct type : sor<type_literal, type_name, paren_type> {};

// Parameters: each entry is `[name] [...]Type`; Go's grouping `a, b int` is resolved in the
// parser (entries without a type name become names when any entry has one).
struct variadic_mark : ellipsis {};
struct parameter_decl : sor<seq<identifier, opt<variadic_mark>, type>,
                            seq<opt<variadic_mark>, type>> {};
struct parameters : seq<lparen, nested<opt<list<parameter_decl, comma>, opt<comma>>>, rparen> {};
struct result : sor<parameters, type> {};
struct signature : seq<parameters, opt<result>> {};

// ---- expressions ---------------------------------------------------------------------
struct literal_value;
struct element_key : sor<literal_value, expression> {};
struct element_value : sor<literal_value, expression> {};
struct keyed_element : seq<element_key, colon, element_value> {};
struct element : sor<keyed_element, element_value> {};
struct literal_value
    : seq<lbrace, nested<opt<list<element, comma>, opt<comma>>>, rbrace> {};
struct literal_type : sor<array_type, slice_type, struct_type, map_type> {};
struct composite_literal : seq<literal_type, literal_value> {};
struct func_literal : seq<kw_func, signature, block> {};
struct conversion : seq<type_literal, lparen, nested<seq<expression, opt<comma>>>, rparen> {};
struct paren_expression : seq<lparen, nested<sor<expression, type>>, rparen> {};
struct name : identifier {};
struct operand : sor<basic_literal, composite_literal, func_literal, conversion, name,
                     paren_expression> {};

struct selector : seq<dot, identifier> {};
struct type_switch_type : kw_type {};
struct type_assertion : seq<dot, lparen, nested<sor<type_switch_type, type>>, rparen> {};
struct slice_colon : colon {};
struct index_or_slice
    : seq<lbrack, nested<seq<opt<expression>, opt<slice_colon, opt<expression>,
                                                  opt<slice_colon, opt<expression>>>>>,
          rbrack> {};
struct spread : ellipsis {};
struct argument : sor<expression, type> {};
struct call_arguments
    : seq<lparen, nested<opt<list<argument, comma>, opt<spread>, opt<comma>>>, rparen> {};
struct composite_body : seq<composite_allowed, literal_value> {};
struct primary_suffix : sor<selector, type_assertion, index_or_slice, call_arguments,
                            composite_body> {};
struct primary_expression : seq<operand, star<primary_suffix>> {};

// clang-format off
struct unary_operator : sor<
    sym<ch<'+'>, one<'+', '='>>, sym<ch<'-'>, one<'-', '='>>, sym<ch<'!'>, ch<'='>>,
    sym<ch<'^'>, ch<'='>>, sym<ch<'*'>, ch<'='>>, sym<ch<'&'>, one<'&', '^', '='>>,
    sym<TAO_PEGTL_STRING("<-")>> {};
struct unary_expression;
// After a unary operator an operand must follow (for "expecting expression"); the wrapper
// is not a tree node: its unary_expression is the operator's sibling.
struct operand_after_unary : seq<unary_expression> {};
struct unary_expression : sor<seq<unary_operator, operand_after_unary>, primary_expression> {};
struct binary_operator : sor<
    sym<TAO_PEGTL_STRING("||")>, sym<TAO_PEGTL_STRING("&&")>,
    sym<TAO_PEGTL_STRING("==")>, sym<TAO_PEGTL_STRING("!=")>,
    sym<TAO_PEGTL_STRING("<<"), ch<'='>>, sym<TAO_PEGTL_STRING("<=")>,
    sym<ch<'<'>, one<'-'>>,
    sym<TAO_PEGTL_STRING(">>"), ch<'='>>, sym<TAO_PEGTL_STRING(">=")>, sym<ch<'>'>>,
    sym<ch<'+'>, one<'+', '='>>, sym<ch<'-'>, one<'-', '='>>,
    sym<ch<'|'>, one<'|', '='>>, sym<ch<'^'>, ch<'='>>,
    sym<ch<'*'>, ch<'='>>, sym<ch<'/'>, ch<'='>>, sym<ch<'%'>, ch<'='>>,
    sym<TAO_PEGTL_STRING("&^"), ch<'='>>, sym<ch<'&'>, one<'&', '='>>> {};
// clang-format on
// Operator precedence is applied by the parser: the rule only records the flat sequence.
struct operand_after_operator;
struct expression : seq<unary_expression, star<binary_operator, operand_after_operator>> {};
struct operand_after_operator : unary_expression {};
struct expression_list : list<expression, comma> {};
// Wrappers marking where an expression must follow (for "expecting expression").
struct required_expression : expression {};
struct required_expression_list : expression_list {};

// ---- statements ----------------------------------------------------------------------
struct statement;
struct statement_list : star<sor<semi, seq<statement, sor<semi, at<rbrace>, at<kw_case>,
                                                         at<kw_default>>>>> {};
struct block : seq<lbrace, nested<statement_list>, rbrace> {};

// clang-format off
struct assign_operator : sor<
    sym<ch<'='>, ch<'='>>, sym<TAO_PEGTL_STRING("+=")>, sym<TAO_PEGTL_STRING("-=")>,
    sym<TAO_PEGTL_STRING("*=")>, sym<TAO_PEGTL_STRING("/=")>, sym<TAO_PEGTL_STRING("%=")>,
    sym<TAO_PEGTL_STRING("&=")>, sym<TAO_PEGTL_STRING("|=")>, sym<TAO_PEGTL_STRING("^=")>,
    sym<TAO_PEGTL_STRING("<<=")>, sym<TAO_PEGTL_STRING(">>=")>,
    sym<TAO_PEGTL_STRING("&^=")>> {};
// clang-format on
struct increment : sym<TAO_PEGTL_STRING("++")> {};
struct decrement : sym<TAO_PEGTL_STRING("--")> {};
struct short_var_decl : seq<identifier_list, define, required_expression_list> {};
struct assignment_tail : seq<assign_operator, required_expression_list> {};
struct send_tail : seq<arrow, required_expression> {};
struct simple_statement
    : sor<short_var_decl,
          seq<expression_list, opt<sor<assignment_tail, increment, decrement, send_tail>>>> {};

struct const_spec : seq<identifier_list, opt<opt<type>, assign_eq, required_expression_list>> {};
struct var_spec : seq<identifier_list, sor<seq<assign_eq, required_expression_list>,
                                           seq<type, opt<assign_eq, required_expression_list>>>> {};
struct alias_mark : assign_eq {};
struct type_spec : seq<identifier, opt<alias_mark>, type> {};
template <typename Spec>
struct spec_group : sor<seq<lparen, star<Spec, sor<semi, at<rparen>>>, rparen>, Spec> {};
struct const_decl : seq<kw_const, spec_group<const_spec>> {};
struct var_decl : seq<kw_var, spec_group<var_spec>> {};
struct type_decl : seq<kw_type, spec_group<type_spec>> {};
struct declaration : sor<const_decl, var_decl, type_decl> {};

struct label_name : identifier {};
struct labeled_statement : seq<label_name, colon, opt<statement>> {};
struct go_statement : seq<kw_go, required_expression> {};
struct defer_statement : seq<kw_defer, required_expression> {};
struct return_statement : seq<kw_return, opt<expression_list>> {};
struct break_statement : seq<kw_break, opt<label_name>> {};
struct continue_statement : seq<kw_continue, opt<label_name>> {};
struct goto_statement : seq<kw_goto, label_name> {};
struct fallthrough_statement : kw_fallthrough {};

struct if_init : seq<simple_statement, semi> {};
struct else_branch;
struct if_header : header<seq<opt<if_init>, required_expression>> {};
struct if_statement : seq<kw_if, if_header, block, opt<else_branch>> {};
struct else_branch : seq<kw_else, sor<if_statement, block>> {};

struct switch_init : seq<opt<simple_statement>, semi> {};
struct type_switch_binding : seq<identifier, define> {};
// `x := y.(type)`; that the expression ends in `.(type)` is checked by the parser.
struct type_switch_guard : seq<type_switch_binding, expression> {};
struct switch_tag : sor<type_switch_guard, expression> {};
struct case_list : list<argument, comma> {};
struct case_label : sor<seq<kw_case, nested<case_list>>, kw_default> {};
struct case_clause : seq<case_label, colon, statement_list> {};
struct switch_header : header<seq<opt<switch_init>, opt<switch_tag>>> {};
struct switch_statement : seq<kw_switch, switch_header, lbrace, star<case_clause>, rbrace> {};

struct comm_case : sor<seq<kw_case, nested<simple_statement>>, kw_default> {};
struct comm_clause : seq<comm_case, colon, statement_list> {};
struct select_statement : seq<kw_select, lbrace, star<comm_clause>, rbrace> {};

struct range_define : define {};
struct range_assign : assign_eq {};
struct range_clause
    : seq<opt<expression_list, sor<range_define, range_assign>>, kw_range, expression> {};
struct for_init : simple_statement {};
struct for_condition : expression {};
struct for_post : simple_statement {};
struct for_clause : seq<opt<for_init>, semi, opt<for_condition>, semi, opt<for_post>> {};
struct for_header : sor<range_clause, for_clause, for_condition> {};
struct for_header_wrap : header<opt<for_header>> {};
struct for_statement : seq<kw_for, for_header_wrap, block> {};

struct declaration_statement : declaration {};
struct statement
    : sor<declaration_statement, labeled_statement, go_statement, defer_statement,
          return_statement, break_statement, continue_statement, goto_statement,
          fallthrough_statement, block, if_statement, switch_statement, select_statement,
          for_statement, simple_statement> {};

// ---- files ---------------------------------------------------------------------------
struct package_clause : seq<kw_package, identifier> {};
struct import_alias : sor<identifier, dot> {};
struct import_spec : seq<opt<import_alias>, string_literal> {};
struct import_decl : seq<kw_import, spec_group<import_spec>> {};
struct receiver : parameters {};
struct function_name : identifier {};
struct function_decl : seq<kw_func, opt<receiver>, function_name, signature, opt<block>> {};
struct top_level_decl : sor<function_decl, declaration> {};

// A file is a Go file (package clause, imports, declarations). A script (no package
// clause) mixes declarations and statements, run in order; see docs/language.md.
struct go_file : seq<package_clause, semi, star<import_decl, semi>,
                     star<sor<semi, seq<top_level_decl, sor<semi, eof>>>>> {};
struct script_item : sor<import_decl, top_level_decl, statement> {};
struct script_file : star<sor<semi, seq<script_item, sor<semi, eof>>>> {};
struct file : seq<skip, sor<go_file, script_file>, eof> {};

} // namespace csp::grammar

// The grammar's two custom rules, described for analyze<grammar::file>().
namespace tao::pegtl {
template <typename Name, bool Forbidden, typename Rule>
struct analyze_traits<Name, csp::grammar::with_composite<Forbidden, Rule>>
    : analyze_seq_traits<Rule> {};
template <typename Name>
struct analyze_traits<Name, csp::grammar::composite_allowed> : analyze_opt_traits<> {};
} // namespace tao::pegtl
