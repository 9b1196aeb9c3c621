// Native bodies of package errors: what Go's errors asks package reflectlite (whether a
// type is comparable, As's checks and assignment through an `any` holding a pointer),
// which csp code cannot ask.
#include "stdlib/natives.hpp"

#include <algorithm>

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

// asTarget(target any): Go's checks on As's target. (Go also rejects a *T whose T is
// neither an interface nor implements error; csp does not check that.)
void as_target(VM& vm, Slot* frame) {
    InterfaceRef target = load_interface(frame);
    if (!target.type) return vm.raise_panic_string("errors: target cannot be nil");
    if (target.type->kind != TypeKind::Pointer || target.data.p == nullptr)
        return vm.raise_panic_string("errors: target must be a non-nil pointer");
}

// asAssign(err error, target any) bool
void as_assign(VM& vm, Slot* frame) {
    InterfaceRef err = load_interface(frame);
    InterfaceRef target = load_interface(frame + 2);
    const RtType* want = target.type->elem;
    Slot* into = static_cast<Slot*>(target.data.p);
    bool assignable = want->kind == TypeKind::Interface ? vm.implements(err.type, want) : err.type == want;
    if (assignable) {
        if (want->kind == TypeKind::Interface) {
            store_interface(into, err);
        } else {
            const Slot* value = interface_payload(err);
            std::copy(value, value + want->slots, into);
        }
    }
    frame[0].i = assignable;
}

} // namespace

const NativeEntry errors_natives[] = {
    {"errors.comparable", comparable},
    {"errors.asTarget", as_target},
    {"errors.asAssign", as_assign},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
