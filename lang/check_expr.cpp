// Checker, part 2: expressions. Every expression gets a mode, a type and, for constants,
// an exact value; untyped constants take their final type from the context (assign).
#include "lang/checker_internal.hpp"
#include "lang/lexer.hpp"

#include <algorithm>
#include <cctype>

namespace csp {

namespace {

const char* untyped_constant_kind(const Type* t) {
    switch (t->basic) {
    case BasicKind::UntypedBool: return "untyped bool constant";
    case BasicKind::UntypedInt: return "untyped int constant";
    case BasicKind::UntypedRune: return "untyped rune constant";
    case BasicKind::UntypedFloat: return "untyped float constant";
    case BasicKind::UntypedString: return "untyped string constant";
    default: return "untyped constant";
    }
}

} // namespace

// Go's operand description: `x (variable of type int)`, `300 (untyped int constant)`.
std::string Checker::describe(const Expr* e) const {
    std::string text = expr_string(e);
    if (!e->type) return text;
    switch (e->mode) {
    case Mode::Constant: {
        std::string value = e->value.to_string();
        if (value == text) value.clear();
        if (e->type->is_untyped())
            return text + " (" + untyped_constant_kind(e->type) + (value.empty() ? "" : " " + value) + ")";
        return text + " (constant" + (value.empty() ? "" : " " + value) + " of type " +
               e->type->spelling() + ")";
    }
    case Mode::Variable: return text + " (variable of type " + e->type->spelling() + ")";
    case Mode::MapIndex: return text + " (map index expression of type " + e->type->spelling() + ")";
    case Mode::Type: return text + " (type)";
    case Mode::Builtin: return text + " (built-in)";
    case Mode::NoValue: return text + " (no value)";
    default:
        if (e->type->is_basic(BasicKind::UntypedNil)) return "nil";
        if (e->type->is_untyped()) return text + " (" + e->type->spelling() + " value)";
        return text + " (value of type " + e->type->spelling() + ")";
    }
}

std::string Checker::describe_types(const std::vector<Expr*>& es) const {
    std::string out = "(";
    for (size_t i = 0; i < es.size(); i++) {
        if (i) out += ", ";
        const Type* t = es[i]->type;
        if (!t) out += "?";
        else if (t->cls == TypeClass::Tuple) {
            for (size_t k = 0; k < t->params.size(); k++)
                out += (k ? ", " : "") + t->params[k]->spelling();
        } else if (t->is_untyped() && es[i]->mode == Mode::Constant && t->is_numeric())
            out += "number";
        else out += t->spelling();
    }
    return out + ")";
}

void Checker::unsupported(Expr* e, const std::string& feature) {
    error(e->pos, feature + " not supported yet");
    e->mode = Mode::Invalid;
    e->type = m_types.invalid();
}

const Type* Checker::resolve_type(Expr* e) {
    switch (e->kind) {
    case ExprKind::Name: {
        auto* n = static_cast<NameExpr*>(e);
        Symbol* s = lookup(n->name);
        if (!s) {
            error(e->pos, "undefined: " + n->name);
            return m_types.invalid();
        }
        if (s->kind != SymbolKind::TypeName) {
            error(e->pos, n->name + " is not a type");
            return m_types.invalid();
        }
        if (s->global) resolve_global(s);
        if (s->type == m_types.invalid()) {
            error(e->pos, "complex numbers not supported yet");
            return s->type;
        }
        n->symbol = s;
        e->mode = Mode::Type;
        e->type = s->type;
        return s->type ? s->type : m_types.invalid();
    }
    case ExprKind::Paren: return resolve_type(static_cast<ParenExpr*>(e)->inner);
    case ExprKind::Selector: {
        expr_or_type(e);
        if (e->mode != Mode::Type) {
            if (e->mode != Mode::Invalid) error(e->pos, expr_string(e) + " is not a type");
            return m_types.invalid();
        }
        return e->type;
    }
    case ExprKind::FuncType: return signature_type(static_cast<FuncTypeExpr*>(e));
    case ExprKind::InterfaceType: {
        auto* it = static_cast<InterfaceTypeExpr*>(e);
        const Type* t = interface_type(it);
        if (t != m_types.invalid()) e->mode = Mode::Type, e->type = t;
        return t;
    }
    case ExprKind::ArrayType: {
        const Type* t = array_type(static_cast<ArrayTypeExpr*>(e));
        if (t != m_types.invalid()) e->mode = Mode::Type, e->type = t;
        return t;
    }
    case ExprKind::MapType: {
        const Type* t = map_type(static_cast<MapTypeExpr*>(e));
        if (t != m_types.invalid()) e->mode = Mode::Type, e->type = t;
        return t;
    }
    case ExprKind::ChanType: return chan_type(static_cast<ChanTypeExpr*>(e));
    case ExprKind::StructType: return struct_type(static_cast<StructTypeExpr*>(e));
    case ExprKind::Star: {
        auto* star = static_cast<StarExpr*>(e);
        const Type* elem = resolve_type(star->operand);
        e->mode = Mode::Type;
        e->type = elem == m_types.invalid() ? elem : m_types.pointer(elem);
        return e->type;
    }
    default:
        expr(e);
        if (e->mode != Mode::Invalid) error(e->pos, expr_string(e) + " is not a type");
        return m_types.invalid();
    }
}

void Checker::expr_or_type(Expr* e, const Type* hint) {
    switch (e->kind) {
    case ExprKind::FuncType: case ExprKind::InterfaceType: case ExprKind::ArrayType:
    case ExprKind::MapType: case ExprKind::ChanType: case ExprKind::StructType:
        e->type = resolve_type(e);
        e->mode = e->type == m_types.invalid() ? Mode::Invalid : Mode::Type;
        return;
    default: expr(e, hint);
    }
}

// Checks an expression that may be a multi-valued call (f() in `a, b := f()`).
void Checker::multi_expr(Expr* e, const Type* hint) {
    if (e->kind == ExprKind::Call) {
        call(static_cast<CallExpr*>(e));
        return;
    }
    expr(e, hint);
}

void Checker::expr(Expr* e, const Type* hint) {
    e->mode = Mode::Invalid;
    switch (e->kind) {
    case ExprKind::Name: name_expr(static_cast<NameExpr*>(e)); break;
    case ExprKind::IntLit: case ExprKind::FloatLit: case ExprKind::RuneLit:
    case ExprKind::StringLit: case ExprKind::ImagLit: case ExprKind::BadLit:
        literal(static_cast<BasicLit*>(e));
        break;
    case ExprKind::Paren: {
        auto* p = static_cast<ParenExpr*>(e);
        expr_or_type(p->inner, hint); // (1 << n) takes its type from the context too
        e->mode = p->inner->mode;
        e->type = p->inner->type;
        e->value = p->inner->value;
        break;
    }
    case ExprKind::Selector: selector(static_cast<SelectorExpr*>(e)); break;
    case ExprKind::Unary: unary(static_cast<UnaryExpr*>(e), hint); break;
    case ExprKind::Binary: binary(static_cast<BinaryExpr*>(e), hint); break;
    case ExprKind::Call: {
        auto* c = static_cast<CallExpr*>(e);
        call(c);
        if (e->type && e->type->cls == TypeClass::Tuple && e->mode != Mode::NoValue) {
            error(e->pos, "multiple-value " + expr_string(e) + " (value of type " +
                              e->type->spelling() + ") in single-value context");
            e->mode = Mode::Invalid;
        }
        break;
    }
    case ExprKind::FuncLit: func_literal(static_cast<FuncLit*>(e)); break;
    case ExprKind::Index: index_expr(static_cast<IndexExpr*>(e)); break;
    case ExprKind::Slice: slice_expr(static_cast<SliceExpr*>(e)); break;
    case ExprKind::CompositeLit: composite_lit(static_cast<CompositeLit*>(e), hint); break;
    case ExprKind::TypeAssert: type_assert(static_cast<TypeAssertExpr*>(e)); break;
    case ExprKind::Star: star_expr(static_cast<StarExpr*>(e)); break;
    case ExprKind::KeyValue: error(e->pos, "unexpected key:value expression"); break;
    case ExprKind::Ellipsis: error(e->pos, "invalid use of ..."); break;
    default:
        expr_or_type(e);
        if (e->mode == Mode::Type) {
            error(e->pos, expr_string(e) + " (type) is not an expression");
            e->mode = Mode::Invalid;
        }
        return;
    }
    if (e->mode == Mode::Invalid) e->type = m_types.invalid();
    if (e->mode == Mode::Type && e->kind != ExprKind::Paren && e->kind != ExprKind::Name &&
        e->kind != ExprKind::Selector && e->kind != ExprKind::Star) {
        error(e->pos, expr_string(e) + " (type) is not an expression");
        e->mode = Mode::Invalid;
    }
}

void Checker::name_expr(NameExpr* e) {
    if (e->name == "_") {
        error(e->pos, "cannot use _ as value");
        return;
    }
    Symbol* s = in_file_scope(lookup(e->name), e->pos);
    if (!s) {
        error(e->pos, "undefined: " + e->name);
        return;
    }
    e->symbol = s;
    if (s->global && s->package && s->package != m_package && !m_dot_imports.empty())
        if (auto dot = m_dot_imports.find(s->package); dot != m_dot_imports.end()) dot->second->used = true;
    if (s->global) resolve_global(s);
    if (s->global) add_dependency(s);
    bool invalid = s->type == m_types.invalid(); // no follow-on errors (Go's ident)
    switch (s->kind) {
    case SymbolKind::Var:
        s->used = true;
        use_symbol(s);
        if (invalid) return;
        e->mode = Mode::Variable;
        e->type = s->type;
        break;
    case SymbolKind::Const:
        if (invalid) return;
        e->mode = Mode::Constant;
        e->type = s->type;
        e->value = s->value;
        if (s->name == "iota" && !s->pos.offset && s->value.kind() == Constant::Kind::Int &&
            lookup("iota") == s) {
            if (m_iota < 0) {
                error(e->pos, "cannot use iota outside constant declaration");
                e->mode = Mode::Invalid;
                return;
            }
            e->value = Constant::integer(int64_t(m_iota));
        }
        break;
    case SymbolKind::TypeName:
        e->mode = Mode::Type;
        e->type = s->type;
        if (s->type == m_types.invalid()) unsupported(e, "complex numbers are");
        break;
    case SymbolKind::Func:
        e->mode = Mode::Value;
        e->type = s->type;
        break;
    case SymbolKind::Builtin:
        e->mode = Mode::Builtin;
        e->type = m_types.invalid();
        break;
    case SymbolKind::Package:
        s->used = true;
        error(e->pos, "use of package " + s->name + " without selector");
        break;
    case SymbolKind::Nil:
        e->mode = Mode::Value;
        e->type = m_types.basic(BasicKind::UntypedNil);
        break;
    }
    if (!e->type) {
        e->type = m_types.invalid();
        e->mode = Mode::Invalid;
    }
}

void Checker::literal(BasicLit* e) {
    switch (e->kind) {
    case ExprKind::IntLit:
        e->value = Constant::from_int_literal(e->text);
        e->type = m_types.basic(BasicKind::UntypedInt);
        break;
    case ExprKind::FloatLit:
        e->value = Constant::from_float_literal(e->text);
        e->type = m_types.basic(BasicKind::UntypedFloat);
        break;
    case ExprKind::StringLit: {
        std::string s, err;
        size_t at = 0;
        if (!unquote_literal(e->text, s, at, err)) {
            error({uint32_t(e->pos.offset + at)}, err);
            return;
        }
        e->value = Constant::string(s);
        e->type = m_types.basic(BasicKind::UntypedString);
        break;
    }
    case ExprKind::RuneLit: {
        std::string s, err;
        size_t at = 0;
        if (!unquote_literal(e->text, s, at, err)) {
            error({uint32_t(e->pos.offset + at)}, err);
            return;
        }
        uint32_t rune = 0;
        int len = s.empty() ? 0 : decode_utf8(s, 0, rune);
        bool byte_escape = e->text.size() > 2 && e->text[1] == '\\' &&
                           (e->text[2] == 'x' || (e->text[2] >= '0' && e->text[2] <= '7'));
        if (byte_escape && s.size() == 1) rune = (unsigned char)s[0], len = 1;
        if (len == 0 || size_t(len) != s.size()) {
            error(e->pos, "more than one character in rune literal");
            return;
        }
        e->value = Constant::integer(int64_t(rune));
        e->type = m_types.basic(BasicKind::UntypedRune);
        break;
    }
    case ExprKind::ImagLit: unsupported(e, "complex numbers are"); return;
    default: error(e->pos, "invalid number literal " + e->text); return;
    }
    if (!e->value.is_valid()) {
        error(e->pos, "invalid number literal " + e->text);
        return;
    }
    e->mode = Mode::Constant;
}

void Checker::selector(SelectorExpr* e) {
    if (e->base->kind == ExprKind::Name) {
        auto* base = static_cast<NameExpr*>(e->base);
        Symbol* s = in_file_scope(lookup(base->name), base->pos);
        if (s && s->kind == SymbolKind::Package) {
            s->used = true;
            base->symbol = s;
            auto it = s->package->scope->names.find(e->field);
            bool exported = !e->field.empty() && std::isupper((unsigned char)e->field[0]);
            if (it == s->package->scope->names.end() || !exported) {
                error(e->field_pos, "undefined: " + base->name + "." + e->field);
                return;
            }
            Symbol* member = it->second;
            resolve_global(member);
            e->symbol = member;
            e->type = member->type;
            switch (member->kind) {
            case SymbolKind::Var: e->mode = Mode::Variable; break;
            case SymbolKind::Const: e->mode = Mode::Constant; e->value = member->value; break;
            case SymbolKind::TypeName: e->mode = Mode::Type; break;
            default: e->mode = Mode::Value;
            }
            return;
        }
    }
    expr_or_type(e->base);
    value_selector(e);
}

void Checker::index_expr(IndexExpr* e) {
    expr(e->base);
    if (e->base->mode != Mode::Invalid && e->base->type->underlying()->cls == TypeClass::Map &&
        check_value(e->base)) {
        map_index(e);
        return;
    }
    if (e->base->mode != Mode::Invalid && !e->base->type->is_string() && check_value(e->base)) {
        index_sequence(e);
        return;
    }
    expr(e->index);
    if (e->base->mode == Mode::Invalid || e->index->mode == Mode::Invalid) return;
    // Go's isValidIndex: an untyped index is converted to int first.
    if (!convert_operand(e->index, m_types.basic(BasicKind::Int))) return;
    if (!e->index->type->is_integer()) {
        error(e->index->pos, "invalid argument: index " + describe(e->index) + " must be integer");
        return;
    }
    if (e->index->mode == Mode::Constant && sgn(e->index->value.as_rational()) < 0) {
        error(e->index->pos, "invalid argument: index " + describe(e->index) +
                                 " must not be negative");
        return;
    }
    if (e->base->mode == Mode::Constant && e->index->mode == Mode::Constant) {
        const std::string& s = e->base->value.as_string();
        int64_t i = e->index->value.int64_value();
        if (i >= int64_t(s.size())) {
            error(e->index->pos, "invalid argument: index " + std::to_string(i) +
                                     " out of bounds [0:" + std::to_string(s.size()) + "]");
            return;
        }
    }
    if (e->base->type->is_untyped()) default_untyped(e->base);
    e->mode = Mode::Value;
    e->type = m_types.byte();
}

void Checker::func_literal(FuncLit* e) {
    auto info = std::make_unique<FunctionInfo>();
    FunctionInfo* parent = m_function;
    if (!parent) {
        // a literal in a package-level initialiser belongs to main.init
        info->name = (m_package ? m_package->path : "main") + ".init.func" +
                     std::to_string(++m_package_literals);
    } else {
        bool parent_is_literal = parent->name.find(".func") != std::string::npos;
        info->name = parent->name + (parent_is_literal ? "." : ".func") +
                     std::to_string(++parent->literal_count);
    }
    info->parent = parent;
    info->package = m_package;
    info->body = e->body;
    info->pos = e->pos;
    FunctionInfo* fn = info.get();
    m_program.functions.push_back(std::move(info));
    e->info = fn;
    fn->signature = signature_type(e->signature);

    auto saved_targets = std::move(m_targets);
    auto saved_labels = std::move(m_labels);
    auto saved_locals = std::move(m_locals);
    m_targets.clear();
    m_labels.clear();
    m_locals.clear();
    int saved_iota = m_iota;
    m_iota = -1;
    m_function = fn;
    open_scope();
    size_t pi = 0, ri = 0;
    for (Field& field : e->signature->params) {
        size_t count = std::max<size_t>(1, field.names.size());
        for (size_t k = 0; k < count; k++) {
            std::string name = field.names.empty() ? "_" : field.names[k].name;
            Pos pos = field.names.empty() ? field.pos : field.names[k].pos;
            Symbol* s = new_symbol(SymbolKind::Var, name, pos, fn->signature->params[pi++]);
            s->owner = fn;
            s->is_param = true;
            fn->params.push_back(s);
            declare(m_scope, s);
        }
    }
    for (Field& field : e->signature->results) {
        size_t count = std::max<size_t>(1, field.names.size());
        for (size_t k = 0; k < count; k++) {
            std::string name = field.names.empty() ? "" : field.names[k].name;
            Pos pos = field.names.empty() ? field.pos : field.names[k].pos;
            Symbol* s = new_symbol(SymbolKind::Var, name, pos, fn->signature->results[ri++]);
            s->owner = fn;
            s->is_param = true;
            s->reassigned = true; // return statements assign it
            fn->results.push_back(s);
            if (!name.empty()) {
                fn->named_results = true;
                declare(m_scope, s);
            }
        }
    }
    block(e->body, false);
    if (!fn->signature->results.empty() && !terminates(e->body))
        error(e->body->rbrace, "missing return");
    check_unused(m_scope);
    for (LabeledStmt* l : m_labels)
        if (!l->used) error(l->label.pos, "label " + l->label.name + " defined and not used");
    close_scope();
    m_function = parent;
    m_iota = saved_iota;
    m_targets = std::move(saved_targets);
    m_labels = std::move(saved_labels);
    m_locals = std::move(saved_locals);
    e->mode = Mode::Value;
    e->type = fn->signature;
}

} // namespace csp
