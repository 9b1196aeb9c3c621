// Compiler, part 4: statements, loops (per-iteration variables in fresh cells), switch,
// break/continue, and returns.
#include "lang/compiler_internal.hpp"
#include "lang/parser.hpp"

namespace csp {

void FunctionCompiler::block(Block* b) {
    uint32_t mark = m_top;
    for (Stmt* s : b->statements) statement(s);
    m_top = mark;
}

// Gives a new local its storage: a register, or a cell when a closure captures it.
void FunctionCompiler::declare_local(Symbol* s, uint32_t value_reg, bool has_value) {
    uint32_t w = slot_width(s->type);
    if (s->needs_cell()) {
        uint32_t cell = alloc(1);
        emit(Opcode::NEWCELL, cell, w);
        m_storage[s] = {Storage::Cell, cell};
        if (has_value) store_var(s, value_reg);
        return;
    }
    uint32_t r = alloc(w);
    m_storage[s] = {Storage::Register, r};
    if (has_value) emit(w == 1 ? Opcode::MOVE : w == 2 ? Opcode::MOVE2 : Opcode::MOVEN, r, value_reg, w);
    else emit(Opcode::LOADNIL, r, 0, w);
}

// The register of a local kept in a register (not global, not in a cell), or of a field
// of a struct kept so, if target is one.
std::optional<uint32_t> FunctionCompiler::register_of(Expr* target) {
    while (target->kind == ExprKind::Paren) target = static_cast<ParenExpr*>(target)->inner;
    if (target->kind == ExprKind::Selector) {
        auto* sel = static_cast<SelectorExpr*>(target);
        if (sel->selection != Selection::Field) return std::nullopt;
        const Type* t = sel->base->type;
        uint32_t offset = 0;
        for (uint32_t index : sel->path) {
            if (t->underlying()->cls == TypeClass::Pointer) return std::nullopt;
            offset += field_offset(t, index);
            t = t->underlying()->fields[index].type;
        }
        std::optional<uint32_t> base = register_of(sel->base);
        if (!base) return std::nullopt;
        return *base + offset;
    }
    if (target->kind != ExprKind::Name) return std::nullopt;
    Symbol* s = static_cast<NameExpr*>(target)->symbol;
    if (!s || s->global || s->kind != SymbolKind::Var) return std::nullopt;
    auto it = m_storage.find(s);
    if (it == m_storage.end() || it->second.kind != Storage::Register) return std::nullopt;
    return it->second.index;
}

// Whether compiling e into a register writes that register only after reading all of
// e's operands, so that `x = e` may compute straight into x's register. `&&`, `||`,
// min and max store partial results in their destination first.
bool FunctionCompiler::writes_result_last(Expr* e) {
    while (e->kind == ExprKind::Paren) e = static_cast<ParenExpr*>(e)->inner;
    if (e->mode == Mode::Constant) return true;
    if (e->kind == ExprKind::CompositeLit) return false; // fills its destination element by element
    if (e->kind == ExprKind::Binary) {
        Op op = static_cast<BinaryExpr*>(e)->op;
        return op != Op::LogAnd && op != Op::LogOr;
    }
    if (e->kind == ExprKind::Call) {
        auto* c = static_cast<CallExpr*>(e);
        return c->call_kind != CallKind::Builtin ||
               (Builtin(c->builtin) != Builtin::Min && Builtin(c->builtin) != Builtin::Max);
    }
    return e->kind != ExprKind::CompositeLit; // fields are stored one by one
}

// `v := e` for one new variable kept in a register: e is compiled straight into it (v is
// not in scope in e, so nothing in e can read the register early). False if v needs a cell.
bool FunctionCompiler::define_in_place(Symbol* v, Expr* value) {
    if (!v || v->name == "_" || v->needs_cell()) return false;
    uint32_t r = alloc(slot_width(v->type));
    m_storage[v] = {Storage::Register, r};
    coerce_to(value, v->type, r);
    return true;
}

void FunctionCompiler::statement(Stmt* s) {
    set_line(s->pos);
    uint32_t mark = m_top;
    // -race: an assignment's loads and stores of its target are named after it.
    Expr* target = nullptr;
    if (s->kind == StmtKind::Assign || s->kind == StmtKind::Define) {
        auto* a = static_cast<AssignStmt*>(s);
        if (!a->lhs.empty()) target = a->lhs[0];
    } else if (s->kind == StmtKind::IncDec) {
        target = static_cast<IncDecStmt*>(s)->target;
    } else if (s->kind == StmtKind::Range) {
        target = static_cast<RangeStmt*>(s)->range;
    } else if (s->kind == StmtKind::Expr) {
        target = static_cast<ExprStmt*>(s)->expr;
    }
    RaceContext race(*this, target);
    switch (s->kind) {
    case StmtKind::Expr: {
        Expr* e = static_cast<ExprStmt*>(s)->expr;
        while (e->kind == ExprKind::Paren) e = static_cast<ParenExpr*>(e)->inner;
        if (e->kind == ExprKind::Call) {
            if (!is_dropped_race_hook(static_cast<CallExpr*>(e))) call(static_cast<CallExpr*>(e));
        } else {
            expr_any(e); // a receive, its value dropped
        }
        m_top = mark;
        return;
    }
    case StmtKind::Go: go_stmt(static_cast<GoDeferStmt*>(s)); m_top = mark; return;
    case StmtKind::Send: send_stmt(static_cast<SendStmt*>(s)); m_top = mark; return;
    case StmtKind::Select: select_stmt(static_cast<SwitchStmt*>(s)); m_top = mark; return;
    case StmtKind::Assign: assign(static_cast<AssignStmt*>(s)); m_top = mark; return;
    case StmtKind::Define: define(static_cast<AssignStmt*>(s)); return; // keeps its locals
    case StmtKind::IncDec: {
        auto* st = static_cast<IncDecStmt*>(s);
        if (is_map_index(st->target)) {
            incdec_map_entry(st);
            m_top = mark;
            return;
        }
        if (is_element(st->target)) {
            incdec_element(st);
            m_top = mark;
            return;
        }
        const Type* t = st->target->type;
        std::optional<uint32_t> own = register_of(st->target);
        FieldPlace place{};
        if (!own) place = place_of(st->target); // evaluated once: p.n++ reads p once
        uint32_t r = own ? *own : alloc(1);
        if (!own) load_place(place, r);
        if (t->is_float()) {
            Slot one;
            one.f = 1.0;
            uint32_t k = alloc(1);
            emit(Opcode::LOADK, k, constant(one));
            emit(st->increment ? Opcode::FADD : Opcode::FSUB, r, r, k);
        } else {
            emit(Opcode::ADDI, r, r, uint16_t(int16_t(st->increment ? 1 : -1)));
        }
        normalize(t, r);
        if (!own) store_place(place, r);
        m_top = mark;
        return;
    }
    case StmtKind::Decl: {
        auto* d = static_cast<DeclStmt*>(s);
        for (ValueSpec* spec : d->values) {
            if (spec->is_const) continue;
            if (spec->script_global) {
                init_global(spec);
            } else if (spec->values.empty()) {
                for (Symbol* sym : spec->symbols)
                    if (sym->name != "_") declare_local(sym, 0, false);
            } else if (spec->symbols.size() == 1 && spec->values.size() == 1 &&
                       define_in_place(spec->symbols[0], spec->values[0])) {
                continue;
            } else if (spec->values.size() == spec->symbols.size()) {
                std::vector<uint32_t> regs;
                for (size_t i = 0; i < spec->symbols.size(); i++) {
                    uint32_t r = alloc(slot_width(spec->symbols[i]->type));
                    coerce_to(spec->values[i], spec->symbols[i]->type, r);
                    regs.push_back(r);
                }
                for (size_t i = 0; i < spec->symbols.size(); i++)
                    if (spec->symbols[i]->name != "_") declare_local(spec->symbols[i], regs[i], true);
            } else {
                uint32_t base = values(spec->values[0]);
                uint32_t off = 0;
                for (Symbol* sym : spec->symbols) {
                    if (sym->name != "_") declare_local(sym, base + off, true);
                    off += slot_width(sym->type);
                }
            }
        }
        return;
    }
    case StmtKind::Block: block(static_cast<Block*>(s)); return;
    case StmtKind::If: if_stmt(static_cast<IfStmt*>(s)); m_top = mark; return;
    case StmtKind::For: for_stmt(static_cast<ForStmt*>(s)); m_top = mark; return;
    case StmtKind::Range: range_stmt(static_cast<RangeStmt*>(s)); m_top = mark; return;
    case StmtKind::Switch: switch_stmt(static_cast<SwitchStmt*>(s)); m_top = mark; return;
    case StmtKind::TypeSwitch: type_switch(static_cast<SwitchStmt*>(s)); m_top = mark; return;
    case StmtKind::Return: return_stmt(static_cast<ReturnStmt*>(s)); m_top = mark; return;
    case StmtKind::Defer: defer_stmt(static_cast<GoDeferStmt*>(s)); m_top = mark; return;
    case StmtKind::Break: case StmtKind::Continue: branch(static_cast<BranchStmt*>(s)); return;
    case StmtKind::Labeled: statement(static_cast<LabeledStmt*>(s)->statement); return;
    case StmtKind::Empty: case StmtKind::Fallthrough: return;
    default: throw std::runtime_error("internal error: statement not compiled");
    }
}

void FunctionCompiler::store_to(Expr* target, uint32_t src) {
    while (target->kind == ExprKind::Paren) target = static_cast<ParenExpr*>(target)->inner;
    if (target->kind == ExprKind::Name) {
        auto* n = static_cast<NameExpr*>(target);
        if (n->name == "_" || !n->symbol) return;
        store_var(n->symbol, src);
        return;
    }
    if (target->kind == ExprKind::Selector &&
        static_cast<SelectorExpr*>(target)->selection == Selection::Qualified) {
        store_var(static_cast<SelectorExpr*>(target)->symbol, src);
        return;
    }
    uint32_t mark = m_top;
    if (is_element(target)) store_access(prepare_access(target), src);
    else store_place(place_of(target), src);
    m_top = mark;
}

// Go's two phases of assignment: the operands of the targets (pointers, variables) are
// evaluated first, with the right sides; the stores follow left to right. A target that
// is not a plain name gets its place here, its pointer held in a register of its own.
std::vector<std::optional<FieldPlace>> FunctionCompiler::target_places(const std::vector<Expr*>& lhs) {
    std::vector<std::optional<FieldPlace>> places;
    for (Expr* target : lhs) {
        Expr* t = target;
        while (t->kind == ExprKind::Paren) t = static_cast<ParenExpr*>(t)->inner;
        bool plain = t->kind == ExprKind::Name ||
                     (t->kind == ExprKind::Selector &&
                      static_cast<SelectorExpr*>(t)->selection == Selection::Qualified);
        if (plain) {
            places.emplace_back();
            continue;
        }
        FieldPlace p = place_of(t);
        if (p.kind == FieldPlace::Pointer && lhs.size() > 1) { // a later store must not move it
            uint32_t r = alloc(1);
            emit(Opcode::MOVE, r, p.index);
            p.index = r;
        }
        places.push_back(p);
    }
    return places;
}

void FunctionCompiler::store_targets(const std::vector<Expr*>& lhs,
                                     const std::vector<std::optional<FieldPlace>>& places,
                                     const std::vector<uint32_t>& values) {
    for (size_t i = 0; i < lhs.size(); i++) {
        RaceContext race(*this, lhs[i]);
        if (places[i]) store_place(*places[i], values[i]);
        else store_to(lhs[i], values[i]);
    }
}

void FunctionCompiler::assign(AssignStmt* s) {
    for (Expr* target : s->lhs) {
        if (!is_map_index(target)) continue;
        assign_map_entries(s);
        return;
    }
    for (Expr* target : s->lhs) {
        if (!is_element(target)) continue;
        assign_elements(s); // element operands are evaluated before the values
        return;
    }
    if (s->op != Op::None) {
        compound_assign(s);
        return;
    }
    if (s->lhs.size() == 1 && s->rhs.size() == 1 && writes_result_last(s->rhs[0])) {
        if (std::optional<uint32_t> own = register_of(s->lhs[0])) {
            coerce_to(s->rhs[0], s->lhs[0]->type, *own);
            return;
        }
    }
    std::vector<std::optional<FieldPlace>> places = target_places(s->lhs);
    std::vector<uint32_t> regs;
    if (s->rhs.size() == 1 && s->lhs.size() > 1) {
        uint32_t base = values(s->rhs[0]);
        uint32_t off = 0;
        const Type* tuple = s->rhs[0]->type;
        for (size_t i = 0; i < s->lhs.size(); i++) {
            regs.push_back(base + off);
            off += slot_width(tuple->params[i]);
        }
        store_targets(s->lhs, places, regs);
        return;
    }
    // Evaluate every right side first: a, b = b, a swaps.
    for (size_t i = 0; i < s->rhs.size(); i++) {
        const Type* t = s->lhs[i]->type ? s->lhs[i]->type : s->rhs[i]->type;
        uint32_t r = alloc(slot_width(t));
        coerce_to(s->rhs[i], t, r);
        regs.push_back(r);
    }
    store_targets(s->lhs, places, regs);
}

// `x op= y`: x's place is evaluated once (p.n += 1 reads p once); a local or a field of
// one kept in registers is updated in place.
void FunctionCompiler::compound_assign(AssignStmt* s) {
    Expr* target = s->lhs[0];
    BinaryExpr tmp;
    tmp.pos = target->pos;
    tmp.op = s->op;
    tmp.op_pos = s->op_pos;
    tmp.left = target;
    tmp.right = s->rhs[0];
    tmp.type = target->type;
    tmp.mode = Mode::Value;
    if (std::optional<uint32_t> own = register_of(target)) {
        binary_to(&tmp, *own);
        return;
    }
    FieldPlace place = place_of(target);
    uint32_t r = alloc(slot_width(tmp.type));
    load_place(place, r);
    m_preloaded[target] = r;
    binary_to(&tmp, r);
    m_preloaded.erase(target);
    store_place(place, r);
}

void FunctionCompiler::define(AssignStmt* s) {
    size_t n = s->lhs.size();
    std::vector<uint32_t> regs(n);
    uint32_t mark = m_top;
    if (s->rhs.size() == 1 && n > 1) {
        uint32_t base = values(s->rhs[0]);
        uint32_t off = 0;
        for (size_t i = 0; i < n; i++) {
            regs[i] = base + off;
            off += slot_width(s->rhs[0]->type->params[i]);
        }
    } else if (n == 1 && s->is_new[0] && define_in_place(static_cast<NameExpr*>(s->lhs[0])->symbol, s->rhs[0])) {
        return;
    } else {
        for (size_t i = 0; i < n; i++) {
            auto* name = static_cast<NameExpr*>(s->lhs[i]);
            const Type* t = name->symbol ? name->symbol->type : s->rhs[i]->type;
            regs[i] = alloc(slot_width(t));
            coerce_to(s->rhs[i], t, regs[i]);
        }
    }
    // New variables live above the temporaries; copy values into their storage.
    uint32_t temps_end = m_top;
    (void)mark;
    for (size_t i = 0; i < n; i++) {
        auto* name = static_cast<NameExpr*>(s->lhs[i]);
        if (name->name == "_" || !name->symbol) continue;
        if (s->is_new[i]) declare_local(name->symbol, regs[i], true);
        else store_var(name->symbol, regs[i]);
    }
    (void)temps_end;
}

void FunctionCompiler::if_stmt(IfStmt* s) {
    if (s->init) statement(s->init);
    std::vector<uint32_t> to_else;
    jump_if(s->condition, false, to_else);
    block(s->then_block);
    if (s->else_branch) {
        uint32_t to_end = emit_jump(Opcode::JMP);
        for (uint32_t j : to_else) patch(j);
        statement(s->else_branch);
        patch(to_end);
    } else {
        for (uint32_t j : to_else) patch(j);
    }
}

// Go 1.22 loop variables: each iteration has its own; captured ones get a fresh cell
// holding the current value before the post statement runs.
void FunctionCompiler::renew_cells(const std::vector<Symbol*>& vars) {
    for (Symbol* v : vars) {
        if (!v || !v->needs_cell()) continue;
        Storage st = m_storage.at(v);
        uint32_t w = slot_width(v->type);
        uint32_t mark = m_top;
        uint32_t tmp = alloc(w);
        for (uint32_t k = 0; k < w; k++) emit(Opcode::LOADCELL, tmp + k, st.index, k);
        emit(Opcode::NEWCELL, st.index, w);
        for (uint32_t k = 0; k < w; k++) emit(Opcode::STORECELL, tmp + k, st.index, k);
        m_top = mark;
    }
}

void FunctionCompiler::for_stmt(ForStmt* s) {
    if (s->init) statement(s->init);
    // Rotated loop: jump to the condition at the bottom.
    uint32_t to_cond = s->condition ? emit_jump(Opcode::JMP) : 0;
    uint32_t body_start = here();
    m_loops.push_back({s, {}, {}});
    block(s->body);
    uint32_t continue_at = here();
    renew_cells(s->loop_vars);
    if (s->post) statement(s->post);
    Loop loop = std::move(m_loops.back());
    m_loops.pop_back();
    for (uint32_t j : loop.continues) patch_to(j, continue_at);
    if (s->condition) {
        patch(to_cond);
        set_line(s->condition->pos);
        std::vector<uint32_t> back;
        jump_if(s->condition, true, back);
        for (uint32_t j : back) patch_to(j, body_start);
    } else {
        jump_back(body_start);
    }
    for (uint32_t j : loop.breaks) patch(j);
}

void FunctionCompiler::range_stmt(RangeStmt* s) {
    const Type* t = s->range->type;
    if (t->underlying()->cls == TypeClass::Chan) return range_chan(s);
    if (t->underlying()->cls == TypeClass::Map) return range_map(s);
    if (t->underlying()->cls == TypeClass::Slice || t->underlying()->cls == TypeClass::Array) {
        range_sequence(s);
        return;
    }
    uint32_t mark = m_top;
    uint32_t x = alloc(slot_width(t));
    expr_to(s->range, x);
    uint32_t index = alloc(1);
    emit(Opcode::LOADI, index, 0, 0);
    uint32_t limit = x;
    if (t->is_string()) {
        limit = alloc(1);
        emit(Opcode::SLEN, limit, x);
    }
    uint32_t rune = t->is_string() ? alloc(2) : 0; // rune, width
    uint32_t to_cond = emit_jump(Opcode::JMP);
    uint32_t body_start = here();
    // Fresh iteration variables each time round (Go 1.22).
    auto bind = [&](Expr* target, Symbol* sym, uint32_t value) {
        if (!target) return;
        if (s->define) {
            if (sym && sym->name != "_") declare_local(sym, value, true);
        } else {
            store_to(target, value);
        }
    };
    if (t->is_string()) emit(Opcode::RUNEAT, rune, x, index);
    bind(s->key, s->key_symbol, index);
    bind(s->value, s->value_symbol, rune);
    m_loops.push_back({s, {}, {}});
    block(s->body);
    uint32_t continue_at = here();
    if (t->is_string()) emit(Opcode::ADD, index, index, rune + 1);
    else emit(Opcode::ADDI, index, index, 1);
    Loop loop = std::move(m_loops.back());
    m_loops.pop_back();
    for (uint32_t j : loop.continues) patch_to(j, continue_at);
    patch(to_cond);
    uint32_t j = emit_branch(t->is_unsigned() ? Opcode::JLTU : Opcode::JLT, index, limit);
    patch_to(j, body_start);
    for (uint32_t b : loop.breaks) patch(b);
    m_top = mark;
}

void FunctionCompiler::switch_stmt(SwitchStmt* s) {
    uint32_t mark = m_top;
    if (s->init) statement(s->init);
    uint32_t tag = 0;
    const Type* t = nullptr;
    if (s->tag) {
        t = s->tag->type;
        tag = alloc(slot_width(t));
        expr_to(s->tag, tag);
    }
    // Tests first, in source order, each jumping to its body; then the bodies.
    std::vector<std::vector<uint32_t>> to_body(s->clauses.size());
    int default_index = -1;
    for (size_t i = 0; i < s->clauses.size(); i++) {
        CaseClause* c = s->clauses[i];
        if (c->is_default) default_index = int(i);
        for (Expr* v : c->values) {
            set_line(v->pos);
            uint32_t m2 = m_top;
            if (!s->tag) {
                jump_if(v, true, to_body[i]);
            } else {
                uint32_t r = alloc(slot_width(t)); // a case value compared as the tag's type
                coerce_to(v, t, r);
                uint32_t c2 = alloc(1);
                emit_equal(t, c2, tag, r);
                to_body[i].push_back(emit_jump(Opcode::JMPIF, c2));
            }
            m_top = m2;
        }
    }
    uint32_t to_default = emit_jump(Opcode::JMP);
    m_loops.push_back({s, {}, {}});
    std::vector<uint32_t> to_end;
    std::vector<uint32_t> fallthrough_jumps;
    for (size_t i = 0; i < s->clauses.size(); i++) {
        CaseClause* c = s->clauses[i];
        for (uint32_t j : to_body[i]) patch(j);
        for (uint32_t j : fallthrough_jumps) patch(j);
        fallthrough_jumps.clear();
        if (int(i) == default_index) patch(to_default);
        uint32_t m2 = m_top;
        for (Stmt* st : c->body) statement(st);
        m_top = m2;
        if (!c->body.empty() && c->body.back()->kind == StmtKind::Fallthrough)
            fallthrough_jumps.push_back(emit_jump(Opcode::JMP));
        else
            to_end.push_back(emit_jump(Opcode::JMP));
    }
    if (default_index < 0) patch(to_default);
    Loop loop = std::move(m_loops.back());
    m_loops.pop_back();
    for (uint32_t j : to_end) patch(j);
    for (uint32_t j : loop.breaks) patch(j);
    m_top = mark;
}

void FunctionCompiler::return_stmt(ReturnStmt* s) {
    if (has_defers()) {
        defer_return(s);
        return;
    }
    const Type* sig = m_info->signature;
    uint32_t total = 0;
    for (const Type* r : sig->results) total += slot_width(r);
    if (total == 0) {
        emit(Opcode::RET, 0, 0);
        return;
    }
    if (s->results.size() == 1 && sig->results.size() == 1 &&
        (!sig->results[0]->is_interface() || s->results[0]->type->is_interface())) {
        uint32_t r = expr_any(s->results[0]); // returned from where it is, no copy
        set_line(s->pos);
        emit(Opcode::RET, r, total);
        return;
    }
    uint32_t base = alloc(total);
    if (s->results.empty()) { // bare return of named results
        uint32_t off = 0;
        for (Symbol* r : m_info->results) {
            load_var(r, base + off);
            off += slot_width(r->type);
        }
    } else if (s->results.size() == 1 && sig->results.size() > 1) {
        uint32_t src = values(s->results[0]);
        emit(Opcode::MOVEN, base, src, total);
    } else {
        uint32_t off = 0;
        for (size_t i = 0; i < s->results.size(); i++) {
            coerce_to(s->results[i], sig->results[i], base + off);
            off += slot_width(sig->results[i]);
        }
    }
    set_line(s->pos);
    emit(Opcode::RET, base, total);
}

void FunctionCompiler::branch(BranchStmt* s) {
    for (auto it = m_loops.rbegin(); it != m_loops.rend(); ++it) {
        if (it->stmt != s->target) continue;
        uint32_t j = emit_jump(Opcode::JMP);
        if (s->kind == StmtKind::Break) it->breaks.push_back(j);
        else it->continues.push_back(j);
        return;
    }
    throw std::runtime_error("internal error: branch target not found");
}

} // namespace csp
