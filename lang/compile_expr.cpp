// Compiler, part 2: expressions into registers, with opcodes chosen by operand type.
#include "lang/compiler_internal.hpp"
#include "lang/parser.hpp"

#include <cstring>

namespace csp {

namespace {

bool is_signed_int(const Type* t) { return t->is_integer() && !t->is_unsigned(); }

Expr* unparen(Expr* e) {
    while (e->kind == ExprKind::Paren) e = static_cast<ParenExpr*>(e)->inner;
    return e;
}

} // namespace

void FunctionCompiler::load_constant(const Constant& v, const Type* t, uint32_t dst) {
    Slot s;
    s.u = 0;
    if (t->is_string() || v.kind() == Constant::Kind::String) {
        const std::string& str = v.as_string();
        Slot p, n;
        p.s = str.empty() ? nullptr : m_pc.m_program.intern(str);
        n.i = int64_t(str.size());
        uint32_t k = uint32_t(m_fn.constants.size());
        m_fn.constants.push_back(p);
        m_fn.constants.push_back(n);
        emit(Opcode::LOADK2, dst, k);
        return;
    }
    if (v.kind() == Constant::Kind::Bool) {
        emit(Opcode::LOADI, dst, v.as_bool() ? 1 : 0, 0);
        return;
    }
    if (t->is_float()) {
        bool f32 = t->underlying()->basic == BasicKind::Float32;
        auto d = v.double_value(f32 ? 24 : 53, f32 ? -126 : -1022, f32 ? 127 : 1023);
        s.f = d ? *d : 0;
        emit(Opcode::LOADK, dst, constant(s));
        return;
    }
    int64_t i = t->is_unsigned() ? int64_t(v.uint64_value()) : v.int64_value();
    if (i >= INT32_MIN && i <= INT32_MAX) {
        Instr in = Instr::make_sbx(Opcode::LOADI, uint16_t(dst), int32_t(i));
        emit(in.op, in.a, in.b, in.c);
        return;
    }
    s.i = i;
    emit(Opcode::LOADK, dst, constant(s));
}

void FunctionCompiler::load_var(Symbol* s, uint32_t dst) {
    load_place(variable_place(s), dst, slot_width(s->type));
}

void FunctionCompiler::store_var(Symbol* s, uint32_t src) {
    store_place(variable_place(s), src, slot_width(s->type));
}

// A register holding e: a register variable's own, or a fresh temporary.
uint32_t FunctionCompiler::expr_any(Expr* e) {
    if (auto pre = m_preloaded.find(e); pre != m_preloaded.end()) return pre->second;
    RaceContext race(*this, e);
    Expr* inner = unparen(e);
    if (e->mode != Mode::Constant)
        if (std::optional<uint32_t> own = register_of(inner)) return *own; // a local or its field
    if (inner->kind == ExprKind::Name && inner->mode == Mode::Variable) {
        Symbol* s = static_cast<NameExpr*>(inner)->symbol;
        auto it = m_storage.find(s);
        if (s && !s->global && it != m_storage.end() && it->second.kind == Storage::Register)
            return it->second.index;
    }
    if (inner->kind == ExprKind::Call && static_cast<CallExpr*>(inner)->call_kind == CallKind::Function)
        return call(static_cast<CallExpr*>(inner)); // results stay where the callee left them
    if (std::optional<uint32_t> r = element_register(inner)) return *r; // a[2] of a register array
    uint32_t r = alloc(slot_width(e->type));
    expr_to(e, r);
    return r;
}

// Stores e into dst converted to `target`: boxes concrete values into interfaces.
void FunctionCompiler::coerce_to(Expr* e, const Type* target, uint32_t dst) {
    if (target && target->is_interface() && !e->type->is_interface()) {
        uint32_t mark = m_top;
        if (e->type->is_basic(BasicKind::UntypedNil)) {
            emit(Opcode::LOADNIL, dst, 0, 2);
            return;
        }
        uint32_t r = expr_any(e);
        uint32_t t = m_pc.rt_type(e->type);
        emit(slot_width(e->type) == 1 ? Opcode::BOX : Opcode::BOXN, dst, r, t);
        m_top = std::max(mark, std::max(m_top, mark));
        m_top = mark;
        return;
    }
    expr_to(e, dst);
}

void FunctionCompiler::expr_to(Expr* e, uint32_t dst) {
    if (auto pre = m_preloaded.find(e); pre != m_preloaded.end()) {
        move_slots(dst, pre->second, slot_width(e->type));
        return;
    }
    RaceContext race(*this, e);
    set_line(e->pos);
    if (e->mode == Mode::Constant) {
        load_constant(e->value, e->type, dst);
        return;
    }
    switch (e->kind) {
    case ExprKind::Paren: expr_to(static_cast<ParenExpr*>(e)->inner, dst); return;
    case ExprKind::Name: {
        auto* n = static_cast<NameExpr*>(e);
        Symbol* s = n->symbol;
        if (s->kind == SymbolKind::Func) {
            emit(Opcode::LOADF, dst, uint32_t(s->function->index));
            return;
        }
        if (s->kind == SymbolKind::Nil) {
            emit(Opcode::LOADNIL, dst, 0, slot_width(e->type));
            return;
        }
        load_var(s, dst);
        return;
    }
    case ExprKind::Selector: selector_to(static_cast<SelectorExpr*>(e), dst); return;
    case ExprKind::CompositeLit: composite_to(static_cast<CompositeLit*>(e), dst); return;
    case ExprKind::Star: {
        uint32_t mark = m_top;
        uint32_t p = expr_any(static_cast<StarExpr*>(e)->operand);
        set_line(e->pos);
        load_place({FieldPlace::Pointer, p, 0, e->type}, dst);
        m_top = mark;
        return;
    }
    case ExprKind::Binary: binary_to(static_cast<BinaryExpr*>(e), dst); return;
    case ExprKind::Unary: unary_to(static_cast<UnaryExpr*>(e), dst); return;
    case ExprKind::Call: call_to(static_cast<CallExpr*>(e), dst, slot_width(e->type)); return;
    case ExprKind::FuncLit: closure_to(static_cast<FuncLit*>(e), dst); return;
    case ExprKind::TypeAssert: type_assert_to(static_cast<TypeAssertExpr*>(e), dst); return;
    case ExprKind::Slice: slice_to(static_cast<SliceExpr*>(e), dst); return;
    case ExprKind::Index: {
        auto* ix = static_cast<IndexExpr*>(e);
        if (is_map_index(ix)) {
            map_index_to(ix, dst);
            return;
        }
        if (!ix->base->type->is_string()) {
            index_to(ix, dst);
            return;
        }
        uint32_t mark = m_top;
        uint32_t s = expr_any(ix->base);
        uint32_t i = expr_any(ix->index);
        set_line(e->pos);
        emit(Opcode::SINDEX, dst, s, i);
        m_top = mark;
        return;
    }
    default: throw std::runtime_error("internal error: cannot compile " + expr_string(e));
    }
}

// Keeps narrow integer types normalised, and float32 rounded, after arithmetic.
void FunctionCompiler::normalize(const Type* t, uint32_t reg) {
    const Type* u = t->underlying();
    if (u->cls != TypeClass::Basic) return;
    switch (u->basic) {
    case BasicKind::Int8: emit(Opcode::SEXT8, reg, reg); break;
    case BasicKind::Int16: emit(Opcode::SEXT16, reg, reg); break;
    case BasicKind::Int32: emit(Opcode::SEXT32, reg, reg); break;
    case BasicKind::Uint8: emit(Opcode::ZEXT8, reg, reg); break;
    case BasicKind::Uint16: emit(Opcode::ZEXT16, reg, reg); break;
    case BasicKind::Uint32: emit(Opcode::ZEXT32, reg, reg); break;
    case BasicKind::Float32: emit(Opcode::FROUND32, reg, reg); break;
    default: break;
    }
}

void FunctionCompiler::unary_to(UnaryExpr* e, uint32_t dst) {
    if (e->op == Op::Addr) {
        address_to(e, dst);
        return;
    }
    if (e->op == Op::Arrow) return receive_to(e, dst);
    uint32_t mark = m_top;
    uint32_t r = expr_any(e->operand);
    const Type* t = e->type;
    switch (e->op) {
    case Op::Not: emit(Opcode::NOT, dst, r); break;
    case Op::Sub: emit(t->is_float() ? Opcode::FNEG : Opcode::NEG, dst, r); break;
    case Op::Xor: emit(Opcode::BITNOT, dst, r); break;
    default: if (dst != r) emit(Opcode::MOVE, dst, r); break;
    }
    if (e->op != Op::Not) normalize(t, dst);
    m_top = mark;
}

void FunctionCompiler::binary_to(BinaryExpr* e, uint32_t dst) {
    if (e->op == Op::LogAnd || e->op == Op::LogOr || (e->op >= Op::Eq && e->op <= Op::Ge)) {
        if (e->op == Op::LogAnd || e->op == Op::LogOr) {
            // dst := left; if dst is decisive skip right
            expr_to(e->left, dst);
            uint32_t j = emit_jump(e->op == Op::LogAnd ? Opcode::JMPIFNOT : Opcode::JMPIF, dst);
            expr_to(e->right, dst);
            patch(j);
            return;
        }
        uint32_t mark = m_top;
        const Type* t = e->left->type;
        if ((e->op == Op::Eq || e->op == Op::Ne) && equality_to(e, dst)) {
            m_top = mark;
            return;
        }
        uint32_t l = expr_any(e->left);
        uint32_t r = expr_any(e->right);
        set_line(e->op_pos);
        Op op = e->op;
        if (op == Op::Gt || op == Op::Ge) {
            std::swap(l, r);
            op = op == Op::Gt ? Op::Lt : Op::Le;
        }
        Opcode code;
        bool str = t->is_string(), flt = t->is_float(), uns = t->is_unsigned();
        switch (op) {
        case Op::Eq: code = str ? Opcode::SEQ : flt ? Opcode::FEQ : Opcode::EQ; break;
        case Op::Ne: code = str ? Opcode::SNE : flt ? Opcode::FNE : Opcode::NE; break;
        case Op::Lt: code = str ? Opcode::SLT : flt ? Opcode::FLT : uns ? Opcode::LTU : Opcode::LT; break;
        default: code = str ? Opcode::SLE : flt ? Opcode::FLE : uns ? Opcode::LEU : Opcode::LE; break;
        }
        if (t->is_interface() || t->is_basic(BasicKind::UntypedNil)) {
            // comparison with nil: the type word decides
            code = op == Op::Eq ? Opcode::EQ : Opcode::NE;
        }
        emit(code, dst, l, r);
        m_top = mark;
        return;
    }
    uint32_t mark = m_top;
    const Type* t = e->type;
    uint32_t l = expr_any(e->left);
    Expr* right = e->right;
    set_line(e->op_pos);
    // Immediate forms for the hot paths: x + k, x & k, x ^ k ...
    if (right->mode == Mode::Constant && t->is_integer() && !t->is_float()) {
        int64_t k = t->is_unsigned() ? int64_t(right->value.uint64_value()) : right->value.int64_value();
        if ((e->op == Op::Add || e->op == Op::Sub) && k >= -32767 && k <= 32767) {
            emit(Opcode::ADDI, dst, l, uint16_t(int16_t(e->op == Op::Add ? k : -k)));
            normalize(t, dst);
            m_top = mark;
            return;
        }
        Opcode kop = Opcode::NOP;
        switch (e->op) {
        case Op::Add: kop = Opcode::ADDK; break;
        case Op::Sub: kop = Opcode::SUBK; break;
        case Op::Mul: kop = Opcode::MULK; break;
        case Op::And: kop = Opcode::ANDK; break;
        case Op::Or: kop = Opcode::ORK; break;
        case Op::Xor: kop = Opcode::XORK; break;
        default: break;
        }
        if (kop != Opcode::NOP) {
            emit(kop, dst, l, constant_int(k));
            normalize(t, dst);
            m_top = mark;
            return;
        }
    }
    uint32_t r = expr_any(right);
    set_line(e->op_pos);
    if (t->is_string()) {
        emit(Opcode::CONCAT, dst, l, r);
        m_top = mark;
        return;
    }
    if (t->is_float()) {
        Opcode code = e->op == Op::Add ? Opcode::FADD : e->op == Op::Sub ? Opcode::FSUB
                    : e->op == Op::Mul ? Opcode::FMUL : Opcode::FDIV;
        emit(code, dst, l, r);
        normalize(t, dst);
        m_top = mark;
        return;
    }
    bool uns = t->is_unsigned();
    Opcode code;
    switch (e->op) {
    case Op::Add: code = Opcode::ADD; break;
    case Op::Sub: code = Opcode::SUB; break;
    case Op::Mul: code = Opcode::MUL; break;
    case Op::Div: code = uns ? Opcode::DIVU : Opcode::DIV; break;
    case Op::Rem: code = uns ? Opcode::REMU : Opcode::REM; break;
    case Op::And: code = Opcode::AND; break;
    case Op::Or: code = Opcode::OR; break;
    case Op::Xor: code = Opcode::XOR; break;
    case Op::AndNot: code = Opcode::ANDNOT; break;
    case Op::Shl: code = Opcode::SHL; break;
    default: code = uns ? Opcode::SHRU : Opcode::SHR; break;
    }
    if ((e->op == Op::Shl || e->op == Op::Shr) && is_signed_int(right->type) &&
        right->mode != Mode::Constant)
        emit(Opcode::CHKSHIFT, r);
    emit(code, dst, l, r);
    normalize(t, dst);
    m_top = mark;
}

// Conditional jumps; fused compare-and-branch for integer comparisons.
void FunctionCompiler::jump_if(Expr* e, bool when, std::vector<uint32_t>& jumps) {
    e = unparen(e);
    if (e->kind == ExprKind::Unary && static_cast<UnaryExpr*>(e)->op == Op::Not && e->mode != Mode::Constant) {
        jump_if(static_cast<UnaryExpr*>(e)->operand, !when, jumps);
        return;
    }
    if (e->kind == ExprKind::Binary && e->mode != Mode::Constant) {
        auto* b = static_cast<BinaryExpr*>(e);
        if ((b->op == Op::LogAnd && !when) || (b->op == Op::LogOr && when)) {
            jump_if(b->left, when, jumps);
            jump_if(b->right, when, jumps);
            return;
        }
        if (b->op == Op::LogAnd || b->op == Op::LogOr) { // && when true, || when false
            std::vector<uint32_t> skip;
            jump_if(b->left, !when, skip);
            jump_if(b->right, when, jumps);
            for (uint32_t j : skip) patch(j);
            return;
        }
        const Type* t = b->left->type;
        bool cmp = b->op >= Op::Eq && b->op <= Op::Ge;
        if (cmp && t->is_integer() && !t->is_untyped() && !t->is_interface()) {
            uint32_t mark = m_top;
            Op op = b->op;
            if (!when) { // negate the comparison (exact for integers)
                static const Op negated[] = {Op::Ne, Op::Eq, Op::Ge, Op::Gt, Op::Le, Op::Lt};
                op = negated[size_t(op) - size_t(Op::Eq)];
            }
            uint32_t l = expr_any(b->left);
            set_line(b->op_pos);
            bool uns = t->is_unsigned();
            if (b->right->mode == Mode::Constant && !uns) {
                uint32_t k = constant_int(b->right->value.int64_value());
                static const Opcode kops[] = {Opcode::JEQK, Opcode::JNEK, Opcode::JLTK,
                                              Opcode::JLEK, Opcode::JGTK, Opcode::JGEK};
                jumps.push_back(emit_branch(kops[size_t(op) - size_t(Op::Eq)], l, k));
                m_top = mark;
                return;
            }
            uint32_t r = expr_any(b->right);
            set_line(b->op_pos);
            if (op == Op::Gt || op == Op::Ge) {
                std::swap(l, r);
                op = op == Op::Gt ? Op::Lt : Op::Le;
            }
            Opcode code = op == Op::Eq ? Opcode::JEQ : op == Op::Ne ? Opcode::JNE
                        : op == Op::Lt ? (uns ? Opcode::JLTU : Opcode::JLT)
                                       : (uns ? Opcode::JLEU : Opcode::JLE);
            jumps.push_back(emit_branch(code, l, r));
            m_top = mark;
            return;
        }
    }
    uint32_t mark = m_top;
    uint32_t r = expr_any(e);
    jumps.push_back(emit_jump(when ? Opcode::JMPIF : Opcode::JMPIFNOT, r));
    m_top = mark;
}

void FunctionCompiler::closure_to(FuncLit* e, uint32_t dst) {
    FunctionInfo* fn = e->info;
    emit(Opcode::CLOSURE, dst, uint32_t(fn->index), uint32_t(fn->captures.size()));
    for (Symbol* s : fn->captures) {
        Storage st = m_storage.at(s);
        emit(Opcode::CAPTURE, st.kind == Storage::Up ? 1 : 0, st.index);
    }
}

} // namespace csp
