// Checker, channels: chan types, send statements and receive expressions (with comma-ok),
// the chan cases of make, close, len and cap, select statements and range over channels,
// with Go 1.19's rules and error wording. (go statements are checked with defer's.)
#include "lang/checker_internal.hpp"

namespace csp {

namespace {

Expr* unparen(Expr* e) {
    while (e->kind == ExprKind::Paren) e = static_cast<ParenExpr*>(e)->inner;
    return e;
}

bool is_receive(Expr* e) {
    e = unparen(e);
    return e->kind == ExprKind::Unary && static_cast<UnaryExpr*>(e)->op == Op::Arrow;
}

} // namespace

const Type* Checker::chan_type(ChanTypeExpr* e) {
    const Type* elem = resolve_type(e->element);
    if (elem == m_types.invalid()) return elem;
    return m_types.chan(elem, e->dir);
}

// <-x: x must be a channel that can receive; the value has the element type.
void Checker::receive(UnaryExpr* e) {
    expr(e->operand);
    Expr* x = e->operand;
    e->mode = Mode::Invalid;
    e->type = m_types.invalid();
    if (x->mode == Mode::Invalid || !check_value(x)) return;
    const Type* u = x->type->underlying();
    if (u->cls != TypeClass::Chan) {
        error(x->pos, "invalid operation: cannot receive from non-channel " + describe(x));
        return;
    }
    if (u->dir == ChanDir::Send) {
        error(x->pos, "invalid operation: cannot receive from send-only channel " + describe(x));
        return;
    }
    e->mode = Mode::Value;
    e->type = u->elem;
}

// `v, ok = <-ch` and `v, ok := <-ch`: with two targets, a receive yields (T, bool).
// Returns false when rhs is not a receive (the caller checks it as usual).
bool Checker::comma_ok(Expr* rhs, size_t targets) {
    if (targets == 2 && unparen(rhs)->kind == ExprKind::Index) return map_comma_ok(rhs);
    if (targets == 2 && unparen(rhs)->kind == ExprKind::TypeAssert) return assert_comma_ok(rhs);
    if (targets != 2 || !is_receive(rhs)) return false;
    auto* r = static_cast<UnaryExpr*>(unparen(rhs));
    receive(r);
    r->comma_ok = r->mode != Mode::Invalid;
    const Type* t = r->comma_ok ? m_types.tuple({r->type, m_types.basic(BasicKind::Bool)}) : m_types.invalid();
    for (Expr* e = rhs;; e = static_cast<ParenExpr*>(e)->inner) {
        e->type = t;
        e->mode = r->comma_ok ? Mode::Value : Mode::Invalid;
        if (e->kind != ExprKind::Paren) break;
    }
    return true;
}

void Checker::send_stmt(SendStmt* s) {
    expr(s->channel);
    Expr* ch = s->channel;
    const Type* elem = nullptr;
    if (ch->mode != Mode::Invalid && check_value(ch)) {
        const Type* u = ch->type->underlying();
        if (u->cls != TypeClass::Chan)
            error(s->pos, "invalid operation: cannot send to non-channel " + describe(ch));
        else if (u->dir == ChanDir::Recv)
            error(s->pos, "invalid operation: cannot send to receive-only channel " + describe(ch));
        else
            elem = u->elem;
    }
    expr(s->value, elem);
    if (elem && s->value->mode != Mode::Invalid) assign(s->value, elem, {"send"});
}

// make(chan T) and make(chan T, size).
void Checker::make_chan(CallExpr* e, const Type* t) {
    if (e->args.size() > 2) {
        error(e->pos, "invalid operation: " + expr_string(e) + " expects 1 or 2 arguments; found " +
                          std::to_string(e->args.size()));
        return;
    }
    if (e->args.size() == 2 && !size_argument(e->args[1])) return;
    e->mode = Mode::Value;
    e->type = t;
}

// A size or index argument of make: an integer, non-negative if constant; untyped
// constants become int.
bool Checker::size_argument(Expr* x) {
    expr(x);
    if (x->mode == Mode::Invalid || !check_value(x)) return false;
    if (x->type->is_untyped()) {
        if (!convert_untyped(x, m_types.basic(BasicKind::Int))) {
            error(x->pos, "cannot convert " + describe(x) + " to int");
            return false;
        }
    } else if (!x->type->is_integer()) {
        error(x->pos, "invalid argument: index " + describe(x) + " must be integer");
        return false;
    }
    if (x->mode == Mode::Constant && *Constant::compare("<", x->value, Constant::integer(0))) {
        error(x->pos, "invalid argument: index " + describe(x) + " must not be negative");
        return false;
    }
    return true;
}

void Checker::close_call(CallExpr* e) {
    Expr* x = e->args[0];
    expr(x);
    e->mode = Mode::NoValue;
    e->type = m_types.tuple({});
    if (x->mode == Mode::Invalid || !check_value(x)) return;
    const Type* u = x->type->underlying();
    if (u->cls != TypeClass::Chan)
        error(x->pos, "invalid operation: cannot close non-channel " + describe(x));
    else if (u->dir == ChanDir::Recv)
        error(x->pos, "invalid operation: cannot close receive-only channel " + describe(x));
}

// select: each case a send, a receive, or a receive assigned or defined; `break` leaves
// the select. Variables a case defines are scoped to its clause.
void Checker::select_stmt(SwitchStmt* s) {
    m_targets.push_back({s, take_label(), false});
    bool seen_default = false;
    for (CaseClause* c : s->clauses) {
        if (c->is_default) {
            if (seen_default) error(c->pos, "multiple defaults in select");
            seen_default = true;
        }
        open_scope();
        if (c->comm) select_case(c->comm);
        statements(c->body);
        close_scope();
    }
    m_targets.pop_back();
}

void Checker::select_case(Stmt* comm) {
    auto bad = [&](Expr* e) {
        Expr* at = unparen(e);
        Pos pos = at->kind == ExprKind::Binary ? static_cast<BinaryExpr*>(at)->op_pos : at->pos;
        error(pos, "select case must be send or receive (possibly with assignment)");
    };
    switch (comm->kind) {
    case StmtKind::Send: send_stmt(static_cast<SendStmt*>(comm)); return;
    case StmtKind::Expr: {
        Expr* e = static_cast<ExprStmt*>(comm)->expr;
        if (!is_receive(e)) return bad(e);
        expr(e);
        return;
    }
    case StmtKind::Assign:
    case StmtKind::Define: {
        auto* a = static_cast<AssignStmt*>(comm);
        if (a->op != Op::None || a->rhs.size() != 1 || a->lhs.size() > 2 || !is_receive(a->rhs[0]))
            return bad(a->rhs.empty() ? a->lhs[0] : a->rhs[0]);
        statement(a);
        return;
    }
    default: error(comm->pos, "select case must be send or receive (possibly with assignment)");
    }
}

} // namespace csp
