// Native bodies of package sort: the length of the slice an interface holds and a swap of
// two of its elements, standing in for reflectlite's Value.Len and Swapper.
#include "stdlib/natives.hpp"

#include <string>

namespace csp::stdlib {

namespace {

// reflect's Kind names, for ValueError's message.
const char* kind_name(TypeKind kind) {
    switch (kind) {
    case TypeKind::Bool: return "bool";
    case TypeKind::Int: return "int";
    case TypeKind::Int8: return "int8";
    case TypeKind::Int16: return "int16";
    case TypeKind::Int32: return "int32";
    case TypeKind::Int64: return "int64";
    case TypeKind::Uint: return "uint";
    case TypeKind::Uint8: return "uint8";
    case TypeKind::Uint16: return "uint16";
    case TypeKind::Uint32: return "uint32";
    case TypeKind::Uint64: return "uint64";
    case TypeKind::Uintptr: return "uintptr";
    case TypeKind::Float32: return "float32";
    case TypeKind::Float64: return "float64";
    case TypeKind::String: return "string";
    case TypeKind::Func: return "func";
    case TypeKind::Interface: return "interface";
    case TypeKind::Slice: return "slice";
    case TypeKind::Array: return "array";
    case TypeKind::Struct: return "struct";
    case TypeKind::Pointer: return "ptr";
    case TypeKind::Map: return "map";
    default: return "chan";
    }
}

// The slice x holds, or null after raising reflect's panic for a value that is not one.
const Slot* slice_of(VM& vm, InterfaceRef x) {
    if (x.type != nullptr && x.type->kind == TypeKind::Slice) // three slots: boxed
        return static_cast<const Slot*>(x.data.p);
    std::string message = "reflect: call of Swapper on ";
    message += x.type == nullptr ? "zero" : kind_name(x.type->kind);
    vm.raise_panic_string(message + " Value");
    return nullptr;
}

void slice_len(VM& vm, Slot* frame) {
    const Slot* slice = slice_of(vm, load_interface(frame));
    if (slice != nullptr) frame[0].i = load_slice(slice).len;
}

void slice_swap(VM& vm, Slot* frame) {
    InterfaceRef x = load_interface(frame);
    int64_t i = frame[2].i, j = frame[3].i;
    const Slot* header = slice_of(vm, x);
    if (header == nullptr) return;
    SliceRef slice = load_slice(header);
    if (uint64_t(i) >= uint64_t(slice.len) || uint64_t(j) >= uint64_t(slice.len)) {
        vm.raise_panic_string("reflect: slice index out of range");
        return;
    }
    uint32_t width = x.type->elem->slots;
    Slot* elements = static_cast<Slot*>(slice.data);
    for (uint32_t k = 0; k < width; ++k) std::swap(elements[i * width + k], elements[j * width + k]);
}

} // namespace

const NativeEntry sort_natives[] = {
    {"sort.sliceLen", slice_len},
    {"sort.sliceSwap", slice_swap},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
