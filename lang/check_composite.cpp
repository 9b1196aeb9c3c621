// Checker, part 6: arrays and slices. Their types, composite literals, index and slice
// expressions, the builtins len, cap, append, copy, make and clear on them, and the
// conversions between strings, byte slices and rune slices, in Go 1.19's words
// (types2's typexpr.go, index.go, expr.go, builtins.go and conversions.go).
#include "lang/checker_internal.hpp"
#include "lang/compiler.hpp"

#include <set>

namespace csp {

namespace {

// Arrays wider than this many slots are refused (the VM holds arrays inline).
constexpr uint64_t max_array_slots = uint64_t(1) << 24;

bool is_byte_or_rune(const Type* t) {
    const Type* u = t->underlying();
    return u->cls == TypeClass::Basic && (u->basic == BasicKind::Uint8 || u->basic == BasicKind::Int32);
}

// Go's isBytesOrRunes: []byte or []rune, possibly through named types.
bool is_bytes_or_runes(const Type* t) {
    const Type* u = t->underlying();
    return u->cls == TypeClass::Slice && is_byte_or_rune(u->elem);
}

} // namespace

// `[]T` or `[N]T` (the length first, as Go checks it).
const Type* Checker::array_type(ArrayTypeExpr* e) {
    if (!e->length) return m_types.slice(resolve_type(e->element));
    if (e->length->kind == ExprKind::Ellipsis) {
        error(e->pos, "invalid use of [...] array (outside a composite literal)");
        resolve_type(e->element);
        return m_types.invalid();
    }
    int64_t length = array_length(e->length);
    const Type* elem = resolve_type(e->element);
    if (length < 0 || elem == m_types.invalid()) return m_types.invalid();
    const Type* t = m_types.array(elem, length);
    if (uint64_t(slot_width(t)) > max_array_slots) {
        error(e->pos, "arrays of more than " + std::to_string(max_array_slots) + " slots (" +
                          t->spelling() + ") not supported yet");
        return m_types.invalid();
    }
    return t;
}

// Go's arrayLength: a constant integer >= 0, or -1 after an error.
int64_t Checker::array_length(Expr* e) {
    if (e->kind == ExprKind::Name) {
        auto* n = static_cast<NameExpr*>(e);
        Symbol* s = lookup(n->name);
        if (!s) {
            error(e->pos, "undeclared name " + n->name + " for array length");
            return -1;
        }
        if (s->kind != SymbolKind::Const) {
            error(e->pos, "invalid array length " + n->name);
            return -1;
        }
    }
    expr(e);
    if (e->mode != Mode::Constant) {
        if (e->mode != Mode::Invalid) error(e->pos, "array length " + describe(e) + " must be constant");
        return -1;
    }
    if ((e->type->is_untyped() || e->type->is_integer()) && e->value.is_numeric() &&
        e->value.is_integral()) {
        const Type* result = nullptr;
        Expr probe(ExprKind::BadLit); // representable as an int?
        probe.mode = Mode::Constant;
        probe.value = e->value.to_int();
        probe.type = m_types.basic(BasicKind::UntypedInt);
        if (implicit_type(&probe, m_types.basic(BasicKind::Int), result) == ConvertError::None) {
            if (sgn(e->value.as_rational()) >= 0) return e->value.to_int().int64_value();
            error(e->pos, "invalid array length " + describe(e));
            return -1;
        }
    }
    error(e->pos, "array length " + describe(e) + " must be integer");
    return -1;
}

// Go's isValidIndex: an integer (an untyped constant becomes an int), not a negative
// constant unless allowed, and representable as an int.
bool Checker::valid_index(Expr* x, const char* what, bool allow_negative) {
    if (x->mode == Mode::Invalid) return false;
    if (!convert_operand(x, m_types.basic(BasicKind::Int))) return false;
    std::string prefix = std::string("invalid argument: ") + what + " ";
    if (!x->type->is_integer()) {
        error(x->pos, prefix + describe(x) + " must be integer");
        return false;
    }
    if (x->mode == Mode::Constant) {
        if (!allow_negative && sgn(x->value.as_rational()) < 0) {
            error(x->pos, prefix + describe(x) + " must not be negative");
            return false;
        }
        const Type* result = nullptr;
        Expr probe(ExprKind::BadLit);
        probe.mode = Mode::Constant;
        probe.value = x->value;
        probe.type = m_types.basic(BasicKind::UntypedInt);
        if (implicit_type(&probe, m_types.basic(BasicKind::Int), result) != ConvertError::None) {
            error(x->pos, prefix + describe(x) + " overflows int");
            return false;
        }
    }
    return true;
}

// Go's check.index: checks the index expression against `max` (when >= 0). Returns false
// after an error; `value` is the constant index, or -1.
bool Checker::check_index(Expr* index, int64_t max, int64_t& value) {
    value = -1;
    expr(index);
    if (!valid_index(index, "index", false)) return false;
    if (index->mode != Mode::Constant) return true;
    int64_t v = index->value.int64_value();
    if (max >= 0 && v >= max) {
        error(index->pos, "invalid argument: index " + index->value.to_string() +
                              " out of bounds [0:" + std::to_string(max) + "]");
        return false;
    }
    value = v;
    return true;
}

// a[i] and s[i] (the base is checked; strings are index_expr's). An invalid index still
// gives the element type, as in Go, so that no follow-on errors arise.
void Checker::index_sequence(IndexExpr* e) {
    Expr* x = e->base;
    const Type* u = x->type->underlying();
    int64_t length = -1;
    if (u->cls == TypeClass::Array) {
        length = u->length;
        e->mode = x->mode == Mode::Variable ? Mode::Variable : Mode::Value;
    } else if (u->cls == TypeClass::Slice) {
        e->mode = Mode::Variable;
    } else if (u->cls == TypeClass::Pointer && u->elem->underlying()->cls == TypeClass::Array) {
        u = u->elem->underlying(); // pa[i] is (*pa)[i]
        length = u->length;
        e->mode = Mode::Variable;
    } else {
        error(e->lbrack, "invalid operation: cannot index " + describe(x));
        expr(e->index);
        return;
    }
    int64_t value;
    check_index(e->index, length, value);
    e->type = u->elem;
}

// s[lo:hi] and s[lo:hi:max] of strings and slices (types2's sliceExpr).
void Checker::slice_expr(SliceExpr* e) {
    Expr* x = e->base;
    expr(x);
    Expr* indices[3] = {e->low, e->high, e->max};
    if (x->mode == Mode::Invalid) {
        for (Expr* i : indices)
            if (i) expr(i);
        return;
    }
    int64_t length = -1;
    const Type* result = x->type;
    const Type* u = x->type->underlying();
    if (x->type->is_string()) {
        if (e->three_index) {
            error(e->max ? e->max->pos : e->pos, "invalid operation: 3-index slice of string");
            return;
        }
        if (x->mode == Mode::Constant) length = int64_t(x->value.as_string().size());
        if (x->type->is_untyped()) default_untyped(x); // the result is a string value
        result = x->type;
    } else if (u->cls == TypeClass::Array) {
        if (x->mode != Mode::Variable) {
            error(x->pos, "invalid operation: " + describe(x) + " (slice of unaddressable value)");
            return;
        }
        mark_addressed(x); // sliced in place: the array lives in memory
        length = u->length;
        result = m_types.slice(u->elem);
    } else if (u->cls == TypeClass::Pointer && u->elem->underlying()->cls == TypeClass::Array) {
        length = u->elem->underlying()->length; // pa[i:j] slices *pa in place
        result = m_types.slice(u->elem->underlying()->elem);
    } else if (u->cls != TypeClass::Slice) {
        error(x->pos, "invalid operation: cannot slice " + describe(x));
        return;
    }
    int64_t values[3];
    for (int i = 0; i < 3; i++) {
        values[i] = -1;
        if (indices[i]) {
            int64_t v;
            if (check_index(indices[i], length >= 0 ? length + 1 : -1, v)) values[i] = v;
        } else if (i == 0) {
            values[i] = 0;
        } else if (length >= 0) {
            values[i] = length;
        }
    }
    // Constant indices must be in order; one error is enough.
    for (int i = 0; i < 2; i++) {
        if (values[i] <= 0) continue;
        for (int j = i + 1; j < 3; j++) {
            if (values[j] >= 0 && values[j] < values[i]) {
                error(indices[j]->pos, "invalid slice indices: " + std::to_string(values[j]) + " < " +
                                           std::to_string(values[i]));
                e->mode = Mode::Value;
                e->type = result;
                return;
            }
        }
    }
    e->mode = Mode::Value;
    e->type = result;
}

// T{...}, the one entry point for composite literals (structs: struct_literal in
// check_types.cpp); `hint` is the element type of an enclosing literal whose elements
// elide their type (then *T means &T{...}).
void Checker::composite_lit(CompositeLit* e, const Type* hint) {
    const Type* type = nullptr;
    if (e->type_expr) {
        auto* open = e->type_expr->kind == ExprKind::ArrayType ? static_cast<ArrayTypeExpr*>(e->type_expr) : nullptr;
        if (open && open->length && open->length->kind == ExprKind::Ellipsis) {
            // [...]T: the length is the literal's
            const Type* elem = resolve_type(open->element);
            if (elem == m_types.invalid()) {
                check_elements(e);
                return;
            }
            int64_t n = indexed_elements(e->elements, elem, -1);
            type = m_types.array(elem, n);
            open->type = type;
            open->mode = Mode::Type;
            e->mode = Mode::Value;
            e->type = type;
            return;
        }
        type = resolve_type(e->type_expr);
    } else if (hint) {
        type = hint;
    } else {
        error(e->pos, "missing type in composite literal");
        check_elements(e);
        return;
    }
    if (type == m_types.invalid()) {
        check_elements(e);
        return;
    }
    // An elided type *T in an enclosing literal means &T{...}.
    bool is_pointer = !e->type_expr && type->cls == TypeClass::Pointer;
    const Type* base = is_pointer ? type->elem : type;
    const Type* u = base->underlying();
    if (u == m_types.invalid()) {
        check_elements(e);
        return;
    }
    if (is_pointer && (u->cls == TypeClass::Array || u->cls == TypeClass::Slice)) {
        check_elements(e);
        unsupported(e, "elided &" + base->spelling() + " literals are");
        return;
    }
    switch (u->cls) {
    case TypeClass::Array: indexed_elements(e->elements, u->elem, u->length); break;
    case TypeClass::Slice: indexed_elements(e->elements, u->elem, -1); break;
    case TypeClass::Struct: struct_literal(e, base); break;
    case TypeClass::Map: map_literal(e, u); break;
    default:
        check_elements(e);
        error(e->pos, "invalid composite literal type " + type->spelling());
        return;
    }
    e->mode = Mode::Value;
    e->type = type;
}

// Checks the values of a literal that cannot be typed, for their own errors (Go's use).
void Checker::check_elements(CompositeLit* e) {
    for (Expr* el : e->elements) {
        Expr* value = el->kind == ExprKind::KeyValue ? static_cast<KeyValueExpr*>(el)->value : el;
        if (value->kind == ExprKind::CompositeLit && !static_cast<CompositeLit*>(value)->type_expr)
            check_elements(static_cast<CompositeLit*>(value));
        else
            expr(value);
    }
}

// Go's indexedElts: checks the elements (keys and values) of an array or slice literal
// of length `length` (-1: not fixed) and returns the literal's length.
int64_t Checker::indexed_elements(std::vector<Expr*>& elements, const Type* elem, int64_t length) {
    std::set<int64_t> visited;
    int64_t index = 0, max = 0;
    for (Expr* e : elements) {
        bool valid = false;
        Expr* value = e;
        Pos at = e->kind == ExprKind::KeyValue ? static_cast<KeyValueExpr*>(e)->colon : e->pos;
        if (e->kind == ExprKind::KeyValue) {
            auto* kv = static_cast<KeyValueExpr*>(e);
            int64_t i;
            if (check_index(kv->key, length, i)) {
                if (i >= 0) {
                    index = i;
                    valid = true;
                } else {
                    error(at, "index " + expr_string(kv->key) + " must be integer constant");
                }
            }
            value = kv->value;
        } else if (length >= 0 && index >= length) {
            error(e->pos, "index " + std::to_string(index) + " is out of bounds (>= " +
                              std::to_string(length) + ")");
        } else {
            valid = true;
        }
        if (valid && !visited.insert(index).second)
            error(at, "duplicate index " + std::to_string(index) + " in array or slice literal");
        if (index < INT64_MAX) index++;
        max = std::max(max, index);
        expr(value, elem);
        assign(value, elem, {"array or slice literal"});
    }
    return max;
}

// len(x) and cap(x); constant for arrays whose expression has no calls (Go's rule).
void Checker::builtin_len_cap(CallExpr* e, Builtin b) {
    std::string name = b == Builtin::Len ? "len" : "cap";
    if (e->args.size() != 1) {
        for (Expr* a : e->args) expr(a);
        error(e->pos, std::string("invalid operation: ") + (e->args.empty() ? "not enough" : "too many") +
                          " arguments for " + expr_string(e) + " (expected 1, found " +
                          std::to_string(e->args.size()) + ")");
        return;
    }
    Expr* x = e->args[0];
    bool outer_calls = m_has_call;
    m_has_call = false;
    expr(x);
    bool calls = m_has_call;
    m_has_call = outer_calls;
    if (x->mode == Mode::Invalid) return;
    const Type* u = x->type->underlying();
    Mode mode = Mode::Invalid;
    int64_t length = 0;
    if (x->type->is_string() && b == Builtin::Len) {
        mode = x->mode == Mode::Constant ? Mode::Constant : Mode::Value;
        if (mode == Mode::Constant) length = int64_t(x->value.as_string().size());
        if (x->type->is_untyped()) default_untyped(x);
    } else if (u->cls == TypeClass::Array) {
        mode = calls ? Mode::Value : Mode::Constant;
        length = u->length;
    } else if (u->cls == TypeClass::Slice || u->cls == TypeClass::Chan ||
               (u->cls == TypeClass::Map && b == Builtin::Len)) {
        mode = Mode::Value;
    } else if (u->cls == TypeClass::Pointer && u->elem->underlying()->cls == TypeClass::Array) {
        mode = calls ? Mode::Value : Mode::Constant; // the pointer is not dereferenced
        length = u->elem->underlying()->length;
    }
    if (mode == Mode::Invalid) {
        error(x->pos, "invalid argument: " + describe(x) + " for " + name);
        return;
    }
    e->mode = mode;
    e->type = m_types.basic(BasicKind::Int);
    if (mode == Mode::Constant) e->value = Constant::integer(length);
}

// append(s, x...) and append(s, t...), with append([]byte, string...) as a special case.
void Checker::builtin_append(CallExpr* e) {
    auto& args = e->args;
    for (Expr* a : args) expr(a);
    if (args.empty()) {
        error(e->pos, "invalid operation: not enough arguments for " + expr_string(e) +
                          " (expected 1, found 0)");
        return;
    }
    Expr* s = args[0];
    for (Expr* a : args)
        if (a->mode == Mode::Invalid) return;
    const Type* slice = s->type->underlying();
    if (slice->cls != TypeClass::Slice) {
        bool nil = s->type->is_basic(BasicKind::UntypedNil);
        error(s->pos, "first argument to append must be a slice; " +
                          (nil ? std::string("have untyped nil") : "have " + describe(s)));
        return;
    }
    if (!check_value(s)) return;
    e->mode = Mode::Value;
    e->type = s->type;
    if (e->spread && args.size() == 2 && operand_assignable(s, m_types.slice(m_types.byte())) &&
        args[1]->type->is_string()) {
        default_untyped(args[1]); // append([]byte, string...)
        return;
    }
    const Type* elem = slice->elem;
    if (e->spread) {
        if (args.size() != 2) {
            error(args.size() < 2 ? e->pos : args[2]->pos,
                  std::string(args.size() < 2 ? "not enough" : "too many") + " arguments in call to append\n\thave " +
                      describe_types(args) + "\n\twant (" + s->type->spelling() + ", ..." + elem->spelling() + ")");
            e->mode = Mode::Invalid;
            return;
        }
        if (!assign(args[1], m_types.slice(elem), {"argument to append"})) e->mode = Mode::Invalid;
        return;
    }
    for (size_t i = 1; i < args.size(); i++)
        if (!assign(args[i], elem, {"argument to append"})) e->mode = Mode::Invalid;
}

// copy(dst, src): slices of identical element types, or a string into a []byte.
void Checker::builtin_copy(CallExpr* e) {
    auto& args = e->args;
    for (Expr* a : args) expr(a);
    if (args.size() != 2) {
        error(e->pos, std::string("invalid operation: ") + (args.size() < 2 ? "not enough" : "too many") +
                          " arguments for " + expr_string(e) + " (expected 2, found " +
                          std::to_string(args.size()) + ")");
        return;
    }
    Expr* x = args[0];
    Expr* y = args[1];
    if (x->mode == Mode::Invalid || y->mode == Mode::Invalid) return;
    const Type* dst = x->type->underlying();
    const Type* src = y->type->is_string() ? m_types.slice(m_types.byte()) : y->type->underlying();
    if (dst->cls != TypeClass::Slice || src->cls != TypeClass::Slice) {
        error(x->pos, "invalid argument: copy expects slice arguments; found " + describe(x) + " and " +
                          describe(y));
        return;
    }
    if (!identical(dst->elem, src->elem)) {
        error(x->pos, "invalid argument: arguments to copy " + describe(x) + " and " + describe(y) +
                          " have different element types " + dst->elem->spelling() + " and " +
                          src->elem->spelling());
        return;
    }
    if (y->type->is_untyped()) default_untyped(y);
    e->mode = Mode::Value;
    e->type = m_types.basic(BasicKind::Int);
}

// make([]T, len) and make([]T, len, cap).
void Checker::builtin_make(CallExpr* e) {
    auto& args = e->args;
    if (args.empty()) {
        error(e->pos, "invalid operation: not enough arguments for " + expr_string(e) +
                          " (expected 1, found 0)");
        return;
    }
    const Type* t = resolve_type(args[0]);
    if (t == m_types.invalid()) {
        for (size_t i = 1; i < args.size(); i++) expr(args[i]);
        return;
    }
    args[0]->type = t;
    args[0]->mode = Mode::Type;
    if (t->underlying()->cls == TypeClass::Chan) return make_chan(e, t);
    if (t->underlying()->cls == TypeClass::Map) return make_map(e, t);
    if (t->underlying()->cls != TypeClass::Slice) {
        error(args[0]->pos, "invalid argument: cannot make " + expr_string(args[0]) +
                                "; type must be slice, map, or channel");
        return;
    }
    if (args.size() < 2 || args.size() > 3) {
        error(e->pos, "invalid operation: " + expr_string(e) + " expects 2 or 3 arguments; found " +
                          std::to_string(args.size()));
        return;
    }
    std::vector<int64_t> sizes;
    for (size_t i = 1; i < args.size(); i++) {
        int64_t v;
        if (check_index(args[i], -1, v) && v >= 0) sizes.push_back(v);
    }
    if (sizes.size() == 2 && sizes[0] > sizes[1])
        error(args[1]->pos, "invalid argument: length and capacity swapped");
    e->mode = Mode::Value;
    e->type = t;
}

// clear(s) (Go 1.21): zeroes a slice's elements.
void Checker::builtin_clear(CallExpr* e) {
    auto& args = e->args;
    for (Expr* a : args) expr(a);
    if (args.size() != 1) {
        error(e->pos, std::string("invalid operation: ") + (args.empty() ? "not enough" : "too many") +
                          " arguments for " + expr_string(e) + " (expected 1, found " +
                          std::to_string(args.size()) + ")");
        return;
    }
    Expr* x = args[0];
    if (x->mode == Mode::Invalid) return;
    if (x->type->underlying()->cls != TypeClass::Slice && x->type->underlying()->cls != TypeClass::Map) {
        error(x->pos, "invalid argument: cannot clear " + describe(x) +
                          ": argument must be (or constrained by) map or slice");
        return;
    }
    e->mode = Mode::NoValue;
    e->type = m_types.tuple({});
}

// Go's convertibleTo for strings: integers, []byte and []rune to string; strings to
// []byte and []rune.
bool Checker::string_convertible(const Type* from, const Type* to) const {
    if (to->is_string() && (from->is_integer() || is_bytes_or_runes(from))) return true;
    return from->is_string() && is_bytes_or_runes(to);
}

} // namespace csp
