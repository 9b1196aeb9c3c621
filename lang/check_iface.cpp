// Checker, interfaces: interface types (methods and embedded interfaces), whether a type
// implements an interface (Go's missingMethod and its explanations), type assertions and
// type switches.
#include "lang/checker_internal.hpp"
#include "lang/method_set.hpp"

#include <algorithm>
#include <map>

namespace csp {

namespace {

Expr* unparen(Expr* e) {
    while (e->kind == ExprKind::Paren) e = static_cast<ParenExpr*>(e)->inner;
    return e;
}

// "M() string" for Go's have/want lines: the method's name and its signature.
std::string method_spelling(const std::string& name, const Type* signature) {
    std::string s = signature->spelling();
    return name + (s.rfind("func", 0) == 0 ? s.substr(4) : s);
}

} // namespace

// interface { M(); N() int; Embedded }: the union of the methods, sorted by name.
const Type* Checker::interface_type(InterfaceTypeExpr* e) {
    if (e->methods.empty() && e->embedded.empty()) return m_types.any();
    Type* t = m_types.new_type(TypeClass::Interface);
    std::map<std::string, Pos> declared;
    for (InterfaceMethod& m : e->methods) {
        const Type* sig = signature_type(m.signature);
        if (m.name.name == "_") {
            error(m.name.pos, "methods must have a unique non-blank name");
            continue;
        }
        auto [it, fresh] = declared.emplace(m.name.name, m.name.pos);
        if (!fresh) {
            error(m.name.pos, "duplicate method " + m.name.name + "\n\t" + position(it->second) +
                                  ": other declaration of " + m.name.name);
            continue;
        }
        t->methods.push_back({m.name.name, sig});
    }
    for (Expr* x : e->embedded) {
        const Type* et = resolve_type(x);
        if (et == m_types.invalid()) continue;
        if (et->cls == TypeClass::Named && !et->base) {
            error(x->pos, "invalid recursive type " + et->spelling());
            continue;
        }
        if (!et->is_interface()) {
            error(x->pos, "cannot use " + et->spelling() +
                              " in an interface outside a type constraint");
            continue;
        }
        for (const InterfaceMethodType& m : et->underlying()->methods) {
            auto same = std::find_if(t->methods.begin(), t->methods.end(),
                                     [&](const InterfaceMethodType& o) { return o.name == m.name; });
            if (same == t->methods.end()) t->methods.push_back(m);
            else if (!identical(same->signature, m.signature))
                error(x->pos, "duplicate method " + m.name);
        }
    }
    std::sort(t->methods.begin(), t->methods.end(),
              [](const InterfaceMethodType& a, const InterfaceMethodType& b) { return a.name < b.name; });
    if (t->methods.empty()) return m_types.any();
    return t;
}

// Go's missingMethod, explained as its error messages do: "" when t implements iface,
// else "(missing M method)", "(M method has pointer receiver)" or "(wrong type for M
// method)" with the have/want lines.
std::string Checker::missing_method(const Type* t, const Type* iface) {
    const Type* u = iface->underlying();
    if (u->cls != TypeClass::Interface || u->methods.empty()) return "";
    std::vector<MethodSetEntry> set = method_set(t);
    for (const InterfaceMethodType& want : u->methods) {
        const MethodSetEntry* have = find_in_set(set, want.name);
        if (!have) {
            bool pointer_has = false;
            if (!t->is_interface() && t->cls != TypeClass::Pointer)
                pointer_has = find_in_set(method_set(m_types.pointer(t)), want.name) != nullptr;
            if (pointer_has) return "(" + want.name + " method has pointer receiver)";
            return "(missing " + want.name + " method)";
        }
        if (!identical(have->signature, want.signature))
            return "(wrong type for " + want.name + " method)\n\t\thave " +
                   method_spelling(have->name, have->signature) + "\n\t\twant " +
                   method_spelling(want.name, want.signature);
    }
    return "";
}

// x.(T): x must be an interface; a concrete T must implement it.
void Checker::type_assert(TypeAssertExpr* e) {
    expr(e->base);
    Expr* x = e->base;
    e->mode = Mode::Invalid;
    e->type = m_types.invalid();
    if (!e->type_expr) {
        error(e->pos, "invalid AST: use of .(type) outside type switch");
        return;
    }
    if (!check_value(x)) {
        resolve_type(e->type_expr);
        return;
    }
    if (!x->type->is_interface()) {
        error(x->pos, "invalid operation: " + describe(x) + " is not an interface");
        return;
    }
    const Type* t = resolve_type(e->type_expr);
    if (t == m_types.invalid()) return;
    if (!t->is_interface()) {
        std::string why = missing_method(t, x->type);
        if (!why.empty()) {
            error(e->pos, "impossible type assertion: " + expr_string(e) + "\n\t" + t->spelling() +
                              " does not implement " + x->type->spelling() + " " + why);
            return;
        }
    }
    e->mode = Mode::Value;
    e->type = t;
    e->asserted = t;
}

// `v, ok := x.(T)`: with two targets, an assertion yields (T, bool).
bool Checker::assert_comma_ok(Expr* rhs) {
    auto* a = static_cast<TypeAssertExpr*>(unparen(rhs));
    type_assert(a);
    a->comma_ok = a->mode != Mode::Invalid;
    const Type* t = a->comma_ok ? m_types.tuple({a->type, m_types.basic(BasicKind::Bool)}) : m_types.invalid();
    for (Expr* e = rhs;; e = static_cast<ParenExpr*>(e)->inner) {
        e->type = t;
        e->mode = a->comma_ok ? Mode::Value : Mode::Invalid;
        if (e->kind != ExprKind::Paren) break;
    }
    return true;
}

// The types (or nil) of a type switch clause, checked against the guard's interface;
// each value gets Mode::Type with its type, or Mode::Value with untyped nil.
void Checker::type_case_values(CaseClause* c, Expr* guard, bool guard_ok,
                               std::vector<std::pair<const Type*, Pos>>& seen) {
    for (Expr* v : c->values) {
        Expr* inner = unparen(v);
        Symbol* nil_sym = inner->kind == ExprKind::Name ? lookup(static_cast<NameExpr*>(inner)->name) : nullptr;
        const Type* t = nullptr;
        if (nil_sym && nil_sym->kind == SymbolKind::Nil) {
            t = m_types.basic(BasicKind::UntypedNil);
            v->mode = Mode::Value;
            v->type = t;
        } else {
            t = resolve_type(v);
            if (t == m_types.invalid()) continue;
            v->mode = Mode::Type;
            v->type = t;
            if (guard_ok && !t->is_interface()) {
                std::string why = missing_method(t, guard->type);
                if (!why.empty()) {
                    error(v->pos, "impossible type switch case: " + expr_string(v) + "\n\t" + describe(guard) +
                                      " cannot have dynamic type " + t->spelling() + " " + why);
                    continue;
                }
            }
        }
        auto prev = std::find_if(seen.begin(), seen.end(),
                                 [&](const auto& s) { return identical(s.first, t); });
        if (prev != seen.end()) {
            error(v->pos, "duplicate case " + (t->is_basic(BasicKind::UntypedNil) ? std::string("nil") : t->spelling()) +
                              " in type switch\n\t" + position(prev->second) + ": previous case");
            continue;
        }
        seen.push_back({t, v->pos});
    }
}

// switch v := x.(type) { case T: ... }: each clause declares its own v, of type T when the
// clause names one type, else of x's type. v must be used in some clause.
void Checker::type_switch(SwitchStmt* s) {
    open_scope();
    if (s->init) statement(s->init);
    Expr* x = s->guard;
    expr(x);
    bool guard_ok = check_value(x);
    if (guard_ok && !x->type->is_interface()) {
        error(x->pos, describe(x) + " is not an interface");
        guard_ok = false;
    }
    const Type* guard_type = guard_ok ? x->type : m_types.invalid();
    Symbol* binding = nullptr;
    if (!s->binding.name.empty()) {
        if (s->binding.name == "_") error(s->binding.pos, "no new variable on left side of :=");
        binding = new_symbol(SymbolKind::Var, s->binding.name, s->binding.pos, guard_type);
        binding->owner = m_function;
        if (s->binding.name != "_") m_locals.push_back(binding);
        else binding->used = true;
    }
    m_targets.push_back({s, take_label(), false});
    bool seen_default = false;
    std::vector<std::pair<const Type*, Pos>> seen;
    for (CaseClause* c : s->clauses) {
        if (c->is_default) {
            if (seen_default) error(c->pos, "multiple defaults in switch");
            seen_default = true;
        }
        type_case_values(c, x, guard_ok, seen);
        open_scope();
        if (binding) {
            const Type* t = guard_type;
            if (c->values.size() == 1 && c->values[0]->mode == Mode::Type) t = c->values[0]->type;
            Symbol* v = new_symbol(SymbolKind::Var, binding->name, binding->pos, t);
            v->owner = m_function;
            c->implicit = v;
            declare(m_scope, v);
        }
        for (Stmt* st : c->body) {
            if (st->kind == StmtKind::Fallthrough) {
                error(st->pos, "cannot fallthrough in type switch");
                continue;
            }
            statement(st);
        }
        if (binding && c->implicit->used) binding->used = true;
        close_scope();
    }
    m_targets.pop_back();
    close_scope();
}

// x.m where m is a method of x's interface type, or of an interface embedded in x's
// struct type: a dynamically dispatched method.
bool Checker::interface_selector(SelectorExpr* e, const LookupResult& r) {
    Expr* x = e->base;
    if (r.indirect && r.path.empty()) {
        error(e->field_pos, expr_string(x) + "." + e->field + " undefined (type " + x->type->spelling() +
                                " is pointer to interface, not interface)");
        return false;
    }
    if (x->mode == Mode::Type) {
        const Type* sig = r.type;
        std::vector<const Type*> params{x->type};
        params.insert(params.end(), sig->params.begin(), sig->params.end());
        e->selection = r.path.empty() ? Selection::InterfaceMethodExpr : Selection::PromotedMethodExpr;
        e->mode = Mode::Value;
        e->type = m_types.signature(params, sig->results, sig->variadic);
        return true;
    }
    e->selection = Selection::InterfaceMethod;
    e->mode = Mode::Value;
    e->type = r.type;
    return true;
}

} // namespace csp
