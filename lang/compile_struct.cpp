// Compiler, part 5: places (where a variable, field or pointer target lives) with their
// loads, stores and addresses; field selectors, method receivers, method values, struct
// literals, & and *, and equality of structs and interfaces.
#include "lang/compiler_internal.hpp"

namespace csp {

namespace {

Expr* unparen(Expr* e) {
    while (e->kind == ExprKind::Paren) e = static_cast<ParenExpr*>(e)->inner;
    return e;
}

bool is_pointer(const Type* t) { return t->underlying()->cls == TypeClass::Pointer; }

} // namespace

// ---- places ----------------------------------------------------------------------------

FieldPlace FunctionCompiler::var_place(Symbol* s, const Type* t) {
    if (s->global) return {FieldPlace::Global, m_pc.global_slot(s), 0, t};
    Storage st = m_storage.at(s);
    switch (st.kind) {
    case Storage::Cell: return {FieldPlace::Cell, st.index, 0, t};
    case Storage::Up: return {FieldPlace::Up, st.index, 0, t};
    default: return {FieldPlace::Register, st.index, 0, t};
    }
}

// A register holding the pointer at p: its own when p is in registers.
uint32_t FunctionCompiler::pointer_register(const FieldPlace& p) {
    if (p.kind == FieldPlace::Register) return p.index + p.offset;
    uint32_t r = alloc(1);
    load_place(p, r);
    return r;
}

// Down the embedded fields of `path` from the struct at p; an embedded pointer on the way
// is loaded into a register and followed.
FieldPlace FunctionCompiler::follow_path(FieldPlace p, const std::vector<uint32_t>& path) {
    for (size_t i = 0; i < path.size(); i++) {
        if (is_pointer(p.type)) p = {FieldPlace::Pointer, pointer_register(p), 0, p.type->underlying()->elem};
        const Type* s = p.type->underlying();
        p.offset += field_offset(s, path[i]);
        p.type = s->fields[path[i]].type;
    }
    return p;
}

// Where e's value is. Variables and what they contain are used where they are; values
// behind pointers through the pointer; anything else is computed into a temporary.
FieldPlace FunctionCompiler::place_of(Expr* e) {
    e = unparen(e);
    if (e->kind == ExprKind::Name && e->mode == Mode::Variable)
        return var_place(static_cast<NameExpr*>(e)->symbol, e->type);
    if (e->kind == ExprKind::Selector && static_cast<SelectorExpr*>(e)->selection == Selection::Field) {
        auto* sel = static_cast<SelectorExpr*>(e);
        FieldPlace base;
        if (is_pointer(sel->base->type)) // p.f is (*p).f
            base = {FieldPlace::Pointer, expr_any(sel->base), 0, sel->base->type->underlying()->elem};
        else
            base = place_of(sel->base);
        return follow_path(base, sel->path);
    }
    if (e->kind == ExprKind::Star)
        return {FieldPlace::Pointer, expr_any(static_cast<StarExpr*>(e)->operand), 0, e->type};
    if (is_element(e)) return element_field_place(e);
    uint32_t r = alloc(slot_width(e->type));
    expr_to(e, r);
    return {FieldPlace::Register, r, 0, e->type};
}

// An element a[i] or s[i] (bounds checked now) as a FieldPlace, for its fields and its
// address: memory places become pointers (an address is a Slot*).
FieldPlace FunctionCompiler::element_field_place(Expr* e) {
    Access a = prepare_access(e);
    Place p = resolve_access(a, a.steps.size());
    switch (p.kind) {
    case Place::Register: return {FieldPlace::Register, p.base, p.offset, e->type};
    case Place::Indexed: return {FieldPlace::Indexed, p.base, p.offset, e->type, p.index};
    case Place::Memory: return {FieldPlace::Pointer, p.base, p.offset, e->type};
    case Place::Global: return {FieldPlace::Global, p.base, p.offset, e->type};
    case Place::Up: return {FieldPlace::Up, p.base, p.offset, e->type};
    }
    throw std::runtime_error("internal error: element place");
}

// The root of an element access x.f[i] or (*p)[i] as a Place; a pointer is nil-checked
// (ADDP) before memory opcodes read through it.
Place FunctionCompiler::element_root(const FieldPlace& p) {
    switch (p.kind) {
    case FieldPlace::Register: return {Place::Register, p.index, p.offset};
    case FieldPlace::Cell: return {Place::Memory, p.index, p.offset};
    case FieldPlace::Up: return {Place::Up, p.index, p.offset};
    case FieldPlace::Global: return {Place::Global, p.index, p.offset};
    case FieldPlace::Indexed: return {Place::Indexed, p.index, p.offset, p.dynamic};
    case FieldPlace::Pointer: {
        uint32_t r = alloc(1);
        emit(Opcode::ADDP, r, p.index, p.offset);
        return {Place::Memory, r, 0};
    }
    }
    throw std::runtime_error("internal error: element root");
}

void FunctionCompiler::load_place(const FieldPlace& p, uint32_t dst) {
    uint32_t w = slot_width(p.type);
    switch (p.kind) {
    case FieldPlace::Register: move_slots(dst, p.index + p.offset, w); return;
    case FieldPlace::Indexed:
        for (uint32_t k = 0; k < w; k++) emit(Opcode::LOADX, dst + k, p.index + p.offset + k, p.dynamic);
        return;
    case FieldPlace::Cell:
        for (uint32_t k = 0; k < w; k++) emit(Opcode::LOADCELL, dst + k, p.index, p.offset + k);
        return;
    case FieldPlace::Up:
        for (uint32_t k = 0; k < w; k++) emit(Opcode::LOADUP, dst + k, p.index, p.offset + k);
        return;
    case FieldPlace::Global:
        for (uint32_t k = 0; k < w; k++) emit(Opcode::LOADG, dst + k, p.index + p.offset + k);
        return;
    case FieldPlace::Pointer:
        if (w == 1 || (w == 2 && p.offset != 0)) {
            for (uint32_t k = 0; k < w; k++) emit(Opcode::LOADP, dst + k, p.index, p.offset + k);
        } else if (p.offset == 0) {
            emit(Opcode::LOADPN, dst, p.index, w);
        } else {
            uint32_t mark = m_top;
            uint32_t r = alloc(1);
            emit(Opcode::ADDP, r, p.index, p.offset);
            emit(Opcode::LOADPN, dst, r, w);
            m_top = mark;
        }
        return;
    }
}

void FunctionCompiler::store_place(const FieldPlace& p, uint32_t src) {
    uint32_t w = slot_width(p.type);
    switch (p.kind) {
    case FieldPlace::Register: move_slots(p.index + p.offset, src, w); return;
    case FieldPlace::Indexed:
        for (uint32_t k = 0; k < w; k++) emit(Opcode::STOREX, src + k, p.index + p.offset + k, p.dynamic);
        return;
    case FieldPlace::Cell:
        for (uint32_t k = 0; k < w; k++) emit(Opcode::STORECELL, src + k, p.index, p.offset + k);
        return;
    case FieldPlace::Up:
        for (uint32_t k = 0; k < w; k++) emit(Opcode::STOREUP, src + k, p.index, p.offset + k);
        return;
    case FieldPlace::Global:
        for (uint32_t k = 0; k < w; k++) emit(Opcode::STOREG, src + k, p.index + p.offset + k);
        return;
    case FieldPlace::Pointer:
        if (w == 1 || (w == 2 && p.offset != 0)) {
            for (uint32_t k = 0; k < w; k++) emit(Opcode::STOREP, src + k, p.index, p.offset + k);
        } else if (p.offset == 0) {
            emit(Opcode::STOREPN, src, p.index, w);
        } else {
            uint32_t mark = m_top;
            uint32_t r = alloc(1);
            emit(Opcode::ADDP, r, p.index, p.offset);
            emit(Opcode::STOREPN, src, r, w);
            m_top = mark;
        }
        return;
    }
}

// &place. Addressable variables live in cells (the checker marks them), so a register
// place here is a compiler bug.
void FunctionCompiler::address_of_place(const FieldPlace& p, uint32_t dst) {
    switch (p.kind) {
    case FieldPlace::Cell:
        if (p.offset == 0) emit(Opcode::MOVE, dst, p.index);
        else emit(Opcode::ADDP, dst, p.index, p.offset);
        return;
    case FieldPlace::Up:
        emit(Opcode::UPADDR, dst, p.index);
        if (p.offset != 0) emit(Opcode::ADDP, dst, dst, p.offset);
        return;
    case FieldPlace::Global: emit(Opcode::GADDR, dst, p.index + p.offset); return;
    case FieldPlace::Pointer: emit(Opcode::ADDP, dst, p.index, p.offset); return; // nil-checked
    case FieldPlace::Register: case FieldPlace::Indexed: break;
    }
    throw std::runtime_error("internal error: address of a value in registers");
}

// ---- selectors and methods -------------------------------------------------------------

void FunctionCompiler::selector_to(SelectorExpr* e, uint32_t dst) {
    uint32_t mark = m_top;
    switch (e->selection) {
    case Selection::Qualified:
        if (e->symbol->kind == SymbolKind::Func) emit(Opcode::LOADF, dst, uint32_t(e->symbol->function->index));
        else load_var(e->symbol, dst);
        return;
    case Selection::Field: {
        FieldPlace p = place_of(e);
        set_line(e->field_pos);
        load_place(p, dst);
        break;
    }
    case Selection::MethodValue: method_value_to(e, dst); break;
    case Selection::MethodExpr: emit(Opcode::LOADF, dst, m_pc.method_expression(e)); break;
    case Selection::InterfaceMethod: interface_method_value_to(e, dst); break;
    case Selection::InterfaceMethodExpr: emit(Opcode::LOADF, dst, interface_method_expression(e)); break;
    case Selection::PromotedMethodExpr: emit(Opcode::LOADF, dst, m_pc.promoted_method_expression(e)); break;
    }
    m_top = mark;
}

// The receiver of a call or method value x.m, as m's receiver parameter wants it: the
// value at the end of x's embedding path, its address (x.m() is (&x).m() for pointer
// methods), or the value a pointer there points to (p.m() is (*p).m() for value methods).
void FunctionCompiler::receiver_to(SelectorExpr* e, uint32_t dst) {
    uint32_t mark = m_top;
    bool wants_pointer = is_pointer(e->symbol->function->params[0]->type);
    Expr* base = e->base;
    if (e->path.empty() && !wants_pointer && !is_pointer(base->type)) {
        expr_to(base, dst); // a copy of the value itself
        m_top = mark;
        return;
    }
    if (e->path.empty() && wants_pointer && is_pointer(base->type)) {
        expr_to(base, dst);
        m_top = mark;
        return;
    }
    FieldPlace p = is_pointer(base->type) && !e->path.empty()
                  ? FieldPlace{FieldPlace::Pointer, expr_any(base), 0, base->type->underlying()->elem}
                  : place_of(base);
    p = follow_path(p, e->path);
    set_line(e->field_pos);
    if (is_pointer(p.type) && !wants_pointer) {
        load_place({FieldPlace::Pointer, pointer_register(p), 0, p.type->underlying()->elem}, dst);
    } else if (!is_pointer(p.type) && wants_pointer) {
        address_of_place(p, dst);
    } else {
        load_place(p, dst);
    }
    m_top = mark;
}

// x.m as a value: a closure of m's -fm wrapper whose one cell holds the receiver, bound
// now (a copy for value methods).
void FunctionCompiler::method_value_to(SelectorExpr* e, uint32_t dst) {
    FunctionInfo* method = e->symbol->function;
    uint32_t w = slot_width(method->params[0]->type);
    uint32_t mark = m_top;
    uint32_t cell = alloc(1);
    uint32_t value = alloc(w);
    receiver_to(e, value);
    emit(Opcode::NEWCELL, cell, w);
    for (uint32_t k = 0; k < w; k++) emit(Opcode::STORECELL, value + k, cell, k);
    emit(Opcode::CLOSURE, dst, m_pc.method_value_wrapper(method), 1);
    emit(Opcode::CAPTURE, 0, cell);
    m_top = mark;
}

// ---- literals and pointers ---------------------------------------------------------------

// T{...} of a struct type into dst; an elided &T{...} (element of an enclosing literal)
// is allocated. (composite_to in compile_slices.cpp dispatches here.)
void FunctionCompiler::struct_composite_to(CompositeLit* e, uint32_t dst) {
    if (!is_pointer(e->type)) {
        struct_literal_to(e, dst);
        return;
    }
    uint32_t mark = m_top;
    const Type* t = e->type->underlying()->elem;
    uint32_t w = slot_width(t);
    uint32_t value = alloc(w);
    struct_literal_to(e, value);
    emit(Opcode::NEWCELL, dst, w);
    emit(Opcode::STOREPN, value, dst, w);
    m_top = mark;
}

void FunctionCompiler::struct_literal_to(CompositeLit* e, uint32_t dst) {
    const Type* t = is_pointer(e->type) ? e->type->underlying()->elem : e->type;
    const Type* s = t->underlying();
    bool keyed = !e->elements.empty() && e->elements[0]->kind == ExprKind::KeyValue;
    if (keyed || e->elements.size() < s->fields.size()) emit(Opcode::LOADNIL, dst, 0, slot_width(t));
    for (size_t i = 0; i < e->elements.size(); i++) {
        Expr* value = e->elements[i];
        uint32_t index = uint32_t(i);
        if (keyed) {
            auto* kv = static_cast<KeyValueExpr*>(value);
            const std::string& name = static_cast<NameExpr*>(kv->key)->name;
            index = 0;
            while (s->fields[index].name != name) index++;
            value = kv->value;
        }
        uint32_t mark = m_top;
        coerce_to(value, s->fields[index].type, dst + field_offset(s, index));
        m_top = mark;
    }
}

// &x: the address of a variable, a field or a pointer's target; &T{...} allocates.
void FunctionCompiler::address_to(UnaryExpr* e, uint32_t dst) {
    uint32_t mark = m_top;
    Expr* x = unparen(e->operand);
    if (x->kind == ExprKind::CompositeLit) {
        uint32_t w = slot_width(x->type);
        uint32_t value = alloc(w);
        composite_to(static_cast<CompositeLit*>(x), value);
        set_line(e->pos);
        emit(Opcode::NEWCELL, dst, w);
        emit(Opcode::STOREPN, value, dst, w);
    } else {
        FieldPlace p = place_of(x);
        set_line(e->pos);
        address_of_place(p, dst);
    }
    m_top = mark;
}

// ---- equality ----------------------------------------------------------------------------

// == and != of structs, arrays and interfaces (a concrete operand compared with an
// interface is boxed first). False, emitting nothing, for other operands and nil.
bool FunctionCompiler::equality_to(BinaryExpr* e, uint32_t dst) {
    const Type* left = e->left->type;
    const Type* right = e->right->type;
    if (left->is_basic(BasicKind::UntypedNil) || right->is_basic(BasicKind::UntypedNil)) return false;
    const Type* t = right->is_interface() ? right : left;
    TypeClass c = t->underlying()->cls;
    if (c != TypeClass::Struct && c != TypeClass::Array && c != TypeClass::Interface) return false;
    uint32_t mark = m_top;
    uint32_t l, r;
    if (left->is_interface() != right->is_interface()) {
        l = alloc(2);
        coerce_to(e->left, t, l);
        r = alloc(2);
        coerce_to(e->right, t, r);
    } else {
        l = expr_any(e->left);
        r = expr_any(e->right);
    }
    set_line(e->op_pos);
    emit_equal(t, dst, l, r);
    if (e->op == Op::Ne) emit(Opcode::NOT, dst, dst);
    m_top = mark;
    return true;
}

} // namespace csp
