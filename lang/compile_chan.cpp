// Compiler, channels and goroutines: go statements, send, receive (with ok), the chan
// builtins, select (a SelectSite table plus a jump per case) and range over a channel.
#include "lang/compiler_internal.hpp"

namespace csp {

namespace {

Expr* unparen(Expr* e) {
    while (e->kind == ExprKind::Paren) e = static_cast<ParenExpr*>(e)->inner;
    return e;
}

UnaryExpr* as_receive(Expr* e) {
    e = unparen(e);
    if (e->kind == ExprKind::Unary && static_cast<UnaryExpr*>(e)->op == Op::Arrow)
        return static_cast<UnaryExpr*>(e);
    return nullptr;
}

} // namespace

// go f(x): the callee and arguments are evaluated here, into a frame the new goroutine
// takes over.
void FunctionCompiler::go_stmt(GoDeferStmt* s) {
    if (s->call->call_kind == CallKind::Builtin) return go_builtin(s);
    CallTarget target;
    uint32_t base = prepare_call(s->call, target);
    set_line(s->pos);
    if (target.function) emit(Opcode::GO, base, target.index);
    else emit(Opcode::GOV, base, target.closure_reg);
}

// go println(x), go close(ch): the arguments now, the builtin in a wrapper function run
// by the new goroutine (the wrapper deferred builtins use).
void FunctionCompiler::go_builtin(GoDeferStmt* s) {
    CallExpr* e = s->call;
    auto b = Builtin(e->builtin);
    if (b == Builtin::Recover) return; // recover in a new goroutine: nil, and nothing to do
    std::vector<const Type*> types;
    if (b == Builtin::Panic) types.push_back(m_pc.m_checked.types.any());
    else
        for (Expr* a : e->args) types.push_back(a->type);
    uint32_t slots = 0;
    for (const Type* t : types) slots += slot_width(t);
    uint32_t base = alloc(std::max<uint32_t>(slots, 1));
    uint32_t off = base;
    for (size_t i = 0; i < types.size(); i++) {
        coerce_to(e->args[i], types[i], off);
        off += slot_width(types[i]);
    }
    set_line(s->pos);
    emit(Opcode::GO, base, builtin_wrapper(s, types));
}

void FunctionCompiler::send_stmt(SendStmt* s) {
    uint32_t ch = expr_any(s->channel);
    const Type* elem = s->channel->type->underlying()->elem;
    uint32_t value = alloc(slot_width(elem));
    coerce_to(s->value, elem, value);
    set_line(s->pos);
    emit(Opcode::SEND, ch, value);
}

void FunctionCompiler::receive_to(UnaryExpr* e, uint32_t dst) {
    uint32_t mark = m_top;
    uint32_t ch = expr_any(e->operand);
    set_line(e->pos);
    emit(Opcode::RECV, dst, ch);
    m_top = mark;
}

// v, ok := <-ch: the value at base, ok right after it; returns base.
uint32_t FunctionCompiler::receive_ok(UnaryExpr* e) {
    uint32_t w = slot_width(e->type->params[0]);
    uint32_t base = alloc(w + 1);
    uint32_t ch = expr_any(e->operand);
    set_line(e->pos);
    emit(Opcode::RECVOK, base, ch, base + w);
    return base;
}

// make(chan T, n), close, len and cap of a channel.
bool FunctionCompiler::chan_builtin(CallExpr* e, uint32_t dst) {
    auto b = Builtin(e->builtin);
    if (b == Builtin::Make && e->type->underlying()->cls == TypeClass::Chan) {
        uint32_t size = alloc(1);
        if (e->args.size() == 2) coerce_to(e->args[1], m_pc.m_checked.types.basic(BasicKind::Int), size);
        else emit(Opcode::LOADI, size, 0, 0);
        set_line(e->pos);
        emit(Opcode::MAKECHAN, dst, m_pc.rt_type(e->type->underlying()->elem), size);
        return true;
    }
    if (b == Builtin::Close) {
        uint32_t ch = expr_any(e->args[0]);
        set_line(e->pos);
        emit(Opcode::CLOSE, ch);
        return true;
    }
    if ((b == Builtin::Len || b == Builtin::Cap) && e->args.size() == 1 &&
        e->args[0]->type->underlying()->cls == TypeClass::Chan) {
        uint32_t ch = expr_any(e->args[0]);
        emit(b == Builtin::Len ? Opcode::CHLEN : Opcode::CHCAP, dst, ch);
        return true;
    }
    return false;
}

// Registers for one select case: the channel, then the value (sent, or received into).
SelectCaseSite FunctionCompiler::select_case(Stmt* comm) {
    SelectCaseSite site{};
    if (comm->kind == StmtKind::Send) {
        auto* send = static_cast<SendStmt*>(comm);
        const Type* elem = send->channel->type->underlying()->elem;
        site.channel = uint16_t(alloc(1));
        expr_to(send->channel, site.channel);
        site.value = uint16_t(alloc(slot_width(elem)));
        coerce_to(send->value, elem, site.value);
        site.is_send = true;
        return site;
    }
    Expr* rx = comm->kind == StmtKind::Expr ? static_cast<ExprStmt*>(comm)->expr
                                            : static_cast<AssignStmt*>(comm)->rhs[0];
    UnaryExpr* receive = as_receive(rx);
    site.channel = uint16_t(alloc(1));
    expr_to(receive->operand, site.channel);
    const Type* elem = receive->operand->type->underlying()->elem;
    site.has_value = true;
    site.value = uint16_t(alloc(slot_width(elem)));
    if (comm->kind != StmtKind::Expr && static_cast<AssignStmt*>(comm)->lhs.size() == 2) {
        site.has_ok = true;
        site.ok = uint16_t(alloc(1));
    }
    return site;
}

// After the case ran: assign or define what a receive case received.
void FunctionCompiler::select_bind(Stmt* comm, const SelectCaseSite& site) {
    if (comm->kind != StmtKind::Assign && comm->kind != StmtKind::Define) return;
    auto* a = static_cast<AssignStmt*>(comm);
    uint32_t regs[2] = {site.value, site.ok};
    for (size_t i = 0; i < a->lhs.size(); i++) {
        Expr* target = a->lhs[i];
        if (comm->kind == StmtKind::Define) {
            auto* name = static_cast<NameExpr*>(target);
            if (name->name == "_" || !name->symbol) continue;
            if (a->is_new[i]) declare_local(name->symbol, regs[i], true);
            else store_var(name->symbol, regs[i]);
        } else {
            store_to(target, regs[i]);
        }
    }
}

void FunctionCompiler::select_stmt(SwitchStmt* s) {
    uint32_t mark = m_top;
    SelectSite site;
    std::vector<int> case_of_clause(s->clauses.size(), -1);
    for (size_t i = 0; i < s->clauses.size(); i++) {
        CaseClause* c = s->clauses[i];
        if (c->is_default) {
            site.has_default = true;
            continue;
        }
        set_line(c->pos);
        case_of_clause[i] = int(site.cases.size());
        site.cases.push_back(select_case(c->comm));
    }
    uint32_t chosen = alloc(1);
    // Go compiles a select of one case and no default as that channel operation, so its
    // panics and waits are reported at the case.
    bool single = site.cases.size() == 1 && !site.has_default;
    Stmt* single_comm = nullptr;
    for (CaseClause* c : s->clauses)
        if (!c->is_default) single_comm = c->comm;
    set_line(single ? single_comm->pos : s->pos);
    emit(Opcode::SELECT, chosen, uint32_t(m_fn.selects.size()));
    m_fn.selects.push_back(site);
    // Dispatch on the chosen case; the default is -1.
    std::vector<uint32_t> to_clause(s->clauses.size());
    for (size_t i = 0; i < s->clauses.size(); i++) {
        int32_t k = s->clauses[i]->is_default ? -1 : case_of_clause[i];
        to_clause[i] = emit_branch(Opcode::JEQK, chosen, constant_int(k));
    }
    std::vector<uint32_t> to_end{emit_jump(Opcode::JMP)};
    m_loops.push_back({s, {}, {}});
    for (size_t i = 0; i < s->clauses.size(); i++) {
        CaseClause* c = s->clauses[i];
        patch(to_clause[i]);
        uint32_t clause_mark = m_top;
        if (!c->is_default) select_bind(c->comm, site.cases[size_t(case_of_clause[i])]);
        for (Stmt* st : c->body) statement(st);
        m_top = clause_mark;
        to_end.push_back(emit_jump(Opcode::JMP));
    }
    Loop loop = std::move(m_loops.back());
    m_loops.pop_back();
    for (uint32_t j : to_end) patch(j);
    for (uint32_t j : loop.breaks) patch(j);
    m_top = mark;
}

// for v := range ch: receive until the channel is closed and drained.
void FunctionCompiler::range_chan(RangeStmt* s) {
    uint32_t mark = m_top;
    const Type* elem = s->range->type->underlying()->elem;
    uint32_t w = slot_width(elem);
    uint32_t ch = alloc(1);
    expr_to(s->range, ch);
    uint32_t value = alloc(w + 1);
    uint32_t top = here();
    set_line(s->range->pos);
    emit(Opcode::RECVOK, value, ch, value + w);
    uint32_t done = emit_jump(Opcode::JMPIFNOT, value + w);
    if (s->key) {
        if (s->define) {
            if (s->key_symbol && s->key_symbol->name != "_") declare_local(s->key_symbol, value, true);
        } else {
            store_to(s->key, value);
        }
    }
    m_loops.push_back({s, {}, {}});
    block(s->body);
    Loop loop = std::move(m_loops.back());
    m_loops.pop_back();
    for (uint32_t j : loop.continues) patch_to(j, here());
    jump_back(top);
    patch(done);
    for (uint32_t j : loop.breaks) patch(j);
    m_top = mark;
}

} // namespace csp
