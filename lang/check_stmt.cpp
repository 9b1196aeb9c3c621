// Checker, part 5: statements, scopes of blocks, break/continue targets and labels,
// and Go's terminating-statement rule for "missing return".
#include "lang/checker_internal.hpp"

namespace csp {

std::unique_ptr<CheckedProgram> check_program(File& file, Diagnostics& diags,
                                              const PackageSource& packages) {
    auto program = std::make_unique<CheckedProgram>();
    Checker checker(*program, diags, packages);
    checker.check_main(file);
    return program;
}

std::unique_ptr<CheckedProgram> check_package_program(File& file, Diagnostics& diags,
                                                      const PackageSource& packages,
                                                      const std::string& entry) {
    auto program = std::make_unique<CheckedProgram>();
    program->entry = entry;
    Checker checker(*program, diags, packages);
    checker.check_main(file);
    return program;
}

void Checker::block(Block* b, bool new_scope) {
    if (new_scope) open_scope();
    statements(b->statements);
    if (new_scope) close_scope();
}

void Checker::statements(std::vector<Stmt*>& list) {
    for (Stmt* s : list) statement(s);
}

void Checker::statement(Stmt* s) {
    switch (s->kind) {
    case StmtKind::Expr: expr_stmt(static_cast<ExprStmt*>(s)); break;
    case StmtKind::Assign: assignment(static_cast<AssignStmt*>(s)); break;
    case StmtKind::Define: define(static_cast<AssignStmt*>(s)); break;
    case StmtKind::IncDec: {
        auto* st = static_cast<IncDecStmt*>(s);
        expr(st->target);
        if (!check_value(st->target)) break;
        if (!st->target->type->is_numeric()) {
            error(st->target->pos, std::string("invalid operation: ") + expr_string(st->target) +
                                       (st->increment ? "++" : "--") + " (non-numeric type " +
                                       st->target->type->spelling() + ")");
            break;
        }
        check_lvalue(st->target);
        break;
    }
    case StmtKind::Decl: var_decl_stmt(static_cast<DeclStmt*>(s)); break;
    case StmtKind::Block: block(static_cast<Block*>(s)); break;
    case StmtKind::If: if_stmt(static_cast<IfStmt*>(s)); break;
    case StmtKind::For: for_stmt(static_cast<ForStmt*>(s)); break;
    case StmtKind::Range: range_stmt(static_cast<RangeStmt*>(s)); break;
    case StmtKind::Switch: switch_stmt(static_cast<SwitchStmt*>(s)); break;
    case StmtKind::Return: return_stmt(static_cast<ReturnStmt*>(s)); break;
    case StmtKind::Break: case StmtKind::Continue: case StmtKind::Fallthrough:
        branch_stmt(static_cast<BranchStmt*>(s));
        break;
    case StmtKind::Labeled: {
        auto* l = static_cast<LabeledStmt*>(s);
        m_labels.push_back(l);
        Stmt* inner = l->statement;
        if (inner->kind == StmtKind::For || inner->kind == StmtKind::Range ||
            inner->kind == StmtKind::Switch || inner->kind == StmtKind::TypeSwitch ||
            inner->kind == StmtKind::Select) {
            m_pending_label = l;
        }
        statement(inner);
        m_pending_label = nullptr;
        break;
    }
    case StmtKind::Empty: break;
    case StmtKind::Goto: error(s->pos, "goto is not supported"); break;
    case StmtKind::Go: defer_stmt(static_cast<GoDeferStmt*>(s)); break;
    case StmtKind::Defer: defer_stmt(static_cast<GoDeferStmt*>(s)); break;
    case StmtKind::Send: send_stmt(static_cast<SendStmt*>(s)); break;
    case StmtKind::TypeSwitch: type_switch(static_cast<SwitchStmt*>(s)); break;
    case StmtKind::Select: select_stmt(static_cast<SwitchStmt*>(s)); break;
    }
}

void Checker::expr_stmt(ExprStmt* s) {
    Expr* e = s->expr;
    if (e->kind == ExprKind::Call) {
        call(static_cast<CallExpr*>(e));
        auto* c = static_cast<CallExpr*>(e);
        if (c->call_kind == CallKind::Function || e->mode == Mode::Invalid) return;
        if (c->call_kind == CallKind::Builtin) { // Go: these may stand as statements
            auto b = Builtin(c->builtin);
            if (b == Builtin::Print || b == Builtin::Println || b == Builtin::Panic ||
                b == Builtin::Close || b == Builtin::Copy || b == Builtin::Delete ||
                b == Builtin::Recover || b == Builtin::Clear)
                return;
        }
        if (e->mode != Mode::Invalid) error(e->pos, describe(e) + " is not used");
        return;
    }
    expr(e);
    Expr* inner = e;
    while (inner->kind == ExprKind::Paren) inner = static_cast<ParenExpr*>(inner)->inner;
    bool receive = inner->kind == ExprKind::Unary && static_cast<UnaryExpr*>(inner)->op == Op::Arrow;
    if (e->mode != Mode::Invalid && !receive) error(e->pos, describe(e) + " is not used");
}

void Checker::check_lvalue(Expr* lhs) {
    // The variable the target belongs to (x of x.f[2]; conservatively p of p.f) is written.
    Expr* target = lhs;
    for (;;) {
        if (target->kind == ExprKind::Paren) target = static_cast<ParenExpr*>(target)->inner;
        else if (target->kind == ExprKind::Selector) target = static_cast<SelectorExpr*>(target)->base;
        else if (target->kind == ExprKind::Index) target = static_cast<IndexExpr*>(target)->base;
        else if (target->kind == ExprKind::Star) target = static_cast<StarExpr*>(target)->operand;
        else break;
    }
    if (target->kind == ExprKind::Name) {
        Symbol* s = static_cast<NameExpr*>(target)->symbol;
        if (s && s->kind == SymbolKind::Var) s->reassigned = true;
    }
    if (lhs->mode == Mode::Invalid || lhs->mode == Mode::MapIndex) return;
    if (lhs->mode != Mode::Variable) {
        if (lhs->mode == Mode::Constant || lhs->mode == Mode::Value)
            error(lhs->pos, "cannot assign to " + describe(lhs));
        else
            error(lhs->pos, "cannot assign to " + expr_string(lhs));
        lhs->mode = Mode::Invalid;
    }
}

// Assignment targets: a name being assigned does not count as a use of it.
static bool is_blank(Expr* e) {
    return e->kind == ExprKind::Name && static_cast<NameExpr*>(e)->name == "_";
}

// Counts a variable named on the left of a failed assignment as used (Go's check.use),
// to avoid follow-on "declared and not used" errors.
void Checker::mark_used(Expr* lhs) {
    while (lhs->kind == ExprKind::Paren) lhs = static_cast<ParenExpr*>(lhs)->inner;
    if (lhs->kind != ExprKind::Name) return;
    Symbol* sym = lookup(static_cast<NameExpr*>(lhs)->name);
    if (sym && sym->kind == SymbolKind::Var) sym->used = true;
}

// Go's assignError: `a, b = 1` and `c := two()`, reported at the first value.
void Checker::assignment_mismatch(const std::vector<Expr*>& rhs, size_t vars, size_t values) {
    auto measure = [](size_t n, const char* unit) {
        return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
    };
    std::string msg = "assignment mismatch: " + measure(vars, "variable") + " but ";
    Expr* r = rhs[0];
    while (r->kind == ExprKind::Paren) r = static_cast<ParenExpr*>(r)->inner;
    if (rhs.size() == 1 && r->kind == ExprKind::Call)
        msg += expr_string(static_cast<CallExpr*>(r)->callee) + " returns ";
    error(rhs[0]->pos, msg + measure(values, "value"));
}

// `x op= y`: the operation `x op y` assigned back to x; x counts as used.
void Checker::compound_assignment(AssignStmt* s) {
    if (s->lhs.size() != 1 || s->rhs.size() != 1) {
        error(s->op_pos, "assignment operation " + std::string(op_spelling(s->op)) +
                             "= requires single-valued expressions");
        return;
    }
    Expr* lhs = s->lhs[0];
    BinaryExpr tmp;
    tmp.pos = lhs->pos;
    tmp.op = s->op;
    tmp.op_pos = s->op_pos;
    tmp.left = lhs;
    tmp.right = s->rhs[0];
    const BinaryExpr* saved = m_compound;
    m_compound = &tmp;
    binary(&tmp, nullptr);
    m_compound = saved;
    if (tmp.mode == Mode::Invalid) return;
    Mode mode = lhs->mode;
    const Type* t = lhs->type;
    check_lvalue(lhs);
    lhs->mode = mode == Mode::Variable || mode == Mode::MapIndex ? mode : lhs->mode;
    lhs->type = t;
    if (tmp.mode != Mode::Invalid && s->rhs[0]->type->is_untyped() && tmp.op != Op::Shl &&
        tmp.op != Op::Shr)
        assign(s->rhs[0], t, {"assignment"});
}

// Go's assignVar: assigns the checked value x to lhs (checked already, not a use).
bool Checker::assign_var(Expr* lhs, Expr* x) {
    if (x->mode == Mode::Invalid) {
        mark_used(lhs);
        return false;
    }
    if (is_blank(lhs)) return assign(x, nullptr, {"assignment to _ identifier"});
    if (lhs->mode == Mode::Invalid) return false;
    return assign(x, lhs->type, {"assignment"});
}

// Go's assignVars, after the left side: `a, b = x, y` and `a, b = f()`.
void Checker::assignment(AssignStmt* s) {
    if (s->op != Op::None) {
        compound_assignment(s);
        return;
    }
    for (Expr* lhs : s->lhs) {
        if (is_blank(lhs)) {
            lhs->mode = Mode::Variable;
            lhs->type = nullptr;
            continue;
        }
        Symbol* sym = lhs->kind == ExprKind::Name ? lookup(static_cast<NameExpr*>(lhs)->name) : nullptr;
        bool was_used = sym && sym->used;
        expr(lhs);
        if (sym && sym->kind == SymbolKind::Var) sym->used = was_used;
        check_lvalue(lhs);
    }
    size_t n = s->lhs.size();
    std::vector<Expr*>& rhs = s->rhs;
    size_t have = rhs.size();
    bool tuple = false;
    if (rhs.size() == 1 && comma_ok(rhs[0], n)) {
        tuple = rhs[0]->mode != Mode::Invalid;
        if (!tuple) return;
        have = 2;
    } else if (rhs.size() == 1) {
        multi_expr(rhs[0]);
        check_value(rhs[0]);
        tuple = rhs[0]->mode != Mode::Invalid && rhs[0]->type->cls == TypeClass::Tuple;
        if (tuple) have = rhs[0]->type->params.size();
    } else {
        for (size_t i = 0; i < rhs.size(); i++) expr(rhs[i], i < n ? s->lhs[i]->type : nullptr);
    }
    if (have != n) {
        for (Expr* lhs : s->lhs) mark_used(lhs);
        for (Expr* r : rhs)
            if (r->mode == Mode::Invalid) return;
        assignment_mismatch(rhs, n, have);
        return;
    }
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        Expr* lhs = s->lhs[i];
        if (!tuple) {
            ok &= assign_var(lhs, rhs[i]);
            continue;
        }
        const Type* member = rhs[0]->type->params[i];
        if (is_blank(lhs) || lhs->mode == Mode::Invalid || assignable(member, lhs->type)) continue;
        error(rhs[0]->pos, "cannot use " + expr_string(rhs[0]) + " (value of type " +
                               member->spelling() + ") as type " + lhs->type->spelling() +
                               " in assignment");
        ok = false;
    }
    if (!ok)
        for (Expr* lhs : s->lhs) mark_used(lhs);
}

// Go's initVar: gives the new variable `lhs` (whose type may be unset) the value x. A
// variable whose initialisation failed counts as used.
bool Checker::init_var(Symbol* lhs, Expr* x, const AssignContext& ctx) {
    if (!check_value(x) || x->type == m_types.invalid() || lhs->type == m_types.invalid()) {
        if (!lhs->type) lhs->type = m_types.invalid();
        lhs->used = true;
        return false;
    }
    if (!lhs->type) {
        if (x->type->is_basic(BasicKind::UntypedNil)) {
            error(x->pos, "use of untyped nil in " + ctx.what);
            lhs->type = m_types.invalid();
            return false;
        }
        lhs->type = m_types.default_type(x->type);
    }
    if (assign(x, lhs->type, ctx)) return true;
    lhs->used = true;
    return false;
}

// One value of a multi-valued call assigned to a new (or, in :=, an existing) variable.
bool Checker::init_from_tuple(Symbol* lhs, Expr* call, const Type* member, const AssignContext& ctx) {
    if (!lhs->type) lhs->type = member;
    if (lhs->type == m_types.invalid() || assignable(member, lhs->type)) return true;
    error(call->pos, "cannot use " + expr_string(call) + " (value of type " + member->spelling() +
                         ") as type " + lhs->type->spelling() + " in " + ctx.what);
    return false;
}

// Go's initVars: `a, b := x, y`, `a, b := f()`, `var a, b = f()`.
void Checker::init_vars(const std::vector<Symbol*>& lhs, std::vector<Expr*>& rhs,
                        const AssignContext& ctx) {
    size_t n = lhs.size(), have = rhs.size();
    bool tuple = false;
    if (rhs.size() == 1 && comma_ok(rhs[0], n)) {
        tuple = rhs[0]->mode != Mode::Invalid;
        if (!tuple) {
            for (Symbol* v : lhs) v->used = true, v->type = v->type ? v->type : m_types.invalid();
            return;
        }
        have = 2;
    } else if (rhs.size() == 1) {
        multi_expr(rhs[0], lhs.size() == 1 ? lhs[0]->type : nullptr);
        check_value(rhs[0]);
        tuple = rhs[0]->mode != Mode::Invalid && rhs[0]->type->cls == TypeClass::Tuple;
        if (tuple) have = rhs[0]->type->params.size();
    } else {
        for (size_t i = 0; i < rhs.size(); i++) expr(rhs[i], i < n ? lhs[i]->type : nullptr);
    }
    if (have != n) {
        for (Symbol* v : lhs) {
            v->used = true;
            if (!v->type) v->type = m_types.invalid();
        }
        for (Expr* r : rhs)
            if (r->mode == Mode::Invalid) return;
        assignment_mismatch(rhs, n, have);
        return;
    }
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        ok &= tuple ? init_from_tuple(lhs[i], rhs[0], rhs[0]->type->params[i], ctx)
                    : init_var(lhs[i], rhs[i], ctx);
    if (!ok)
        for (Symbol* v : lhs) v->used = true;
}

// Go's shortVarDecl: at least one new name; the others are assigned.
void Checker::define(AssignStmt* s) {
    size_t n = s->lhs.size();
    std::vector<Symbol*> vars(n, nullptr);
    std::vector<Symbol*> fresh;
    bool has_error = false;
    s->is_new.assign(n, false);
    for (size_t i = 0; i < n; i++) {
        auto* name = static_cast<NameExpr*>(s->lhs[i]);
        bool repeated = false;
        for (size_t k = 0; k < i && name->name != "_"; k++)
            repeated |= static_cast<NameExpr*>(s->lhs[k])->name == name->name;
        auto it = m_scope->names.find(name->name);
        if (repeated) {
            error(name->pos, name->name + " repeated on left side of :=");
            has_error = true;
        } else if (name->name != "_" && it != m_scope->names.end()) {
            Symbol* existing = it->second;
            if (existing->kind == SymbolKind::Var) {
                existing->reassigned = true; // x, err := ... assigns the existing x
                vars[i] = existing;
                name->symbol = existing;
                name->mode = Mode::Variable;
                name->type = existing->type;
                use_symbol(existing);
            } else {
                error(name->pos, "cannot assign to " + name->name);
                has_error = true;
            }
        } else {
            vars[i] = new_symbol(SymbolKind::Var, name->name, name->pos, nullptr);
            vars[i]->owner = m_function;
            if (name->name != "_") fresh.push_back(vars[i]), s->is_new[i] = true;
        }
        if (!vars[i]) vars[i] = new_symbol(SymbolKind::Var, "_", name->pos, nullptr);
    }
    init_vars(vars, s->rhs, {"assignment"});
    if (fresh.empty() && !has_error) {
        error(s->op_pos, "no new variables on left side of :=");
        return;
    }
    // New names are declared after the right side is checked.
    for (size_t i = 0; i < n; i++) {
        if (!s->is_new[i]) continue;
        auto* name = static_cast<NameExpr*>(s->lhs[i]);
        name->symbol = vars[i];
        name->mode = Mode::Variable;
        name->type = vars[i]->type;
        m_locals.push_back(vars[i]);
        declare(m_scope, vars[i]);
    }
}

void Checker::var_decl_stmt(DeclStmt* d) {
    for (TypeSpec* t : d->types) {
        Symbol* sym = new_symbol(SymbolKind::TypeName, t->name.name, t->name.pos, nullptr);
        t->symbol = sym;
        declare(m_scope, sym); // in scope in its own definition: type T struct{ next *T }
        resolve_type_spec(t, sym);
    }
    for (ValueSpec* spec : d->values) {
        if (spec->script_global) continue; // a package-level variable, resolved with the others
        spec->symbols.assign(spec->names.size(), nullptr);
        std::vector<Symbol*> syms;
        for (Ident& id : spec->names) {
            Symbol* sym = new_symbol(spec->is_const ? SymbolKind::Const : SymbolKind::Var, id.name, id.pos, nullptr);
            sym->owner = m_function;
            syms.push_back(sym);
        }
        spec->symbols = syms;
        resolve_value_spec(spec, m_scope, false);
        for (Symbol* sym : syms) {
            if (!spec->is_const) m_locals.push_back(sym);
            declare(m_scope, sym);
        }
    }
}

void Checker::if_stmt(IfStmt* s) {
    open_scope();
    if (s->init) statement(s->init);
    expr(s->condition);
    if (s->condition->mode != Mode::Invalid) {
        if (!s->condition->type->is_boolean())
            error(s->condition->pos, "non-boolean condition in if statement");
        else
            default_untyped(s->condition);
    }
    block(s->then_block);
    if (s->else_branch) statement(s->else_branch);
    close_scope();
}

void Checker::for_stmt(ForStmt* s) {
    open_scope();
    if (s->init) {
        statement(s->init);
        if (s->init->kind == StmtKind::Define) {
            auto* d = static_cast<AssignStmt*>(s->init);
            for (size_t i = 0; i < d->lhs.size(); i++)
                if (d->is_new.size() > i && d->is_new[i])
                    s->loop_vars.push_back(static_cast<NameExpr*>(d->lhs[i])->symbol);
        }
    }
    if (s->condition) {
        expr(s->condition);
        if (s->condition->mode != Mode::Invalid) {
            if (!s->condition->type->is_boolean())
                error(s->condition->pos, "non-boolean condition in for statement");
            else
                default_untyped(s->condition);
        }
    }
    if (s->post) statement(s->post);
    m_targets.push_back({s, take_label(), true});
    block(s->body);
    m_targets.pop_back();
    close_scope();
}

void Checker::range_stmt(RangeStmt* s) {
    open_scope();
    expr(s->range);
    Expr* x = s->range;
    const Type* key_type = nullptr;
    const Type* value_type = nullptr;
    if (x->mode != Mode::Invalid) {
        if (x->type->is_string()) {
            default_untyped(x);
            key_type = m_types.basic(BasicKind::Int);
            value_type = m_types.rune();
        } else if (x->type->is_integer()) {
            if (x->type->is_untyped()) default_untyped(x);
            key_type = x->type;
            if (s->value) error(s->value->pos, "range over " + describe(x) + " permits only one iteration variable");
        } else if (x->type->underlying()->cls == TypeClass::Chan) {
            const Type* u = x->type->underlying();
            if (u->dir == ChanDir::Send)
                error(x->pos, "cannot range over " + describe(x) + " (receive from send-only channel)");
            else
                key_type = u->elem;
            if (s->value) error(s->value->pos, "range over " + describe(x) + " permits only one iteration variable");
        } else if (x->type->underlying()->cls == TypeClass::Slice ||
                   x->type->underlying()->cls == TypeClass::Array) {
            key_type = m_types.basic(BasicKind::Int);
            value_type = x->type->underlying()->elem;
        } else if (x->type->underlying()->cls == TypeClass::Map) {
            key_type = x->type->underlying()->key;
            value_type = x->type->underlying()->elem;
        } else if (x->type->underlying()->cls == TypeClass::Basic) {
            error(x->pos, "cannot range over " + describe(x));
        } else {
            error(x->pos, "range over " + x->type->spelling() + " is not supported yet");
        }
    }
    auto bind = [&](Expr* target, const Type* t, Symbol*& out) {
        if (!target) return;
        if (s->define) {
            if (target->kind != ExprKind::Name) {
                error(target->pos, "non-name " + expr_string(target) + " on left side of :=");
                return;
            }
            auto* name = static_cast<NameExpr*>(target);
            Symbol* sym = new_symbol(SymbolKind::Var, name->name, name->pos, t ? t : m_types.invalid());
            sym->owner = m_function;
            if (!t) sym->used = true;
            name->symbol = sym;
            name->mode = Mode::Variable;
            name->type = sym->type;
            out = sym;
            if (name->name != "_") {
                m_locals.push_back(sym);
                declare(m_scope, sym);
            }
        } else {
            if (is_blank(target)) return;
            Symbol* sym = target->kind == ExprKind::Name ? lookup(static_cast<NameExpr*>(target)->name) : nullptr;
            bool was_used = sym && sym->used;
            expr(target);
            if (sym && sym->kind == SymbolKind::Var) sym->used = was_used;
            check_lvalue(target);
            // Go 1.19 checks a synthetic operand: the target, as a value of the element type.
            if (t && target->mode != Mode::Invalid && !assignable(t, target->type))
                error(target->pos, "cannot use " + expr_string(target) + " (value of type " + t->spelling() +
                                       ") as type " + target->type->spelling() + " in assignment");
        }
    };
    bind(s->key, key_type, s->key_symbol);
    bind(s->value, value_type, s->value_symbol);
    m_targets.push_back({s, take_label(), true});
    block(s->body);
    m_targets.pop_back();
    close_scope();
}

// Go's caseValues: each value is converted to the tag's type and compared with it;
// errors are reported at the value. `seen` holds earlier constant values.
void Checker::case_values(CaseClause* c, Expr* tag, std::vector<Expr*>& seen) {
    for (Expr* v : c->values) {
        expr(v);
        if (!check_value(v) || tag->mode == Mode::Invalid) continue;
        if (!convert_operand(v, tag->type)) continue;
        BinaryExpr cmp;
        cmp.pos = v->pos;
        cmp.op = Op::Eq;
        cmp.op_pos = v->pos;
        cmp.left = v;
        cmp.right = tag;
        Mode tag_mode = tag->mode;
        comparison(&cmp, true);
        tag->mode = tag_mode;
        if (cmp.mode == Mode::Invalid || v->mode != Mode::Constant) continue;
        for (Expr* prev : seen) {
            if (!identical(prev->type, v->type) || !*Constant::compare("==", prev->value, v->value))
                continue;
            error(v->pos, "duplicate case " + describe(v) + " in expression switch\n\t" +
                              position(prev->pos) + ": previous case");
            break;
        }
        seen.push_back(v);
    }
}

void Checker::switch_stmt(SwitchStmt* s) {
    open_scope();
    if (s->init) statement(s->init);
    NameExpr truth; // a missing tag is the constant true
    truth.name = "true";
    truth.mode = Mode::Constant;
    truth.type = m_types.basic(BasicKind::Bool);
    truth.value = Constant::boolean(true);
    Expr* tag = &truth;
    if (s->tag) {
        tag = s->tag;
        expr(tag);
        if (assign(tag, nullptr, {"switch expression"}) && !is_comparable(tag->type) &&
            !has_nil(tag->type)) {
            error(tag->pos, "cannot switch on " + describe(tag) + " (" + tag->type->spelling() +
                                " is not comparable)");
            tag->mode = Mode::Invalid;
        }
    }
    m_targets.push_back({s, take_label(), false});
    bool seen_default = false;
    std::vector<Expr*> seen;
    for (size_t ci = 0; ci < s->clauses.size(); ci++) {
        CaseClause* c = s->clauses[ci];
        if (c->is_default) {
            if (seen_default) error(c->pos, "multiple defaults in switch");
            seen_default = true;
        }
        case_values(c, tag, seen);
        open_scope();
        m_fallthrough_ok = ci + 1 < s->clauses.size();
        for (size_t k = 0; k < c->body.size(); k++) {
            Stmt* st = c->body[k];
            if (st->kind == StmtKind::Fallthrough) {
                if (k + 1 != c->body.size())
                    error(st->pos, "fallthrough statement out of place");
                else if (ci + 1 == s->clauses.size())
                    error(st->pos, "cannot fallthrough final case in switch");
                continue;
            }
            statement(st);
        }
        close_scope();
    }
    m_targets.pop_back();
    close_scope();
}

void Checker::return_stmt(ReturnStmt* s) {
    FunctionInfo* fn = m_function;
    s->function = fn;
    ++fn->return_count;
    const Type* sig = fn->signature;
    auto& want = sig->results;
    if (s->results.empty()) {
        if (!want.empty() && !fn->named_results) {
            std::string w = "(";
            for (size_t i = 0; i < want.size(); i++) w += (i ? ", " : "") + want[i]->spelling();
            error(s->pos, "not enough return values\n\thave ()\n\twant " + w + ")");
        }
        if (fn->named_results)
            for (Symbol* r : fn->results) {
                Symbol* visible = lookup(r->name);
                if (visible != r && visible)
                    error(s->pos, "result parameter " + r->name + " not in scope at return\n\t" +
                                      position(visible->pos) + ": inner declaration of var " +
                                      r->name + " " + r->type->spelling());
            }
        return;
    }
    std::vector<Expr*>& res = s->results;
    if (res.size() == 1 && want.size() > 1) {
        multi_expr(res[0]);
        if (res[0]->mode == Mode::Invalid) return;
        const Type* t = res[0]->type;
        size_t have = t->cls == TypeClass::Tuple ? t->params.size() : 1;
        if (have == want.size()) {
            for (size_t i = 0; i < have; i++)
                if (!assignable(t->params[i], want[i]))
                    error(res[0]->pos, "cannot use " + expr_string(res[0]) + " value as " +
                                           want[i]->spelling() + " value in return statement");
            return;
        }
    } else {
        for (size_t i = 0; i < res.size(); i++) expr(res[i], i < want.size() ? want[i] : nullptr);
    }
    for (Expr* r : res)
        if (r->mode == Mode::Invalid) return;
    if (res.size() != want.size()) {
        std::string w = "(";
        for (size_t i = 0; i < want.size(); i++) w += (i ? ", " : "") + want[i]->spelling();
        w += ")";
        bool too_many = res.size() > want.size();
        Pos at = too_many ? res[want.size()]->pos : s->pos;
        if (!too_many) at = res.back()->pos;
        error(at, std::string(too_many ? "too many" : "not enough") + " return values\n\thave " +
                      describe_types(res) + "\n\twant " + w);
        return;
    }
    for (size_t i = 0; i < res.size(); i++) assign(res[i], want[i], {"return statement"});
}

void Checker::branch_stmt(BranchStmt* s) {
    const char* what = s->kind == StmtKind::Break ? "break" : s->kind == StmtKind::Continue ? "continue" : "fallthrough";
    if (s->kind == StmtKind::Fallthrough) {
        error(s->pos, "fallthrough statement out of place");
        return;
    }
    if (!s->label.name.empty()) {
        for (auto it = m_targets.rbegin(); it != m_targets.rend(); ++it) {
            if (it->label == s->label.name) {
                if (s->kind == StmtKind::Continue && !it->loop) {
                    error(s->label.pos, "invalid continue label " + s->label.name);
                    return;
                }
                s->target = it->stmt;
                for (LabeledStmt* l : m_labels)
                    if (l->label.name == s->label.name) l->used = true;
                return;
            }
        }
        bool known = false;
        for (LabeledStmt* l : m_labels)
            if (l->label.name == s->label.name) known = l->used = true;
        error(s->label.pos, known ? std::string("invalid ") + what + " label " + s->label.name
                                  : std::string(what) + " label not defined: " + s->label.name);
        return;
    }
    for (auto it = m_targets.rbegin(); it != m_targets.rend(); ++it) {
        if (s->kind == StmtKind::Continue && !it->loop) continue;
        s->target = it->stmt;
        return;
    }
    error(s->pos, s->kind == StmtKind::Break ? "break is not in a loop, switch, or select"
                                             : "continue is not in a loop");
}

// Go spec "Terminating statements".
bool Checker::terminates(Stmt* s) {
    switch (s->kind) {
    case StmtKind::Return: case StmtKind::Goto: return true;
    case StmtKind::Expr: {
        Expr* e = static_cast<ExprStmt*>(s)->expr;
        return e->kind == ExprKind::Call && static_cast<CallExpr*>(e)->call_kind == CallKind::Builtin &&
               Builtin(static_cast<CallExpr*>(e)->builtin) == Builtin::Panic;
    }
    case StmtKind::Block: return terminates_list(static_cast<Block*>(s)->statements);
    case StmtKind::If: {
        auto* i = static_cast<IfStmt*>(s);
        return i->else_branch && terminates(i->then_block) && terminates(i->else_branch);
    }
    case StmtKind::Labeled: return terminates(static_cast<LabeledStmt*>(s)->statement);
    case StmtKind::For: {
        auto* f = static_cast<ForStmt*>(s);
        return !f->condition && !has_break(f->body, s);
    }
    case StmtKind::Switch: case StmtKind::TypeSwitch: case StmtKind::Select: {
        auto* sw = static_cast<SwitchStmt*>(s);
        bool has_default = false;
        for (CaseClause* c : sw->clauses) {
            has_default |= c->is_default;
            bool ends_fallthrough = !c->body.empty() && c->body.back()->kind == StmtKind::Fallthrough;
            if (!ends_fallthrough && !terminates_list(c->body)) return false;
            for (Stmt* st : c->body)
                if (has_break(st, s)) return false;
        }
        return has_default || s->kind == StmtKind::Select;
    }
    default: return false;
    }
}

bool Checker::terminates_list(const std::vector<Stmt*>& list) {
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
        if ((*it)->kind == StmtKind::Empty) continue;
        return terminates(*it);
    }
    return false;
}

// Whether `s` contains a break that leaves `target`.
bool Checker::has_break(Stmt* s, Stmt* target) {
    switch (s->kind) {
    case StmtKind::Break: return static_cast<BranchStmt*>(s)->target == target;
    case StmtKind::Block:
        for (Stmt* st : static_cast<Block*>(s)->statements)
            if (has_break(st, target)) return true;
        return false;
    case StmtKind::If: {
        auto* i = static_cast<IfStmt*>(s);
        return has_break(i->then_block, target) || (i->else_branch && has_break(i->else_branch, target));
    }
    case StmtKind::Labeled: return has_break(static_cast<LabeledStmt*>(s)->statement, target);
    case StmtKind::For: return has_break(static_cast<ForStmt*>(s)->body, target);
    case StmtKind::Range: return has_break(static_cast<RangeStmt*>(s)->body, target);
    case StmtKind::Switch: case StmtKind::TypeSwitch: case StmtKind::Select:
        for (CaseClause* c : static_cast<SwitchStmt*>(s)->clauses)
            for (Stmt* st : c->body)
                if (has_break(st, target)) return true;
        return false;
    default: return false;
    }
}

std::string Checker::take_label() {
    if (!m_pending_label) return {};
    std::string name = m_pending_label->label.name;
    m_pending_label = nullptr;
    return name;
}

} // namespace csp
