// Compiler, part 5: defer statements and the returns of functions that have them.
//
// `defer f(x)` evaluates the func value and the arguments and pushes a record (DEFER).
// Every exit of such a function assigns the results, then runs the frame's deferred
// calls (RUNDEFERS, then a JMP back to it), then reloads the results, which deferred
// closures may have changed, and returns. A recovered panic resumes at the exit's
// RUNDEFERS (Function::recover_pc). Go wraps most deferred calls in closures named after
// the function's literals; the few a trace can show (`defer panic(v)`, and a nil func
// value with parameters or results) become real functions here with Go's names.
#include "lang/compiler_internal.hpp"

namespace csp {

// At entry: unnamed results get registers (zeroed when the frame is pushed), as Go's
// result slots, so that a recovered function returns what was assigned before the panic.
void FunctionCompiler::begin_defers() {
    const FunctionInfo& info = *m_info;
    // Go 1.19 open-codes the defers of a function without defers in loops, with at most 8
    // of them and returns*defers <= 15 (ssagen's buildssa); its traces tell the two apart.
    // Not modelled: Go also declines when a result escapes to the heap (captured by a
    // closure that escapes), and counts returns after dead-code elimination.
    m_fn.open_coded_defers = !info.defer_in_loop && info.defer_count <= 8 &&
                             info.return_count * info.defer_count <= 15;
    if (info.named_results) return;
    uint32_t total = 0;
    for (const Type* t : info.signature->results) total += slot_width(t);
    m_result_base = alloc(total);
}

void FunctionCompiler::defer_stmt(GoDeferStmt* s) {
    CallExpr* e = s->call;
    if (e->call_kind == CallKind::Builtin) {
        builtin_defer(s);
        return;
    }
    const Type* sig = e->callee->type->underlying();
    CallTarget target = static_callee(e->callee); // x.m(...): x is evaluated now
    bool static_call = target.function != nullptr;
    uint32_t receiver_slots = target.method ? slot_width(target.function->params[0]->type) : 0;
    uint32_t param_slots = receiver_slots;
    for (const Type* p : sig->params) param_slots += slot_width(p);
    uint32_t base = alloc(1 + param_slots);
    if (static_call) emit(Opcode::LOADF, base, target.index);
    else expr_to(e->callee, base);
    if (target.method) receiver_to(target.method, base + 1);
    arguments_to(e, sig, base + 1 + receiver_slots);
    uint32_t wrapper = !static_call && s->wrapper != 0 ? nil_wrapper(s) + 1 : 0;
    set_line(s->pos);
    emit_defer(base, param_slots, wrapper);
}

// DEFER; without open-coding, a pad where the frame resumes when this deferred call
// recovers a panic: Go resumes at the deferproc call, so its traces show this line.
void FunctionCompiler::emit_defer(uint32_t base, uint32_t arg_slots, uint32_t wrapper) {
    emit(Opcode::DEFER, base, arg_slots, wrapper);
    if (m_fn.open_coded_defers) return;
    uint32_t over = emit_jump(Opcode::JMP);
    run_defers();
    m_result_jumps.push_back(emit_jump(Opcode::JMP));
    patch(over);
}

// `defer panic(v)`, `defer print(...)`: the arguments now, the builtin later, in a
// function standing for Go's wrapper. `defer recover()` does nothing: the recover in
// Go's wrapper is not called directly by the deferred function, so it returns nil.
void FunctionCompiler::builtin_defer(GoDeferStmt* s) {
    CallExpr* e = s->call;
    auto b = Builtin(e->builtin);
    if (b == Builtin::Recover) return;
    std::vector<const Type*> types;
    if (b == Builtin::Panic) types.push_back(m_pc.m_checked.types.any());
    else
        for (Expr* a : e->args) types.push_back(a->type);
    uint32_t slots = 0;
    for (const Type* t : types) slots += slot_width(t);
    uint32_t base = alloc(1 + slots);
    uint32_t off = base + 1;
    for (size_t i = 0; i < types.size(); i++) {
        coerce_to(e->args[i], types[i], off);
        off += slot_width(types[i]);
    }
    set_line(s->pos);
    emit(Opcode::LOADF, base, builtin_wrapper(s, types));
    emit_defer(base, slots, 0);
}

// The wrapper of a deferred builtin: its arguments are its parameters (Go's wrapper
// captures them instead, so traces show it without arguments).
uint32_t FunctionCompiler::builtin_wrapper(GoDeferStmt* s, const std::vector<const Type*>& types) {
    auto b = Builtin(s->call->builtin);
    std::vector<Instr> code;
    uint32_t slots = 0;
    for (const Type* t : types) slots += slot_width(t);
    uint32_t frame_slots = std::max<uint32_t>(slots, 1);
    if (b == Builtin::Panic) {
        code.push_back(Instr::make(Opcode::PANIC, 0));
    } else if (b == Builtin::Close) {
        code.push_back(Instr::make(Opcode::CLOSE, 0));
    } else {
        uint32_t off = 0;
        for (size_t i = 0; i < types.size(); i++) {
            uint16_t flags = 0;
            if (b == Builtin::Println) flags = i + 1 < types.size() ? 1 : 2;
            code.push_back(Instr::make(Opcode::PRINT, uint16_t(off), uint16_t(m_pc.rt_type(types[i])), flags));
            off += slot_width(types[i]);
        }
        if (b == Builtin::Println && types.empty()) { // an empty line
            const Type* string_type = m_pc.m_checked.types.basic(BasicKind::String);
            code.push_back(Instr::make(Opcode::LOADNIL, 0, 0, 2));
            code.push_back(Instr::make(Opcode::PRINT, 0, uint16_t(m_pc.rt_type(string_type)), 2));
            frame_slots = 2;
        }
    }
    code.push_back(Instr::make(Opcode::RET, 0, 0));
    return add_wrapper(s, std::move(code), slots, frame_slots);
}

// Go's wrapper of a deferred func value with parameters or results faults in its own
// frame when the value is nil; DEFER names this function to run instead then.
uint32_t FunctionCompiler::nil_wrapper(GoDeferStmt* s) {
    std::vector<Instr> code = {Instr::make(Opcode::CALLV, 1, 0), Instr::make(Opcode::RET, 0, 0)};
    return add_wrapper(s, std::move(code), 0, 2);
}

// Adds a wrapper to the program, named as Go names it: after the function's literals.
uint32_t FunctionCompiler::add_wrapper(GoDeferStmt* s, std::vector<Instr> code,
                                       uint32_t param_slots, uint32_t frame_slots) {
    if (code.size() > 0xFFFF || frame_slots > 0xFFF0)
        throw std::runtime_error("internal error: deferred call too large to compile");
    bool in_literal = m_info->name.find(".func") != std::string::npos;
    auto fn = std::make_unique<Function>();
    fn->name = m_info->name + (in_literal ? "." : ".func") +
               std::to_string(m_info->literal_count + s->wrapper);
    fn->line = m_line;
    fn->lines.assign(code.size(), m_line);
    fn->code = std::move(code);
    fn->param_slots = param_slots;
    fn->frame_slots = frame_slots;
    Program& program = m_pc.m_program;
    if (program.functions.size() >= 0xFFFF)
        throw std::runtime_error("internal error: too many functions to compile");
    program.functions.push_back(std::move(fn));
    return uint32_t(program.functions.size() - 1);
}

// `return x, y` in a function with defers: x and y are evaluated, then assigned to the
// results, then the deferred calls run; the results are read back after them.
void FunctionCompiler::defer_return(ReturnStmt* s) {
    const Type* sig = m_info->signature;
    uint32_t total = 0;
    for (const Type* r : sig->results) total += slot_width(r);
    if (total > 0 && !s->results.empty()) {
        uint32_t values = alloc(total);
        if (s->results.size() == 1 && sig->results.size() > 1) {
            uint32_t src = call(static_cast<CallExpr*>(s->results[0]));
            emit(Opcode::MOVEN, values, src, total);
        } else {
            uint32_t off = 0;
            for (size_t i = 0; i < s->results.size(); i++) {
                coerce_to(s->results[i], sig->results[i], values + off);
                off += slot_width(sig->results[i]);
            }
        }
        if (m_info->named_results) {
            uint32_t off = 0;
            for (Symbol* r : m_info->results) {
                store_var(r, values + off);
                off += slot_width(r->type);
            }
        } else {
            emit(Opcode::MOVEN, m_result_base, values, total);
        }
    }
    set_line(s->pos);
    run_defers();
    return_results();
}

namespace {

// The first `panic(...)` statement of a function body (not of its literals), if any.
Stmt* first_panic(const std::vector<Stmt*>& list);

Stmt* first_panic(Stmt* s) {
    if (!s) return nullptr;
    switch (s->kind) {
    case StmtKind::Expr: {
        Expr* e = static_cast<ExprStmt*>(s)->expr;
        auto* call = e->kind == ExprKind::Call ? static_cast<CallExpr*>(e) : nullptr;
        bool panics = call && call->call_kind == CallKind::Builtin && Builtin(call->builtin) == Builtin::Panic;
        return panics ? s : nullptr;
    }
    case StmtKind::Block: return first_panic(static_cast<Block*>(s)->statements);
    case StmtKind::If: {
        auto* i = static_cast<IfStmt*>(s);
        Stmt* found = first_panic(i->then_block);
        return found ? found : first_panic(i->else_branch);
    }
    case StmtKind::For: return first_panic(static_cast<ForStmt*>(s)->body);
    case StmtKind::Range: return first_panic(static_cast<RangeStmt*>(s)->body);
    case StmtKind::Labeled: return first_panic(static_cast<LabeledStmt*>(s)->statement);
    case StmtKind::Switch: case StmtKind::TypeSwitch: case StmtKind::Select:
        for (CaseClause* c : static_cast<SwitchStmt*>(s)->clauses)
            if (Stmt* found = first_panic(c->body)) return found;
        return nullptr;
    default: return nullptr;
    }
}

Stmt* first_panic(const std::vector<Stmt*>& list) {
    for (Stmt* s : list)
        if (Stmt* found = first_panic(s)) return found;
    return nullptr;
}

// The last return statement of a function body (not of its literals), if any.
Stmt* last_return(Stmt* s) {
    if (!s) return nullptr;
    Stmt* found = nullptr;
    auto scan = [&found](const std::vector<Stmt*>& list) {
        for (Stmt* t : list)
            if (Stmt* r = last_return(t)) found = r;
    };
    switch (s->kind) {
    case StmtKind::Return: return s;
    case StmtKind::Block: scan(static_cast<Block*>(s)->statements); break;
    case StmtKind::If: {
        auto* i = static_cast<IfStmt*>(s);
        found = last_return(i->then_block);
        if (Stmt* r = last_return(i->else_branch)) found = r;
        break;
    }
    case StmtKind::For: found = last_return(static_cast<ForStmt*>(s)->body); break;
    case StmtKind::Range: found = last_return(static_cast<RangeStmt*>(s)->body); break;
    case StmtKind::Labeled: found = last_return(static_cast<LabeledStmt*>(s)->statement); break;
    case StmtKind::Switch: case StmtKind::TypeSwitch: case StmtKind::Select:
        for (CaseClause* c : static_cast<SwitchStmt*>(s)->clauses) scan(c->body);
        break;
    default: break;
    }
    return found;
}

} // namespace

// The exit at the closing brace, then the code returning the results, which the
// recovery pads jump to. With open-coded defers, Go resumes a recovered frame at a
// deferreturn call placed after the function's last block; that block is usually its
// first panic call, else its last return: traces show that line (an approximation of
// Go's block layout, which also moves runtime error checks there).
void FunctionCompiler::defer_exit(Block* body) {
    run_defers();
    uint32_t results = here();
    return_results();
    for (uint32_t jump : m_result_jumps) patch_to(jump, results);
    if (!m_fn.open_coded_defers) return;
    Stmt* at = first_panic(body->statements);
    bool falls_off = body->statements.empty() || body->statements.back()->kind != StmtKind::Return;
    if (!at && !falls_off) at = last_return(body);
    if (at) set_line(at->pos);
    m_fn.recover_pc = here();
    run_defers();
    jump_back(results);
}

void FunctionCompiler::run_defers() {
    uint32_t at = emit(Opcode::RUNDEFERS);
    jump_back(at);
}

void FunctionCompiler::return_results() {
    const FunctionInfo& info = *m_info;
    uint32_t total = 0;
    for (const Type* t : info.signature->results) total += slot_width(t);
    if (total == 0 || !info.named_results) {
        emit(Opcode::RET, m_result_base, total);
        return;
    }
    uint32_t mark = m_top;
    uint32_t base = alloc(total);
    uint32_t off = 0;
    for (Symbol* r : info.results) {
        load_var(r, base + off);
        off += slot_width(r->type);
    }
    emit(Opcode::RET, base, total);
    m_top = mark;
}

} // namespace csp
