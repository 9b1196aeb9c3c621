// fmt's recursive value printer: Go 1.19's printValue (fmt/print.go) over csp's runtime
// type descriptors. Basic values go back to the printer's scalar formatting; structs,
// pointers and funcs are printed here, one case per RtType kind (extend the switch for
// new kinds).
#include "stdlib/fmt/format.hpp"
#include "runtime/value.hpp"

namespace csp::fmt {

namespace {

void print_field(ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb, int depth);

// Go's badVerb for a value met while printing: %!verb(type=value).
void bad_value_verb(ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb) {
    sink.write("%!");
    std::string rune;
    if (verb < 0x80) {
        rune = char(verb);
    } else { // the verb's UTF-8 bytes
        char32_t r = verb;
        if (r < 0x800) {
            rune = {char(0xC0 | (r >> 6)), char(0x80 | (r & 0x3F))};
        } else if (r < 0x10000) {
            rune = {char(0xE0 | (r >> 12)), char(0x80 | ((r >> 6) & 0x3F)), char(0x80 | (r & 0x3F))};
        } else {
            rune = {char(0xF0 | (r >> 18)), char(0x80 | ((r >> 12) & 0x3F)),
                    char(0x80 | ((r >> 6) & 0x3F)), char(0x80 | (r & 0x3F))};
        }
    }
    sink.write(rune);
    sink.write("(");
    sink.write(type.name);
    sink.write("=");
    print_value(sink, type, slots, 'v', 0);
    sink.write(")");
}

// Go's fmtPointer: pointers and funcs as addresses.
void print_pointer(ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb) {
    if (type.kind != TypeKind::Pointer && type.kind != TypeKind::Func && type.kind != TypeKind::Slice)
        return bad_value_verb(sink, type, slots, verb);
    uint64_t address = slots[0].u;
    switch (verb) {
    case 'v':
        if (sink.sharp_v()) {
            sink.write("(");
            sink.write(type.name);
            sink.write(")(");
            if (address == 0) sink.write("nil");
            else sink.hex_address(address, true);
            sink.write(")");
        } else if (address == 0) {
            sink.pad("<nil>");
        } else {
            sink.hex_address(address, !sink.sharp());
        }
        return;
    case 'p':
        sink.hex_address(address, !sink.sharp());
        return;
    case 'b': case 'o': case 'd': case 'x': case 'X': {
        Arg arg;
        arg.kind = ArgKind::Uint;
        arg.u = address;
        sink.scalar(arg, verb);
        return;
    }
    default:
        bad_value_verb(sink, type, slots, verb);
    }
}

// {a b}, {X:a Y:b} with %+v, main.T{X:a, Y:b} with %#v.
void print_struct(ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb, int depth) {
    if (sink.sharp_v()) sink.write(type.name);
    sink.write("{");
    for (size_t i = 0; i < type.fields.size(); i++) {
        const RtField& field = type.fields[i];
        if (i > 0) sink.write(sink.sharp_v() ? ", " : " ");
        if (sink.plus_v() || sink.sharp_v()) {
            sink.write(field.name);
            sink.write(":");
        }
        print_field(sink, *field.type, slots + field.offset, verb, depth + 1);
    }
    sink.write("}");
}

// Go's getField: an interface field holding a value prints as that value.
void print_field(ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb, int depth) {
    if (type.kind == TypeKind::Interface) {
        InterfaceRef value = load_interface(slots);
        if (value.type == nullptr) { // a nil interface
            if (sink.sharp_v()) {
                sink.write(type.name);
                sink.write("(nil)");
            } else {
                sink.write("<nil>");
            }
            return;
        }
        const Slot* payload = value.type->slots == 1 ? &slots[1] : static_cast<const Slot*>(value.data.p);
        return print_value(sink, *value.type, payload, verb, depth);
    }
    print_value(sink, type, slots, verb, depth);
}

} // namespace

Arg value_arg(const RtType& type, const Slot* slots) {
    Arg arg;
    arg.type_name = type.name;
    switch (type.kind) {
    case TypeKind::Bool: arg.kind = ArgKind::Bool; arg.b = slots->u != 0; break;
    case TypeKind::Int: case TypeKind::Int64: arg.kind = ArgKind::Int; arg.i = slots->i; break;
    case TypeKind::Int8: arg.kind = ArgKind::Int; arg.bits = 8; arg.i = slots->i; break;
    case TypeKind::Int16: arg.kind = ArgKind::Int; arg.bits = 16; arg.i = slots->i; break;
    case TypeKind::Int32: arg.kind = ArgKind::Int; arg.bits = 32; arg.i = slots->i; break;
    case TypeKind::Uint: case TypeKind::Uint64: case TypeKind::Uintptr:
        arg.kind = ArgKind::Uint; arg.u = slots->u; break;
    case TypeKind::Uint8: arg.kind = ArgKind::Uint; arg.bits = 8; arg.u = slots->u; break;
    case TypeKind::Uint16: arg.kind = ArgKind::Uint; arg.bits = 16; arg.u = slots->u; break;
    case TypeKind::Uint32: arg.kind = ArgKind::Uint; arg.bits = 32; arg.u = slots->u; break;
    case TypeKind::Float32: arg.kind = ArgKind::Float; arg.bits = 32; arg.f = slots->f; break;
    case TypeKind::Float64: arg.kind = ArgKind::Float; arg.f = slots->f; break;
    case TypeKind::String: arg.kind = ArgKind::String; arg.s = load_string(slots).view(); break;
    default:
        arg.kind = ArgKind::Value;
        arg.type = &type;
        arg.slots = slots;
        break;
    }
    return arg;
}

void print_value(ValueSink& sink, const RtType& type, const Slot* slots, char32_t verb, int depth) {
    if (depth == 0 && verb == 'p') return print_pointer(sink, type, slots, verb); // printArg's %p
    switch (type.kind) {
    case TypeKind::Struct:
        return print_struct(sink, type, slots, verb, depth);
    case TypeKind::Interface:
        return print_field(sink, type, slots, verb, depth);
    case TypeKind::Pointer:
        // &{...} for a pointer to a struct operand; deeper pointers print as addresses,
        // which keeps cyclic structures finite.
        if (depth == 0 && slots[0].p != nullptr && type.elem->kind == TypeKind::Struct) {
            sink.write("&");
            return print_value(sink, *type.elem, static_cast<const Slot*>(slots[0].p), verb, depth + 1);
        }
        return print_pointer(sink, type, slots, verb);
    case TypeKind::Func:
    case TypeKind::Slice:
        return print_pointer(sink, type, slots, verb);
    case TypeKind::Nil:
        return sink.pad("<nil>");
    default:
        return sink.scalar(value_arg(type, slots), verb);
    }
}

} // namespace csp::fmt
