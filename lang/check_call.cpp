// Checker, part 4: calls of functions, builtins and conversions, with Go's argument
// count and type errors.
#include "lang/checker_internal.hpp"
#include "lang/lexer.hpp"

namespace csp {

void Checker::call(CallExpr* e) {
    e->mode = Mode::Invalid;
    e->type = m_types.invalid();
    expr_or_type(e->callee);
    Expr* f = e->callee;
    if (f->mode == Mode::Invalid) {
        for (Expr* a : e->args) multi_expr(a);
        return;
    }
    if (f->mode == Mode::Type) {
        e->call_kind = CallKind::Conversion;
        conversion(e, f->type);
        return;
    }
    if (f->mode == Mode::Builtin) {
        e->call_kind = CallKind::Builtin;
        Symbol* s = static_cast<NameExpr*>(f)->symbol;
        e->builtin = uint8_t(s->builtin);
        builtin_call(e, s->builtin);
        if (e->mode != Mode::Invalid && e->mode != Mode::Constant) m_has_call = true;
        return;
    }
    m_has_call = true;
    const Type* sig = f->type->underlying();
    if (sig->cls != TypeClass::Signature) {
        error(e->pos, "invalid operation: cannot call non-function " + describe(f));
        for (Expr* a : e->args) multi_expr(a);
        return;
    }
    // Arguments: f(g()) spreads a multi-valued g.
    std::vector<Expr*>& args = e->args;
    bool tuple_arg = false;
    if (args.size() == 1) {
        multi_expr(args[0], sig->params.empty() ? nullptr : sig->params[0]);
        if (args[0]->mode == Mode::NoValue) {
            error(args[0]->pos, expr_string(args[0]) + " (no value) used as value");
            return;
        }
        tuple_arg = args[0]->type && args[0]->type->cls == TypeClass::Tuple;
    } else {
        for (size_t i = 0; i < args.size(); i++) {
            const Type* hint = nullptr;
            if (i < sig->params.size()) hint = sig->params[i];
            expr(args[i], hint);
        }
    }
    for (Expr* a : args)
        if (a->mode == Mode::Invalid) return;
    std::vector<const Type*> have;
    if (tuple_arg) have = args[0]->type->params;
    else
        for (Expr* a : args) have.push_back(a->type);
    size_t nparams = sig->params.size();
    bool variadic = sig->variadic && !e->spread;
    if (e->spread && !sig->variadic) {
        error(args.back()->pos, "have (...) but function is not variadic: " + expr_string(f));
        return;
    }
    size_t min_args = variadic ? nparams - 1 : nparams;
    if (have.size() < min_args || (!variadic && have.size() > nparams)) {
        bool too_few = have.size() < min_args;
        std::string want = "(";
        for (size_t i = 0; i < nparams; i++) {
            if (i) want += ", ";
            if (sig->variadic && i + 1 == nparams) want += "..." + sig->params[i]->elem->spelling();
            else want += sig->params[i]->spelling();
        }
        want += ")";
        Pos at = too_few ? (args.empty() ? e->pos : args.back()->pos)
                         : args[std::min(nparams, args.size() - 1)]->pos;
        error(at, std::string(too_few ? "not enough" : "too many") + " arguments in call to " +
                      expr_string(f) + "\n\thave " + describe_types(args) + "\n\twant " + want);
        return;
    }
    if (!tuple_arg) {
        for (size_t i = 0; i < args.size(); i++) {
            const Type* param = i < nparams ? sig->params[i] : sig->params.back();
            if (variadic && i + 1 >= nparams) param = sig->params.back()->elem;
            assign(args[i], param, {"argument to " + expr_string(f)});
        }
    } else {
        for (size_t i = 0; i < have.size(); i++) {
            const Type* param = i < nparams ? sig->params[i] : sig->params.back();
            if (variadic && i + 1 >= nparams) param = sig->params.back()->elem;
            if (!assignable(have[i], param)) {
                error(args[0]->pos, "cannot use " + expr_string(args[0]) + " (value of type " +
                                        have[i]->spelling() + ") as type " +
                                        param->spelling() + " in argument to " + expr_string(f));
                return;
            }
        }
    }
    if (sig->results.empty()) {
        e->mode = Mode::NoValue;
        e->type = m_types.tuple({});
    } else if (sig->results.size() == 1) {
        e->mode = Mode::Value;
        e->type = sig->results[0];
    } else {
        e->mode = Mode::Value;
        e->type = m_types.tuple(sig->results);
    }
}

void Checker::conversion(CallExpr* e, const Type* target) {
    if (e->args.size() != 1 || e->spread) {
        error(e->args.empty() ? e->pos : e->args.back()->pos,
              std::string(e->args.empty() ? "missing argument" : "too many arguments") +
                  " in conversion to " + target->spelling());
        for (Expr* a : e->args) expr(a);
        return;
    }
    Expr* x = e->args[0];
    expr(x, target);
    if (x->mode == Mode::Invalid) return;
    const Type* from = x->type;
    std::string fail = "cannot convert " + describe(x) + " to type " + target->spelling();
    if (x->mode == Mode::Constant && target->underlying()->cls == TypeClass::Basic) {
        Constant v = x->value;
        bool ok = false;
        if (target->is_integer() && v.is_numeric() && v.is_integral()) {
            ok = true;
            v = v.to_int();
        } else if (target->is_float() && v.is_numeric()) {
            ok = true;
            v = v.to_float();
        } else if (target->is_string() && v.kind() == Constant::Kind::String) {
            ok = true;
        } else if (target->is_boolean() && v.kind() == Constant::Kind::Bool) {
            ok = true;
        } else if (target->is_string() && v.is_numeric() && from->is_integer()) {
            // string(65) is "A"; values that are no code point give "\uFFFD", as in Go.
            mpz_class code = v.to_int().as_integer();
            uint32_t rune = code >= 0 && code <= 0x10FFFF ? uint32_t(code.get_ui()) : 0xFFFD;
            if (rune >= 0xD800 && rune <= 0xDFFF) rune = 0xFFFD;
            std::string text;
            append_utf8(text, rune);
            e->value = Constant::string(text);
            e->mode = Mode::Constant;
            e->type = target;
            return;
        }
        if (ok) {
            // representability in the target type
            x->value = v;
            x->type = from;
            e->value = v;
            e->mode = Mode::Constant;
            e->type = target;
            // check range via assign-like logic without the "cannot use" wording
            // A leaf copy of x (only its value and type), so nothing descends into x's
            // children through a sliced copy.
            Expr probe(ExprKind::BadLit);
            probe.pos = x->pos;
            probe.mode = x->mode;
            probe.value = x->value;
            probe.type = m_types.basic(BasicKind::UntypedFloat);
            if (v.kind() == Constant::Kind::Int) probe.type = m_types.basic(BasicKind::UntypedInt);
            if (v.kind() == Constant::Kind::String) probe.type = m_types.basic(BasicKind::UntypedString);
            if (v.kind() == Constant::Kind::Bool) probe.type = m_types.basic(BasicKind::UntypedBool);
            if (!convert_untyped(&probe, target)) {
                error(x->pos, fail);
                e->mode = Mode::Invalid;
                return;
            }
            e->value = probe.value;
            if (from->is_untyped()) set_type_deep(x, target->is_float() && from->is_integer() ? m_types.default_type(from) : m_types.default_type(from));
            return;
        }
    }
    if (from->is_basic(BasicKind::UntypedNil)) { // nil takes the target type, if it has nil
        if (!has_nil(target)) {
            error(x->pos, fail);
            return;
        }
        set_type_deep(x, target);
        e->mode = Mode::Value;
        e->type = target;
        return;
    }
    bool ok = assignable(from, target) || (from->is_numeric() && target->is_numeric()) ||
              identical(from->underlying(), target->underlying()) || string_convertible(from, target) ||
              (from->cls == TypeClass::Pointer && target->cls == TypeClass::Pointer &&
               identical(from->elem->underlying(), target->elem->underlying()));
    if (ok && from->is_basic(BasicKind::UntypedNil)) { // []int(nil): a typed nil
        set_type_deep(x, target);
        e->mode = Mode::Value;
        e->type = target;
        return;
    }
    if (from->is_untyped() && ok) default_untyped(x);
    if (!ok && from->is_untyped() && from->is_numeric() && target->is_numeric()) ok = true;
    if (!ok) {
        error(x->pos, fail);
        return;
    }
    if (x->type->is_untyped()) default_untyped(x);
    e->mode = Mode::Value;
    e->type = target;
}

void Checker::builtin_call(CallExpr* e, Builtin b) {
    auto& args = e->args;
    auto name = expr_string(e->callee);
    auto need = [&](size_t n) {
        if (args.size() == n) return true;
        error(e->pos, std::string("invalid operation: ") +
                          (args.size() < n ? "not enough" : "too many") + " arguments for " +
                          expr_string(e) + " (expected " + std::to_string(n) + ", found " +
                          std::to_string(args.size()) + ")");
        return false;
    };
    if (e->spread && b != Builtin::Append) {
        error(e->pos, "invalid operation: invalid use of ... with built-in " + name);
        for (Expr* a : args) expr_or_type(a);
        return;
    }
    switch (b) {
    case Builtin::Len:
    case Builtin::Cap: builtin_len_cap(e, b); return;
    case Builtin::Append: builtin_append(e); return;
    case Builtin::Copy: builtin_copy(e); return;
    case Builtin::Make: builtin_make(e); return;
    case Builtin::Clear: builtin_clear(e); return;
    case Builtin::Delete: builtin_delete(e); return;
    case Builtin::Print:
    case Builtin::Println:
        for (Expr* a : args) {
            expr(a);
            if (a->mode == Mode::Invalid) continue;
            if (a->type->underlying()->cls == TypeClass::Array) { // rejected by Go's back end,
                Pos lparen = e->pos;                                // at the call's parenthesis
                if (e->callee->kind == ExprKind::Name)
                    lparen.offset += uint32_t(static_cast<NameExpr*>(e->callee)->name.size());
                error(lparen, "illegal types for operand: print\n\t" + a->type->spelling());
                continue;
            }
            if (a->type->is_basic(BasicKind::UntypedNil)) {
                error(a->pos, "use of untyped nil in argument to built-in " + name);
                continue;
            }
            if (a->mode == Mode::Constant && a->type->is_untyped()) {
                const Type* d = m_types.default_type(a->type);
                assign(a, d, {"argument to built-in " + name});
            }
            // Go's walk (after type checking) rejects values print cannot show.
            if (a->type->underlying()->cls == TypeClass::Struct) {
                // Reported at the call's '(', and only when type checking succeeds.
                std::string_view text = m_current_diags->file().text();
                size_t at = std::min<size_t>(args[0]->pos.offset, text.size());
                while (at > 0 && text[at] != '(') at--;
                m_late_errors.push_back({{uint32_t(at)}, "illegal types for operand: print\n\t" +
                                                             a->type->spelling()});
            }
        }
        e->mode = Mode::NoValue;
        e->type = m_types.tuple({});
        return;
    case Builtin::Panic:
        if (!need(1)) return;
        expr(args[0]);
        assign(args[0], m_types.any(), {"argument to built-in panic"});
        e->mode = Mode::NoValue;
        e->type = m_types.tuple({});
        return;
    case Builtin::Min:
    case Builtin::Max: {
        if (args.empty()) {
            error(e->pos, "invalid operation: not enough arguments for " + expr_string(e) +
                              " (expected 1, found 0)");
            return;
        }
        for (Expr* a : args) expr(a);
        for (Expr* a : args)
            if (a->mode == Mode::Invalid) return;
        const Type* t = nullptr;
        for (Expr* a : args)
            if (!a->type->is_untyped()) t = a->type;
        bool all_const = true;
        for (Expr* a : args) all_const &= a->mode == Mode::Constant;
        if (!t) { // all untyped: widest kind
            t = args[0]->type;
            for (Expr* a : args)
                if (a->type->is_float()) t = a->type;
        }
        for (Expr* a : args) {
            if (a->type->is_untyped() && !t->is_untyped()) assign(a, t, {"argument to " + name});
            else if (!identical(a->type, t) && !(a->type->is_untyped() && t->is_untyped())) {
                error(a->pos, "invalid argument: mismatched types " + t->spelling() + " (previous argument) and " + a->type->spelling() + " (type of " + expr_string(a) + ")");
                return;
            }
            if (!a->type->is_numeric() && !a->type->is_string()) {
                error(a->pos, "invalid argument: " + describe(a) + " cannot be ordered");
                return;
            }
        }
        e->type = t;
        if (all_const) {
            Constant best = args[0]->value;
            for (Expr* a : args) {
                bool less = *Constant::compare("<", a->value, best);
                if ((b == Builtin::Min) == less) best = a->value;
            }
            e->mode = Mode::Constant;
            e->value = best;
        } else {
            if (t->is_untyped()) {
                for (Expr* a : args) default_untyped(a);
                e->type = args[0]->type;
            }
            e->mode = Mode::Value;
        }
        return;
    }
    case Builtin::New: {
        if (!need(1)) return;
        const Type* t = resolve_type(args[0]);
        if (t == m_types.invalid()) return;
        e->mode = Mode::Value;
        e->type = m_types.pointer(t);
        return;
    }
    case Builtin::Close:
        if (!need(1)) return;
        close_call(e);
        return;
    case Builtin::Recover:
        if (!need(0)) return;
        e->mode = Mode::Value;
        e->type = m_types.any();
        return;
    default:
        for (Expr* a : args) expr_or_type(a);
        unsupported(e, "the built-in " + name + " is");
    }
}

// `defer f(x)`: Go's parser checks the form, then types2's suspendedCall checks the call
// as an expression: conversions and builtins with results are errors. Also counts what
// the compiler needs to name Go's wrapper closures and to tell open-coded defers.
// go and defer statements: Go checks both alike (the call, then what it may discard).
void Checker::defer_stmt(GoDeferStmt* s) {
    const std::string what = s->kind == StmtKind::Go ? "go" : "defer";
    if (s->expr->kind == ExprKind::Paren)
        error(s->expr->pos, "expression in " + what + " must not be parenthesized");
    Expr* written = s->expr;
    while (written->kind == ExprKind::Paren) written = static_cast<ParenExpr*>(written)->inner;
    if (written->kind != ExprKind::Call) {
        // Go's parser reports at the node's position, which for x.f is the dot.
        Pos at = written->pos;
        if (written->kind == ExprKind::Selector) {
            at = static_cast<SelectorExpr*>(written)->field_pos;
            const std::string& text = m_current_diags->file().text();
            while (at.offset > 0 && at.offset <= text.size() && text[at.offset - 1] != '.') --at.offset;
            if (at.offset > 0) --at.offset;
        }
        error(at, "expression in " + what + " must be function call");
        if (!s->call) expr_or_type(s->expr);
    }
    if (!s->call) return;
    FunctionInfo* fn = m_function;
    if (s->kind == StmtKind::Defer) {
        ++fn->defer_count;
        for (const Target& target : m_targets)
            if (target.loop) fn->defer_in_loop = true;
    }
    CallExpr* c = s->call;
    call(c);
    if (c->mode == Mode::Invalid) return;
    if (c->call_kind == CallKind::Conversion) {
        error(c->pos, what + " requires function call, not conversion " + describe(c));
        return;
    }
    if (c->call_kind == CallKind::Builtin) {
        auto b = Builtin(c->builtin);
        if (b != Builtin::Print && b != Builtin::Println && b != Builtin::Panic && b != Builtin::Recover &&
            b != Builtin::Close) {
            error(c->pos, what + " discards result of " + describe(c));
            return;
        }
        if (s->kind == StmtKind::Defer) s->wrapper = ++fn->defer_wrappers;
        return;
    }
    // Go wraps every deferred call but that of a func() with no parameters and results.
    // (Its wrappers of go statements take no name from the function's literals.)
    const Type* sig = c->callee->type->underlying();
    if (s->kind == StmtKind::Defer && (!sig->params.empty() || !sig->results.empty()))
        s->wrapper = ++fn->defer_wrappers;
}

} // namespace csp
