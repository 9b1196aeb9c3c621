// Native bodies of package context: what Go's context gets from internal/reflectlite,
// the name of a value's dynamic type and whether that type is comparable.
#include "stdlib/natives.hpp"

namespace csp::stdlib {

namespace {

// typeString(v any) string: reflectlite.TypeOf(v).String(); "<nil>" for nil as in Go.
void type_string(VM&, Slot* frame) {
    const RtType* type = load_interface(frame).type;
    if (type == nullptr) {
        store_string(frame, {"<nil>", 5});
        return;
    }
    // Type names live in the Program, which outlives every value of the run.
    store_string(frame, {type->name.data(), int64_t(type->name.size())});
}

// comparableType(v any) bool: whether v's dynamic type supports ==.
void comparable_type(VM&, Slot* frame) {
    const RtType* type = load_interface(frame).type;
    frame[0].u = type == nullptr || VM::comparable_type(*type) ? 1 : 0;
}

} // namespace

const NativeEntry context_natives[] = {
    {"context.typeString", type_string},
    {"context.comparableType", comparable_type},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
