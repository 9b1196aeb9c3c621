// Parse tree to AST. Each build_* function opens with the grammar production it handles.
#include "lang/parser.hpp"

#include "lang/grammar.hpp"
#include "lang/lexer.hpp"
#include "lang/parse_errors.hpp"

#include "lang/parse_tree.hpp"

namespace csp {

namespace pegtl = tao::pegtl;
namespace g = grammar;
using PNode = ParseNode;

// clang-format off
template <typename Rule>
using selector = pegtl::parse_tree::selector<Rule, pegtl::parse_tree::store_content::on<
    g::ident_token, g::int_token, g::float_token, g::imag_token, g::rune_token, g::string_token,
    g::bad_number_token,
    g::type_name, g::array_length_ellipsis, g::array_type, g::slice_type, g::pointer_type,
    g::map_type, g::send_chan_type, g::recv_chan_type, g::bidi_chan_type, g::func_type,
    g::field_tag, g::embedded_pointer, g::embedded_field, g::identifier_list, g::field_group,
    g::struct_type, g::method_spec, g::embedded_interface, g::interface_type, g::paren_type,
    g::variadic_mark, g::parameter_decl, g::parameters, g::result, g::signature,
    g::keyed_element, g::element_key, g::element_value, g::literal_value, g::composite_literal,
    g::func_literal, g::conversion, g::paren_expression, g::name, g::selector,
    g::type_switch_type, g::type_assertion, g::slice_colon, g::index_or_slice, g::spread,
    g::argument, g::call_arguments, g::composite_body, g::primary_expression,
    g::unary_operator, g::unary_expression, g::binary_operator, g::expression,
    g::required_expression, g::operand_after_operator, g::expression_list,
    g::required_expression_list,
    g::statement_list, g::block, g::assign_operator, g::increment, g::decrement,
    g::short_var_decl, g::assignment_tail, g::send_tail, g::simple_statement, g::const_spec,
    g::var_spec, g::alias_mark, g::type_spec, g::const_decl, g::var_decl, g::type_decl,
    g::label_name, g::labeled_statement, g::go_statement, g::defer_statement,
    g::return_statement, g::break_statement, g::continue_statement, g::goto_statement,
    g::fallthrough_statement, g::if_init, g::if_statement, g::else_branch, g::switch_init,
    g::type_switch_binding, g::type_switch_guard, g::case_list, g::case_label,
    g::case_clause, g::switch_statement, g::comm_case, g::comm_clause, g::select_statement,
    g::range_define, g::range_assign, g::range_clause, g::for_init, g::for_condition,
    g::for_post, g::for_clause, g::for_statement, g::declaration_statement,
    g::package_clause, g::import_alias, g::import_spec, g::import_decl, g::receiver,
    g::function_name, g::function_decl, g::go_file, g::script_file, g::statement, g::if_header,
    g::switch_header, g::for_header_wrap, g::top_level_decl>>;
// clang-format on

namespace {

bool is_expression_node(const PNode& n) {
    return n.is_type<g::expression>() || n.is_type<g::required_expression>() ||
           n.is_type<g::for_condition>();
}

bool is_expression_list(const PNode& n) {
    return n.is_type<g::expression_list>() || n.is_type<g::required_expression_list>();
}

Op binary_op_from(std::string_view s) {
    // Longest first: the text may run on past the operator ("<-ch" must not read as "<").
    static const std::pair<std::string_view, Op> table[] = {
        {"<-", Op::Arrow}, {"||", Op::LogOr}, {"&&", Op::LogAnd}, {"==", Op::Eq},   {"!=", Op::Ne},  {"<=", Op::Le},
        {">=", Op::Ge},    {"<<", Op::Shl},    {">>", Op::Shr},  {"&^", Op::AndNot},
        {"<", Op::Lt},     {">", Op::Gt},      {"+", Op::Add},   {"-", Op::Sub},  {"|", Op::Or},
        {"^", Op::Xor},    {"*", Op::Mul},     {"/", Op::Div},   {"%", Op::Rem},  {"&", Op::And},
        {"!", Op::Not},
    };
    for (auto& [text, op] : table)
        if (s.substr(0, text.size()) == text) return op;
    return Op::None;
}

int precedence(Op op) {
    switch (op) {
    case Op::LogOr: return 1;
    case Op::LogAnd: return 2;
    case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: return 3;
    case Op::Add: case Op::Sub: case Op::Or: case Op::Xor: return 4;
    default: return 5;
    }
}

class Builder {
  public:
    Builder(File& file, const LexedSource& lexed, Diagnostics& diags)
        : m_file(file), m_lexed(lexed), m_diags(diags) {}

    void build_file(const PNode& root);

    // Thrown when expressions nest deeper than max_nesting_depth (reported at `at`).
    struct TooDeep {
        Pos at;
    };

  private:
    // Counts the expression nesting the AST will have below the node being built.
    struct NestingGuard {
        NestingGuard(Builder& b, const PNode& n, size_t levels) : builder(b), added(levels) {
            builder.m_nesting += levels;
            if (builder.m_nesting > max_nesting_depth) throw TooDeep{builder.pos(n)};
        }
        ~NestingGuard() { builder.m_nesting -= added; }
        Builder& builder;
        size_t added;
    };
    size_t m_nesting = 0;

    Pos pos(const PNode& n) const {
        return m_lexed.original(size_t(n.m_begin.data - m_lexed.text.data()));
    }
    std::string text(const PNode& n) const { return std::string(n.string_view()); }
    std::string ident(const PNode& n) const; // text of the first ident_token below n
    const PNode* child(const PNode& n, size_t i) const {
        return i < n.children.size() ? n.children[i] : nullptr;
    }

    // expressions
    Expr* build_expression(const PNode& n);
    Expr* build_unary(const PNode& n);
    Expr* build_primary(const PNode& n);
    Expr* build_operand(const PNode& n);
    Expr* apply_suffix(Expr* base, const PNode& n);
    Expr* build_literal(const PNode& n);
    CompositeLit* build_literal_value(const PNode& n, Expr* type);
    Expr* build_element(const PNode& n);
    Expr* build_expr_or_type(const PNode& n);
    std::vector<Expr*> build_expression_list(const PNode& n);

    // types
    Expr* build_type(const PNode& n);
    FuncTypeExpr* build_signature(const PNode& n, Pos at);
    std::vector<Field> build_parameters(const PNode& n);
    Expr* build_struct(const PNode& n);
    Expr* build_interface(const PNode& n);
    Expr* build_type_name(const PNode& n);

    // statements
    Block* build_block(const PNode& n);
    void build_statement_list(const PNode& n, std::vector<Stmt*>& out);
    Stmt* build_statement(const PNode& n);
    Stmt* build_simple(const PNode& n);
    Stmt* build_if(const PNode& n);
    Stmt* build_switch(const PNode& n);
    Stmt* build_select(const PNode& n);
    Stmt* build_for(const PNode& n);
    DeclStmt* build_declaration(const PNode& n);
    void build_value_specs(const PNode& decl, bool is_const, std::vector<ValueSpec*>& out);
    TypeSpec* build_type_spec(const PNode& n);
    FuncDecl* build_function(const PNode& n);
    void build_import(const PNode& n);

    File& m_file;
    const LexedSource& m_lexed;
    Diagnostics& m_diags;
};

std::string Builder::ident(const PNode& n) const {
    if (n.is_type<g::ident_token>()) return text(n);
    for (auto& c : n.children) {
        std::string s = ident(*c);
        if (!s.empty()) return s;
    }
    return {};
}

// ---- expressions ----------------------------------------------------------------------

// expression = unary_expression { binary_operator unary_expression }
Expr* Builder::build_expression(const PNode& n) {
    NestingGuard guard(*this, n, 1);
    if (n.is_type<g::unary_expression>() || n.is_type<g::operand_after_operator>())
        return build_unary(n);
    std::vector<Expr*> operands;
    std::vector<std::pair<Op, Pos>> ops;
    for (auto& c : n.children)
        if (c->is_type<g::binary_operator>()) ops.push_back({binary_op_from(c->string_view()), pos(*c)});
    NestingGuard chain(*this, n, ops.size()); // a chain of n operators nests up to n deep
    for (auto& c : n.children)
        if (!c->is_type<g::binary_operator>()) operands.push_back(build_unary(*c));
    // Precedence climbing over the flat operand/operator sequence (left associative).
    size_t next = 0;
    auto climb = [&](auto& self, Expr* left, int min_prec) -> Expr* {
        while (next < ops.size() && precedence(ops[next].first) >= min_prec) {
            auto [op, op_pos] = ops[next];
            Expr* right = operands[++next];
            while (next < ops.size() && precedence(ops[next].first) > precedence(op))
                right = self(self, right, precedence(op) + 1);
            auto* b = m_file.make<BinaryExpr>(left->pos);
            b->op = op;
            b->op_pos = op_pos;
            b->left = left;
            b->right = right;
            left = b;
        }
        return left;
    };
    return climb(climb, operands[0], 1);
}

// unary_expression = unary_operator unary_expression | primary_expression
Expr* Builder::build_unary(const PNode& n) {
    if (n.is_type<g::primary_expression>()) return build_primary(n);
    if (n.children.size() == 1) return build_unary(*n.children[0]);
    NestingGuard guard(*this, n, 1);
    const PNode& op_node = *n.children[0];
    Expr* operand = build_unary(*n.children[1]);
    Op op = binary_op_from(op_node.string_view());
    if (op == Op::Mul) {
        auto* s = m_file.make<StarExpr>(pos(op_node));
        s->operand = operand;
        return s;
    }
    auto* u = m_file.make<UnaryExpr>(pos(op_node));
    u->op = op == Op::And ? Op::Addr : op;
    u->operand = operand;
    return u;
}

// primary_expression = operand { selector | type_assertion | index_or_slice | call | literal }
Expr* Builder::build_primary(const PNode& n) {
    Expr* e = build_operand(*n.children[0]);
    for (size_t i = 1; i < n.children.size(); i++) e = apply_suffix(e, *n.children[i]);
    return e;
}

Expr* Builder::build_operand(const PNode& n) {
    if (n.is_type<g::name>()) {
        auto* e = m_file.make<NameExpr>(pos(n));
        e->name = ident(n);
        return e;
    }
    if (n.is_type<g::paren_expression>()) {
        auto* p = m_file.make<ParenExpr>(pos(n));
        p->inner = build_expr_or_type(*n.children[0]);
        return p;
    }
    if (n.is_type<g::composite_literal>())
        return build_literal_value(*n.children[1], build_type(*n.children[0]));
    if (n.is_type<g::func_literal>()) {
        auto* f = m_file.make<FuncLit>(pos(n));
        f->signature = build_signature(*n.children[0], pos(n));
        f->body = build_block(*n.children[1]);
        return f;
    }
    if (n.is_type<g::conversion>()) {
        auto* call = m_file.make<CallExpr>(pos(n));
        call->callee = build_type(*n.children[0]);
        call->args.push_back(build_expression(*n.children[1]));
        return call;
    }
    return build_literal(n);
}

Expr* Builder::build_literal(const PNode& n) {
    ExprKind kind = n.is_type<g::int_token>()      ? ExprKind::IntLit
                    : n.is_type<g::float_token>()  ? ExprKind::FloatLit
                    : n.is_type<g::imag_token>()   ? ExprKind::ImagLit
                    : n.is_type<g::rune_token>()   ? ExprKind::RuneLit
                    : n.is_type<g::string_token>() ? ExprKind::StringLit
                                                   : ExprKind::BadLit;
    auto* lit = m_file.make<BasicLit>(pos(n), kind);
    lit->text = text(n);
    return lit;
}

Expr* Builder::apply_suffix(Expr* base, const PNode& n) {
    if (n.is_type<g::selector>()) { // . identifier
        auto* s = m_file.make<SelectorExpr>(base->pos);
        s->base = base;
        s->field = ident(n);
        s->field_pos = pos(*n.children[0]);
        return s;
    }
    if (n.is_type<g::type_assertion>()) { // .( type ) or .( "type" )
        auto* t = m_file.make<TypeAssertExpr>(base->pos);
        t->base = base;
        const PNode& inner = *n.children[0];
        if (!inner.is_type<g::type_switch_type>()) t->type_expr = build_type(inner);
        return t;
    }
    if (n.is_type<g::index_or_slice>()) { // [ index ] or [ low : high : max ]
        int colons = 0;
        Expr* parts[3] = {nullptr, nullptr, nullptr};
        for (auto& c : n.children) {
            if (c->is_type<g::slice_colon>()) colons++;
            else parts[colons] = build_expression(*c);
        }
        if (colons == 0) {
            auto* ix = m_file.make<IndexExpr>(base->pos);
            ix->lbrack = pos(n);
            ix->base = base;
            ix->index = parts[0];
            if (!ix->index) m_diags.error(pos(n), "syntax error: expecting operand");
            return ix;
        }
        auto* sl = m_file.make<SliceExpr>(base->pos);
        sl->base = base;
        sl->low = parts[0];
        sl->high = parts[1];
        sl->max = parts[2];
        sl->three_index = colons == 2;
        if (sl->three_index && (!sl->high || !sl->max)) {
            // Go reports at the second colon (no middle index) or at the `]` (no final one).
            size_t at = size_t(n.m_end.data - m_lexed.text.data()) - 1;
            if (!sl->high) {
                int seen = 0;
                for (auto& c : n.children)
                    if (c->is_type<g::slice_colon>() && ++seen == 2)
                        at = size_t(c->m_begin.data - m_lexed.text.data());
            }
            m_diags.error(m_lexed.original(at), !sl->high ? "middle index required in 3-index slice"
                                                          : "final index required in 3-index slice");
        }
        return sl;
    }
    if (n.is_type<g::call_arguments>()) { // ( [ arguments [ ... ] [ , ] ] )
        auto* call = m_file.make<CallExpr>(base->pos);
        call->callee = base;
        for (auto& c : n.children) {
            if (c->is_type<g::spread>()) call->spread = true;
            else call->args.push_back(build_expr_or_type(*c->children[0]));
        }
        call->rparen = m_lexed.original(size_t(n.m_end.data - m_lexed.text.data()) - 1);
        return call;
    }
    // composite_body: T{...}
    return build_literal_value(*n.children[0], base);
}

// literal_value = { [ element { , element } [ , ] ] }
CompositeLit* Builder::build_literal_value(const PNode& n, Expr* type) {
    auto* lit = m_file.make<CompositeLit>(type ? type->pos : pos(n));
    lit->type_expr = type;
    size_t rbrace = size_t(n.m_end.data - m_lexed.text.data()) - 1; // the node ends after padding
    while (rbrace > 0 && m_lexed.text[rbrace] != '}') rbrace--;
    lit->rbrace = m_lexed.original(rbrace);
    for (auto& c : n.children) lit->elements.push_back(build_element(*c));
    return lit;
}

Expr* Builder::build_element(const PNode& n) {
    if (n.is_type<g::keyed_element>()) {
        auto* kv = m_file.make<KeyValueExpr>(pos(n));
        kv->key = build_element(*n.children[0]);
        kv->value = build_element(*n.children[1]);
        size_t colon = size_t(n.children[0]->m_end.data - m_lexed.text.data());
        while (colon < m_lexed.text.size() && m_lexed.text[colon] != ':') colon++;
        kv->colon = m_lexed.original(colon);
        return kv;
    }
    // element_key / element_value: a nested literal with elided type, or an expression
    const PNode& inner = n.is_type<g::literal_value>() ? n : *n.children[0];
    if (inner.is_type<g::literal_value>()) return build_literal_value(inner, nullptr);
    return build_expression(inner);
}

Expr* Builder::build_expr_or_type(const PNode& n) {
    if (n.is_type<g::argument>()) return build_expr_or_type(*n.children[0]);
    if (is_expression_node(n) || n.is_type<g::unary_expression>() ||
        n.is_type<g::primary_expression>())
        return build_expression(n);
    return build_type(n);
}

std::vector<Expr*> Builder::build_expression_list(const PNode& n) {
    std::vector<Expr*> out;
    for (auto& c : n.children) out.push_back(build_expression(*c));
    return out;
}

// ---- types ----------------------------------------------------------------------------

// type_name = identifier [ . identifier ] (also an embedded interface's node)
Expr* Builder::build_type_name(const PNode& n) {
    Pos at = pos(n);
    auto* name = m_file.make<NameExpr>(at);
    name->name = text(*n.children[0]);
    if (n.children.size() == 1) return name;
    auto* sel = m_file.make<SelectorExpr>(at);
    sel->base = name;
    sel->field = text(*n.children[1]);
    sel->field_pos = pos(*n.children[1]);
    return sel;
}

Expr* Builder::build_type(const PNode& n) {
    Pos at = pos(n);
    if (n.is_type<g::type_name>()) return build_type_name(n);
    if (n.is_type<g::paren_type>()) return build_type(*n.children[0]);
    if (n.is_type<g::array_type>() || n.is_type<g::slice_type>()) {
        auto* a = m_file.make<ArrayTypeExpr>(at);
        if (n.is_type<g::array_type>()) {
            const PNode& len = *n.children[0];
            a->length = len.is_type<g::array_length_ellipsis>()
                            ? static_cast<Expr*>(m_file.make<EllipsisExpr>(pos(len)))
                            : build_expression(len);
        }
        a->element = build_type(*n.children.back());
        return a;
    }
    if (n.is_type<g::pointer_type>()) {
        auto* s = m_file.make<StarExpr>(at);
        s->operand = build_type(*n.children[0]);
        return s;
    }
    if (n.is_type<g::map_type>()) {
        auto* m = m_file.make<MapTypeExpr>(at);
        m->key = build_type(*n.children[0]);
        m->value = build_type(*n.children[1]);
        return m;
    }
    if (n.is_type<g::send_chan_type>() || n.is_type<g::recv_chan_type>() ||
        n.is_type<g::bidi_chan_type>()) {
        auto* c = m_file.make<ChanTypeExpr>(at);
        c->dir = n.is_type<g::send_chan_type>()   ? ChanDir::Send
                 : n.is_type<g::recv_chan_type>() ? ChanDir::Recv
                                                  : ChanDir::Both;
        c->element = build_type(*n.children[0]);
        return c;
    }
    if (n.is_type<g::func_type>()) return build_signature(*n.children[0], at);
    if (n.is_type<g::struct_type>()) return build_struct(n);
    if (n.is_type<g::interface_type>()) return build_interface(n);
    return build_expression(n); // an expression used where a type may stand (checked later)
}

// signature = parameters [ result ]
FuncTypeExpr* Builder::build_signature(const PNode& n, Pos at) {
    auto* f = m_file.make<FuncTypeExpr>(at);
    f->params = build_parameters(*n.children[0]);
    if (n.children.size() > 1) {
        const PNode& r = *n.children[1]->children[0];
        if (r.is_type<g::parameters>()) {
            f->results = build_parameters(r);
        } else {
            Field field;
            field.type = build_type(r);
            field.pos = pos(r);
            f->results.push_back(field);
        }
    }
    return f;
}

// parameters = ( [ parameter_decl { , parameter_decl } [ , ] ] ), with Go's grouping:
// when any entry has a name, entries that are a lone type name are names for the next type.
std::vector<Field> Builder::build_parameters(const PNode& n) {
    struct Entry {
        std::string name;
        Pos name_pos;
        const PNode* type = nullptr;
        bool variadic = false;
    };
    std::vector<Entry> entries;
    bool any_named = false;
    for (auto& c : n.children) {
        Entry e;
        for (auto& part : c->children) {
            if (part->is_type<g::ident_token>()) {
                e.name = text(*part);
                e.name_pos = pos(*part);
            } else if (part->is_type<g::variadic_mark>()) {
                e.variadic = true;
            } else {
                e.type = part;
            }
        }
        any_named |= !e.name.empty();
        entries.push_back(e);
    }
    std::vector<Field> fields;
    if (!any_named) {
        for (auto& e : entries) {
            Field f;
            f.type = build_type(*e.type);
            f.variadic = e.variadic;
            f.pos = f.type->pos;
            fields.push_back(f);
        }
        return fields;
    }
    Field pending;
    for (auto& e : entries) {
        if (e.name.empty()) { // a lone name waiting for its type
            const PNode& t = *e.type;
            if (!t.is_type<g::type_name>() || t.children.size() != 1 || e.variadic) {
                m_diags.error(pos(t), "syntax error: mixed named and unnamed parameters");
                continue;
            }
            pending.names.push_back({text(*t.children[0]), pos(t)});
            continue;
        }
        pending.names.push_back({e.name, e.name_pos});
        pending.type = build_type(*e.type);
        pending.variadic = e.variadic;
        pending.pos = pending.names[0].pos;
        fields.push_back(pending);
        pending = Field();
    }
    if (!pending.names.empty())
        m_diags.error(pending.names.back().pos, "syntax error: mixed named and unnamed parameters");
    return fields;
}

// struct_type = struct { { field_decl ; } }
Expr* Builder::build_struct(const PNode& n) {
    auto* s = m_file.make<StructTypeExpr>(pos(n));
    for (auto& c : n.children) {
        Field f;
        f.pos = pos(*c);
        for (auto& part : c->children) {
            if (part->is_type<g::identifier_list>()) {
                for (auto& id : part->children) f.names.push_back({text(*id), pos(*id)});
            } else if (part->is_type<g::field_tag>()) {
                size_t at;
                std::string err;
                unquote_literal(text(*part->children[0]), f.tag, at, err);
            } else if (part->is_type<g::embedded_pointer>()) {
                f.variadic = false;
                f.type = m_file.make<StarExpr>(pos(*part));
            } else {
                Expr* t = build_type(*part);
                if (f.type && f.type->kind == ExprKind::Star && !static_cast<StarExpr*>(f.type)->operand)
                    static_cast<StarExpr*>(f.type)->operand = t;
                else
                    f.type = t;
            }
        }
        s->fields.push_back(f);
    }
    return s;
}

// interface_type = interface { { method_spec | embedded_interface ; } }
Expr* Builder::build_interface(const PNode& n) {
    auto* it = m_file.make<InterfaceTypeExpr>(pos(n));
    for (auto& c : n.children) {
        if (c->is_type<g::method_spec>()) {
            InterfaceMethod m;
            m.name = {text(*c->children[0]), pos(*c->children[0])};
            m.signature = build_signature(*c->children[1], pos(*c));
            it->methods.push_back(m);
        } else {
            it->embedded.push_back(build_type_name(*c));
        }
    }
    return it;
}

// ---- statements -----------------------------------------------------------------------

// block = { statement_list }
Block* Builder::build_block(const PNode& n) {
    auto* b = m_file.make<Block>(pos(n));
    b->rbrace = m_lexed.original(size_t(n.m_end.data - m_lexed.text.data()));
    // m_end is after the trailing padding; find the '}' itself.
    size_t end = size_t(n.m_end.data - m_lexed.text.data());
    while (end > 0 && m_lexed.text[end - 1] != '}') end--;
    b->rbrace = m_lexed.original(end > 0 ? end - 1 : 0);
    if (!n.children.empty()) build_statement_list(*n.children[0], b->statements);
    return b;
}

void Builder::build_statement_list(const PNode& n, std::vector<Stmt*>& out) {
    for (auto& c : n.children)
        if (Stmt* s = build_statement(*c)) out.push_back(s);
}

Stmt* Builder::build_statement(const PNode& n) {
    if (n.is_type<g::statement>() || n.is_type<g::top_level_decl>())
        return build_statement(*n.children[0]);
    Pos at = pos(n);
    if (n.is_type<g::simple_statement>()) return build_simple(n);
    if (n.is_type<g::block>()) return build_block(n);
    if (n.is_type<g::if_statement>()) return build_if(n);
    if (n.is_type<g::for_statement>()) return build_for(n);
    if (n.is_type<g::switch_statement>()) return build_switch(n);
    if (n.is_type<g::select_statement>()) return build_select(n);
    if (n.is_type<g::declaration_statement>()) return build_declaration(*n.children[0]);
    if (n.is_type<g::return_statement>()) {
        auto* r = m_file.make<ReturnStmt>(at);
        if (!n.children.empty()) r->results = build_expression_list(*n.children[0]);
        return r;
    }
    if (n.is_type<g::go_statement>() || n.is_type<g::defer_statement>()) {
        auto* s = m_file.make<GoDeferStmt>(at, n.is_type<g::go_statement>() ? StmtKind::Go
                                                                            : StmtKind::Defer);
        s->expr = build_expression(*n.children[0]);
        Expr* e = s->expr;
        while (e->kind == ExprKind::Paren) e = static_cast<ParenExpr*>(e)->inner;
        if (e->kind == ExprKind::Call) {
            s->call = static_cast<CallExpr*>(e);
        } else {
            s->call = m_file.make<CallExpr>(e->pos);
            s->call->callee = e;
            s->call->rparen = e->pos;
        }
        return s;
    }
    if (n.is_type<g::break_statement>() || n.is_type<g::continue_statement>() ||
        n.is_type<g::goto_statement>() || n.is_type<g::fallthrough_statement>()) {
        StmtKind k = n.is_type<g::break_statement>()      ? StmtKind::Break
                     : n.is_type<g::continue_statement>() ? StmtKind::Continue
                     : n.is_type<g::goto_statement>()     ? StmtKind::Goto
                                                          : StmtKind::Fallthrough;
        auto* b = m_file.make<BranchStmt>(at, k);
        if (!n.children.empty()) b->label = {ident(*n.children[0]), pos(*n.children[0])};
        return b;
    }
    if (n.is_type<g::labeled_statement>()) {
        auto* l = m_file.make<LabeledStmt>(at);
        l->label = {ident(*n.children[0]), pos(*n.children[0])};
        l->statement = n.children.size() > 1 ? build_statement(*n.children[1])
                                             : m_file.make<EmptyStmt>(at);
        return l;
    }
    return nullptr;
}

// simple_statement = short_var_decl | expression_list [ assign_op list | ++ | -- | <- expr ]
Stmt* Builder::build_simple(const PNode& n) {
    const PNode& first = *n.children[0];
    Pos at = pos(n);
    if (first.is_type<g::short_var_decl>()) {
        auto* a = m_file.make<AssignStmt>(at, StmtKind::Define);
        for (auto& id : first.children[0]->children) {
            auto* name = m_file.make<NameExpr>(pos(*id));
            name->name = text(*id);
            a->lhs.push_back(name);
        }
        a->rhs = build_expression_list(*first.children[1]);
        size_t op = size_t(first.children[1]->m_begin.data - m_lexed.text.data());
        while (op > 0 && m_lexed.text[op] != ':') op--;
        a->op_pos = m_lexed.original(op);
        return a;
    }
    std::vector<Expr*> lhs = build_expression_list(first);
    const PNode* tail = child(n, 1);
    if (!tail) {
        auto* s = m_file.make<ExprStmt>(at);
        s->expr = lhs[0];
        if (lhs.size() > 1) m_diags.error(lhs[1]->pos, "syntax error: unexpected comma at end of statement");
        return s;
    }
    if (tail->is_type<g::increment>() || tail->is_type<g::decrement>()) {
        auto* s = m_file.make<IncDecStmt>(at);
        s->target = lhs[0];
        s->increment = tail->is_type<g::increment>();
        return s;
    }
    if (tail->is_type<g::send_tail>()) {
        auto* s = m_file.make<SendStmt>(at);
        s->channel = lhs[0];
        s->value = build_expression(*tail->children[0]);
        return s;
    }
    auto* a = m_file.make<AssignStmt>(at, StmtKind::Assign); // assignment_tail
    std::string_view op_text = tail->children[0]->string_view();
    a->op = op_text[0] == '=' ? Op::None : binary_op_from(op_text);
    a->op_pos = pos(*tail->children[0]);
    a->lhs = lhs;
    a->rhs = build_expression_list(*tail->children[1]);
    return a;
}

// if_statement = if [ simple_statement ; ] expression block [ else ( if_statement | block ) ]
Stmt* Builder::build_if(const PNode& n) {
    auto* s = m_file.make<IfStmt>(pos(n));
    std::vector<const PNode*> parts;
    for (auto& c : n.children) {
        if (c->is_type<g::if_header>())
            for (auto& h : c->children) parts.push_back(h);
        else
            parts.push_back(c);
    }
    for (const PNode* c : parts) {
        if (c->is_type<g::if_init>()) s->init = build_simple(*c->children[0]);
        else if (is_expression_node(*c)) s->condition = build_expression(*c);
        else if (c->is_type<g::block>()) s->then_block = build_block(*c);
        else if (c->is_type<g::else_branch>()) s->else_branch = build_statement(*c->children[0]);
    }
    return s;
}

// switch_statement = switch [ init ; ] [ tag | x := y.(type) ] { case_clause }
Stmt* Builder::build_switch(const PNode& n) {
    auto* s = m_file.make<SwitchStmt>(pos(n), StmtKind::Switch);
    std::vector<const PNode*> parts;
    for (auto& c : n.children) {
        if (c->is_type<g::switch_header>())
            for (auto& h : c->children) parts.push_back(h);
        else
            parts.push_back(c);
    }
    for (const PNode* c : parts) {
        if (c->is_type<g::switch_init>()) {
            if (!c->children.empty()) s->init = build_simple(*c->children[0]);
        } else if (c->is_type<g::type_switch_guard>()) {
            s->binding = {ident(*c->children[0]), pos(*c->children[0])};
            s->tag = build_expression(*c->children[1]);
        } else if (is_expression_node(*c)) {
            s->tag = build_expression(*c);
        } else if (c->is_type<g::case_clause>()) {
            auto* clause = m_file.make<CaseClause>(pos(*c));
            const PNode& label = *c->children[0];
            clause->is_default = label.children.empty();
            if (!clause->is_default)
                for (auto& v : label.children[0]->children)
                    clause->values.push_back(build_expr_or_type(*v));
            if (c->children.size() > 1) build_statement_list(*c->children[1], clause->body);
            s->clauses.push_back(clause);
        }
    }
    // A tag of the form y.(type) makes this a type switch.
    if (s->tag && s->tag->kind == ExprKind::TypeAssert &&
        !static_cast<TypeAssertExpr*>(s->tag)->type_expr) {
        s->kind = StmtKind::TypeSwitch;
        s->guard = static_cast<TypeAssertExpr*>(s->tag)->base;
        s->tag = nullptr;
    } else if (!s->binding.name.empty()) {
        m_diags.error(s->binding.pos, "syntax error: " + s->binding.name +
                                          " := " + expr_string(s->tag) +
                                          " used as value");
    }
    s->rbrace = pos(n);
    return s;
}

// select_statement = select { { ( case send_or_receive | default ) : statement_list } }
Stmt* Builder::build_select(const PNode& n) {
    auto* s = m_file.make<SwitchStmt>(pos(n), StmtKind::Select);
    for (auto& c : n.children) {
        auto* clause = m_file.make<CaseClause>(pos(*c));
        const PNode& label = *c->children[0];
        clause->is_default = label.children.empty();
        if (!clause->is_default) clause->comm = build_simple(*label.children[0]);
        if (c->children.size() > 1) build_statement_list(*c->children[1], clause->body);
        s->clauses.push_back(clause);
    }
    return s;
}

// for_statement = for [ range_clause | init ; cond ; post | cond ] block
Stmt* Builder::build_for(const PNode& n) {
    const PNode& wrap = *n.children[0];
    if (wrap.children.empty()) { // for { ... }
        auto* f = m_file.make<ForStmt>(pos(n));
        f->body = build_block(*n.children[1]);
        return f;
    }
    const PNode& header = *wrap.children[0];
    if (header.is_type<g::range_clause>()) {
        auto* r = m_file.make<RangeStmt>(pos(n));
        for (auto& c : header.children) {
            if (is_expression_list(*c)) {
                std::vector<Expr*> vars = build_expression_list(*c);
                r->key = vars[0];
                if (vars.size() > 1) r->value = vars[1];
                if (vars.size() > 2)
                    m_diags.error(vars[2]->pos, "range clause permits at most two iteration variables");
            } else if (c->is_type<g::range_define>()) {
                r->define = true;
            } else if (is_expression_node(*c)) {
                r->range = build_expression(*c);
            }
        }
        r->body = build_block(*n.children[1]);
        return r;
    }
    auto* f = m_file.make<ForStmt>(pos(n));
    const PNode* body = n.children[1];
    if (header.is_type<g::for_clause>()) {
        for (auto& c : header.children) {
            if (c->is_type<g::for_init>()) f->init = build_simple(*c);
            else if (c->is_type<g::for_condition>()) f->condition = build_expression(*c);
            else if (c->is_type<g::for_post>()) f->post = build_simple(*c);
        }
    } else if (header.is_type<g::for_condition>()) {
        f->condition = build_expression(header);
    }
    f->body = build_block(*body);
    if (f->post && f->post->kind == StmtKind::Define)
        m_diags.error(static_cast<AssignStmt*>(f->post)->op_pos,
                      "syntax error: cannot declare in post statement of for loop");
    return f;
}

// declaration = const_decl | var_decl | type_decl (inside a function)
DeclStmt* Builder::build_declaration(const PNode& n) {
    auto* d = m_file.make<DeclStmt>(pos(n));
    if (n.is_type<g::type_decl>()) {
        for (auto& c : n.children) d->types.push_back(build_type_spec(*c));
    } else {
        build_value_specs(n, n.is_type<g::const_decl>(), d->values);
    }
    return d;
}

// const_spec = identifier_list [ [ type ] = expression_list ]; a const spec without values
// repeats the previous spec's type and expressions, with its own iota.
void Builder::build_value_specs(const PNode& decl, bool is_const, std::vector<ValueSpec*>& out) {
    const ValueSpec* previous = nullptr;
    int iota = 0;
    for (auto& c : decl.children) {
        auto* spec = m_file.make<ValueSpec>(pos(*c));
        spec->is_const = is_const;
        spec->iota = iota++;
        for (auto& part : c->children) {
            if (part->is_type<g::identifier_list>()) {
                for (auto& id : part->children) spec->names.push_back({text(*id), pos(*id)});
            } else if (is_expression_list(*part)) {
                spec->values = build_expression_list(*part);
            } else {
                spec->type = build_type(*part);
            }
        }
        if (is_const && spec->values.empty()) {
            if (spec->type) m_diags.error(spec->pos, "missing init expr for const declaration");
            if (previous) {
                spec->type = previous->type;
                spec->values = previous->values;
                spec->values_inherited = true;
            } else {
                m_diags.error(spec->pos, "missing init expr for const declaration");
            }
        }
        if (!spec->values.empty()) previous = spec;
        out.push_back(spec);
    }
}

// type_spec = identifier [ = ] type
TypeSpec* Builder::build_type_spec(const PNode& n) {
    auto* t = m_file.make<TypeSpec>(pos(n));
    t->name = {text(*n.children[0]), pos(*n.children[0])};
    size_t i = 1;
    if (n.children[i]->is_type<g::alias_mark>()) {
        t->alias = true;
        i++;
    }
    t->type = build_type(*n.children[i]);
    return t;
}

// function_decl = func [ receiver ] name signature [ block ]
FuncDecl* Builder::build_function(const PNode& n) {
    auto* f = m_file.make<FuncDecl>(pos(n));
    for (auto& c : n.children) {
        if (c->is_type<g::receiver>()) {
            std::vector<Field> r = build_parameters(*c);
            if (r.size() != 1 || r[0].names.size() > 1) {
                m_diags.error(pos(*c), r.empty() ? "method has no receiver"
                                                 : "method has multiple receivers");
                if (r.empty()) continue;
            }
            f->receiver = r[0];
        } else if (c->is_type<g::function_name>()) {
            f->name = {ident(*c), pos(*c)};
        } else if (c->is_type<g::signature>()) {
            f->signature = build_signature(*c, pos(n));
        } else if (c->is_type<g::block>()) {
            f->body = build_block(*c);
        }
    }
    return f;
}

// import_decl = import ( import_spec | ( { import_spec ; } ) )
void Builder::build_import(const PNode& n) {
    for (auto& c : n.children) {
        auto* spec = m_file.make<ImportSpec>(pos(*c));
        for (auto& part : c->children) {
            if (part->is_type<g::import_alias>()) {
                spec->alias = part->children.empty() ? "." : ident(*part);
            } else {
                size_t at;
                std::string err;
                spec->path_pos = pos(*part);
                if (!unquote_literal(text(*part), spec->path, at, err))
                    m_diags.error(spec->path_pos, err);
            }
        }
        m_file.imports.push_back(spec);
    }
}

// file = package_clause ; { import_decl ; } { top_level_decl ; }   (or a script)
void Builder::build_file(const PNode& root) {
    const PNode& body = *root.children[0];
    m_file.is_script = body.is_type<g::script_file>();
    std::vector<const PNode*> items;
    for (auto& c : body.children) {
        if (c->is_type<g::top_level_decl>() ||
            (c->is_type<g::statement>() && c->children[0]->is_type<g::declaration_statement>()))
            items.push_back(c->children[0]->is_type<g::declaration_statement>()
                                ? c->children[0]->children[0]
                                : c->children[0]);
        else
            items.push_back(c);
    }
    for (const PNode* c : items) {
        if (c->is_type<g::package_clause>()) {
            m_file.package_name = ident(*c);
            m_file.package_pos = pos(*c->children[0]);
        } else if (c->is_type<g::import_decl>()) {
            build_import(*c);
        } else if (c->is_type<g::function_decl>()) {
            TopLevel item;
            item.func = build_function(*c);
            m_file.items.push_back(item);
        } else if (c->is_type<g::type_decl>()) {
            for (auto& spec : c->children) {
                TopLevel item;
                item.type = build_type_spec(*spec);
                m_file.items.push_back(item);
            }
        } else if (c->is_type<g::const_decl>() || c->is_type<g::var_decl>()) {
            std::vector<ValueSpec*> specs;
            build_value_specs(*c, c->is_type<g::const_decl>(), specs);
            for (ValueSpec* spec : specs) {
                TopLevel item;
                item.value = spec;
                m_file.items.push_back(item);
            }
        } else if (Stmt* s = build_statement(*c)) {
            TopLevel item;
            item.statement = s;
            m_file.items.push_back(item);
        }
    }
}

// How Go's parser names the token at `offset` in "unexpected ..." messages.
std::string describe_token(const LexedSource& lexed, size_t offset) {
    const std::string& t = lexed.text;
    while (offset < t.size() && (t[offset] == ' ' || t[offset] == '\t' || t[offset] == '\r' ||
                                 (t[offset] == '\n')))
        offset++;
    if (offset >= t.size()) return "EOF";
    if (t[offset] == ';') return lexed.is_inserted(offset) ? "newline" : "semicolon";
    std::string_view rest(t.data() + offset, t.size() - offset);
    auto match = [&](auto rule) -> size_t {
        using Rule = decltype(rule);
        pegtl::memory_input<> in(rest.data(), rest.data() + rest.size(), "");
        return pegtl::parse<Rule>(in) ? size_t(in.current() - rest.data()) : 0;
    };
    if (size_t n = match(lex::word{})) return std::string(rest.substr(0, n));
    size_t n = match(pegtl::sor<lex::imag_lit, lex::float_lit, lex::int_lit, lex::rune_lit,
                                lex::string_lit, lex::raw_string_lit>{});
    if (n) return "literal " + std::string(rest.substr(0, n));
    if (size_t n2 = match(lex::operator_token{})) {
        std::string op(rest.substr(0, n2));
        return op == "," ? "comma" : op;
    }
    return std::string(rest.substr(0, 1));
}

} // namespace

static std::unique_ptr<File> parse_lexed(const SourceFile& source, LexedSource& lexed, Diagnostics& diags);

std::unique_ptr<File> parse_file(const SourceFile& source, Diagnostics& diags) {
    LexedSource lexed;
    if (!lex_source(source, diags, lexed)) return nullptr;
    return parse_lexed(source, lexed, diags);
}

std::unique_ptr<File> parse_file_at(const SourceFile& combined, const SourceFile& file, uint32_t base,
                                    Diagnostics& file_diags, Diagnostics& diags) {
    LexedSource lexed;
    if (!lex_source(file, file_diags, lexed)) return nullptr;
    lexed.base = base;
    return parse_lexed(combined, lexed, diags);
}

static std::unique_ptr<File> parse_lexed(const SourceFile& source, LexedSource& lexed, Diagnostics& diags) {
    auto file = std::make_unique<File>();
    file->source = &source;

    parse_errors::Tracker tracker;
    tracker.farthest = lexed.text.data();
    parse_errors::tracker = &tracker;
    ParseTree tree;
    const PNode* root = nullptr;
    try {
        pegtl::memory_input<> in(lexed.text, source.name());
        if (pegtl::parse<grammar::file, pegtl::nothing, TreeControl<selector, parse_errors::control>::type>(in, tree))
            root = &tree.root();
    } catch (const pegtl::parse_error& e) {
        root = nullptr;
    }
    parse_errors::tracker = nullptr;
    if (!root) {
        size_t offset = size_t(tracker.farthest - lexed.text.data());
        std::string token = describe_token(lexed, offset);
        std::optional<size_t> newline_before;
        size_t back = offset;
        while (back > 0 && std::isspace((unsigned char)lexed.text[back - 1])) back--;
        if (back > 0 && lexed.is_inserted(back - 1)) newline_before = back - 1;
        auto msg = parse_errors::message(tracker, offset, token, newline_before);
        diags.error(lexed.original(msg.offset), msg.text);
        return nullptr;
    }
    Builder builder(*file, lexed, diags);
    try {
        builder.build_file(*root);
    } catch (const Builder::TooDeep& e) {
        diags.error(e.at, "syntax error: exceeded max nesting depth");
    }
    if (diags.has_errors()) return nullptr;
    return file;
}

} // namespace csp
