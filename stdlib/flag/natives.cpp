// Native body of package flag: the zero value of a flag Value's dynamic type, which Go's
// isZeroValue builds with reflect.
#include "stdlib/natives.hpp"

#include <algorithm>

namespace csp::stdlib {

namespace {

// zeroOf(v any) any: for a pointer type, a pointer to a new zero element; otherwise the
// zero value (boxed when wider than a slot).
void zero_of(VM& vm, Slot* frame) {
    const RtType* type = load_interface(frame).type;
    if (type == nullptr) return; // nil stays nil
    if (type->kind == TypeKind::Pointer) {
        uint32_t width = type->elem != nullptr ? type->elem->slots : 1;
        frame[1].p = vm.heap().make_slots(std::max<uint32_t>(width, 1));
        return;
    }
    if (type->slots == 1) frame[1].u = 0;
    else frame[1].p = vm.heap().make_slots(std::max<uint32_t>(type->slots, 1));
}

} // namespace

const NativeEntry flag_natives[] = {
    {"flag.zeroOf", zero_of},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
