// Checker, part 3: operators, calls, conversions, and the rules that give untyped
// constants their final type (representability: "overflows", "truncated").
#include "lang/checker_internal.hpp"

namespace csp {

namespace {

bool is_ordered(const Type* t) { return t->is_numeric() || t->is_string(); }

int untyped_rank(const Type* t) {
    switch (t->basic) {
    case BasicKind::UntypedInt: return 1;
    case BasicKind::UntypedRune: return 2;
    case BasicKind::UntypedFloat: return 3;
    default: return 0;
    }
}

// Whether constant value v fits type t; sets why to "overflows" or "truncated".
bool fits(const Constant& v, const Type* t, const char*& why) {
    const Type* u = t->underlying();
    if (u->cls != TypeClass::Basic) return false;
    if (t->is_integer() && !t->is_untyped()) {
        if (!v.is_numeric()) return false;
        if (!v.is_integral()) {
            why = "truncated";
            return false;
        }
        mpz_class x = v.as_integer();
        int bits = t->int_bits();
        mpz_class lo, hi;
        if (t->is_unsigned()) {
            lo = 0;
            mpz_ui_pow_ui(hi.get_mpz_t(), 2, bits);
            hi -= 1;
        } else {
            mpz_ui_pow_ui(hi.get_mpz_t(), 2, bits - 1);
            lo = -hi;
            hi -= 1;
        }
        if (x < lo || x > hi) {
            why = "overflows";
            return false;
        }
        return true;
    }
    if (t->is_float() && !t->is_untyped()) {
        if (!v.is_numeric()) return false;
        bool f32 = u->basic == BasicKind::Float32;
        if (!v.double_value(f32 ? 24 : 53, f32 ? -126 : -1022, f32 ? 127 : 1023)) {
            why = "overflows";
            return false;
        }
        return true;
    }
    if (t->is_string()) return v.kind() == Constant::Kind::String;
    if (t->is_boolean()) return v.kind() == Constant::Kind::Bool;
    return false;
}

// Rounds a float constant to the precision of its type (float32/float64).
Constant rounded(const Constant& v, const Type* t) {
    if (!t->is_float() || t->is_untyped() || !v.is_numeric()) return v;
    bool f32 = t->underlying()->basic == BasicKind::Float32;
    auto d = v.double_value(f32 ? 24 : 53, f32 ? -126 : -1022, f32 ? 127 : 1023);
    if (!d) return v;
    mpq_class q(*d);
    return Constant::floating(q);
}

} // namespace

void Checker::set_type_deep(Expr* e, const Type* t) {
    e->type = t;
    if (e->kind == ExprKind::Paren) set_type_deep(static_cast<ParenExpr*>(e)->inner, t);
    if (e->kind == ExprKind::Binary) {
        auto* b = static_cast<BinaryExpr*>(e);
        bool cmp = b->op >= Op::Eq && b->op <= Op::Ge;
        if (!cmp && b->op != Op::Shl && b->op != Op::Shr) {
            if (b->left->type && b->left->type->is_untyped()) set_type_deep(b->left, t);
            if (b->right->type && b->right->type->is_untyped()) set_type_deep(b->right, t);
        } else if (b->op == Op::Shl || b->op == Op::Shr) {
            if (b->left->type && b->left->type->is_untyped()) set_type_deep(b->left, t);
        }
    }
    if (e->kind == ExprKind::Unary) {
        auto* u = static_cast<UnaryExpr*>(e);
        if (u->operand->type && u->operand->type->is_untyped()) set_type_deep(u->operand, t);
    }
}

// Gives an untyped operand its default type (int, float64, string, bool, rune→int32).
void Checker::default_untyped(Expr* e) {
    if (!e->type || !e->type->is_untyped() || e->mode == Mode::Invalid) return;
    if (e->type->is_basic(BasicKind::UntypedNil)) {
        error(e->pos, "use of untyped nil in assignment");
        e->mode = Mode::Invalid;
        return;
    }
    convert_untyped(e, m_types.default_type(e->type));
}

// Converts an untyped operand to `target` in place; false (no error) when impossible.
bool Checker::convert_untyped(Expr* e, const Type* target) {
    if (!e->type->is_untyped()) return true;
    if (target->is_interface()) target = m_types.default_type(e->type);
    if (e->mode == Mode::Constant) {
        const char* why = nullptr;
        if (!fits(e->value, target, why)) return false;
        Constant v = e->value;
        if (target->is_float()) v = rounded(v.to_float(), target);
        else if (target->is_integer()) v = v.to_int();
        e->value = v;
        set_type_deep(e, target);
        return true;
    }
    if (e->type->is_boolean() && target->is_boolean()) {
        set_type_deep(e, target);
        return true;
    }
    if (e->type->is_numeric() && target->is_numeric()) { // non-constant shifts of constants
        set_type_deep(e, target);
        return true;
    }
    return false;
}

bool Checker::assignable(const Type* from, const Type* to) const {
    if (identical(from, to)) return true;
    if (to->is_interface()) {
        const Type* iface = to->underlying();
        if (iface->methods.empty()) return true;
        return false; // no user types with methods yet
    }
    if ((from->cls != TypeClass::Named || to->cls != TypeClass::Named) &&
        identical(from->underlying(), to->underlying()))
        return true;
    if (from->is_basic(BasicKind::UntypedNil)) {
        TypeClass c = to->underlying()->cls;
        return c == TypeClass::Signature || c == TypeClass::Interface || c == TypeClass::Pointer ||
               c == TypeClass::Slice || c == TypeClass::Map || c == TypeClass::Chan;
    }
    return false;
}

// Assigns e to a variable of type target (Go's assignability), in context ctx.
bool Checker::assign(Expr* e, const Type* target, const AssignContext& ctx) {
    if (e->mode == Mode::Invalid || !target || target == m_types.invalid()) return false;
    if (e->mode == Mode::Type || e->mode == Mode::Builtin || e->mode == Mode::NoValue) {
        error(e->pos, e->mode == Mode::NoValue ? expr_string(e) + " (no value) used as value"
                                               : describe(e) + " is not an expression");
        e->mode = Mode::Invalid;
        return false;
    }
    if (e->type->is_untyped() && !e->type->is_basic(BasicKind::UntypedNil)) {
        if (e->mode == Mode::Constant) {
            const char* why = nullptr;
            Constant v = e->value;
            const Type* t = target->is_interface() ? m_types.default_type(e->type) : target;
            if (!fits(v, t, why)) {
                std::string suffix = why ? std::string(" (") + why + ")" : "";
                error(e->pos, "cannot use " + describe(e) + " as " + target->to_string() +
                                  " value in " + ctx.what + suffix);
                e->mode = Mode::Invalid;
                return false;
            }
        }
        if (!convert_untyped(e, target)) {
            error(e->pos, "cannot use " + describe(e) + " as " + target->to_string() + " value in " + ctx.what);
            e->mode = Mode::Invalid;
            return false;
        }
        return true;
    }
    if (!assignable(e->type, target)) {
        if (e->type->is_basic(BasicKind::UntypedNil))
            error(e->pos, "cannot use nil as " + target->to_string() + " value in " + ctx.what);
        else
            error(e->pos, "cannot use " + describe(e) + " as type " + target->to_string() + " in " + ctx.what);
        e->mode = Mode::Invalid;
        return false;
    }
    if (e->type->is_basic(BasicKind::UntypedNil)) e->type = target;
    return true;
}

void Checker::unary(UnaryExpr* e, const Type* hint) {
    if (e->op == Op::Addr) {
        expr(e->operand);
        unsupported(e, "pointers (&" + expr_string(e->operand) + ") are");
        return;
    }
    if (e->op == Op::Arrow) {
        expr(e->operand);
        unsupported(e, "channel receive is");
        return;
    }
    expr(e->operand, hint);
    Expr* x = e->operand;
    if (x->mode == Mode::Invalid) return;
    const Type* t = x->type;
    bool ok = e->op == Op::Not ? t->is_boolean()
              : e->op == Op::Xor ? t->is_integer()
                                 : t->is_numeric();
    if (!ok) {
        error(e->pos, std::string("invalid operation: operator ") + op_spelling(e->op) +
                          " not defined on " + describe(x));
        return;
    }
    e->type = t;
    e->mode = x->mode == Mode::Constant ? Mode::Constant : Mode::Value;
    if (e->mode != Mode::Constant) return;
    const Constant& v = x->value;
    switch (e->op) {
    case Op::Not: e->value = Constant::boolean(!v.as_bool()); break;
    case Op::Sub: e->value = v.negate(); break;
    case Op::Add: e->value = v; break;
    default: { // ^x: for unsigned typed constants, complement within the type's width
        mpz_class c = -v.as_integer() - 1;
        if (t->is_unsigned() && !t->is_untyped()) {
            mpz_class mask;
            mpz_ui_pow_ui(mask.get_mpz_t(), 2, t->int_bits());
            mask -= 1;
            c = v.as_integer() ^ mask;
        }
        e->value = Constant::integer(c);
    }
    }
    const char* why = nullptr;
    if (!t->is_untyped() && !fits(e->value, t, why)) {
        error(e->pos, "constant " + e->value.to_string() + " overflows " + t->to_string());
        e->mode = Mode::Invalid;
    }
}

void Checker::binary(BinaryExpr* e, const Type* hint) {
    if (e->op == Op::Shl || e->op == Op::Shr) {
        shift(e, hint);
        return;
    }
    if (e->op >= Op::Eq && e->op <= Op::Ge) {
        comparison(e);
        return;
    }
    expr(e->left, hint);
    expr(e->right, hint);
    Expr* l = e->left;
    Expr* r = e->right;
    if (l->mode == Mode::Invalid || r->mode == Mode::Invalid) return;
    std::string mismatch = "invalid operation: " + expr_string(e) + " (mismatched types " +
                           l->type->to_string() + " and " + r->type->to_string() + ")";
    // Bring untyped operands to the other side's type.
    if (l->type->is_untyped() && !r->type->is_untyped()) {
        if (!convert_untyped(l, r->type)) {
            const char* why = nullptr;
            if (l->mode == Mode::Constant && !fits(l->value, r->type, why) && why &&
                ((l->type->is_numeric() && r->type->is_numeric())))
                error(l->pos, "cannot use " + describe(l) + " as " + r->type->to_string() +
                                  " value in expression (" + why + ")");
            else
                error(e->op_pos, mismatch);
            return;
        }
    } else if (r->type->is_untyped() && !l->type->is_untyped()) {
        if (!convert_untyped(r, l->type)) {
            const char* why = nullptr;
            if (r->mode == Mode::Constant && !fits(r->value, l->type, why) && why &&
                ((l->type->is_numeric() && r->type->is_numeric())))
                error(r->pos, "cannot use " + describe(r) + " as " + l->type->to_string() +
                                  " value in expression (" + why + ")");
            else
                error(e->op_pos, mismatch);
            return;
        }
    } else if (l->type->is_untyped() && r->type->is_untyped()) {
        bool both_numeric = l->type->is_numeric() && r->type->is_numeric();
        if (!both_numeric && l->type != r->type) {
            error(e->op_pos, mismatch);
            return;
        }
        if (both_numeric) {
            const Type* wider = untyped_rank(l->type) >= untyped_rank(r->type) ? l->type : r->type;
            l->type = r->type = wider;
        }
    } else if (!identical(l->type, r->type)) {
        error(e->op_pos, mismatch);
        return;
    }
    const Type* t = l->type;
    bool ok;
    switch (e->op) {
    case Op::Add: ok = t->is_numeric() || t->is_string(); break;
    case Op::Sub: case Op::Mul: case Op::Div: ok = t->is_numeric(); break;
    case Op::Rem: case Op::And: case Op::Or: case Op::Xor: case Op::AndNot: ok = t->is_integer(); break;
    case Op::LogAnd: case Op::LogOr: ok = t->is_boolean(); break;
    default: ok = false;
    }
    if (!ok) {
        error(e->op_pos, std::string("invalid operation: operator ") + op_spelling(e->op) +
                             " not defined on " + describe(l));
        return;
    }
    if ((e->op == Op::Div || e->op == Op::Rem) && r->mode == Mode::Constant &&
        r->value.is_numeric() && sgn(r->value.as_rational()) == 0 &&
        (t->is_integer() || l->mode == Mode::Constant)) {
        error(r->pos, "invalid operation: division by zero");
        return;
    }
    e->type = t;
    if (l->mode != Mode::Constant || r->mode != Mode::Constant) {
        e->mode = Mode::Value;
        return;
    }
    e->mode = Mode::Constant;
    if (e->op == Op::LogAnd || e->op == Op::LogOr) {
        bool a = l->value.as_bool(), b = r->value.as_bool();
        e->value = Constant::boolean(e->op == Op::LogAnd ? a && b : a || b);
        return;
    }
    if (e->op == Op::Add && t->is_string()) {
        e->value = Constant::string(l->value.as_string() + r->value.as_string());
        return;
    }
    Constant a = l->value, b = r->value;
    if (t->is_float()) a = a.to_float(), b = b.to_float();
    if (t->is_integer() && !t->is_untyped()) a = a.to_int(), b = b.to_int();
    static const char ops[] = {'+', '-', '*', '/', '%', '&', '|', '^', 0, 0, 'n'};
    e->value = Constant::binary(ops[size_t(e->op)], a, b);
    if (!t->is_untyped()) {
        e->value = rounded(e->value, t);
        const char* why = nullptr;
        if (!fits(e->value, t, why)) {
            error(e->pos, "constant " + e->value.to_string() + " overflows " + t->to_string());
            e->mode = Mode::Invalid;
        }
    }
}

void Checker::shift(BinaryExpr* e, const Type* hint) {
    expr(e->left, hint);
    expr(e->right);
    Expr* l = e->left;
    Expr* r = e->right;
    if (l->mode == Mode::Invalid || r->mode == Mode::Invalid) return;
    if (r->mode == Mode::Constant) {
        if (!r->value.is_numeric() || !r->value.is_integral() || sgn(r->value.as_rational()) < 0) {
            error(r->pos, "invalid shift count " + describe(r));
            return;
        }
        if (r->type->is_untyped()) convert_untyped(r, m_types.basic(BasicKind::Uint));
    } else if (!r->type->is_integer()) {
        error(r->pos, "invalid operation: shift count " + describe(r) + " must be integer");
        return;
    }
    if (l->mode == Mode::Constant && l->type->is_untyped()) {
        if (!l->value.is_numeric() || !l->value.is_integral()) {
            error(l->pos, "invalid operation: shifted operand " + describe(l) + " must be integer");
            return;
        }
        if (r->mode == Mode::Constant) {
            uint64_t count = r->value.uint64_value();
            if (count > 10000) {
                error(r->pos, "invalid shift count " + describe(r));
                return;
            }
            e->mode = Mode::Constant;
            e->type = l->type->is_basic(BasicKind::UntypedFloat) ? m_types.basic(BasicKind::UntypedInt) : l->type;
            e->value = l->value.to_int().shift(e->op == Op::Shl, count);
            return;
        }
        // A non-constant shift of an untyped constant: the constant takes its type from
        // the context; int when there is none.
        const Type* t = hint && hint->is_integer() ? hint : m_types.basic(BasicKind::Int);
        if (!convert_untyped(l, t)) {
            error(l->pos, "cannot use " + describe(l) + " as " + t->to_string() + " value in shift");
            return;
        }
    }
    if (!l->type->is_integer()) {
        error(l->pos, "invalid operation: shifted operand " + describe(l) + " must be integer");
        return;
    }
    e->type = l->type;
    if (l->mode == Mode::Constant && r->mode == Mode::Constant) {
        uint64_t count = r->value.uint64_value();
        e->mode = Mode::Constant;
        e->value = l->value.shift(e->op == Op::Shl, count > 10000 ? 10000 : count);
        const char* why = nullptr;
        if (!fits(e->value, e->type, why)) {
            error(e->pos, "constant " + e->value.to_string() + " overflows " + e->type->to_string());
            e->mode = Mode::Invalid;
        }
        return;
    }
    e->mode = Mode::Value;
}

void Checker::comparison(BinaryExpr* e) {
    expr(e->left);
    expr(e->right);
    Expr* l = e->left;
    Expr* r = e->right;
    if (l->mode == Mode::Invalid || r->mode == Mode::Invalid) return;
    std::string mismatch = "invalid operation: " + expr_string(e) + " (mismatched types " +
                           l->type->to_string() + " and " + r->type->to_string() + ")";
    bool l_nil = l->type->is_basic(BasicKind::UntypedNil);
    bool r_nil = r->type->is_basic(BasicKind::UntypedNil);
    if (l_nil || r_nil) {
        Expr* other = l_nil ? r : l;
        TypeClass c = other->type->underlying()->cls;
        bool nillable = c == TypeClass::Signature || c == TypeClass::Interface;
        if (!nillable || (e->op != Op::Eq && e->op != Op::Ne)) {
            error(e->op_pos, mismatch);
            return;
        }
    } else if (l->type->is_untyped() && !r->type->is_untyped()) {
        if (!convert_untyped(l, r->type)) {
            error(e->op_pos, mismatch);
            return;
        }
    } else if (r->type->is_untyped() && !l->type->is_untyped()) {
        if (!convert_untyped(r, l->type)) {
            error(e->op_pos, mismatch);
            return;
        }
    } else if (l->type->is_untyped() && r->type->is_untyped()) {
        bool both_numeric = l->type->is_numeric() && r->type->is_numeric();
        if (!both_numeric && l->type != r->type) {
            error(e->op_pos, mismatch);
            return;
        }
    } else if (!identical(l->type, r->type)) {
        error(e->op_pos, mismatch);
        return;
    }
    const Type* t = l_nil ? r->type : l->type;
    bool ordered_op = e->op != Op::Eq && e->op != Op::Ne;
    if (ordered_op && !is_ordered(t)) {
        error(e->op_pos, std::string("invalid operation: ") + expr_string(e) + " (operator " +
                             op_spelling(e->op) + " not defined on " + describe(l) + ")");
        return;
    }
    if (!ordered_op && t->underlying()->cls == TypeClass::Signature && !l_nil && !r_nil) {
        error(e->op_pos, "invalid operation: " + expr_string(e) +
                             " (func can only be compared to nil)");
        return;
    }
    e->type = m_types.basic(BasicKind::UntypedBool);
    if (l->mode == Mode::Constant && r->mode == Mode::Constant) {
        e->mode = Mode::Constant;
        e->value = Constant::boolean(*Constant::compare(op_spelling(e->op), l->value, r->value));
        return;
    }
    // Untyped constant operands of a non-constant comparison take their default type.
    default_untyped(l);
    default_untyped(r);
    e->mode = Mode::Value;
}

} // namespace csp
