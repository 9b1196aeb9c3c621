// Compiling maps: index reads (and comma-ok), stores and op-assignments to m[k], make, len,
// delete, clear, map literals and range over a map. Every map opcode takes the map in a
// register with the key right after it (runtime/opcodes.def, "maps").
#include "lang/compiler_internal.hpp"

namespace csp {

static Expr* bare(Expr* e) {
    while (e->kind == ExprKind::Paren) e = static_cast<ParenExpr*>(e)->inner;
    return e;
}

static bool is_map(const Type* t) { return t && t->underlying()->cls == TypeClass::Map; }

bool FunctionCompiler::is_map_index(Expr* e) const {
    e = bare(e);
    return e->kind == ExprKind::Index && is_map(static_cast<IndexExpr*>(e)->base->type);
}

// The map and the key of m[k] into fresh consecutive registers; returns the first.
uint32_t FunctionCompiler::map_operands(IndexExpr* e) {
    const Type* u = e->base->type->underlying();
    uint32_t m = alloc(1 + slot_width(u->key));
    expr_to(e->base, m);
    coerce_to(e->index, u->key, m + 1);
    return m;
}

void FunctionCompiler::map_index_to(IndexExpr* e, uint32_t dst) {
    uint32_t mark = m_top;
    uint32_t m = map_operands(e);
    set_line(e->pos);
    emit(Opcode::MAPGET, dst, m, m_pc.rt_type(e->base->type->underlying()));
    m_top = mark;
}

// v, ok := m[k]: the value at base, ok right after it; returns base.
uint32_t FunctionCompiler::map_index_ok(IndexExpr* e) {
    uint32_t w = slot_width(e->base->type->underlying()->elem);
    uint32_t base = alloc(w + 1);
    uint32_t m = map_operands(e);
    set_line(e->pos);
    emit(Opcode::MAPGETOK, base, m, m_pc.rt_type(e->base->type->underlying()));
    return base;
}

// m[k] = v, m[k] op= v, and assignments of several values of which some go to map
// entries: map and key operands first, then the values, then the stores left to right.
void FunctionCompiler::assign_map_entries(AssignStmt* s) {
    if (s->op != Op::None) {
        auto* target = static_cast<IndexExpr*>(bare(s->lhs[0]));
        uint32_t m = map_operands(target);
        const Type* t = target->type;
        // As Go's compiler: calls in the operand run before the entry is read.
        Expr* right = s->rhs[0];
        Symbol operand;
        NameExpr operand_name;
        if (right->mode != Mode::Constant) {
            uint32_t o = alloc(slot_width(right->type));
            expr_to(right, o);
            operand.kind = SymbolKind::Var;
            operand.type = right->type;
            m_storage[&operand] = {Storage::Register, o};
            operand_name.pos = right->pos;
            operand_name.symbol = &operand;
            operand_name.mode = Mode::Variable;
            operand_name.type = right->type;
            right = &operand_name;
        }
        uint32_t r = alloc(slot_width(t));
        uint32_t type = m_pc.rt_type(target->base->type->underlying());
        set_line(target->pos);
        emit(Opcode::MAPGET, r, m, type);
        Symbol element;
        element.kind = SymbolKind::Var;
        element.type = t;
        m_storage[&element] = {Storage::Register, r};
        NameExpr name;
        name.pos = target->pos;
        name.symbol = &element;
        name.mode = Mode::Variable;
        name.type = t;
        BinaryExpr op;
        op.pos = target->pos;
        op.op = s->op;
        op.op_pos = s->op_pos;
        op.left = &name;
        op.right = right;
        op.type = t;
        op.mode = Mode::Value;
        binary_to(&op, r);
        m_storage.erase(&element);
        m_storage.erase(&operand);
        set_line(target->pos);
        emit(Opcode::MAPSET, r, m, type);
        return;
    }
    std::vector<uint32_t> operands(s->lhs.size(), 0);
    for (size_t i = 0; i < s->lhs.size(); i++)
        if (is_map_index(s->lhs[i])) operands[i] = map_operands(static_cast<IndexExpr*>(bare(s->lhs[i])));
    std::vector<uint32_t> vals;
    if (s->rhs.size() == 1 && s->lhs.size() > 1) { // a, m[k] = f()
        uint32_t base = values(s->rhs[0]);
        for (const Type* member : s->rhs[0]->type->params) {
            vals.push_back(base);
            base += slot_width(member);
        }
    } else {
        for (size_t i = 0; i < s->rhs.size(); i++) {
            const Type* t = s->lhs[i]->type ? s->lhs[i]->type : s->rhs[i]->type;
            uint32_t r = alloc(slot_width(t));
            coerce_to(s->rhs[i], t, r);
            vals.push_back(r);
        }
    }
    for (size_t i = 0; i < s->lhs.size(); i++) {
        set_line(s->lhs[i]->pos);
        if (is_map_index(s->lhs[i])) {
            auto* ix = static_cast<IndexExpr*>(bare(s->lhs[i]));
            emit(Opcode::MAPSET, vals[i], operands[i], m_pc.rt_type(ix->base->type->underlying()));
        } else if (is_element(s->lhs[i])) {
            store_access(prepare_access(s->lhs[i]), vals[i]);
        } else {
            store_to(s->lhs[i], vals[i]);
        }
    }
}

void FunctionCompiler::incdec_map_entry(IncDecStmt* s) {
    auto* target = static_cast<IndexExpr*>(bare(s->target));
    uint32_t m = map_operands(target);
    uint32_t type = m_pc.rt_type(target->base->type->underlying());
    uint32_t r = alloc(1);
    set_line(s->pos);
    emit(Opcode::MAPGET, r, m, type);
    if (target->type->is_float()) {
        Slot one;
        one.f = 1.0;
        uint32_t k = alloc(1);
        emit(Opcode::LOADK, k, constant(one));
        emit(s->increment ? Opcode::FADD : Opcode::FSUB, r, r, k);
    } else {
        emit(Opcode::ADDI, r, r, uint16_t(int16_t(s->increment ? 1 : -1)));
    }
    normalize(target->type, r);
    emit(Opcode::MAPSET, r, m, type);
}

// make(map[K]V, hint), len(m), delete(m, k), clear(m).
bool FunctionCompiler::map_builtin(CallExpr* e, uint32_t dst) {
    auto b = Builtin(e->builtin);
    if (b == Builtin::Make && is_map(e->type)) {
        uint32_t hint = alloc(1);
        if (e->args.size() == 2) coerce_to(e->args[1], m_pc.m_checked.types.basic(BasicKind::Int), hint);
        else emit(Opcode::LOADI, hint, 0, 0);
        set_line(e->pos);
        emit(Opcode::MAKEMAP, dst, hint, m_pc.rt_type(e->type->underlying()));
        return true;
    }
    if (e->args.empty() || !is_map(e->args[0]->type)) return false;
    if (b == Builtin::Len) {
        uint32_t m = expr_any(e->args[0]);
        emit(Opcode::MAPLEN, dst, m);
        return true;
    }
    if (b == Builtin::Clear) {
        uint32_t m = expr_any(e->args[0]);
        emit(Opcode::MAPCLEAR, m);
        return true;
    }
    if (b == Builtin::Delete) {
        const Type* u = e->args[0]->type->underlying();
        uint32_t m = alloc(1 + slot_width(u->key));
        expr_to(e->args[0], m);
        coerce_to(e->args[1], u->key, m + 1);
        set_line(e->pos);
        emit(Opcode::MAPDEL, 0, m, m_pc.rt_type(u));
        return true;
    }
    return false;
}

void FunctionCompiler::map_literal_to(CompositeLit* e, uint32_t dst) {
    uint32_t mark = m_top;
    const Type* u = e->type->underlying();
    uint32_t type = m_pc.rt_type(u);
    uint32_t m = alloc(1 + slot_width(u->key));
    uint32_t hint = alloc(1);
    emit(Opcode::LOADI, hint, uint16_t(e->elements.size()), 0);
    set_line(e->pos);
    emit(Opcode::MAKEMAP, m, hint, type);
    uint32_t value = alloc(slot_width(u->elem));
    for (Expr* el : e->elements) {
        auto* kv = static_cast<KeyValueExpr*>(el);
        coerce_to(kv->key, u->key, m + 1);
        coerce_to(kv->value, u->elem, value);
        set_line(kv->pos);
        emit(Opcode::MAPSET, value, m, type);
    }
    emit(Opcode::MOVE, dst, m);
    m_top = mark;
}

// for k, v := range m: MAPNEXT fills a scratch key and value, or falls to the exit jump.
void FunctionCompiler::range_map(RangeStmt* s) {
    const Type* u = s->range->type->underlying();
    uint32_t kw = slot_width(u->key), vw = slot_width(u->elem);
    uint32_t m = alloc(1);
    expr_to(s->range, m);
    uint32_t it = alloc(4); // runtime/map.hpp's map_iterator_slots
    emit(Opcode::MAPITER, it, m);
    uint32_t entry = alloc(kw + vw);
    uint32_t top = here();
    emit(Opcode::MAPNEXT, it, m, entry);
    uint32_t exit = emit_jump(Opcode::JMP);
    auto bind = [&](Expr* target, Symbol* sym, uint32_t value) {
        if (!target) return;
        if (s->define) {
            if (sym && sym->name != "_") declare_local(sym, value, true);
        } else {
            store_to(target, value);
        }
    };
    bind(s->key, s->key_symbol, entry);
    bind(s->value, s->value_symbol, entry + kw);
    m_loops.push_back({s, {}, {}});
    block(s->body);
    Loop loop = std::move(m_loops.back());
    m_loops.pop_back();
    for (uint32_t j : loop.continues) patch_to(j, top);
    uint32_t back = emit_jump(Opcode::JMP);
    patch_to(back, top);
    patch(exit);
    for (uint32_t b : loop.breaks) patch(b);
}

} // namespace csp
