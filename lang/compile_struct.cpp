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

void FunctionCompiler::move_slots(uint32_t dst, uint32_t src, uint32_t width) {
    if (dst == src || width == 0) return;
    if (width == 1) emit(Opcode::MOVE, dst, src);
    else if (width == 2) emit(Opcode::MOVE2, dst, src);
    else emit(Opcode::MOVEN, dst, src, width);
}

// ---- places ----------------------------------------------------------------------------

Place FunctionCompiler::var_place(Symbol* s, const Type* t) {
    if (s->global) return {Place::Global, m_pc.global_slot(s), 0, t};
    Storage st = m_storage.at(s);
    switch (st.kind) {
    case Storage::Cell: return {Place::Cell, st.index, 0, t};
    case Storage::Up: return {Place::Up, st.index, 0, t};
    default: return {Place::Register, st.index, 0, t};
    }
}

// A register holding the pointer at p: its own when p is in registers.
uint32_t FunctionCompiler::pointer_register(const Place& p) {
    if (p.kind == Place::Register) return p.index + p.offset;
    uint32_t r = alloc(1);
    load_place(p, r);
    return r;
}

// Down the embedded fields of `path` from the struct at p; an embedded pointer on the way
// is loaded into a register and followed.
Place FunctionCompiler::follow_path(Place p, const std::vector<uint32_t>& path) {
    for (size_t i = 0; i < path.size(); i++) {
        if (is_pointer(p.type)) p = {Place::Pointer, pointer_register(p), 0, p.type->underlying()->elem};
        const Type* s = p.type->underlying();
        p.offset += field_offset(s, path[i]);
        p.type = s->fields[path[i]].type;
    }
    return p;
}

// Where e's value is. Variables and what they contain are used where they are; values
// behind pointers through the pointer; anything else is computed into a temporary.
Place FunctionCompiler::place_of(Expr* e) {
    e = unparen(e);
    if (e->kind == ExprKind::Name && e->mode == Mode::Variable)
        return var_place(static_cast<NameExpr*>(e)->symbol, e->type);
    if (e->kind == ExprKind::Selector && static_cast<SelectorExpr*>(e)->selection == Selection::Field) {
        auto* sel = static_cast<SelectorExpr*>(e);
        Place base;
        if (is_pointer(sel->base->type)) // p.f is (*p).f
            base = {Place::Pointer, expr_any(sel->base), 0, sel->base->type->underlying()->elem};
        else
            base = place_of(sel->base);
        return follow_path(base, sel->path);
    }
    if (e->kind == ExprKind::Star)
        return {Place::Pointer, expr_any(static_cast<StarExpr*>(e)->operand), 0, e->type};
    uint32_t r = alloc(slot_width(e->type));
    expr_to(e, r);
    return {Place::Register, r, 0, e->type};
}

void FunctionCompiler::load_place(const Place& p, uint32_t dst) {
    uint32_t w = slot_width(p.type);
    switch (p.kind) {
    case Place::Register: move_slots(dst, p.index + p.offset, w); return;
    case Place::Cell:
        for (uint32_t k = 0; k < w; k++) emit(Opcode::LOADCELL, dst + k, p.index, p.offset + k);
        return;
    case Place::Up:
        for (uint32_t k = 0; k < w; k++) emit(Opcode::LOADUP, dst + k, p.index, p.offset + k);
        return;
    case Place::Global:
        for (uint32_t k = 0; k < w; k++) emit(Opcode::LOADG, dst + k, p.index + p.offset + k);
        return;
    case Place::Pointer:
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

void FunctionCompiler::store_place(const Place& p, uint32_t src) {
    uint32_t w = slot_width(p.type);
    switch (p.kind) {
    case Place::Register: move_slots(p.index + p.offset, src, w); return;
    case Place::Cell:
        for (uint32_t k = 0; k < w; k++) emit(Opcode::STORECELL, src + k, p.index, p.offset + k);
        return;
    case Place::Up:
        for (uint32_t k = 0; k < w; k++) emit(Opcode::STOREUP, src + k, p.index, p.offset + k);
        return;
    case Place::Global:
        for (uint32_t k = 0; k < w; k++) emit(Opcode::STOREG, src + k, p.index + p.offset + k);
        return;
    case Place::Pointer:
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
void FunctionCompiler::address_of_place(const Place& p, uint32_t dst) {
    switch (p.kind) {
    case Place::Cell:
        if (p.offset == 0) emit(Opcode::MOVE, dst, p.index);
        else emit(Opcode::ADDP, dst, p.index, p.offset);
        return;
    case Place::Up:
        emit(Opcode::UPADDR, dst, p.index);
        if (p.offset != 0) emit(Opcode::ADDP, dst, dst, p.offset);
        return;
    case Place::Global: emit(Opcode::GADDR, dst, p.index + p.offset); return;
    case Place::Pointer: emit(Opcode::ADDP, dst, p.index, p.offset); return; // nil-checked
    case Place::Register: break;
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
        Place p = place_of(e);
        set_line(e->field_pos);
        load_place(p, dst);
        break;
    }
    case Selection::MethodValue: method_value_to(e, dst); break;
    case Selection::MethodExpr: emit(Opcode::LOADF, dst, m_pc.method_expression(e)); break;
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
    Place p = is_pointer(base->type) && !e->path.empty()
                  ? Place{Place::Pointer, expr_any(base), 0, base->type->underlying()->elem}
                  : place_of(base);
    p = follow_path(p, e->path);
    set_line(e->field_pos);
    if (is_pointer(p.type) && !wants_pointer) {
        load_place({Place::Pointer, pointer_register(p), 0, p.type->underlying()->elem}, dst);
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

// T{...} into dst; an elided &T{...} (element of an enclosing literal) is allocated.
void FunctionCompiler::composite_to(CompositeLit* e, uint32_t dst) {
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
        struct_literal_to(static_cast<CompositeLit*>(x), value);
        set_line(e->pos);
        emit(Opcode::NEWCELL, dst, w);
        emit(Opcode::STOREPN, value, dst, w);
    } else {
        Place p = place_of(x);
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
    equal_to(t, l, r, dst);
    if (e->op == Op::Ne) emit(Opcode::NOT, dst, dst);
    m_top = mark;
    return true;
}

// dst := (left == right) for values of type t in registers: strings, floats and
// interfaces by their own rules, structs and arrays element by element, stopping at the
// first difference.
void FunctionCompiler::equal_to(const Type* t, uint32_t left, uint32_t right, uint32_t dst) {
    std::vector<uint32_t> exits;
    equal_leaves(t, left, right, dst, exits);
    // The last comparison's jump would land where it is: drop it.
    if (!exits.empty() && exits.back() == here() - 1) {
        exits.pop_back();
        m_fn.code.pop_back();
        m_fn.lines.pop_back();
    }
    for (uint32_t j : exits) patch(j);
}

void FunctionCompiler::equal_leaves(const Type* t, uint32_t left, uint32_t right, uint32_t dst,
                                    std::vector<uint32_t>& exits) {
    const Type* u = t->underlying();
    if (u->cls == TypeClass::Struct || u->cls == TypeClass::Array) {
        size_t count = u->cls == TypeClass::Struct ? u->fields.size() : size_t(u->length);
        size_t before = exits.size();
        for (size_t i = 0; i < count; i++) {
            const Type* ft = u->cls == TypeClass::Struct ? u->fields[i].type : u->elem;
            uint32_t off = u->cls == TypeClass::Struct ? field_offset(u, uint32_t(i))
                                                       : uint32_t(i) * slot_width(u->elem);
            equal_leaves(ft, left + off, right + off, dst, exits);
        }
        if (exits.size() == before) { // no fields: always equal
            emit(Opcode::LOADI, dst, 1, 0);
            exits.push_back(emit_jump(Opcode::JMPIFNOT, dst));
        }
        return;
    }
    Opcode op = t->is_string() ? Opcode::SEQ : t->is_float() ? Opcode::FEQ
              : t->is_interface() ? Opcode::IEQ : Opcode::EQ;
    emit(op, dst, left, right);
    exits.push_back(emit_jump(Opcode::JMPIFNOT, dst));
}

} // namespace csp
