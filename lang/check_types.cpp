// Checker, part 6: struct and pointer types, invalid recursive types, method declarations,
// Go's field and method lookup (embedding, promotion, ambiguity, method sets), selectors
// on values and types, struct literals, and the pointer operators & and *.
#include "lang/checker_internal.hpp"

#include <algorithm>
#include <cctype>

namespace csp {

namespace {

Expr* unparen(Expr* e) {
    while (e->kind == ExprKind::Paren) e = static_cast<ParenExpr*>(e)->inner;
    return e;
}

// Go's deref: the base of an unnamed pointer type, and whether t was one.
const Type* deref(const Type* t, bool& is_pointer) {
    is_pointer = t->cls == TypeClass::Pointer;
    return is_pointer ? t->elem : t;
}

} // namespace

// ---- types -----------------------------------------------------------------------------

// struct { a, b T; U; *V }: fields in order; an embedded field is named by its type name.
const Type* Checker::struct_type(StructTypeExpr* e) {
    Type* t = m_types.new_type(TypeClass::Struct);
    auto add = [&](const std::string& name, const Type* type, bool embedded, Pos pos) {
        if (name != "_")
            for (const StructField& f : t->fields)
                if (f.name == name) {
                    error(pos, name + " redeclared\n\t" + position(f.pos) + ": other declaration of " + name);
                    return;
                }
        t->fields.push_back({name, type, embedded, pos});
    };
    for (Field& f : e->fields) {
        const Type* ft = resolve_type(f.type);
        if (!f.names.empty()) {
            for (Ident& id : f.names) add(id.name, ft, false, id.pos);
            continue;
        }
        Expr* name = unparen(f.type);
        if (name->kind == ExprKind::Star) name = unparen(static_cast<StarExpr*>(name)->operand);
        std::string field_name = name->kind == ExprKind::Selector ? static_cast<SelectorExpr*>(name)->field
                                 : name->kind == ExprKind::Name   ? static_cast<NameExpr*>(name)->name
                                                                  : "_";
        bool is_pointer = false;
        const Type* base = deref(ft, is_pointer);
        if (base != m_types.invalid() && base->underlying()) {
            if (base->underlying()->cls == TypeClass::Pointer)
                error(f.type->pos, "embedded field type cannot be a pointer");
            else if (is_pointer && base->is_interface())
                error(f.type->pos, "embedded field type cannot be a pointer to an interface");
        }
        add(field_name, ft, true, f.type->pos);
    }
    e->type = t;
    return t;
}

// Go's cycleError: the cycle is reported at its declaration first in the source.
void Checker::report_type_cycle(std::vector<Symbol*> cycle) {
    auto first = std::min_element(cycle.begin(), cycle.end(),
                                  [](Symbol* a, Symbol* b) { return a->pos.offset < b->pos.offset; });
    std::rotate(cycle.begin(), first, cycle.end());
    std::string msg = "invalid recursive type " + cycle[0]->name;
    for (Symbol* s : cycle) msg += "\n\t" + position(s->pos) + ": " + s->name + " refers to";
    msg += "\n\t" + position(cycle[0]->pos) + ": " + cycle[0]->name;
    error(cycle[0]->pos, msg);
}

// Go's validType: a type may not contain itself except through an indirection (pointer,
// slice, map, channel, function). Walks struct fields and array elements; a named type
// met again on the path is a cycle, broken by making the first one's underlying invalid.
// Named types whose walk met no type still being resolved are valid for good (so each is
// walked once, however often it is embedded); `complete` turns false otherwise.
bool Checker::valid_type(const Type* t, std::vector<const Type*>& path, bool& complete) {
    switch (t->cls) {
    case TypeClass::Named: {
        if (m_valid_types.count(t)) return true;
        if (!t->base) { // still being resolved further out: checked there
            complete = false;
            return true;
        }
        auto at = std::find(path.begin(), path.end(), t);
        if (at != path.end()) {
            std::vector<Symbol*> cycle;
            for (auto it = at; it != path.end(); ++it) cycle.push_back((*it)->type_name);
            report_type_cycle(cycle);
            const_cast<Type*>(t)->base = m_types.invalid();
            return false;
        }
        path.push_back(t);
        bool inner_complete = true;
        bool ok = valid_type(t->base, path, inner_complete);
        path.pop_back();
        if (ok && inner_complete) m_valid_types.insert(t);
        complete = complete && inner_complete;
        return ok;
    }
    case TypeClass::Struct:
        for (const StructField& f : t->fields)
            if (!valid_type(f.type, path, complete)) return false;
        return true;
    case TypeClass::Array: return valid_type(t->elem, path, complete);
    default: return true;
    }
}

// ---- methods ---------------------------------------------------------------------------

// Declares every method of the package on its receiver base type (Go's collectMethods),
// before any package-level value or body is checked.
void Checker::declare_methods(Package& pkg) {
    std::vector<const Type*> receivers;
    for (FuncDecl* d : pkg.method_decls) {
        const Type* base = declare_method(d, pkg);
        if (base && std::find(receivers.begin(), receivers.end(), base) == receivers.end())
            receivers.push_back(base);
    }
    // Go's checkFieldUniqueness: a struct's fields and its methods have distinct names.
    for (const Type* t : receivers) {
        if (t->base->cls != TypeClass::Struct) continue;
        for (const StructField& f : t->base->fields)
            if (const DeclaredMethod* m = f.name == "_" ? nullptr : t->find_method(f.name))
                error(m->symbol->pos, "field and method with the same name " + f.name + "\n\t" +
                                          position(f.pos) + ": other declaration of " + f.name);
    }
}

// One `func (r T) m(...)`: its function, receiver parameter and symbol; returns the
// receiver base type when the method was attached to it.
const Type* Checker::declare_method(FuncDecl* d, Package& pkg) {
    Field& recv = *d->receiver;
    Pos recv_pos = recv.names.empty() ? recv.type->pos : recv.names[0].pos;
    const Type* recv_type = resolve_type(recv.type);
    Expr* written = unparen(recv.type);
    bool pointer = written->kind == ExprKind::Star;
    if (pointer) written = unparen(static_cast<StarExpr*>(written)->operand);
    std::string base_name = expr_string(written);

    auto info = std::make_unique<FunctionInfo>();
    info->name = pkg.path + "." + (pointer ? "(*" + base_name + ")" : base_name) + "." + d->name.name;
    info->package = &pkg;
    info->body = d->body;
    info->pos = d->pos;
    info->method = true;
    info->native = d->body == nullptr;
    if (info->native && pkg.path == "main") error(d->name.pos, "missing function body");
    FunctionInfo* fn = info.get();
    m_program.functions.push_back(std::move(info));
    const Type* sig = signature_type(d->signature);
    fn->signature = sig;

    Symbol* receiver = new_symbol(SymbolKind::Var, recv.names.empty() ? "_" : recv.names[0].name,
                                  recv_pos, recv_type);
    receiver->owner = fn;
    receiver->is_param = true;
    fn->params.push_back(receiver);
    Symbol* sym = new_symbol(SymbolKind::Func, d->name.name, d->name.pos, sig);
    sym->global = true;
    sym->func_decl = d;
    sym->function = fn;
    sym->package = &pkg;
    sym->order = m_next_order++;
    sym->resolve_state = 2;
    d->symbol = sym;
    d->info = fn;

    const Type* base = receiver_base(recv_type, recv_pos, pkg);
    if (!base || d->name.name == "_") return nullptr;
    if (const DeclaredMethod* other = base->find_method(d->name.name)) {
        error(d->name.pos, base->name + "." + d->name.name + " redeclared in this block\n\t" +
                               position(other->symbol->pos) + ": other declaration of " + d->name.name);
        return nullptr;
    }
    base->declared_methods.push_back({d->name.name, sym, recv_type->cls == TypeClass::Pointer});
    return base;
}

// Go's receiver validation: the base type of T or *T is a named type of this package,
// neither a pointer nor an interface. Returns it, or null after reporting why not.
const Type* Checker::receiver_base(const Type* recv_type, Pos recv_pos, Package& pkg) {
    if (recv_type == m_types.invalid()) return nullptr;
    bool is_pointer = false;
    const Type* base = deref(recv_type, is_pointer);
    if (base->cls == TypeClass::Basic || (base->cls == TypeClass::Named && base->package != pkg.path)) {
        error(recv_pos, "cannot define new methods on non-local type " + base->spelling());
        return nullptr;
    }
    if (base->cls != TypeClass::Named) {
        error(recv_pos, "invalid receiver type " + recv_type->spelling());
        return nullptr;
    }
    TypeClass under = base->base ? base->base->cls : TypeClass::Basic;
    if (under == TypeClass::Pointer || under == TypeClass::Interface) {
        error(recv_pos, "invalid receiver type " + base->spelling() + " (pointer or interface type)");
        return nullptr;
    }
    return base;
}

// ---- lookup ----------------------------------------------------------------------------

// One embedded value met by lookup_field_or_method: its type (pointers removed), the field
// path to it, whether a pointer was followed, and whether its type occurs more than once
// at its depth.
struct Checker::Embedded {
    const Type* type;
    std::vector<uint32_t> path;
    bool indirect;
    bool multiples;
};

// Go's lookupFieldOrMethod: a breadth-first search of t's fields and methods through
// embedded fields, depth by depth; two matches at the same depth are ambiguous. A
// method with a pointer receiver needs an addressable operand or a pointer on the way.
LookupResult Checker::lookup_field_or_method(const Type* t, const std::string& name, bool addressable) {
    bool is_pointer = false;
    const Type* start = deref(t, is_pointer);
    // Methods cannot be declared on named pointer types: look at the fields of their base.
    bool named_pointer = t->cls == TypeClass::Named && t->base && t->base->cls == TypeClass::Pointer;
    if (named_pointer) start = t->base->elem, is_pointer = true;
    std::vector<Embedded> current{{start, {}, is_pointer, false}};
    std::vector<const Type*> seen;
    while (!current.empty()) {
        std::vector<Embedded> next;
        LookupResult result;
        for (Embedded& e : current)
            if (!lookup_at_depth(e, name, !named_pointer, seen, result, next)) break;
        if (result.kind == LookupResult::Method && result.method && result.method->pointer_receiver &&
            !result.indirect && !addressable)
            result.kind = LookupResult::NeedsPointer;
        if (result.kind != LookupResult::NotFound) return result;
        // Go's consolidateMultiples: a type embedded twice at one depth is ambiguous there.
        current.clear();
        for (Embedded& e : next) {
            auto same = std::find_if(current.begin(), current.end(),
                                     [&](const Embedded& c) { return identical(c.type, e.type); });
            if (same != current.end()) same->multiples = true;
            else current.push_back(e);
        }
    }
    return {};
}

// Looks for `name` among e's methods and fields (one step of Go's search), recording a
// match in `result` (Ambiguous for a second one: then returns false to stop) and the
// embedded fields to search at the next depth in `next`.
bool Checker::lookup_at_depth(const Embedded& e, const std::string& name, bool methods,
                              std::vector<const Type*>& seen, LookupResult& result,
                              std::vector<Embedded>& next) {
    auto found = [&](LookupResult::Kind kind, std::vector<uint32_t> path, const Type* type,
                     const DeclaredMethod* method) {
        if (result.kind != LookupResult::NotFound || e.multiples) {
            result = {};
            result.kind = LookupResult::Ambiguous;
            return false;
        }
        result = {kind, std::move(path), type, method, e.indirect};
        return true;
    };
    const Type* type = e.type;
    if (type->cls == TypeClass::Named) {
        if (std::find(seen.begin(), seen.end(), type) != seen.end()) return true;
        seen.push_back(type);
        if (const DeclaredMethod* m = methods ? type->find_method(name) : nullptr)
            return found(LookupResult::Method, e.path, m->symbol->type, m);
        type = type->base;
        if (!type) return true;
    }
    if (type->cls == TypeClass::Interface && methods) {
        for (const InterfaceMethodType& m : type->methods) {
            if (m.name != name) continue;
            if (!found(LookupResult::Method, e.path, m.signature, nullptr)) return false;
            result.interface_method = true;
        }
        return true;
    }
    if (type->cls != TypeClass::Struct) return true;
    for (uint32_t i = 0; i < type->fields.size(); i++) {
        const StructField& f = type->fields[i];
        std::vector<uint32_t> path = e.path;
        path.push_back(i);
        if (f.name == name && name != "_") {
            if (!found(LookupResult::Field, path, f.type, nullptr)) return false;
            continue;
        }
        if (result.kind == LookupResult::NotFound && f.embedded) {
            bool embedded_pointer = false;
            const Type* ft = deref(f.type, embedded_pointer);
            next.push_back({ft, path, e.indirect || embedded_pointer, e.multiples});
        }
    }
    return true;
}

// ---- selectors -------------------------------------------------------------------------

// x.f where x is a value or a type (Go's selector, after qualified identifiers).
void Checker::value_selector(SelectorExpr* e) {
    Expr* x = e->base;
    if (x->mode == Mode::Builtin) {
        error(e->pos, "cannot select on " + describe(x));
        return;
    }
    if (x->mode == Mode::Invalid) return;
    if (x->mode != Mode::Type && !check_value(x)) return;
    if (x->type == m_types.invalid() || x->type->underlying() == m_types.invalid()) return;
    LookupResult r = lookup_field_or_method(x->type, e->field, x->mode == Mode::Variable);
    if (r.kind == LookupResult::Ambiguous) {
        error(e->field_pos, "ambiguous selector " + expr_string(x) + "." + e->field);
        return;
    }
    if (r.kind == LookupResult::NeedsPointer) {
        error(e->field_pos, "cannot call pointer method " + e->field + " on " + x->type->spelling());
        return;
    }
    if (r.kind == LookupResult::NotFound) {
        std::string why = "type " + x->type->spelling() + " has no field or method " + e->field;
        if (!e->field.empty()) { // Go suggests the name with its first letter's case changed
            std::string other = e->field;
            unsigned char c = other[0];
            other[0] = char(std::isupper(c) ? std::tolower(c) : std::toupper(c));
            if (other != e->field &&
                lookup_field_or_method(x->type, other, x->mode == Mode::Variable).kind !=
                    LookupResult::NotFound)
                why += ", but does have " + other;
        }
        error(e->field_pos, expr_string(x) + "." + e->field + " undefined (" + why + ")");
        return;
    }
    e->path = r.path;
    if (r.interface_method) {
        interface_selector(e, r);
        return;
    }
    if (x->mode == Mode::Type) {
        method_expression(e, r);
        return;
    }
    if (r.kind == LookupResult::Field) {
        e->selection = Selection::Field;
        e->mode = x->mode == Mode::Variable || r.indirect ? Mode::Variable : Mode::Value;
        e->type = r.type;
        return;
    }
    e->selection = Selection::MethodValue;
    e->symbol = r.method->symbol;
    e->mode = Mode::Value;
    e->type = r.type;
    add_dependency(r.method->symbol);
    // x.m() with a pointer receiver on an addressable x is (&x).m(): x lives in a cell.
    if (r.method->pointer_receiver && !r.indirect) mark_addressed(x);
}

// T.m and (*T).m: the method as a function whose first parameter is the receiver.
void Checker::method_expression(SelectorExpr* e, const LookupResult& r) {
    Expr* x = e->base;
    if (r.kind != LookupResult::Method) {
        error(e->field_pos, expr_string(x) + "." + e->field + " undefined (type " +
                                x->type->spelling() + " has no method " + e->field + ")");
        return;
    }
    const Type* sig = r.type;
    std::vector<const Type*> params{x->type};
    params.insert(params.end(), sig->params.begin(), sig->params.end());
    std::vector<std::string> names;
    if (!sig->param_names.empty() && !sig->param_names[0].empty()) {
        const std::string& recv = r.method->symbol->function->params[0]->name;
        names.push_back(recv.empty() ? "_" : recv);
        names.insert(names.end(), sig->param_names.begin(), sig->param_names.end());
    }
    e->selection = r.path.empty() ? Selection::MethodExpr : Selection::PromotedMethodExpr;
    e->symbol = r.method->symbol;
    e->mode = Mode::Value;
    e->type = m_types.signature(params, sig->results, sig->variadic, names, sig->result_names);
    add_dependency(r.method->symbol);
}

// Records that the variable at the root of an addressable expression has its address
// taken, so that the compiler keeps it in a heap cell. Stops at pointer indirections,
// whose targets are in the heap already.
void Checker::mark_addressed(Expr* e) {
    e = unparen(e);
    if (e->kind == ExprKind::Name) {
        Symbol* s = static_cast<NameExpr*>(e)->symbol;
        if (s && s->kind == SymbolKind::Var && !s->global) s->address_taken = true;
        return;
    }
    if (e->kind == ExprKind::Index) { // &a[i] of an array is inside a; of a slice, not
        Expr* base = static_cast<IndexExpr*>(e)->base;
        if (base->type && base->type->underlying()->cls == TypeClass::Array) mark_addressed(base);
        return;
    }
    if (e->kind != ExprKind::Selector) return;
    auto* sel = static_cast<SelectorExpr*>(e);
    if (sel->selection != Selection::Field) return;
    const Type* t = sel->base->type;
    if (t->underlying()->cls == TypeClass::Pointer) return;
    for (size_t i = 0; i + 1 < sel->path.size(); i++) {
        t = t->underlying()->fields[sel->path[i]].type;
        if (t->cls == TypeClass::Pointer) return;
    }
    mark_addressed(sel->base);
}

// ---- composite literals ----------------------------------------------------------------

// Go's struct case of compositeLit: all elements keyed by field name, or none keyed and
// one per field in order.
void Checker::struct_literal(CompositeLit* e, const Type* base) {
    const auto& fields = base->underlying()->fields;
    if (e->elements.empty()) return;
    if (e->elements[0]->kind == ExprKind::KeyValue) {
        std::vector<bool> visited(fields.size(), false);
        for (Expr* el : e->elements) {
            if (el->kind != ExprKind::KeyValue) {
                error(el->pos, "mixture of field:value and value elements in struct literal");
                continue;
            }
            auto* kv = static_cast<KeyValueExpr*>(el);
            auto* key = kv->key->kind == ExprKind::Name ? static_cast<NameExpr*>(kv->key) : nullptr;
            size_t i = 0; // a blank field cannot be named
            while (key && i < fields.size() && (fields[i].name != key->name || key->name == "_")) i++;
            expr(kv->value, key && i < fields.size() ? fields[i].type : nullptr);
            if (!key) {
                error(kv->colon, "invalid field name " + expr_string(kv->key) + " in struct literal");
                continue;
            }
            if (i == fields.size()) {
                error(kv->key->pos, "unknown field '" + key->name + "' in struct literal of type " +
                                        base->spelling());
                continue;
            }
            assign(kv->value, fields[i].type, {"struct literal"});
            if (visited[i]) {
                error(kv->colon, "duplicate field name " + key->name + " in struct literal");
                continue;
            }
            visited[i] = true;
        }
        return;
    }
    for (size_t i = 0; i < e->elements.size(); i++) {
        Expr* el = e->elements[i];
        if (el->kind == ExprKind::KeyValue) {
            error(static_cast<KeyValueExpr*>(el)->colon,
                  "mixture of field:value and value elements in struct literal");
            continue;
        }
        expr(el, i < fields.size() ? fields[i].type : nullptr);
        if (i >= fields.size()) {
            error(el->pos, "too many values in " + base->spelling() + "{…}");
            break;
        }
        assign(el, fields[i].type, {"struct literal"});
    }
    if (e->elements.size() < fields.size())
        error(e->rbrace, "too few values in " + base->spelling() + "{…}");
}

// ---- pointers --------------------------------------------------------------------------

// &x: x addressable (its root variable then lives in a cell), or a composite literal.
void Checker::address_of(UnaryExpr* e) {
    expr(e->operand);
    Expr* x = e->operand;
    if (x->mode == Mode::Invalid) return;
    if (!check_value(x)) return;
    if (unparen(x)->kind != ExprKind::CompositeLit && x->mode != Mode::Variable) {
        error(x->pos, "invalid operation: cannot take address of " + describe(x));
        return;
    }
    mark_addressed(x);
    e->mode = Mode::Value;
    e->type = m_types.pointer(x->type);
}

// *x: the pointer type *T when x is a type, else an indirection (a variable).
void Checker::star_expr(StarExpr* e) {
    expr_or_type(e->operand);
    Expr* x = e->operand;
    if (x->mode == Mode::Invalid) return;
    if (x->mode == Mode::Type) {
        e->mode = Mode::Type;
        e->type = m_types.pointer(x->type);
        return;
    }
    if (!check_value(x)) return;
    if (x->type->is_basic(BasicKind::UntypedNil)) {
        error(x->pos, "invalid operation: cannot indirect nil");
        return;
    }
    if (x->type->underlying()->cls != TypeClass::Pointer) {
        if (x->type != m_types.invalid())
            error(x->pos, "invalid operation: cannot indirect " + describe(x));
        return;
    }
    e->mode = Mode::Variable;
    e->type = x->type->underlying()->elem;
}

} // namespace csp
