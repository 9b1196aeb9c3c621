// Compiler, part 3: calls (static, closure, native), builtins and conversions.
#include "lang/compiler_internal.hpp"

namespace csp {

// The function a call's callee names, when it is known statically: a function, a
// method called on a value (its receiver then goes first), or a method expression.
CallTarget FunctionCompiler::static_callee(Expr* callee) {
    while (callee->kind == ExprKind::Paren) callee = static_cast<ParenExpr*>(callee)->inner;
    Symbol* sym = nullptr;
    CallTarget target;
    if (callee->kind == ExprKind::Name) sym = static_cast<NameExpr*>(callee)->symbol;
    if (callee->kind == ExprKind::Selector) {
        auto* sel = static_cast<SelectorExpr*>(callee);
        if (sel->selection == Selection::InterfaceMethod) {
            target.iface = sel;
            return target;
        }
        if (sel->selection == Selection::InterfaceMethodExpr ||
            sel->selection == Selection::PromotedMethodExpr)
            return target; // called as a func value
        if (sel->selection == Selection::MethodValue) target.method = sel;
        if (sel->selection != Selection::Field) sym = sel->symbol;
        if (sel->selection == Selection::MethodExpr) {
            target.function = sym->function;
            target.index = m_pc.method_expression(sel);
            return target;
        }
    }
    if (!sym || sym->kind != SymbolKind::Func) return {};
    target.function = sym->function;
    target.index = uint32_t(sym->function->index);
    return target;
}

// Compiles a call with its frame at the top of the registers; returns that base, where
// the results are. Arguments are coerced to parameter types; variadic extras are packed.
uint32_t FunctionCompiler::call(CallExpr* e) {
    if (e->call_kind == CallKind::Builtin) {
        uint32_t r = alloc(std::max<uint32_t>(1, slot_width(e->type)));
        builtin_to(e, r);
        return r;
    }
    if (e->call_kind == CallKind::Conversion) {
        uint32_t r = alloc(slot_width(e->type));
        conversion_to(e, r);
        return r;
    }
    CallTarget target;
    uint32_t base = prepare_call(e, target, true);
    set_line(e->pos);
    if (target.iface) emit(Opcode::CALLI, base, target.iface_type, target.iface_method);
    else if (target.function) emit(target.function->native ? Opcode::CALLN : Opcode::CALL, base, target.index);
    else emit(Opcode::CALLV, base, target.closure_reg);
    m_top = base + std::max<uint32_t>(target.result_slots, 1);
    return base;
}

// An expression of several values (a call, or a comma-ok receive) into consecutive
// registers; returns the first.
uint32_t FunctionCompiler::values(Expr* e) {
    while (e->kind == ExprKind::Paren) e = static_cast<ParenExpr*>(e)->inner;
    if (e->kind == ExprKind::Call) return call(static_cast<CallExpr*>(e));
    if (e->kind == ExprKind::Index) return map_index_ok(static_cast<IndexExpr*>(e));
    if (e->kind == ExprKind::TypeAssert) return type_assert_ok(static_cast<TypeAssertExpr*>(e));
    return receive_ok(static_cast<UnaryExpr*>(e));
}

// Evaluates the callee (unless it is a declared function) and the arguments into a new
// frame at the top of the registers; returns the frame's base. For calls, go and defer.
uint32_t FunctionCompiler::prepare_call(CallExpr* e, CallTarget& target, bool dispatch) {
    const Type* sig = e->callee->type->underlying();
    target = static_callee(e->callee);
    if (target.iface && dispatch) return prepare_interface_call(e, target);
    target.iface = nullptr; // go and defer take the method value (a closure)
    SelectorExpr* method = target.method;
    if (!target.function) target.closure_reg = expr_any(e->callee);
    uint32_t param_slots = 0, result_slots = 0;
    uint32_t receiver_slots = method ? slot_width(target.function->params[0]->type) : 0;
    for (const Type* p : sig->params) param_slots += slot_width(p);
    for (const Type* r : sig->results) result_slots += slot_width(r);
    uint32_t base = alloc(std::max(receiver_slots + param_slots, result_slots));
    if (method) receiver_to(method, base);
    arguments_to(e, sig, base + receiver_slots);
    target.result_slots = result_slots;
    return base;
}

// Evaluates a call's arguments into the parameter slots at `base` (laid out as `sig`'s
// parameters): expressions coerced to parameter types, or the results of one multi-value
// call spread over them; variadic extras are packed into a new slice.
void FunctionCompiler::arguments_to(CallExpr* e, const Type* sig, uint32_t base) {
    std::vector<Argument> args;
    if (e->args.size() == 1 && e->args[0]->type->cls == TypeClass::Tuple) {
        uint32_t src = call(static_cast<CallExpr*>(e->args[0]));
        for (const Type* member : e->args[0]->type->params) {
            args.push_back({nullptr, src, member});
            src += slot_width(member);
        }
    } else {
        for (Expr* a : e->args) args.push_back({a, 0, a->type});
    }
    bool pack = sig->variadic && !e->spread;
    size_t fixed = pack ? sig->params.size() - 1 : sig->params.size();
    uint32_t off = 0;
    for (size_t i = 0; i < fixed && i < args.size(); i++) {
        argument_to(args[i], sig->params[i], base + off);
        off += slot_width(sig->params[i]);
    }
    if (pack) {
        const Type* elem = sig->params.back()->elem;
        uint32_t w = slot_width(elem);
        size_t extra = args.size() > fixed ? args.size() - fixed : 0;
        if (extra > 4095 || w > 15) throw std::runtime_error("internal error: too many variadic arguments");
        uint32_t tmp = alloc(uint32_t(std::max<size_t>(1, extra) * w));
        for (size_t i = 0; i < extra; i++) argument_to(args[fixed + i], elem, tmp + uint32_t(i) * w);
        set_line(e->pos);
        emit(Opcode::MKSLICE, base + off, tmp, uint32_t(extra << 4) | w);
    }
}

// One argument: an expression, or a value already in registers (a spread result).
void FunctionCompiler::argument_to(const Argument& arg, const Type* param, uint32_t dst) {
    if (arg.expr) {
        coerce_to(arg.expr, param, dst);
        return;
    }
    uint32_t w = slot_width(arg.type);
    if (param->is_interface() && !arg.type->is_interface())
        emit(w == 1 ? Opcode::BOX : Opcode::BOXN, dst, arg.reg, m_pc.rt_type(arg.type));
    else
        emit(Opcode::MOVEN, dst, arg.reg, w);
}

void FunctionCompiler::call_to(CallExpr* e, uint32_t dst, uint32_t want_slots) {
    if (e->call_kind == CallKind::Builtin) {
        builtin_to(e, dst);
        return;
    }
    if (e->call_kind == CallKind::Conversion) {
        conversion_to(e, dst);
        return;
    }
    uint32_t mark = m_top;
    uint32_t base = call(e);
    if (want_slots && base != dst) emit(Opcode::MOVEN, dst, base, want_slots);
    m_top = std::max(mark, dst + want_slots > mark ? mark : mark);
    m_top = mark;
}

void FunctionCompiler::builtin_to(CallExpr* e, uint32_t dst) {
    uint32_t mark = m_top;
    auto b = Builtin(e->builtin);
    if (chan_builtin(e, dst) || map_builtin(e, dst)) {
        m_top = mark;
        return;
    }
    switch (b) {
    case Builtin::Print:
    case Builtin::Println:
        for (size_t i = 0; i < e->args.size(); i++) {
            uint32_t r = expr_any(e->args[i]);
            uint32_t flags = 0;
            if (b == Builtin::Println && i + 1 < e->args.size()) flags |= 1;
            if (b == Builtin::Println && i + 1 == e->args.size()) flags |= 2;
            set_line(e->pos);
            emit(Opcode::PRINT, r, m_pc.rt_type(e->args[i]->type), flags);
            m_top = mark;
        }
        if (b == Builtin::Println && e->args.empty()) {
            uint32_t r = alloc(2);
            emit(Opcode::LOADNIL, r, 0, 2);
            emit(Opcode::PRINT, r, m_pc.rt_type(m_pc.m_checked.types.basic(BasicKind::String)), 2);
        }
        break;
    case Builtin::Panic: {
        uint32_t r = alloc(2);
        coerce_to(e->args[0], m_pc.m_checked.types.any(), r);
        set_line(e->pos);
        emit(Opcode::PANIC, r);
        break;
    }
    case Builtin::New:
        set_line(e->pos);
        emit(Opcode::NEWCELL, dst, slot_width(e->type->underlying()->elem));
        break;
    case Builtin::Recover:
        emit(Opcode::RECOVER, dst);
        break;
    case Builtin::Len:
    case Builtin::Cap: len_cap_to(e, dst); break;
    case Builtin::Append: append_to(e, dst); break;
    case Builtin::Copy: copy_to(e, dst); break;
    case Builtin::Make: make_to(e, dst); break;
    case Builtin::Clear: clear_slice(e); break;
    case Builtin::Min:
    case Builtin::Max: {
        const Type* t = e->type;
        expr_to(e->args[0], dst);
        for (size_t i = 1; i < e->args.size(); i++) {
            uint32_t r = expr_any(e->args[i]);
            uint32_t c = alloc(1);
            Opcode lt = t->is_string() ? Opcode::SLT : t->is_float() ? Opcode::FLT : t->is_unsigned() ? Opcode::LTU : Opcode::LT;
            if (b == Builtin::Min) emit(lt, c, r, dst);
            else emit(lt, c, dst, r);
            uint32_t j = emit_jump(Opcode::JMPIFNOT, c);
            emit(slot_width(t) == 2 ? Opcode::MOVE2 : Opcode::MOVE, dst, r);
            patch(j);
            m_top = mark;
        }
        break;
    }
    default: throw std::runtime_error("internal error: builtin not compiled");
    }
    m_top = mark;
}

void FunctionCompiler::conversion_to(CallExpr* e, uint32_t dst) {
    Expr* x = e->args[0];
    const Type* to = e->type;
    const Type* from = x->type;
    if (e->mode == Mode::Constant) {
        load_constant(e->value, to, dst);
        return;
    }
    if (to->is_interface()) {
        coerce_to(x, to, dst);
        return;
    }
    uint32_t mark = m_top;
    if (string_conversion_to(e, dst)) {
        m_top = mark;
        return;
    }
    uint32_t r = expr_any(x);
    set_line(e->pos);
    if (from->is_integer() && to->is_float()) {
        emit(from->is_unsigned() ? Opcode::U2F : Opcode::I2F, dst, r);
        normalize(to, dst);
    } else if (from->is_float() && to->is_integer()) {
        // Go on amd64 converts to the narrow unsigned types through int64.
        BasicKind k = to->underlying()->basic;
        bool wide_unsigned = k == BasicKind::Uint64 || k == BasicKind::Uint || k == BasicKind::Uintptr;
        emit(wide_unsigned ? Opcode::F2U : Opcode::F2I, dst, r);
        normalize(to, dst);
    } else if (from->is_float() && to->is_float()) {
        if (dst != r) emit(Opcode::MOVE, dst, r);
        normalize(to, dst);
    } else if (from->is_integer() && to->is_integer()) {
        if (dst != r) emit(Opcode::MOVE, dst, r);
        normalize(to, dst);
    } else {
        uint32_t w = slot_width(to);
        if (dst != r) emit(Opcode::MOVEN, dst, r, w);
    }
    m_top = mark;
}

} // namespace csp
