// Type predicates, structural identity, Go's spelling of types, and the type table.
#include "lang/types.hpp"

namespace csp {

bool Type::is_basic(BasicKind k) const {
    const Type* u = underlying();
    return u->cls == TypeClass::Basic && u->basic == k;
}

bool Type::is_untyped() const {
    return cls == TypeClass::Basic && basic >= BasicKind::UntypedBool;
}

bool Type::is_integer() const {
    const Type* u = underlying();
    if (u->cls != TypeClass::Basic) return false;
    return (u->basic >= BasicKind::Int && u->basic <= BasicKind::Uintptr) ||
           u->basic == BasicKind::UntypedInt || u->basic == BasicKind::UntypedRune;
}

bool Type::is_unsigned() const {
    const Type* u = underlying();
    return u->cls == TypeClass::Basic && u->basic >= BasicKind::Uint && u->basic <= BasicKind::Uintptr;
}

bool Type::is_float() const {
    const Type* u = underlying();
    return u->cls == TypeClass::Basic &&
           (u->basic == BasicKind::Float32 || u->basic == BasicKind::Float64 ||
            u->basic == BasicKind::UntypedFloat);
}

bool Type::is_numeric() const { return is_integer() || is_float(); }

bool Type::is_string() const {
    const Type* u = underlying();
    return u->cls == TypeClass::Basic &&
           (u->basic == BasicKind::String || u->basic == BasicKind::UntypedString);
}

bool Type::is_boolean() const {
    const Type* u = underlying();
    return u->cls == TypeClass::Basic &&
           (u->basic == BasicKind::Bool || u->basic == BasicKind::UntypedBool);
}

const DeclaredMethod* Type::find_method(const std::string& method) const {
    for (const DeclaredMethod& m : declared_methods)
        if (m.name == method) return &m;
    return nullptr;
}

int Type::int_bits() const {
    switch (underlying()->basic) {
    case BasicKind::Int8: case BasicKind::Uint8: return 8;
    case BasicKind::Int16: case BasicKind::Uint16: return 16;
    case BasicKind::Int32: case BasicKind::Uint32: case BasicKind::UntypedRune: return 32;
    default: return 64;
    }
}

// `names`: the spelling of compile errors (parameter names, main's types unqualified).
static void write_type(std::string& out, const Type* t, bool names);

static void write_list(std::string& out, const std::vector<const Type*>& types, bool variadic,
                       bool names, const std::vector<std::string>& param_names = {}) {
    for (size_t i = 0; i < types.size(); i++) {
        if (i) out += ", ";
        if (names && i < param_names.size() && !param_names[i].empty()) out += param_names[i] + ' ';
        if (variadic && i + 1 == types.size()) {
            out += "...";
            write_type(out, types[i]->elem, names);
        } else {
            write_type(out, types[i], names);
        }
    }
}

static void write_signature(std::string& out, const Type* t, bool names) {
    out += '(';
    write_list(out, t->params, t->variadic, names, t->param_names);
    out += ')';
    if (t->results.empty()) return;
    out += ' ';
    bool named = names && !t->result_names.empty() && !t->result_names[0].empty();
    if (t->results.size() == 1 && !named) {
        write_type(out, t->results[0], names);
        return;
    }
    out += '(';
    write_list(out, t->results, false, names, t->result_names);
    out += ')';
}

static void write_type(std::string& out, const Type* t, bool names) {
    switch (t->cls) {
    case TypeClass::Basic:
        out += names && !t->alias.empty() ? t->alias : t->name;
        return;
    case TypeClass::Named:
        // Messages name the main package's own types unqualified, as Go's do.
        if (t->cls == TypeClass::Named && !t->package.empty() && !(names && t->package == "main"))
            out += t->package + '.';
        out += t->name;
        return;
    case TypeClass::Pointer: out += '*'; write_type(out, t->elem, names); return;
    case TypeClass::Slice: out += "[]"; write_type(out, t->elem, names); return;
    case TypeClass::Array:
        out += '[' + std::to_string(t->length) + ']';
        write_type(out, t->elem, names);
        return;
    case TypeClass::Map:
        out += "map[";
        write_type(out, t->key, names);
        out += ']';
        write_type(out, t->elem, names);
        return;
    case TypeClass::Chan:
        out += t->dir == ChanDir::Recv ? "<-chan " : t->dir == ChanDir::Send ? "chan<- " : "chan ";
        write_type(out, t->elem, names);
        return;
    case TypeClass::Signature: out += "func"; write_signature(out, t, names); return;
    case TypeClass::Struct:
        // Compile errors spell `struct{X int; Y string}` (types2); %T spells
        // `struct { X int; Y string }` (reflect).
        out += names ? "struct{" : t->fields.empty() ? "struct {" : "struct { ";
        for (size_t i = 0; i < t->fields.size(); i++) {
            if (i) out += "; ";
            if (!t->fields[i].embedded) out += t->fields[i].name + ' ';
            write_type(out, t->fields[i].type, names);
        }
        out += names || t->fields.empty() ? "}" : " }";
        return;
    case TypeClass::Interface:
        if (t->methods.empty()) {
            out += "interface {}";
            return;
        }
        // Compile errors spell `interface{M(); N() int}` (types2); %T `interface { M(); N() int }`.
        out += names ? "interface{" : "interface {";
        for (size_t i = 0; i < t->methods.size(); i++) {
            out += i ? "; " : names ? "" : " ";
            out += t->methods[i].name;
            write_signature(out, t->methods[i].signature, names);
        }
        out += names ? "}" : " }";
        return;
    case TypeClass::Tuple:
        out += '(';
        write_list(out, t->params, false, names);
        out += ')';
        return;
    }
}

std::string Type::to_string() const {
    if (cls == TypeClass::Basic && basic >= BasicKind::UntypedBool) {
        static const char* names[] = {"untyped bool", "untyped int", "untyped rune",
                                      "untyped float", "untyped string", "untyped nil"};
        return names[size_t(basic) - size_t(BasicKind::UntypedBool)];
    }
    std::string out;
    write_type(out, this, false);
    return out;
}

std::string Type::spelling() const {
    if (cls == TypeClass::Basic) return alias.empty() ? to_string() : alias;
    std::string out;
    write_type(out, this, true);
    return out;
}

bool identical(const Type* a, const Type* b) {
    if (a == b) return true;
    if (!a || !b || a->cls != b->cls) return false;
    switch (a->cls) {
    case TypeClass::Basic: return a->basic == b->basic;
    case TypeClass::Named: return false;
    case TypeClass::Pointer:
    case TypeClass::Slice: return identical(a->elem, b->elem);
    case TypeClass::Array: return a->length == b->length && identical(a->elem, b->elem);
    case TypeClass::Map: return identical(a->key, b->key) && identical(a->elem, b->elem);
    case TypeClass::Chan: return a->dir == b->dir && identical(a->elem, b->elem);
    case TypeClass::Signature:
    case TypeClass::Tuple:
        if (a->variadic != b->variadic || a->params.size() != b->params.size() ||
            a->results.size() != b->results.size())
            return false;
        for (size_t i = 0; i < a->params.size(); i++)
            if (!identical(a->params[i], b->params[i])) return false;
        for (size_t i = 0; i < a->results.size(); i++)
            if (!identical(a->results[i], b->results[i])) return false;
        return true;
    case TypeClass::Struct:
        if (a->fields.size() != b->fields.size()) return false;
        for (size_t i = 0; i < a->fields.size(); i++)
            if (a->fields[i].name != b->fields[i].name ||
                a->fields[i].embedded != b->fields[i].embedded ||
                !identical(a->fields[i].type, b->fields[i].type))
                return false;
        return true;
    case TypeClass::Interface:
        if (a->methods.size() != b->methods.size()) return false;
        for (size_t i = 0; i < a->methods.size(); i++)
            if (a->methods[i].name != b->methods[i].name ||
                !identical(a->methods[i].signature, b->methods[i].signature))
                return false;
        return true;
    }
    return false;
}

// Go's hasNil: the types whose values compare with, and may be set to, untyped nil.
bool has_nil(const Type* t) {
    switch (t->underlying()->cls) {
    case TypeClass::Slice: case TypeClass::Pointer: case TypeClass::Signature:
    case TypeClass::Map: case TypeClass::Chan: case TypeClass::Interface: return true;
    default: return false;
    }
}

bool is_comparable(const Type* t) {
    const Type* u = t->underlying();
    switch (u->cls) {
    case TypeClass::Basic: return u->basic != BasicKind::UntypedNil;
    case TypeClass::Pointer: case TypeClass::Chan: case TypeClass::Interface: return true;
    case TypeClass::Array: return is_comparable(u->elem);
    case TypeClass::Struct:
        for (const StructField& f : u->fields)
            if (!is_comparable(f.type)) return false;
        return true;
    default: return false;
    }
}

TypeTable::TypeTable() {
    static const char* names[] = {"invalid type", "bool", "int", "int8", "int16", "int32",
                                  "int64", "uint", "uint8", "uint16", "uint32", "uint64",
                                  "uintptr", "float32", "float64", "string", "untyped bool",
                                  "untyped int", "untyped rune", "untyped float",
                                  "untyped string", "untyped nil"};
    for (size_t k = 0; k <= size_t(BasicKind::UntypedNil); k++) {
        Type* t = new_type(TypeClass::Basic);
        t->basic = BasicKind(k);
        t->name = names[k];
        m_basic[k] = t;
    }
    auto alias = [&](BasicKind k, const char* name) {
        Type* t = new_type(TypeClass::Basic);
        *t = *m_basic[size_t(k)];
        t->alias = name;
        return t;
    };
    m_byte = alias(BasicKind::Uint8, "byte");
    m_rune = alias(BasicKind::Int32, "rune");
    m_any = new_type(TypeClass::Interface);
    Type* error_iface = new_type(TypeClass::Interface);
    error_iface->methods.push_back({"Error", signature({}, {basic(BasicKind::String)}, false)});
    Type* error_named = new_type(TypeClass::Named);
    error_named->name = "error";
    error_named->base = error_iface;
    m_error = error_named;
}

Type* TypeTable::new_type(TypeClass c) { return &m_types.emplace_back(c); }

const Type* TypeTable::pointer(const Type* elem) {
    Type* t = new_type(TypeClass::Pointer);
    t->elem = elem;
    return t;
}
const Type* TypeTable::slice(const Type* elem) {
    Type* t = new_type(TypeClass::Slice);
    t->elem = elem;
    return t;
}
const Type* TypeTable::array(const Type* elem, int64_t length) {
    Type* t = new_type(TypeClass::Array);
    t->elem = elem;
    t->length = length;
    return t;
}
const Type* TypeTable::map(const Type* key, const Type* value) {
    Type* t = new_type(TypeClass::Map);
    t->key = key;
    t->elem = value;
    return t;
}
const Type* TypeTable::chan(const Type* elem, ChanDir dir) {
    Type* t = new_type(TypeClass::Chan);
    t->elem = elem;
    t->dir = dir;
    return t;
}
const Type* TypeTable::signature(std::vector<const Type*> params,
                                 std::vector<const Type*> results, bool variadic,
                                 std::vector<std::string> param_names,
                                 std::vector<std::string> result_names) {
    Type* t = new_type(TypeClass::Signature);
    t->param_names = std::move(param_names);
    t->result_names = std::move(result_names);
    t->params = std::move(params);
    t->results = std::move(results);
    t->variadic = variadic;
    return t;
}
const Type* TypeTable::tuple(std::vector<const Type*> members) {
    Type* t = new_type(TypeClass::Tuple);
    t->params = std::move(members);
    return t;
}

const Type* TypeTable::default_type(const Type* t) const {
    if (!t->is_untyped()) return t;
    switch (t->basic) {
    case BasicKind::UntypedBool: return basic(BasicKind::Bool);
    case BasicKind::UntypedInt: return basic(BasicKind::Int);
    case BasicKind::UntypedRune: return m_rune;
    case BasicKind::UntypedFloat: return basic(BasicKind::Float64);
    case BasicKind::UntypedString: return basic(BasicKind::String);
    default: return t;
    }
}

} // namespace csp
