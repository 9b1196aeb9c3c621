// The checker's rules for maps (Go 1.19's types2): map types and their key types, index
// expressions and comma-ok reads, make, delete and map literals.
#include "lang/checker_internal.hpp"

#include <set>

namespace csp {

static Expr* strip_parens(Expr* e) {
    while (e->kind == ExprKind::Paren) e = static_cast<ParenExpr*>(e)->inner;
    return e;
}


const Type* Checker::map_type(MapTypeExpr* e) {
    const Type* key = resolve_type(e->key);
    const Type* value = resolve_type(e->value);
    if (key == m_types.invalid() || value == m_types.invalid()) return m_types.invalid();
    if (!is_comparable(key)) {
        Pos at = e->key->pos;
        if (e->key->kind == ExprKind::FuncType) { // Go's func type node starts at its '('
            const std::string& text = m_current_diags->file().text();
            size_t i = at.offset + 4;
            while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
            at.offset = uint32_t(i);
        }
        error(at, "invalid map key type " + key->spelling());
        return m_types.invalid();
    }
    return m_types.map(key, value);
}

// m[k]: the key must be assignable to the key type; the value is not addressable.
void Checker::map_index(IndexExpr* e) {
    const Type* u = e->base->type->underlying();
    expr(e->index, u->key);
    if (e->index->mode == Mode::Invalid) return;
    if (!assign(e->index, u->key, {"map index"})) return;
    e->mode = Mode::MapIndex;
    e->type = u->elem;
}

// v, ok = m[k]: the index expression gets the type (V, bool). Any other index expression
// with two targets is a count mismatch.
bool Checker::map_comma_ok(Expr* rhs) {
    auto* ix = static_cast<IndexExpr*>(strip_parens(rhs));
    expr(ix);
    bool ok = ix->mode == Mode::MapIndex;
    if (ok) ix->comma_ok = true;
    else if (ix->mode != Mode::Invalid) assignment_mismatch({rhs}, 2, 1);
    const Type* t = ok ? m_types.tuple({ix->type, m_types.basic(BasicKind::Bool)}) : m_types.invalid();
    for (Expr* e = rhs;; e = static_cast<ParenExpr*>(e)->inner) {
        e->type = t;
        e->mode = ok ? Mode::Value : Mode::Invalid;
        if (e->kind != ExprKind::Paren) break;
    }
    return true;
}

// make(map[K]V) and make(map[K]V, hint).
void Checker::make_map(CallExpr* e, const Type* t) {
    if (e->args.size() > 2) {
        error(e->pos, "invalid operation: " + expr_string(e) + " expects 1 or 2 arguments; found " +
                          std::to_string(e->args.size()));
        return;
    }
    if (e->args.size() == 2 && !size_argument(e->args[1])) return;
    e->mode = Mode::Value;
    e->type = t;
}

// delete(m, k).
void Checker::builtin_delete(CallExpr* e) {
    auto& args = e->args;
    if (args.size() != 2) {
        for (Expr* a : args) expr(a);
        error(e->pos, std::string("invalid operation: ") + (args.size() < 2 ? "not enough" : "too many") +
                          " arguments for " + expr_string(e) + " (expected 2, found " +
                          std::to_string(args.size()) + ")");
        return;
    }
    expr(args[0]);
    if (args[0]->mode == Mode::Invalid || !check_value(args[0])) {
        expr(args[1]);
        return;
    }
    const Type* u = args[0]->type->underlying();
    if (u->cls != TypeClass::Map) {
        expr(args[1]);
        error(args[0]->pos, "invalid argument: " + describe(args[0]) + " is not a map");
        return;
    }
    expr(args[1], u->key);
    if (args[1]->mode == Mode::Invalid) return;
    if (!assign(args[1], u->key, {"argument to delete"})) return;
    e->mode = Mode::NoValue;
    e->type = m_types.tuple({});
}

// map[K]V{k: v, ...}: every element keyed; duplicate constant keys are errors.
void Checker::map_literal(CompositeLit* e, const Type* u) {
    std::set<std::string> seen;
    for (Expr* el : e->elements) {
        if (el->kind != ExprKind::KeyValue) {
            error(el->pos, "missing key in map literal");
            expr(el, u->elem);
            continue;
        }
        auto* kv = static_cast<KeyValueExpr*>(el);
        expr(kv->key, u->key);
        if (kv->key->mode != Mode::Invalid && assign(kv->key, u->key, {"map literal"}) &&
            kv->key->mode == Mode::Constant) {
            std::string text = kv->key->value.to_string();
            // keys of interface maps are equal only with the same dynamic type
            if (!seen.insert(kv->key->type->to_string() + '\x00' + text).second)
                error(kv->key->pos, "duplicate key " + text + " in map literal");
        }
        expr(kv->value, u->elem);
        if (kv->value->mode != Mode::Invalid) assign(kv->value, u->elem, {"map literal"});
    }
}

} // namespace csp
