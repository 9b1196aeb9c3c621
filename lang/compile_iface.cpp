// Compiler, interfaces: the method tables of runtime types (with the wrappers that take an
// interface's data word as the receiver), calls through interfaces (CALLI), interface
// method values and expressions, type assertions and type switches.
#include "lang/compiler_internal.hpp"
#include "lang/method_set.hpp"

#include <algorithm>

namespace csp {

namespace {

bool is_pointer_type(const Type* t) { return t->underlying()->cls == TypeClass::Pointer; }

// The type reached from t (or what t points to) through the embedded fields of `path`.
const Type* type_at_path(const Type* t, const std::vector<uint32_t>& path) {
    for (uint32_t index : path) {
        if (is_pointer_type(t)) t = t->underlying()->elem;
        t = t->underlying()->fields[index].type;
    }
    return t;
}

uint32_t iface_method_index(const Type* iface, const std::string& name) {
    const auto& methods = iface->underlying()->methods;
    for (uint32_t k = 0; k < methods.size(); k++)
        if (methods[k].name == name) return k;
    throw std::runtime_error("internal error: interface method " + name + " not found");
}

uint32_t signature_slots(const std::vector<const Type*>& types) {
    uint32_t n = 0;
    for (const Type* t : types) n += slot_width(t);
    return n;
}

// Builds a compiler-made function instruction by instruction (line 0: hidden in traces).
struct WrapperCode {
    Function& fn;
    void add(Opcode op, uint32_t a = 0, uint32_t b = 0, uint32_t c = 0) {
        fn.code.push_back(Instr::make(op, uint16_t(a), uint16_t(b), uint16_t(c)));
        fn.lines.push_back(0);
    }
};

} // namespace

// ---- method tables ------------------------------------------------------------------------

// An interface type lists the methods it requires; any other type its method set, each
// with the function CALLI runs for it.
void ProgramCompiler::fill_methods(const Type* t, RtType* out) {
    if (t->is_interface()) {
        for (const InterfaceMethodType& m : t->underlying()->methods)
            out->methods.push_back({m.name, m.signature->to_string(), 0});
        return;
    }
    for (const MethodSetEntry& entry : method_set(t))
        out->methods.push_back({entry.name, entry.signature->to_string(), dispatch_function(t, entry)});
}

// The function CALLI runs for method `entry` of dynamic type t. It takes the interface's
// data word first (t's value when t is one slot wide, else the address of t's boxed copy,
// or the pointer itself for pointer types), then the method's arguments. A declared
// method that takes exactly that receiver is called directly; otherwise a wrapper walks
// the embedding path and passes the receiver the method wants.
uint32_t ProgramCompiler::dispatch_function(const Type* t, const MethodSetEntry& entry) {
    bool pointer = t->cls == TypeClass::Pointer;
    uint32_t width = slot_width(t);
    if (entry.path.empty() && entry.method) {
        FunctionInfo* f = entry.method->symbol->function;
        if (pointer == entry.method->pointer_receiver && (pointer || width == 1)) return uint32_t(f->index);
    }
    std::string key = std::to_string(rt_type(t)) + "." + entry.name;
    if (auto found = m_dispatch_wrappers.find(key); found != m_dispatch_wrappers.end()) return found->second;
    auto fn = std::make_unique<Function>();
    std::string type_name = t->to_string();
    size_t dot = type_name.find('.');
    fn->name = pointer ? type_name.substr(1, dot) + "(*" + type_name.substr(dot + 1) + ")." + entry.name
                       : type_name + "." + entry.name;
    fn->wrapper = true;
    fn->has_params = true;
    uint32_t params = signature_slots(entry.signature->params);
    uint32_t results = signature_slots(entry.signature->results);
    fn->param_slots = 1 + params;
    fn->result_slots = results;
    WrapperCode code{*fn};
    // Walk the path: `reg` holds the current value (one slot wide) or its address.
    bool address = pointer || width != 1;
    uint32_t reg = 0, next = std::max(1 + params, results);
    const Type* current = pointer ? t->elem : t;
    for (uint32_t index : entry.path) {
        const Type* u = current->underlying();
        const StructField& f = u->fields[index];
        bool embedded_pointer = f.type->cls == TypeClass::Pointer;
        if (address) {
            code.add(embedded_pointer ? Opcode::LOADP : Opcode::ADDP, next, reg, field_offset(u, index));
            reg = next++;
        } else if (embedded_pointer) {
            address = true; // the one-slot value is the pointer
        }
        current = embedded_pointer ? f.type->elem : f.type;
    }
    uint32_t call = next;
    if (entry.method) {
        FunctionInfo* m = entry.method->symbol->function;
        uint32_t receiver = slot_width(m->params[0]->type);
        if (entry.method->pointer_receiver || !address) {
            if (receiver == 1) code.add(Opcode::MOVE, call, reg);
        } else {
            code.add(Opcode::LOADPN, call, reg, receiver);
        }
        if (params) code.add(Opcode::MOVEN, call + receiver, 1, params);
        code.add(Opcode::CALL, call, uint32_t(m->index));
        code.add(Opcode::RET, call, results);
        fn->frame_slots = call + std::max(receiver + params, results);
    } else { // a method of an embedded interface: dispatch again through it
        code.add(Opcode::LOADPN, call, reg, 2);
        if (params) code.add(Opcode::MOVEN, call + 2, 1, params);
        code.add(Opcode::CALLI, call + 1, rt_type(current), iface_method_index(current, entry.name));
        code.add(Opcode::RET, call + 1, results);
        fn->frame_slots = call + 1 + std::max(1 + params, results);
    }
    if (fn->frame_slots > 0xFFF0) throw std::runtime_error("internal error: method " + fn->name + " is too large");
    uint32_t index = uint32_t(m_program.functions.size());
    m_program.functions.push_back(std::move(fn));
    m_dispatch_wrappers[key] = index;
    return index;
}

// i.m as a func value (the -fm wrapper; its one cell holds the interface value), or the
// method expression I.m (a function taking the interface first).
uint32_t ProgramCompiler::interface_call_wrapper(const Type* iface, const std::string& name, bool expression) {
    std::string key = std::to_string(rt_type(iface)) + "." + name + (expression ? "" : "-fm");
    if (auto found = m_dispatch_wrappers.find(key); found != m_dispatch_wrappers.end()) return found->second;
    uint32_t method = iface_method_index(iface, name);
    const Type* sig = iface->underlying()->methods[method].signature;
    auto fn = std::make_unique<Function>();
    fn->name = iface->to_string() + "." + name + (expression ? "" : "-fm");
    fn->wrapper = !expression;
    uint32_t params = signature_slots(sig->params);
    uint32_t results = signature_slots(sig->results);
    fn->param_slots = params + (expression ? 2 : 0);
    fn->result_slots = results;
    fn->has_params = fn->param_slots > 0;
    WrapperCode code{*fn};
    uint32_t base = std::max(fn->param_slots, results);
    if (expression) {
        code.add(Opcode::MOVEN, base, 0, 2 + params);
    } else {
        code.add(Opcode::LOADUP, base, 0, 0);
        code.add(Opcode::LOADUP, base + 1, 0, 1);
        if (params) code.add(Opcode::MOVEN, base + 2, 0, params);
    }
    code.add(Opcode::CALLI, base + 1, rt_type(iface), method);
    code.add(Opcode::RET, base + 1, results);
    fn->frame_slots = base + 1 + std::max(1 + params, results);
    if (fn->frame_slots > 0xFFF0) throw std::runtime_error("internal error: method " + fn->name + " is too large");
    uint32_t index = uint32_t(m_program.functions.size());
    m_program.functions.push_back(std::move(fn));
    m_dispatch_wrappers[key] = index;
    return index;
}

// The dynamic types of runtime error panics (Program::runtime_error_types): each value is
// the text its Error method returns (package runtime's natives errorText and runtimeError).
void ProgramCompiler::add_runtime_error_types() {
    NativeFn text = m_natives ? m_natives("runtime.errorText") : nullptr;
    NativeFn marker = m_natives ? m_natives("runtime.runtimeError") : nullptr;
    if (!text || !marker) return;
    auto native = [&](const char* name, NativeFn body, uint32_t results) {
        auto fn = std::make_unique<Function>();
        fn->name = name;
        fn->native = body;
        fn->param_slots = 1;
        fn->result_slots = results;
        fn->frame_slots = std::max<uint32_t>(1, results);
        fn->has_params = true;
        m_program.functions.push_back(std::move(fn));
        return uint32_t(m_program.functions.size() - 1);
    };
    uint32_t error_fn = native("runtime.errorText", text, 2);
    uint32_t marker_fn = native("runtime.runtimeError", marker, 0);
    for (const char* name : {"runtime.errorString", "runtime.boundsError", "runtime.plainError",
                             "*runtime.TypeAssertionError"}) {
        auto rt = std::make_unique<RtType>();
        rt->kind = TypeKind::String;
        rt->name = name;
        rt->slots = 2;
        rt->size = 16;
        rt->error_text = true;
        rt->methods = {{"Error", "func() string", error_fn}, {"RuntimeError", "func()", marker_fn}};
        m_program.runtime_error_types.push_back(uint32_t(m_program.types.size()));
        m_program.types.push_back(std::move(rt));
    }
}

// ---- calls and method values ------------------------------------------------------------------

// The interface value a method call or method value x.m dispatches on: x itself, or the
// embedded interface field its path leads to.
void FunctionCompiler::receiver_interface_to(SelectorExpr* e, uint32_t dst) {
    uint32_t mark = m_top;
    Expr* base = e->base;
    if (e->path.empty()) {
        expr_to(base, dst);
        return;
    }
    FieldPlace p = is_pointer_type(base->type)
                       ? FieldPlace{FieldPlace::Pointer, expr_any(base), 0, base->type->underlying()->elem}
                       : place_of(base);
    p = follow_path(p, e->path);
    set_line(e->field_pos);
    load_place(p, dst);
    m_top = mark;
}

const Type* FunctionCompiler::dispatch_interface(SelectorExpr* e) const {
    return type_at_path(e->base->type, e->path);
}

// x.m(args) through an interface: the interface at base-1 and base, whose data word is the
// receiver of a frame at base; the arguments after it.
uint32_t FunctionCompiler::prepare_interface_call(CallExpr* e, CallTarget& target) {
    SelectorExpr* sel = target.iface;
    const Type* sig = e->callee->type->underlying();
    uint32_t params = signature_slots(sig->params), results = signature_slots(sig->results);
    uint32_t first = alloc(1 + std::max(1 + params, results));
    receiver_interface_to(sel, first);
    arguments_to(e, sig, first + 2);
    const Type* iface = dispatch_interface(sel);
    target.iface_type = m_pc.rt_type(iface);
    target.iface_method = iface_method_index(iface, sel->field);
    target.result_slots = results;
    return first + 1;
}

void FunctionCompiler::interface_method_value_to(SelectorExpr* e, uint32_t dst) {
    uint32_t mark = m_top;
    uint32_t cell = alloc(1);
    uint32_t value = alloc(2);
    receiver_interface_to(e, value);
    set_line(e->field_pos);
    emit(Opcode::IFACECHK, value);
    emit(Opcode::NEWCELL, cell, 2);
    emit(Opcode::STORECELL, value, cell, 0);
    emit(Opcode::STORECELL, value + 1, cell, 1);
    emit(Opcode::CLOSURE, dst, m_pc.interface_call_wrapper(dispatch_interface(e), e->field, false), 1);
    emit(Opcode::CAPTURE, 0, cell);
    m_top = mark;
}

uint32_t FunctionCompiler::interface_method_expression(SelectorExpr* e) {
    return m_pc.interface_call_wrapper(e->base->type, e->field, true);
}

// ---- type assertions and switches --------------------------------------------------------------

void FunctionCompiler::type_assert_to(TypeAssertExpr* e, uint32_t dst) {
    uint32_t mark = m_top;
    uint32_t x = expr_any(e->base);
    set_line(e->pos);
    emit(e->type->is_interface() ? Opcode::ASSERTI : Opcode::ASSERT, dst, x, m_pc.rt_type(e->type));
    emit(Opcode::EXTRA, m_pc.rt_type(e->base->type));
    m_top = mark;
}

// v, ok := x.(T): the value (or T's zero value) and then ok, in consecutive registers.
uint32_t FunctionCompiler::type_assert_ok(TypeAssertExpr* e) {
    uint32_t w = slot_width(e->asserted);
    uint32_t r = alloc(w + 1);
    uint32_t x = expr_any(e->base);
    set_line(e->pos);
    emit(e->asserted->is_interface() ? Opcode::ASSERTIOK : Opcode::ASSERTOK, r, x, m_pc.rt_type(e->asserted));
    m_top = r + w + 1;
    return r;
}

// switch v := x.(type): tests in source order, each jumping to its clause, then the clauses,
// each binding its own v.
void FunctionCompiler::type_switch(SwitchStmt* s) {
    uint32_t mark = m_top;
    if (s->init) statement(s->init);
    uint32_t x = alloc(2);
    expr_to(s->guard, x);
    uint32_t test = alloc(1);
    std::vector<std::vector<uint32_t>> to_body(s->clauses.size());
    int default_index = -1;
    for (size_t i = 0; i < s->clauses.size(); i++) {
        CaseClause* c = s->clauses[i];
        if (c->is_default) default_index = int(i);
        for (Expr* v : c->values) {
            set_line(v->pos);
            if (v->mode != Mode::Type) { // case nil
                to_body[i].push_back(emit_jump(Opcode::JMPIFNOT, x));
                continue;
            }
            emit(v->type->is_interface() ? Opcode::IMPLEMENTS : Opcode::ISTYPE, test, x, m_pc.rt_type(v->type));
            to_body[i].push_back(emit_jump(Opcode::JMPIF, test));
        }
    }
    uint32_t to_default = emit_jump(Opcode::JMP);
    m_loops.push_back({s, {}, {}});
    std::vector<uint32_t> to_end;
    for (size_t i = 0; i < s->clauses.size(); i++) {
        CaseClause* c = s->clauses[i];
        for (uint32_t j : to_body[i]) patch(j);
        if (int(i) == default_index) patch(to_default);
        uint32_t m2 = m_top;
        if (Symbol* v = c->implicit) {
            const Type* t = v->type;
            if (t->is_interface()) {
                declare_local(v, x, true);
            } else {
                uint32_t r = alloc(slot_width(t));
                emit(Opcode::ASSERT, r, x, m_pc.rt_type(t));
                emit(Opcode::EXTRA, m_pc.rt_type(s->guard->type));
                declare_local(v, r, true);
            }
        }
        for (Stmt* st : c->body) statement(st);
        m_top = m2;
        to_end.push_back(emit_jump(Opcode::JMP));
    }
    if (default_index < 0) patch(to_default);
    Loop loop = std::move(m_loops.back());
    m_loops.pop_back();
    for (uint32_t j : to_end) patch(j);
    for (uint32_t j : loop.breaks) patch(j);
    m_top = mark;
}

} // namespace csp
