// The recursive value printer behind fmt's verbs on composite values, a port of Go 1.19's
// printValue (fmt/print.go): one case per kind of type in print_value (slices, arrays,
// structs, pointers, funcs, interfaces), leaves printed through the formatter with the
// directive's flags still in effect.
#include "stdlib/fmt/value_printer.hpp"

#include "runtime/map.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace csp::stdlib {

namespace {

// What travels down a walk: the method calls of this formatting call, and whether the
// value is reached only through exported fields (Go's CanInterface: fmt calls methods of
// such values only).
struct Walk {
    MethodCalls* calls;
    bool exported;
};

void print_value(fmt::ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb, int depth, Walk walk);
bool handle_methods(fmt::ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb, Walk walk);

// Go's IsExported for a field name ("T" or "pkg.T" for an embedded field, "*T" too).
bool exported_name(const std::string& name) {
    size_t start = name.rfind('.');
    start = start == std::string::npos ? 0 : start + 1;
    while (start < name.size() && name[start] == '*') ++start;
    unsigned char c = start < name.size() ? static_cast<unsigned char>(name[start]) : 'a';
    return c >= 'A' && c <= 'Z'; // csp identifiers outside ASCII are not exported here
}

// A String, Error or GoString method of a concrete type (an interface type lists the
// methods it requires: its values' dynamic types have the methods).
const RtMethod* find_string_method(const RtType& type, const char* name) {
    if (type.kind == TypeKind::Interface) return nullptr;
    for (const RtMethod& m : type.methods)
        if (m.name == name && m.signature == "func() string") return &m;
    return nullptr;
}

fmt::Arg string_arg(std::string_view text) {
    fmt::Arg arg;
    arg.kind = fmt::ArgKind::String;
    arg.type_name = "string";
    arg.s = text;
    return arg;
}

// Go's handleMethods: %#v takes GoString; v s x X q take Error, else String. The result
// is printed as a string with the verb (GoString's unadorned); a panic in the method is
// printed as Go's catchPanic does (see callMethod in fmt.csp).
bool handle_methods(fmt::ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb, Walk walk) {
    if (walk.calls == nullptr || type.methods.empty() || sink.erroring()) return false;
    const RtMethod* method = nullptr;
    char kind = 0;
    if (sink.sharp_v()) {
        method = find_string_method(type, "GoString"), kind = 'g';
    } else if (verb == 'v' || verb == 's' || verb == 'x' || verb == 'X' || verb == 'q') {
        method = find_string_method(type, "Error"), kind = 'e';
        if (!method) method = find_string_method(type, "String"), kind = 's';
    }
    if (!method) return false;
    std::string_view result;
    if (!walk.calls->next(type, slots, kind, result)) return true; // collecting: output unused
    if (!result.empty() && result[0] == '\0') {
        std::string text = "%!";
        text += char(verb); // one of v s x X q
        text += "(PANIC=";
        text += result.substr(1);
        text += ")";
        sink.write(text);
    } else if (result == "\x01") {
        sink.print_arg(string_arg("<nil>"), 's');
    } else {
        sink.print_arg(string_arg(result), kind == 'g' ? 's' : verb);
    }
    return true;
}

// Slices and arrays: [a b c], or with %#v T{a, b, c}; byte elements as text for %s %q %x %X.
void print_sequence(fmt::ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb, int depth, Walk walk) {
    const Slot* elements = slots;
    int64_t count = type.length;
    bool nil = false;
    if (type.kind == TypeKind::Slice) {
        SliceRef slice = load_slice(slots);
        elements = static_cast<const Slot*>(slice.data);
        count = slice.len;
        nil = slice.data == nullptr;
    }
    const RtType& elem = *type.elem;
    // []byte itself is printed by fmtBytes whatever the verb (printArg's fast path).
    bool byte_slice = depth == 0 && type.kind == TypeKind::Slice && type.name == "[]uint8";
    bool text_verb = verb == 's' || verb == 'q' || verb == 'x' || verb == 'X';
    if (elem.kind == TypeKind::Uint8 && (byte_slice || text_verb)) {
        std::string bytes(size_t(count), '\0');
        for (int64_t k = 0; k < count; ++k) bytes[size_t(k)] = char(uint8_t(elements[k].u));
        if (sink.print_bytes(bytes, nil, verb, byte_slice ? "[]byte" : std::string_view(type.name))) return;
    }
    if (sink.sharp_v()) {
        sink.write(type.name);
        if (nil) {
            sink.write("(nil)");
            return;
        }
        sink.write("{");
        for (int64_t k = 0; k < count; ++k) {
            if (k > 0) sink.write(", ");
            print_value(sink, elem, elements + k * elem.slots, verb, depth + 1, walk);
        }
        sink.write("}");
        return;
    }
    sink.write("[");
    for (int64_t k = 0; k < count; ++k) {
        if (k > 0) sink.write(" ");
        print_value(sink, elem, elements + k * elem.slots, verb, depth + 1, walk);
    }
    sink.write("]");
}

// An element of interface type: its dynamic value, or <nil>.
void print_interface(fmt::ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb, int depth, Walk walk) {
    InterfaceRef value = load_interface(slots);
    if (value.type == nullptr) {
        if (sink.sharp_v()) {
            sink.write(type.name);
            sink.write("(nil)");
        } else {
            sink.write("<nil>");
        }
        return;
    }
    print_value(sink, *value.type, interface_payload(value), verb, depth + 1, walk);
}

// Go's internal/fmtsort compare: -1, 0, 1 for keys of one type.
int compare_keys(const RtType& type, const Slot* a, const Slot* b) {
    switch (type.kind) {
    case TypeKind::Int: case TypeKind::Int8: case TypeKind::Int16: case TypeKind::Int32: case TypeKind::Int64:
        return a->i < b->i ? -1 : a->i > b->i ? 1 : 0;
    case TypeKind::String: {
        int c = load_string(a).view().compare(load_string(b).view());
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case TypeKind::Float32: case TypeKind::Float64: {
        double x = a->f, y = b->f;
        if (x < y) return -1;
        if (x > y) return 1;
        if (std::isnan(x) && !std::isnan(y)) return -1;
        if (!std::isnan(x) && std::isnan(y)) return 1;
        return 0;
    }
    case TypeKind::Array:
        for (int64_t k = 0; k < type.length; ++k) {
            uint64_t off = uint64_t(k) * type.elem->slots;
            if (int c = compare_keys(*type.elem, a + off, b + off)) return c;
        }
        return 0;
    case TypeKind::Struct:
        for (const RtField& f : type.fields)
            if (int c = compare_keys(*f.type, a + f.offset, b + f.offset)) return c;
        return 0;
    case TypeKind::Interface: { // nil first, then by dynamic type (Go: by its address), then value
        InterfaceRef x = load_interface(a), y = load_interface(b);
        if (x.type == nullptr || y.type == nullptr) return x.type ? 1 : y.type ? -1 : 0;
        if (int c = x.type->name.compare(y.type->name)) return c < 0 ? -1 : 1;
        return compare_keys(*x.type, interface_payload(x), interface_payload(y));
    }
    default: // unsigned integers, bools (false first), pointers and channels by address
        return a->u < b->u ? -1 : a->u > b->u ? 1 : 0;
    }
}

// map[k:v k:v] (%#v: T{k:v, k:v}), keys sorted as Go's fmtsort does.
void print_map(fmt::ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb, int depth, Walk walk) {
    auto* m = static_cast<const MapHeader*>(slots->p);
    if (sink.sharp_v()) {
        sink.write(type.name);
        if (m == nullptr) {
            sink.write("(nil)");
            return;
        }
        sink.write("{");
    } else {
        sink.write("map[");
    }
    std::vector<const Slot*> entries; // each: the key, then the value
    if (m != nullptr)
        for (uint64_t i = 0; i < m->capacity; ++i) {
            const Slot* e = m->table + i * m->entry_slots;
            if (e[0].u >= 2) entries.push_back(e + 1);
        }
    const RtType& key = *type.key;
    std::stable_sort(entries.begin(), entries.end(),
                     [&](const Slot* x, const Slot* y) { return compare_keys(key, x, y) < 0; });
    for (size_t k = 0; k < entries.size(); ++k) {
        if (k > 0) sink.write(sink.sharp_v() ? ", " : " ");
        print_value(sink, key, entries[k], verb, depth + 1, walk);
        sink.write(":");
        print_value(sink, *type.elem, entries[k] + key.slots, verb, depth + 1, walk);
    }
    sink.write(sink.sharp_v() ? "}" : "]");
}

// {a b}, {X:a Y:b} with %+v, main.T{X:a, Y:b} with %#v.
void print_struct(fmt::ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb, int depth, Walk walk) {
    if (sink.sharp_v()) sink.write(type.name);
    sink.write("{");
    for (size_t i = 0; i < type.fields.size(); i++) {
        const RtField& field = type.fields[i];
        if (i > 0) sink.write(sink.sharp_v() ? ", " : " ");
        if (sink.plus_v() || sink.sharp_v()) {
            sink.write(field.name);
            sink.write(":");
        }
        Walk inner = walk;
        inner.exported = walk.exported && exported_name(field.name);
        print_value(sink, *field.type, slots + field.offset, verb, depth + 1, inner);
    }
    sink.write("}");
}

// Go's fmtPointer for pointers, funcs and (%p) slices, or %!verb(type=value).
void print_address(fmt::ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb, Walk walk) {
    if (!sink.print_pointer(slots->u, verb, type.name)) {
        VmValue self(type, slots, walk.calls);
        sink.bad_verb(self.arg(), verb);
    }
}

// A pointer operand to a struct, array or slice prints as &{...} / &[...]; deeper
// pointers print as addresses, which keeps cyclic structures finite.
void print_pointer_value(fmt::ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb, int depth, Walk walk) {
    const Slot* target = static_cast<const Slot*>(slots->p);
    TypeKind elem = type.elem->kind;
    if (depth == 0 && target != nullptr &&
        (elem == TypeKind::Struct || elem == TypeKind::Array || elem == TypeKind::Slice)) {
        sink.write("&");
        print_value(sink, *type.elem, target, verb, depth + 1, walk);
        return;
    }
    print_address(sink, type, slots, verb, walk);
}

// Go's printValue, by kind.
void print_value(fmt::ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb, int depth, Walk walk) {
    if (depth > 0 && walk.exported && handle_methods(sink, type, slots, verb, walk)) return;
    switch (type.kind) {
    case TypeKind::Slice:
    case TypeKind::Array:
        print_sequence(sink, type, slots, verb, depth, walk);
        return;
    case TypeKind::Interface:
        print_interface(sink, type, slots, verb, depth, walk);
        return;
    case TypeKind::Map:
        print_map(sink, type, slots, verb, depth, walk);
        return;
    case TypeKind::Struct:
        print_struct(sink, type, slots, verb, depth, walk);
        return;
    case TypeKind::Pointer:
        print_pointer_value(sink, type, slots, verb, depth, walk);
        return;
    case TypeKind::Func:
        print_address(sink, type, slots, verb, walk);
        return;
    default:
        sink.print_arg(scalar_arg(type, slots), verb);
        return;
    }
}

} // namespace

bool is_composite(const RtType& type) {
    switch (type.kind) {
    case TypeKind::Slice:
    case TypeKind::Array:
    case TypeKind::Struct:
    case TypeKind::Pointer:
    case TypeKind::Func:
    case TypeKind::Map:
        return true;
    default:
        return false;
    }
}

fmt::Arg scalar_arg(const RtType& type, const Slot* payload) {
    fmt::Arg arg;
    arg.type_name = type.name;
    switch (type.kind) {
    case TypeKind::Bool: arg.kind = fmt::ArgKind::Bool; arg.b = payload->u != 0; break;
    case TypeKind::Int: case TypeKind::Int64: arg.kind = fmt::ArgKind::Int; arg.i = payload->i; break;
    case TypeKind::Int8: arg.kind = fmt::ArgKind::Int; arg.bits = 8; arg.i = payload->i; break;
    case TypeKind::Int16: arg.kind = fmt::ArgKind::Int; arg.bits = 16; arg.i = payload->i; break;
    case TypeKind::Int32: arg.kind = fmt::ArgKind::Int; arg.bits = 32; arg.i = payload->i; break;
    case TypeKind::Uint: case TypeKind::Uint64: case TypeKind::Uintptr:
        arg.kind = fmt::ArgKind::Uint; arg.u = payload->u; break;
    case TypeKind::Uint8: arg.kind = fmt::ArgKind::Uint; arg.bits = 8; arg.u = payload->u; break;
    case TypeKind::Uint16: arg.kind = fmt::ArgKind::Uint; arg.bits = 16; arg.u = payload->u; break;
    case TypeKind::Uint32: arg.kind = fmt::ArgKind::Uint; arg.bits = 32; arg.u = payload->u; break;
    case TypeKind::Float32: arg.kind = fmt::ArgKind::Float; arg.bits = 32; arg.f = payload->f; break;
    case TypeKind::Float64: arg.kind = fmt::ArgKind::Float; arg.f = payload->f; break;
    case TypeKind::String: arg.kind = fmt::ArgKind::String; arg.s = load_string(payload).view(); break;
    default: // a reference of a kind not printed yet: its address
        arg.kind = fmt::ArgKind::Uint;
        arg.u = payload->u;
        break;
    }
    return arg;
}

bool MethodCalls::next(const RtType& type, const Slot* slots, char kind, std::string_view& result) {
    if (collecting()) {
        Slot data = type.slots == 1 ? slots[0] : Slot{.p = const_cast<Slot*>(slots)};
        m_calls.push_back({&type, data});
        m_kinds += kind;
        return false;
    }
    result = m_next < m_results.len ? load_string(static_cast<const Slot*>(m_results.data) + 2 * m_next).view()
                                    : std::string_view();
    ++m_next;
    return true;
}

bool has_error_method(const RtType& type) { return find_string_method(type, "Error") != nullptr; }

bool has_print_methods(const RtType& type) {
    return find_string_method(type, "String") || find_string_method(type, "Error") ||
           find_string_method(type, "GoString");
}

void VmValue::print(fmt::ValueSink& sink, char32_t verb) const {
    if (verb == 'p') { // printArg's %p: fmtPointer of pointers, funcs, maps and slices (their array)
        bool address = m_type.kind == TypeKind::Slice || m_type.kind == TypeKind::Pointer ||
                       m_type.kind == TypeKind::Func || m_type.kind == TypeKind::Map;
        if (!address || !sink.print_pointer(m_slots->u, verb, m_type.name))
            sink.bad_verb(arg(), verb);
        return;
    }
    Walk walk{m_calls, true};
    if (handle_methods(sink, m_type, m_slots, verb, walk)) return;
    print_value(sink, m_type, m_slots, verb, 0, walk);
}

fmt::Arg VmValue::arg() const {
    fmt::Arg arg;
    arg.kind = fmt::ArgKind::Composite;
    arg.type_name = m_type.name;
    arg.composite = this;
    arg.handler = this;
    arg.is_error = has_error_method(m_type);
    return arg;
}

} // namespace csp::stdlib
