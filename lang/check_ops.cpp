// Checker, part 3: operators, calls, conversions, and the rules that give untyped
// constants their final type (representability: "overflows", "truncated").
#include "lang/checker_internal.hpp"

namespace csp {

namespace {

bool is_ordered(const Type* t) { return t->is_numeric() || t->is_string(); }

// Go's kindString: how a comparison error names an operand's type.
std::string kind_string(const Type* t) {
    switch (t->underlying()->cls) {
    case TypeClass::Array: return "array";
    case TypeClass::Slice: return "slice";
    case TypeClass::Struct: return "struct";
    case TypeClass::Pointer: return "pointer";
    case TypeClass::Signature: return "func";
    case TypeClass::Interface: return "interface";
    case TypeClass::Map: return "map";
    case TypeClass::Chan: return "chan";
    default: return t->spelling();
    }
}

// The predeclared nil, possibly parenthesised (its type may since have been set).
bool is_nil(const Expr* e) {
    while (e->kind == ExprKind::Paren) e = static_cast<const ParenExpr*>(e)->inner;
    if (e->kind != ExprKind::Name) return false;
    const Symbol* s = static_cast<const NameExpr*>(e)->symbol;
    return s && s->kind == SymbolKind::Nil;
}

// The specific part of Go's incomparableCause for structs and arrays ("" otherwise).
std::string incomparable_cause(const Type* t) {
    const Type* u = t->underlying();
    if (u->cls == TypeClass::Struct) {
        for (const StructField& f : u->fields)
            if (!is_comparable(f.type)) return "struct containing " + f.type->spelling() + " cannot be compared";
    } else if (u->cls == TypeClass::Array && !is_comparable(u->elem)) {
        return u->spelling() + " cannot be compared";
    }
    return "";
}

// Go's binaryOpPredicates.
bool binary_op_defined(Op op, const Type* t) {
    switch (op) {
    case Op::Add: return t->is_numeric() || t->is_string();
    case Op::Sub: case Op::Mul: case Op::Div: return t->is_numeric();
    case Op::Rem: case Op::And: case Op::Or: case Op::Xor: case Op::AndNot: return t->is_integer();
    case Op::LogAnd: case Op::LogOr: return t->is_boolean();
    default: return false;
    }
}

// Go's opName, for "constant addition overflow" (empty for other operators).
const char* overflow_name(Op op, bool unary) {
    if (unary) return op == Op::Xor ? "bitwise complement" : "";
    switch (op) {
    case Op::Add: return "addition";
    case Op::Sub: return "subtraction";
    case Op::Xor: return "bitwise XOR";
    case Op::Mul: return "multiplication";
    case Op::Shl: return "shift";
    default: return "";
    }
}

// Untyped integer constants are limited to 512 bits, as in Go.
bool untyped_too_big(const Constant& v) {
    if (v.kind() != Constant::Kind::Int) return false;
    mpz_class x = v.as_integer();
    return mpz_sizeinbase(x.get_mpz_t(), 2) > 512 && x != 0;
}

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

bool Checker::assignable(const Type* from, const Type* to) {
    if (identical(from, to)) return true;
    if (to->is_interface() && !from->is_basic(BasicKind::UntypedNil)) {
        const Type* iface = to->underlying();
        if (iface->methods.empty()) return true;
        return missing_method(from, to).empty();
    }
    if ((from->cls != TypeClass::Named || to->cls != TypeClass::Named) &&
        identical(from->underlying(), to->underlying()))
        return true;
    const Type* fu = from->underlying();
    const Type* tu = to->underlying();
    if (fu->cls == TypeClass::Chan && tu->cls == TypeClass::Chan && fu->dir == ChanDir::Both &&
        identical(fu->elem, tu->elem) && (from->cls != TypeClass::Named || to->cls != TypeClass::Named))
        return true; // a bidirectional channel is assignable to a directional one
    if (from->is_basic(BasicKind::UntypedNil)) {
        TypeClass c = to->underlying()->cls;
        return c == TypeClass::Signature || c == TypeClass::Interface || c == TypeClass::Pointer ||
               c == TypeClass::Slice || c == TypeClass::Map || c == TypeClass::Chan;
    }
    return false;
}

// Go's implicitTypeAndValue: the type an untyped operand takes where `target` is
// expected (`result`), or why it cannot.
ConvertError Checker::implicit_type(const Expr* x, const Type* target, const Type*& result) const {
    result = x->type;
    if (x->mode == Mode::Invalid || !x->type->is_untyped() || target == m_types.invalid())
        return ConvertError::None;
    if (target->is_untyped()) {
        if (x->type->is_numeric() && target->is_numeric()) {
            if (untyped_rank(x->type) < untyped_rank(target)) result = target;
        } else if (x->type != target) {
            return ConvertError::InvalidUntyped;
        }
        return ConvertError::None;
    }
    if (x->type->is_basic(BasicKind::UntypedNil)) {
        if (!has_nil(target)) return ConvertError::InvalidUntyped;
        result = target;
        return ConvertError::None;
    }
    const Type* u = target->underlying();
    if (u->cls == TypeClass::Interface) {
        result = m_types.default_type(x->type);
        if (!u->methods.empty() && !const_cast<Checker*>(this)->missing_method(result, target).empty())
            return ConvertError::InvalidUntyped;
        return ConvertError::None;
    }
    if (u->cls != TypeClass::Basic) return ConvertError::InvalidUntyped;
    if (x->mode == Mode::Constant) {
        const char* why = nullptr;
        if (!fits(x->value, target, why)) {
            if (!x->type->is_numeric() || !target->is_numeric()) return ConvertError::InvalidConstant;
            return !x->type->is_integer() && target->is_integer() ? ConvertError::Truncated
                                                                  : ConvertError::Overflows;
        }
    } else if ((x->type->is_boolean() && !target->is_boolean()) ||
               (x->type->is_numeric() && !target->is_numeric()) ||
               (x->type->is_string() && !target->is_string())) {
        return ConvertError::InvalidUntyped;
    }
    result = target;
    return ConvertError::None;
}

// Gives x the type implicit_type chose: a wider untyped kind, nil's target, or a type.
void Checker::apply_implicit(Expr* x, const Type* result) {
    if (result == x->type) return;
    if (result->is_untyped()) x->type = result;
    else if (is_nil(x)) set_type_deep(x, result);
    else convert_untyped(x, result);
}

// Go's convertUntyped: converts an operand, or reports why it cannot be converted.
bool Checker::convert_operand(Expr* x, const Type* target) {
    const Type* result = nullptr;
    ConvertError code = implicit_type(x, target, result);
    if (code == ConvertError::None) {
        apply_implicit(x, result);
        return true;
    }
    std::string what = describe(x), to = target->underlying()->spelling();
    if (code == ConvertError::Truncated) error(x->pos, what + " truncated to " + to);
    else if (code == ConvertError::Overflows) error(x->pos, what + " overflows " + to);
    else error(x->pos, "cannot convert " + what + " to " + to);
    x->mode = Mode::Invalid;
    return false;
}

// Go's operand.assignableTo.
bool Checker::operand_assignable(const Expr* x, const Type* target) {
    if (x->mode == Mode::Invalid || x->type == m_types.invalid() || target == m_types.invalid())
        return true;
    if (identical(x->type, target)) return true;
    const Type* result = nullptr;
    if (x->type->is_untyped()) return implicit_type(x, target, result) == ConvertError::None;
    return assignable(x->type, target);
}

// Go's exclude: operands that are no values (types, builtins, calls without result).
bool Checker::check_value(Expr* e) {
    if (e->mode == Mode::Type) error(e->pos, describe(e) + " is not an expression");
    else if (e->mode == Mode::Builtin) error(e->pos, describe(e) + " must be called");
    else if (e->mode == Mode::NoValue) error(e->pos, describe(e) + " used as value");
    else return e->mode != Mode::Invalid;
    e->mode = Mode::Invalid;
    return false;
}

// Go's assignment: assigns e to a variable of type target (nullptr: the blank
// identifier) in context ctx.
bool Checker::assign(Expr* e, const Type* target, const AssignContext& ctx) {
    if (!check_value(e) || target == m_types.invalid()) return false;
    if (e->type->is_untyped()) {
        bool nil = e->type->is_basic(BasicKind::UntypedNil);
        if (nil && !target) {
            error(e->pos, "use of untyped nil in " + ctx.what);
            e->mode = Mode::Invalid;
            return false;
        }
        const Type* t = target;
        if (!nil && (!target || target->is_interface())) t = m_types.default_type(e->type);
        const Type* result = nullptr;
        ConvertError code = implicit_type(e, t, result);
        if (code != ConvertError::None) {
            std::string suffix = code == ConvertError::Truncated   ? " (truncated)"
                                 : code == ConvertError::Overflows ? " (overflows)"
                                                                   : "";
            error(e->pos, "cannot use " + describe(e) + " as " + t->spelling() + " value in " +
                              ctx.what + suffix);
            e->mode = Mode::Invalid;
            return false;
        }
        apply_implicit(e, result);
    }
    if (!target || assignable(e->type, target)) return true;
    std::string reason;
    if (target->is_interface()) {
        std::string why = missing_method(e->type, target);
        if (!why.empty())
            reason = ":\n\t" + e->type->spelling() + " does not implement " + target->spelling() + " " + why;
    }
    error(e->pos, "cannot use " + describe(e) + " as type " + target->spelling() + " in " +
                      ctx.what + reason);
    e->mode = Mode::Invalid;
    return false;
}

// Reports a constant result that does not fit its type (Go's overflow); `at_op` is
// where an untyped result too large is reported.
bool Checker::check_overflow(Expr* e, Pos at_op, const char* op_name) {
    const Type* t = e->type;
    if (!t->is_untyped()) {
        e->value = rounded(e->value, t);
        const char* why = nullptr;
        if (fits(e->value, t, why)) return true;
        error(e->pos, describe(e) + " overflows " + t->underlying()->spelling());
    } else {
        if (!untyped_too_big(e->value)) return true;
        error(at_op, std::string("constant ") + op_name + " overflow");
    }
    e->mode = Mode::Invalid;
    return false;
}

void Checker::unary(UnaryExpr* e, const Type* hint) {
    if (e->op == Op::Addr) {
        address_of(e);
        return;
    }
    if (e->op == Op::Arrow) {
        receive(e);
        return;
    }
    expr(e->operand, hint);
    Expr* x = e->operand;
    if (!check_value(x)) return;
    const Type* t = x->type;
    bool ok = e->op == Op::Not ? t->is_boolean()
              : e->op == Op::Xor ? t->is_integer()
                                 : t->is_numeric();
    if (!ok) {
        error(x->pos, std::string("invalid operation: operator ") + op_spelling(e->op) +
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
    check_overflow(e, e->pos, overflow_name(e->op, true));
}

// Go's canMix: whether each operand may take the other's type before the operation.
static bool can_mix(const Expr* x, const Expr* y) {
    if (x->type->is_interface() || y->type->is_interface()) return true;
    if (x->type->is_boolean() != y->type->is_boolean()) return false;
    if (x->type->is_string() != y->type->is_string()) return false;
    if (x->type->is_basic(BasicKind::UntypedNil) && !has_nil(y->type)) return false;
    if (y->type->is_basic(BasicKind::UntypedNil) && !has_nil(x->type)) return false;
    return true;
}

// Go's binary: errors are reported at the left operand, which is where the expression starts.
void Checker::binary(BinaryExpr* e, const Type* hint) {
    bool shift_op = e->op == Op::Shl || e->op == Op::Shr;
    bool comparison_op = e->op >= Op::Eq && e->op <= Op::Ge;
    expr(e->left, comparison_op ? nullptr : hint);
    // An untyped non-constant shift on the right (x + 1<<n, x |= 1<<n, x == 1<<n) takes the
    // type the left operand gives the operation, as Go's delayed typing of untyped operands
    // does.
    const Type* right_hint = comparison_op ? nullptr : hint;
    if (!shift_op && e->left->mode != Mode::Invalid && e->left->type && !e->left->type->is_untyped() &&
        e->left->type->is_integer())
        right_hint = e->left->type;
    expr(e->right, shift_op ? nullptr : right_hint);
    Expr* l = e->left;
    Expr* r = e->right;
    if (!check_value(l) || !check_value(r)) return;
    if (shift_op) {
        shift(e, hint);
        return;
    }
    if (can_mix(l, r) && (!convert_operand(l, r->type) || !convert_operand(r, l->type))) return;
    if (comparison_op) {
        comparison(e);
        return;
    }
    if (!identical(l->type, r->type)) {
        std::string text = e == m_compound ? expr_string(l) + " " + op_spelling(e->op) + "= " +
                                                 expr_string(r)
                                           : expr_string(e);
        if (l->type != m_types.invalid() && r->type != m_types.invalid())
            error(l->pos, "invalid operation: " + text + " (mismatched types " +
                              l->type->spelling() + " and " + r->type->spelling() + ")");
        return;
    }
    if (!binary_op_defined(e->op, l->type)) {
        error(l->pos, std::string("invalid operation: operator ") + op_spelling(e->op) +
                          " not defined on " + describe(l));
        return;
    }
    if ((e->op == Op::Div || e->op == Op::Rem) && r->mode == Mode::Constant &&
        r->value.is_numeric() && sgn(r->value.as_rational()) == 0 &&
        (l->type->is_integer() || l->mode == Mode::Constant)) {
        error(r->pos, "invalid operation: division by zero");
        return;
    }
    e->type = l->type;
    e->mode = l->mode == Mode::Constant && r->mode == Mode::Constant ? Mode::Constant : Mode::Value;
    if (e->mode == Mode::Constant) fold_binary(e);
}

// Computes a constant binary operation whose operands have the same type.
void Checker::fold_binary(BinaryExpr* e) {
    const Type* t = e->type;
    const Constant& x = e->left->value;
    const Constant& y = e->right->value;
    if (e->op == Op::LogAnd || e->op == Op::LogOr) {
        bool a = x.as_bool(), b = y.as_bool();
        e->value = Constant::boolean(e->op == Op::LogAnd ? a && b : a || b);
        return;
    }
    if (e->op == Op::Add && t->is_string()) {
        e->value = Constant::string(x.as_string() + y.as_string());
        return;
    }
    Constant a = x, b = y;
    if (t->is_float()) a = a.to_float(), b = b.to_float();
    if (t->is_integer() && !t->is_untyped()) a = a.to_int(), b = b.to_int();
    static const char ops[] = {'+', '-', '*', '/', '%', '&', '|', '^', 0, 0, 'n'};
    e->value = Constant::binary(ops[size_t(e->op)], a, b);
    check_overflow(e, e->op_pos, overflow_name(e->op, false));
}

// Go's shift; both operands are checked values.
void Checker::shift(BinaryExpr* e, const Type* hint) {
    Expr* l = e->left;
    Expr* r = e->right;
    bool integral_constant = l->mode == Mode::Constant && l->type->is_untyped() &&
                             l->value.is_numeric() && l->value.is_integral();
    if (!l->type->is_integer() && !integral_constant) {
        error(l->pos, "invalid operation: shifted operand " + describe(l) + " must be integer");
        return;
    }
    if (r->mode == Mode::Constant) {
        if (r->value.is_integral() && sgn(r->value.as_rational()) < 0) {
            error(r->pos, "invalid operation: negative shift count " + describe(r));
            return;
        }
        const Type* as_uint = nullptr; // checked now, converted last (Go keeps it untyped)
        if (r->type->is_untyped() &&
            implicit_type(r, m_types.basic(BasicKind::Uint), as_uint) != ConvertError::None) {
            convert_operand(r, m_types.basic(BasicKind::Uint));
            return;
        }
    } else if (!r->type->is_integer()) {
        if (!r->type->is_untyped()) {
            error(r->pos, "invalid operation: shift count " + describe(r) + " must be integer");
            return;
        }
        if (!convert_operand(r, m_types.basic(BasicKind::Uint))) return;
    }
    if (l->mode == Mode::Constant && r->mode == Mode::Constant) {
        uint64_t count = r->value.uint64_value();
        if (!r->value.is_integral() || count > 1023 - 1 + 52) {
            error(r->pos, "invalid operation: invalid shift count " + describe(r));
            return;
        }
        e->mode = Mode::Constant;
        e->type = l->type->is_integer() ? l->type : m_types.basic(BasicKind::UntypedInt);
        e->value = l->value.to_int().shift(e->op == Op::Shl, count);
        check_overflow(e, e->op_pos, "shift");
        return;
    }
    if (r->mode == Mode::Constant && r->type->is_untyped())
        convert_untyped(r, m_types.basic(BasicKind::Uint)); // the compiler wants a typed count
    if (l->mode == Mode::Constant && l->type->is_untyped()) {
        // A non-constant shift of an untyped constant: the constant takes its type from
        // the context; int when there is none.
        const Type* t = hint && hint->is_integer() ? hint : m_types.basic(BasicKind::Int);
        if (!convert_untyped(l, t)) {
            error(l->pos, "cannot use " + describe(l) + " as " + t->spelling() + " value in shift");
            return;
        }
    }
    e->type = l->type;
    e->mode = Mode::Value;
}

// Go's comparison, after the operands were mixed: a mismatch is reported at the right
// operand, where it becomes apparent.
void Checker::comparison(BinaryExpr* e, bool switch_case) {
    Expr* l = e->left;
    Expr* r = e->right;
    Expr* culprit = l;
    std::string cause;
    bool ok = true;
    if (!operand_assignable(l, r->type) && !operand_assignable(r, l->type)) {
        culprit = r, ok = false;
        cause = "mismatched types " + l->type->spelling() + " and " + r->type->spelling();
    } else if (e->op == Op::Eq || e->op == Op::Ne) {
        if (is_nil(l) || is_nil(r)) {
            if (!has_nil(is_nil(l) ? r->type : l->type)) culprit = r, ok = false;
        } else if (!is_comparable(l->type) || !is_comparable(r->type)) {
            culprit = is_comparable(l->type) ? r : l, ok = false;
            TypeClass c = culprit->type->underlying()->cls;
            if (c == TypeClass::Slice || c == TypeClass::Signature || c == TypeClass::Map)
                cause = kind_string(culprit->type) + " can only be compared to nil";
            else
                cause = incomparable_cause(culprit->type);
        }
    } else if (!is_ordered(l->type) || !is_ordered(r->type)) {
        culprit = is_ordered(l->type) ? r : l, ok = false;
    }
    if (!ok) {
        if (cause.empty())
            cause = std::string("operator ") + op_spelling(e->op) + " not defined on " +
                    kind_string(culprit->type);
        if (switch_case) // always at the case value
            error(l->pos, "invalid case " + expr_string(l) + " in switch on " + expr_string(r) +
                              " (" + cause + ")");
        else
            error(culprit->pos, "invalid operation: " + expr_string(l) + " " + op_spelling(e->op) +
                                    " " + expr_string(r) + " (" + cause + ")");
        return;
    }
    e->type = m_types.basic(BasicKind::UntypedBool);
    if (l->mode == Mode::Constant && r->mode == Mode::Constant) {
        e->mode = Mode::Constant;
        e->value = Constant::boolean(*Constant::compare(op_spelling(e->op), l->value, r->value));
        return;
    }
    // The operands of a non-constant comparison are materialised with their default types.
    default_untyped(l);
    default_untyped(r);
    e->mode = Mode::Value;
}

} // namespace csp
