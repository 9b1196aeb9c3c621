// Native bodies of package errors: whether a dynamic type is comparable (Go's
// reflectlite.Type.Comparable), which csp code cannot ask.
#include "stdlib/natives.hpp"

namespace csp::stdlib {

namespace {

bool comparable_type(const RtType* t) {
    switch (t->kind) {
    case TypeKind::Slice:
    case TypeKind::Map:
    case TypeKind::Func:
        return false;
    case TypeKind::Array:
        return comparable_type(t->elem);
    case TypeKind::Struct:
        for (const RtField& f : t->fields)
            if (!comparable_type(f.type)) return false;
        return true;
    default:
        return true;
    }
}

// comparable(v any) bool
void comparable(VM&, Slot* frame) {
    const RtType* t = load_interface(frame).type;
    frame[0].i = t == nullptr || comparable_type(t);
}

} // namespace

const NativeEntry errors_natives[] = {
    {"errors.comparable", comparable},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
