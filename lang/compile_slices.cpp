// Compiler, part 5: arrays and slices. Places (where an operand's slots are: registers,
// memory through an address, globals, a closure's cell), element accesses a[i][j] read
// and written through them with Go's bounds checks, composite literals, slicing, the
// builtins on slices, string conversions and range loops over slices and arrays.
#include "lang/compiler_internal.hpp"

namespace csp {

namespace {

Expr* unparen(Expr* e) {
    while (e->kind == ExprKind::Paren) e = static_cast<ParenExpr*>(e)->inner;
    return e;
}

bool is_array(const Type* t) { return t && t->underlying()->cls == TypeClass::Array; }
bool is_slice(const Type* t) { return t && t->underlying()->cls == TypeClass::Slice; }
// pa[i] indexes the array pa points to.
bool is_array_pointer(const Type* t) {
    return t && t->underlying()->cls == TypeClass::Pointer && is_array(t->underlying()->elem);
}

// LOADCELL/STORECELL and LOADG/STOREG take 16-bit slot numbers; wider values go through
// an address and LOADMEM/STOREMEM.
constexpr uint32_t max_slotwise = 4;

bool byte_elements(const Type* t) {
    const Type* elem = t->underlying()->elem->underlying();
    return elem->cls == TypeClass::Basic && elem->basic == BasicKind::Uint8;
}

} // namespace

// ---- places ---------------------------------------------------------------------------

void FunctionCompiler::move_slots(uint32_t dst, uint32_t src, uint32_t width) {
    if (dst == src || width == 0) return;
    if (width == 1) emit(Opcode::MOVE, dst, src);
    else if (width == 2) emit(Opcode::MOVE2, dst, src);
    else emit(Opcode::MOVEN, dst, src, width);
}

Place FunctionCompiler::variable_place(Symbol* s) {
    if (s->global) return {Place::Global, m_pc.global_slot(s)};
    Storage st = m_storage.at(s);
    switch (st.kind) {
    case Storage::Register: return {Place::Register, st.index};
    case Storage::Cell: return {Place::Memory, st.index};
    case Storage::Up: return {Place::Up, st.index};
    default: return {Place::Global, st.index};
    }
}

// A register holding the address of the place's first slot (memory places only).
uint32_t FunctionCompiler::address_register(const Place& p) {
    if (p.kind == Place::Memory && !p.offset) return p.base; // the place's own address
    uint32_t r = alloc(1);
    switch (p.kind) {
    case Place::Global: {
        Instr in = Instr::make_sbx(Opcode::ADDRG, uint16_t(r), int32_t(p.base + p.offset));
        emit(in.op, in.a, in.b, in.c);
        return r;
    }
    case Place::Up:
        emit(Opcode::ADDRUP, r, p.base);
        if (p.offset) emit(Opcode::ADDK, r, r, constant_int(int64_t(p.offset) * 8));
        return r;
    default:
        emit(Opcode::ADDK, r, p.base, constant_int(int64_t(p.offset) * 8));
        return r;
    }
}

void FunctionCompiler::load_place(const Place& p, uint32_t dst, uint32_t width) {
    uint32_t mark = m_top;
    switch (p.kind) {
    case Place::Register: move_slots(dst, p.base + p.offset, width); return;
    case Place::Indexed:
        for (uint32_t k = 0; k < width; k++) emit(Opcode::LOADX, dst + k, p.base + p.offset + k, p.index);
        return;
    case Place::Memory:
    case Place::Up:
        if (width <= max_slotwise && p.offset + width <= 0xFFFF) {
            Opcode op = p.kind == Place::Memory ? Opcode::LOADCELL : Opcode::LOADUP;
            for (uint32_t k = 0; k < width; k++) emit(op, dst + k, p.base, p.offset + k);
            return;
        }
        break;
    case Place::Global:
        if (width <= max_slotwise && p.base + p.offset + width <= 0xFFFF) {
            for (uint32_t k = 0; k < width; k++) emit(Opcode::LOADG, dst + k, p.base + p.offset + k);
            return;
        }
        break;
    }
    emit(Opcode::LOADMEM, dst, address_register(p), width);
    m_top = mark;
}

void FunctionCompiler::store_place(const Place& p, uint32_t src, uint32_t width) {
    uint32_t mark = m_top;
    switch (p.kind) {
    case Place::Register: move_slots(p.base + p.offset, src, width); return;
    case Place::Indexed:
        for (uint32_t k = 0; k < width; k++) emit(Opcode::STOREX, src + k, p.base + p.offset + k, p.index);
        return;
    case Place::Memory:
    case Place::Up:
        if (width <= max_slotwise && p.offset + width <= 0xFFFF) {
            Opcode op = p.kind == Place::Memory ? Opcode::STORECELL : Opcode::STOREUP;
            for (uint32_t k = 0; k < width; k++) emit(op, src + k, p.base, p.offset + k);
            return;
        }
        break;
    case Place::Global:
        if (width <= max_slotwise && p.base + p.offset + width <= 0xFFFF) {
            for (uint32_t k = 0; k < width; k++) emit(Opcode::STOREG, src + k, p.base + p.offset + k);
            return;
        }
        break;
    }
    emit(Opcode::STOREMEM, src, address_register(p), width);
    m_top = mark;
}

// ---- element accesses -----------------------------------------------------------------

// An index expression on an array or a slice (strings are not addressable; maps differ).
bool FunctionCompiler::is_element(Expr* e) const {
    e = unparen(e);
    if (e->kind != ExprKind::Index) return false;
    const Type* t = static_cast<IndexExpr*>(e)->base->type;
    return is_array(t) || is_slice(t) || is_array_pointer(t);
}

// Go's first phase: evaluates the indexed value (unless it is a variable, read when the
// access is resolved) and the indices, left to right.
Access FunctionCompiler::prepare_access(Expr* e) {
    std::vector<IndexExpr*> chain; // outermost first
    Expr* root = unparen(e);
    bool through_pointer = false; // the root is a pointer to the array indexed first
    while (is_element(root)) {
        chain.push_back(static_cast<IndexExpr*>(root));
        root = unparen(chain.back()->base);
        if (is_array_pointer(root->type)) {
            through_pointer = true;
            break;
        }
    }
    Access a;
    a.root_type = through_pointer ? root->type->underlying()->elem : root->type;
    a.type = e->type;
    Symbol* var = root->kind == ExprKind::Name ? static_cast<NameExpr*>(root)->symbol : nullptr;
    if (through_pointer) { // nil-checked by ADDP before memory opcodes read through it
        uint32_t pointer = expr_any(root);
        uint32_t address = alloc(1);
        set_line(e->pos);
        emit(Opcode::ADDP, address, pointer, 0);
        a.root = {Place::Memory, address};
    } else if (root->mode == Mode::Variable && var && var->kind == SymbolKind::Var) {
        a.root = variable_place(var);
    } else if (root->mode == Mode::Variable &&
               ((root->kind == ExprKind::Selector &&
                 static_cast<SelectorExpr*>(root)->selection == Selection::Field) ||
                root->kind == ExprKind::Star)) {
        a.root = element_root(place_of(root)); // x.f[i], (*p)[i]: in place, to store into
    } else {
        uint32_t r = alloc(slot_width(root->type));
        expr_to(root, r);
        a.root = {Place::Register, r};
    }
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        IndexExpr* ix = *it;
        const Type* base_type = is_array_pointer(ix->base->type) ? ix->base->type->underlying()->elem : ix->base->type;
        Access::Step step{base_type, 0, 0, false, false, ix};
        if (ix->index->mode == Mode::Constant) {
            step.is_constant = true;
            step.constant = ix->index->value.int64_value();
        } else {
            uint32_t before = m_top;
            step.index = expr_any(ix->index);
            step.owned = step.index >= before;
        }
        a.steps.push_back(step);
    }
    return a;
}

// One step into an array (bounds checked at run time unless the index is constant, which
// the checker checked) or a slice (SELEM checks it).
Place FunctionCompiler::index_place(Place p, const Access::Step& step, uint32_t width) {
    const Type* u = step.base_type->underlying();
    if (u->cls == TypeClass::Array) {
        if (step.is_constant) {
            p.offset += uint32_t(step.constant) * width;
            return p;
        }
        emit(Opcode::CHKIDX, step.index, constant_int(u->length));
        if (p.kind == Place::Register || p.kind == Place::Indexed) {
            uint32_t offset = step.index;
            if (width != 1 || p.kind == Place::Indexed) {
                offset = alloc(1);
                if (width == 1) emit(Opcode::MOVE, offset, step.index);
                else emit(Opcode::MULK, offset, step.index, constant_int(width));
                if (p.kind == Place::Indexed) emit(Opcode::ADD, offset, offset, p.index);
            }
            return {Place::Indexed, p.base, p.offset, offset};
        }
        uint32_t address = address_register(p);
        uint32_t moved = alloc(1);
        emit(Opcode::MULK, moved, step.index, constant_int(int64_t(width) * 8));
        emit(Opcode::ADD, moved, moved, address);
        return {Place::Memory, moved, 0};
    }
    // A slice: its header in registers, then the element's address.
    uint32_t header;
    if (p.kind == Place::Register) {
        header = p.base + p.offset;
    } else {
        header = alloc(3);
        RaceContext naming(*this, step.expr ? step.expr->base : m_race_expr); // the header: `s.names`
        load_place(p, header, 3);
    }
    uint32_t address = step.owned ? step.index : alloc(1);
    if (step.is_constant) emit(Opcode::LOADK, address, constant_int(step.constant));
    else if (!step.owned) emit(Opcode::MOVE, address, step.index);
    emit(Opcode::SELEM, address, header, width);
    race_element(address, header, step.base_type, step.expr);
    return {Place::Memory, address, 0};
}

// Go's second phase: the bounds checks of the first `steps` steps, and the place reached.
Place FunctionCompiler::resolve_access(const Access& a, size_t steps) {
    Place p = a.root;
    for (size_t k = 0; k < steps; k++) {
        const Access::Step& step = a.steps[k];
        p = index_place(p, step, slot_width(step.base_type->underlying()->elem));
    }
    return p;
}

void FunctionCompiler::load_access(const Access& a, uint32_t dst) {
    const Access::Step& last = a.steps.back();
    uint32_t width = slot_width(a.type);
    if (is_slice(last.base_type) && width == 1) { // one SGET does it
        Place p = resolve_access(a, a.steps.size() - 1);
        uint32_t header;
        if (p.kind == Place::Register) {
            header = p.base + p.offset;
        } else {
            header = alloc(3);
            load_place(p, header, 3);
        }
        uint32_t index = last.index;
        if (last.is_constant) {
            index = alloc(1);
            emit(Opcode::LOADK, index, constant_int(last.constant));
        }
        emit(Opcode::SGET, dst, header, index);
        return;
    }
    load_place(resolve_access(a, a.steps.size()), dst, width);
}

void FunctionCompiler::store_access(const Access& a, uint32_t src) {
    const Access::Step& last = a.steps.back();
    uint32_t width = slot_width(a.type);
    if (is_slice(last.base_type) && width == 1) { // one SSET does it
        Place p = resolve_access(a, a.steps.size() - 1);
        uint32_t header;
        if (p.kind == Place::Register) {
            header = p.base + p.offset;
        } else {
            header = alloc(3);
            load_place(p, header, 3);
        }
        uint32_t index = last.index;
        if (last.is_constant) {
            index = alloc(1);
            emit(Opcode::LOADK, index, constant_int(last.constant));
        }
        emit(Opcode::SSET, header, index, src);
        return;
    }
    store_place(resolve_access(a, a.steps.size()), src, width);
}

// a[2][1] of an array variable in registers is a register of its own: no copy needed.
std::optional<uint32_t> FunctionCompiler::element_register(Expr* e) {
    e = unparen(e);
    uint32_t offset = 0;
    while (e->kind == ExprKind::Index) {
        auto* ix = static_cast<IndexExpr*>(e);
        if (!is_array(ix->base->type) || ix->index->mode != Mode::Constant) return std::nullopt;
        offset += uint32_t(ix->index->value.int64_value()) * slot_width(ix->type);
        e = unparen(ix->base);
    }
    if (e->kind != ExprKind::Name || e->mode != Mode::Variable) return std::nullopt;
    Symbol* s = static_cast<NameExpr*>(e)->symbol;
    if (!s || s->global) return std::nullopt;
    auto it = m_storage.find(s);
    if (it == m_storage.end() || it->second.kind != Storage::Register) return std::nullopt;
    return it->second.index + offset;
}

void FunctionCompiler::index_to(IndexExpr* e, uint32_t dst) {
    uint32_t mark = m_top;
    if (std::optional<uint32_t> r = element_register(e)) {
        move_slots(dst, *r, slot_width(e->type));
        return;
    }
    Access a = prepare_access(e);
    set_line(e->pos);
    load_access(a, dst);
    m_top = mark;
}

// x[i] = v, x[i] op= v, and assignments with several targets of which some are elements:
// element operands first, then the values, then the stores left to right (Go's order).
void FunctionCompiler::assign_elements(AssignStmt* s) {
    if (s->op != Op::None) {
        Expr* target = s->lhs[0];
        Access a = prepare_access(target);
        Place p = resolve_access(a, a.steps.size());
        uint32_t width = slot_width(a.type);
        uint32_t r = alloc(width);
        load_place(p, r, width);
        // `r op value`, through binary_to, with r standing for the element.
        Symbol element;
        element.kind = SymbolKind::Var;
        element.type = a.type;
        m_storage[&element] = {Storage::Register, r};
        NameExpr name;
        name.pos = target->pos;
        name.symbol = &element;
        name.mode = Mode::Variable;
        name.type = a.type;
        BinaryExpr op;
        op.pos = target->pos;
        op.op = s->op;
        op.op_pos = s->op_pos;
        op.left = &name;
        op.right = s->rhs[0];
        op.type = a.type;
        op.mode = Mode::Value;
        binary_to(&op, r);
        m_storage.erase(&element);
        store_place(p, r, width);
        return;
    }
    std::vector<std::optional<Access>> accesses(s->lhs.size());
    for (size_t i = 0; i < s->lhs.size(); i++)
        if (is_element(s->lhs[i])) accesses[i] = prepare_access(s->lhs[i]);
    std::vector<uint32_t> values;
    if (s->rhs.size() == 1 && s->lhs.size() > 1) { // a, x[i] = f()
        uint32_t base = call(static_cast<CallExpr*>(s->rhs[0]));
        for (const Type* member : s->rhs[0]->type->params) {
            values.push_back(base);
            base += slot_width(member);
        }
    } else {
        for (size_t i = 0; i < s->rhs.size(); i++) {
            const Type* t = s->lhs[i]->type ? s->lhs[i]->type : s->rhs[i]->type;
            bool boxes = t->is_interface() && !s->rhs[i]->type->is_interface();
            if (s->rhs.size() == 1 && !boxes) { // one value: read where it is
                values.push_back(expr_any(s->rhs[i]));
                continue;
            }
            uint32_t r = alloc(slot_width(t));
            coerce_to(s->rhs[i], t, r);
            values.push_back(r);
        }
    }
    for (size_t i = 0; i < s->lhs.size(); i++) {
        set_line(s->lhs[i]->pos);
        if (accesses[i]) store_access(*accesses[i], values[i]);
        else store_to(s->lhs[i], values[i]);
    }
}

void FunctionCompiler::incdec_element(IncDecStmt* s) {
    Access a = prepare_access(s->target);
    Place p = resolve_access(a, a.steps.size());
    uint32_t r = alloc(1);
    load_place(p, r, 1);
    if (a.type->is_float()) {
        Slot one;
        one.f = 1.0;
        uint32_t k = alloc(1);
        emit(Opcode::LOADK, k, constant(one));
        emit(s->increment ? Opcode::FADD : Opcode::FSUB, r, r, k);
    } else {
        emit(Opcode::ADDI, r, r, uint16_t(int16_t(s->increment ? 1 : -1)));
    }
    normalize(a.type, r);
    store_place(p, r, 1);
}

// ---- composite literals and slicing ---------------------------------------------------

void FunctionCompiler::composite_to(CompositeLit* e, uint32_t dst) {
    if (e->type->underlying()->cls == TypeClass::Map) return map_literal_to(e, dst);
    TypeClass c = e->type->underlying()->cls;
    if (c == TypeClass::Struct || c == TypeClass::Pointer) { // T{...}, elided &T{...}
        struct_composite_to(e, dst);
        return;
    }
    uint32_t mark = m_top;
    const Type* u = e->type->underlying();
    const Type* elem = u->elem;
    uint32_t width = slot_width(elem);
    // The elements' indices: a key, or one past the previous element.
    std::vector<std::pair<int64_t, Expr*>> elements;
    int64_t next = 0, length = 0;
    for (Expr* el : e->elements) {
        Expr* value = el;
        if (el->kind == ExprKind::KeyValue) {
            auto* kv = static_cast<KeyValueExpr*>(el);
            next = kv->key->value.int64_value();
            value = kv->value;
        }
        elements.push_back({next, value});
        if (next < INT64_MAX) next++; // a key at the very top: MAKESLICE will refuse the length
        length = std::max(length, next);
    }
    if (u->cls == TypeClass::Array) {
        bool complete = int64_t(elements.size()) == u->length;
        for (size_t k = 0; complete && k < elements.size(); k++) complete = elements[k].first == int64_t(k);
        if (!complete) emit(Opcode::LOADNIL, dst, 0, slot_width(u));
        for (auto& [index, value] : elements) coerce_to(value, elem, dst + uint32_t(index) * width);
        m_top = mark;
        return;
    }
    uint32_t sizes = alloc(2);
    load_constant(Constant::integer(length), m_pc.m_checked.types.basic(BasicKind::Int), sizes);
    emit(Opcode::MOVE, sizes + 1, sizes);
    set_line(e->pos);
    emit(Opcode::MAKESLICE, dst, sizes, m_pc.rt_type(elem));
    for (auto& [index, value] : elements) {
        uint32_t before = m_top;
        uint32_t r;
        if (elem->is_interface() && !value->type->is_interface()) {
            r = alloc(width);
            coerce_to(value, elem, r);
        } else {
            r = expr_any(value);
        }
        if (uint64_t(index) > 0xFFFFFFF / std::max<uint32_t>(width, 1))
            throw std::runtime_error("slice literal too large to compile");
        uint64_t offset = uint64_t(index) * width;
        store_place({Place::Memory, dst, uint32_t(offset)}, r, width); // R[dst] is the array
        m_top = before;
    }
    m_top = mark;
}

void FunctionCompiler::slice_to(SliceExpr* e, uint32_t dst) {
    uint32_t mark = m_top;
    const Type* t = e->base->type;
    uint32_t base;
    if (is_array(t)) { // an addressable array (the checker put it in memory): {&a, N, N}
        base = alloc(3);
        FieldPlace p = place_of(e->base);
        set_line(e->pos);
        address_of_place(p, base);
        load_constant(Constant::integer(t->underlying()->length), m_pc.m_checked.types.basic(BasicKind::Int), base + 1);
        emit(Opcode::MOVE, base + 2, base + 1);
    } else if (is_array_pointer(t)) { // {pa, N, N}, pa nil-checked
        base = alloc(3);
        uint32_t pointer = expr_any(e->base);
        set_line(e->pos);
        emit(Opcode::ADDP, base, pointer, 0);
        load_constant(Constant::integer(t->underlying()->elem->underlying()->length),
                      m_pc.m_checked.types.basic(BasicKind::Int), base + 1);
        emit(Opcode::MOVE, base + 2, base + 1);
    } else {
        base = expr_any(e->base);
    }
    uint32_t bounds = alloc(e->three_index ? 3 : 2);
    if (e->low) expr_to(e->low, bounds);
    else emit(Opcode::LOADI, bounds, 0, 0);
    if (e->high) expr_to(e->high, bounds + 1);
    else emit(Opcode::SLEN, bounds + 1, base); // strings and slices keep the length at +1
    if (e->three_index) expr_to(e->max, bounds + 2);
    set_line(e->pos);
    if (t->is_string()) {
        emit(Opcode::STRSLICE, dst, base, bounds);
    } else {
        bool array = is_array(t) || is_array_pointer(t);
        const Type* elem = array && !is_array(t) ? t->underlying()->elem->underlying()->elem : t->underlying()->elem;
        emit(e->three_index ? Opcode::SLICE3 : Opcode::SLICE, dst, base, bounds);
        emit(Opcode::EXTRA, slot_width(elem), array ? 1 : 0);
    }
    m_top = mark;
}

// ---- builtins ------------------------------------------------------------------------

void FunctionCompiler::len_cap_to(CallExpr* e, uint32_t dst) {
    Expr* x = e->args[0];
    uint32_t r = expr_any(x);
    if (is_array(x->type) || is_array_pointer(x->type)) { // not a constant only because x calls a function
        const Type* array = is_array(x->type) ? x->type->underlying() : x->type->underlying()->elem->underlying();
        load_constant(Constant::integer(array->length), e->type, dst);
        return;
    }
    set_line(e->pos);
    if (Builtin(e->builtin) == Builtin::Cap) emit(Opcode::MOVE, dst, r + 2);
    else emit(Opcode::SLEN, dst, r);
}

// append: the values are evaluated before the destination is written, so that
// `s = append(s, ...)` works in s's own registers.
void FunctionCompiler::append_to(CallExpr* e, uint32_t dst) {
    const Type* elem = e->type->underlying()->elem;
    uint32_t width = slot_width(elem);
    uint32_t type = m_pc.rt_type(elem);
    uint32_t source = expr_any(e->args[0]);
    if (e->args.size() == 1) {
        move_slots(dst, source, 3);
        return;
    }
    if (e->spread) {
        Expr* more = e->args[1];
        uint32_t r = expr_any(more);
        if (r == dst && source != dst) { // append(t, s...) into s: keep s
            uint32_t copy = alloc(3);
            move_slots(copy, r, 3);
            r = copy;
        }
        move_slots(dst, source, 3);
        set_line(e->pos);
        emit(more->type->is_string() ? Opcode::APPENDSTR : Opcode::APPENDS, dst, r, type);
        return;
    }
    size_t count = e->args.size() - 1;
    if (count > 0xFFFF) throw std::runtime_error("too many values in one append to compile");
    uint32_t values;
    if (count == 1 && !(elem->is_interface() && !e->args[1]->type->is_interface())) {
        values = expr_any(e->args[1]); // one value: read where it is, unless in dst
        if (values + width > dst && values < dst + 3 && source != dst) {
            uint32_t copy = alloc(width);
            move_slots(copy, values, width);
            values = copy;
        }
    } else {
        values = alloc(uint32_t(count) * width);
        for (size_t i = 0; i < count; i++) coerce_to(e->args[i + 1], elem, values + uint32_t(i) * width);
    }
    move_slots(dst, source, 3);
    set_line(e->pos);
    if (count == 1) {
        emit(Opcode::APPEND, dst, values, type);
    } else {
        emit(Opcode::APPENDN, dst, values, type);
        emit(Opcode::EXTRA, uint32_t(count));
    }
}

void FunctionCompiler::copy_to(CallExpr* e, uint32_t dst) {
    uint32_t operands = alloc(6);
    expr_to(e->args[0], operands);
    expr_to(e->args[1], operands + 3);
    set_line(e->pos);
    if (e->args[1]->type->is_string()) emit(Opcode::COPYSTR, dst, operands);
    else emit(Opcode::COPY, dst, operands, slot_width(e->args[0]->type->underlying()->elem));
}

void FunctionCompiler::make_to(CallExpr* e, uint32_t dst) {
    uint32_t sizes = alloc(2);
    expr_to(e->args[1], sizes);
    if (e->args.size() == 3) expr_to(e->args[2], sizes + 1);
    else emit(Opcode::MOVE, sizes + 1, sizes);
    set_line(e->pos);
    emit(Opcode::MAKESLICE, dst, sizes, m_pc.rt_type(e->type->underlying()->elem));
}

void FunctionCompiler::clear_slice(CallExpr* e) {
    uint32_t r = expr_any(e->args[0]);
    set_line(e->pos);
    emit(Opcode::CLEAR, r, slot_width(e->args[0]->type->underlying()->elem));
}

// string(rune), string([]byte), string([]rune), []byte(string), []rune(string).
bool FunctionCompiler::string_conversion_to(CallExpr* e, uint32_t dst) {
    Expr* x = e->args[0];
    const Type* from = x->type;
    const Type* to = e->type;
    Opcode op;
    if (to->is_string() && from->is_integer()) op = Opcode::RUNE2STR;
    else if (to->is_string() && is_slice(from)) op = byte_elements(from) ? Opcode::BYTES2STR : Opcode::RUNES2STR;
    else if (from->is_string() && is_slice(to)) op = byte_elements(to) ? Opcode::STR2BYTES : Opcode::STR2RUNES;
    else return false;
    uint32_t r = expr_any(x);
    set_line(e->pos);
    // A constant string converts to exactly its length, as Go's compiler does.
    emit(op, dst, r, x->mode == Mode::Constant ? 1 : 0);
    return true;
}

// dst := (left == right) for values of type t in registers: arrays and structs walked by
// their runtime type (EQV), interfaces by IEQ, strings and floats by their own rules.
void FunctionCompiler::emit_equal(const Type* t, uint32_t dst, uint32_t left, uint32_t right) {
    if (t->is_interface()) {
        emit(Opcode::IEQ, dst, left, right);
        return;
    }
    if (is_array(t) || t->underlying()->cls == TypeClass::Struct) {
        emit(Opcode::EQV, dst, left, right);
        emit(Opcode::EXTRA, m_pc.rt_type(t));
        return;
    }
    emit(t->is_string() ? Opcode::SEQ : t->is_float() ? Opcode::FEQ : Opcode::EQ, dst, left, right);
}

// ---- range over slices and arrays -----------------------------------------------------

// What a range loop iterates over: a slice header copied to registers, an array copied to
// registers, or (wide array variables outside registers) a heap copy of it; and the
// register holding the number of elements.
RangeSource FunctionCompiler::range_source(RangeStmt* s, bool want_value) {
    const Type* t = s->range->type;
    const Type* u = t->underlying();
    RangeSource source;
    if (u->cls == TypeClass::Slice) {
        source.kind = RangeSource::Slice;
        source.base = alloc(3);
        expr_to(s->range, source.base);
        source.limit = source.base + 1;
        return source;
    }
    Expr* root = unparen(s->range);
    Symbol* var = root->kind == ExprKind::Name ? static_cast<NameExpr*>(root)->symbol : nullptr;
    source.kind = RangeSource::ArrayRegisters;
    if (want_value && var && root->mode == Mode::Variable && slot_width(t) > 16 &&
        variable_place(var).kind != Place::Register) {
        uint32_t address = address_register(variable_place(var));
        source.base = alloc(1);
        emit(Opcode::MEMDUP, source.base, address, constant_int(slot_width(t)));
        source.kind = RangeSource::ArrayMemory;
    } else if (want_value) {
        source.base = alloc(slot_width(t));
        expr_to(s->range, source.base);
    } else if (root->kind != ExprKind::Name) {
        uint32_t scratch = m_top;
        expr_any(s->range); // for its effects; the length is the type's
        m_top = scratch;
    }
    source.limit = alloc(1);
    load_constant(Constant::integer(u->length), m_pc.m_checked.types.basic(BasicKind::Int), source.limit);
    return source;
}

// element := the element at `index` (in range, so no check can fail); `scratch` is a free
// register.
void FunctionCompiler::load_range_element(const RangeSource& source, uint32_t index, uint32_t element,
                                          uint32_t scratch, uint32_t width) {
    switch (source.kind) {
    case RangeSource::Slice:
        if (width == 1) {
            emit(Opcode::SGET, element, source.base, index);
            return;
        }
        emit(Opcode::MOVE, scratch, index);
        emit(Opcode::SELEM, scratch, source.base, width);
        load_place({Place::Memory, scratch}, element, width);
        return;
    case RangeSource::ArrayMemory:
        emit(Opcode::MULK, scratch, index, constant_int(int64_t(width) * 8));
        emit(Opcode::ADD, scratch, scratch, source.base);
        load_place({Place::Memory, scratch}, element, width);
        return;
    case RangeSource::ArrayRegisters:
        if (width == 1) {
            emit(Opcode::LOADX, element, source.base, index);
        } else if (width != 0) {
            emit(Opcode::MULK, scratch, index, constant_int(width));
            load_place({Place::Indexed, source.base, 0, scratch}, element, width);
        }
        return;
    }
}

// for i, v := range x: x is evaluated once (a slice's header, or an array when its values
// are used, is copied first); each iteration has its own i and v.
void FunctionCompiler::range_sequence(RangeStmt* s) {
    uint32_t mark = m_top;
    uint32_t width = slot_width(s->range->type->underlying()->elem);
    Expr* value = s->value;
    bool want_value = value && !(value->kind == ExprKind::Name && static_cast<NameExpr*>(value)->name == "_");
    RangeSource source = range_source(s, want_value);
    uint32_t index = alloc(1);
    emit(Opcode::LOADI, index, 0, 0);
    // The value goes straight into its variable when that is a plain register.
    Symbol* vsym = s->define && want_value ? s->value_symbol : nullptr;
    bool direct = vsym && !vsym->needs_cell();
    uint32_t element = 0, scratch = 0;
    if (want_value) {
        element = alloc(width);
        if (direct) m_storage[vsym] = {Storage::Register, element};
        scratch = alloc(1);
    }
    uint32_t to_cond = emit_jump(Opcode::JMP);
    uint32_t body_start = here();
    if (want_value) {
        set_line(s->range->pos);
        load_range_element(source, index, element, scratch, width);
    }
    if (s->key && s->define && s->key_symbol && s->key_symbol->name != "_")
        declare_local(s->key_symbol, index, true);
    else if (s->key && !s->define)
        store_to(s->key, index);
    if (want_value && !s->define) store_to(value, element);
    else if (want_value && !direct && vsym) declare_local(vsym, element, true);
    m_loops.push_back({s, {}, {}});
    block(s->body);
    uint32_t continue_at = here();
    emit(Opcode::ADDI, index, index, 1);
    Loop loop = std::move(m_loops.back());
    m_loops.pop_back();
    for (uint32_t j : loop.continues) patch_to(j, continue_at);
    patch(to_cond);
    patch_to(emit_branch(Opcode::JLT, index, source.limit), body_start);
    for (uint32_t b : loop.breaks) patch(b);
    m_top = mark;
}

} // namespace csp
