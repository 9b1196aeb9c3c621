// What a package's native bodies share: the table entry binding a qualified name to a
// body, the per-package tables the registry searches, and helpers for reading arguments.
#pragma once
#include "runtime/vm.hpp"

#include <span>

namespace csp::stdlib {

struct NativeEntry {
    const char* name; // qualified: "fmt.Println"
    NativeFn body;
};

// One table per package, each ending with {nullptr, nullptr}.
extern const NativeEntry fmt_natives[];
extern const NativeEntry os_natives[];
extern const NativeEntry strconv_natives[];
extern const NativeEntry runtime_natives[];
extern const NativeEntry time_natives[];
extern const NativeEntry sync_natives[];
extern const NativeEntry strings_natives[];
extern const NativeEntry unicode_natives[];
extern const NativeEntry utf8_natives[];
extern const NativeEntry math_natives[];
extern const NativeEntry bits_natives[];
extern const NativeEntry errors_natives[];
extern const NativeEntry rand_natives[];
extern const NativeEntry sort_natives[];
extern const NativeEntry context_natives[];

// The elements of a `...any` parameter: a slice of 2-slot interfaces.
inline std::span<const Slot> variadic_slots(const Slot* slice_slots) {
    SliceRef slice = load_slice(slice_slots);
    return {static_cast<const Slot*>(slice.data), size_t(slice.len) * 2};
}

} // namespace csp::stdlib
