// How Go values sit in 8-byte slots: strings, interfaces, slices, closures and cells, with
// small accessors to read and write them in registers. A value never carries its type; the
// compiler knows it and picks typed opcodes. See runtime/README.md, "Value layouts".
#pragma once
#include "runtime/bytecode.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

namespace csp {

// A string: 2 slots {data, len}. The bytes are immutable and may be shared by any number of
// strings (substrings point into them). data may be null when len == 0.
struct StringRef {
    const char* data = nullptr;
    int64_t len = 0;

    std::string_view view() const {
        return len == 0 ? std::string_view() : std::string_view(data, size_t(len));
    }
};

inline StringRef load_string(const Slot* slots) {
    return {slots[0].s, slots[1].i};
}
inline void store_string(Slot* slots, StringRef value) {
    slots[0].s = value.data;
    slots[1].i = value.len;
}

// An interface: 2 slots {type, data}. type == nullptr is the nil interface. data holds the
// value itself when width(type) == 1, else a pointer to a heap copy of width(type) slots.
struct InterfaceRef {
    const RtType* type = nullptr;
    Slot data{.u = 0};
};

inline InterfaceRef load_interface(const Slot* slots) {
    return {static_cast<const RtType*>(slots[0].p), slots[1]};
}
inline void store_interface(Slot* slots, InterfaceRef value) {
    slots[0].p = const_cast<RtType*>(value.type);
    slots[1] = value.data;
}
// The slots of the value held by a non-nil interface (width(type) slots).
inline const Slot* interface_payload(const InterfaceRef& value) {
    return value.type->slots == 1 ? &value.data : static_cast<const Slot*>(value.data.p);
}

// A slice: 3 slots {data, len, cap}. data points at the first element of a heap array (Slot
// elements of a fixed width, or bytes); it may be null when cap == 0.
struct SliceRef {
    void* data = nullptr;
    int64_t len = 0;
    int64_t cap = 0;
};

// Go's growslice: the capacity of the new array when `needed` elements of `size` bytes no
// longer fit in `old_capacity`, or -1 when it would be too large (runtime/vm_slices.cpp).
int64_t grown_capacity(int64_t old_capacity, int64_t needed, uint64_t size);

inline SliceRef load_slice(const Slot* slots) {
    return {slots[0].p, slots[1].i, slots[2].i};
}
inline void store_slice(Slot* slots, SliceRef value) {
    slots[0].p = value.data;
    slots[1].i = value.len;
    slots[2].i = value.cap;
}

// A cell is a heap block of N slots holding one captured (or address-taken) variable. The
// closures that capture it and the frame that declared it share it by pointer.
using Cell = Slot*;

// A func value: 1 slot holding a Closure* (nullptr is the nil func). Functions without
// captures share one closure per function (LOADF); CLOSURE makes a fresh one.
struct Closure {
    const Function* function; // the code to run; never null
    uint32_t cell_count;      // entries in cells
    Cell cells[];             // the captured variables, in CAPTURE order
};

inline Closure* load_closure(const Slot* slot) {
    return static_cast<Closure*>(slot->p);
}

// ---- Operations on values that the dispatch loop inlines. None has undefined behaviour,
// whatever the operands.

inline bool strings_equal(StringRef left, StringRef right) {
    if (left.len != right.len) return false;
    return left.len == 0 || left.data == right.data ||
           std::memcmp(left.data, right.data, size_t(left.len)) == 0;
}

// Bytewise comparison: negative, zero or positive.
inline int compare_strings(StringRef left, StringRef right) {
    size_t common = size_t(std::min(left.len, right.len));
    int order = common == 0 ? 0 : std::memcmp(left.data, right.data, common);
    if (order != 0) return order;
    return left.len < right.len ? -1 : left.len > right.len ? 1 : 0;
}

// Go's utf8.DecodeRuneInString on the n > 0 bytes at s: the rune and its width, or
// U+FFFD and width 1 for invalid or incomplete encodings (surrogates and overlong forms
// included).
inline int32_t decode_rune(const unsigned char* s, int64_t n, int64_t& width) {
    unsigned char first = s[0];
    width = 1;
    if (first < 0x80) return first;
    constexpr int32_t error = 0xFFFD;
    int size;
    unsigned char low = 0x80, high = 0xBF; // range of the second byte
    if (first >= 0xC2 && first <= 0xDF) {
        size = 2;
    } else if (first >= 0xE0 && first <= 0xEF) {
        size = 3;
        if (first == 0xE0) low = 0xA0;
        if (first == 0xED) high = 0x9F;
    } else if (first >= 0xF0 && first <= 0xF4) {
        size = 4;
        if (first == 0xF0) low = 0x90;
        if (first == 0xF4) high = 0x8F;
    } else {
        return error;
    }
    if (n < size || s[1] < low || s[1] > high) return error;
    for (int k = 2; k < size; ++k)
        if (s[k] < 0x80 || s[k] > 0xBF) return error;
    int32_t rune;
    if (size == 2)
        rune = int32_t(first & 0x1F) << 6 | (s[1] & 0x3F);
    else if (size == 3)
        rune = int32_t(first & 0x0F) << 12 | int32_t(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    else
        rune = int32_t(first & 0x07) << 18 | int32_t(s[1] & 0x3F) << 12 |
               int32_t(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
    width = size;
    return rune;
}

// F2I: truncation toward zero; NaN and values outside the int64 range give MinInt64, as
// Go's conversion does on amd64 (CVTTSD2SQ), so that programs print what Go prints.
inline int64_t float_to_int(double value) {
    if (!(value >= -9223372036854775808.0 && value < 9223372036854775808.0))
        return std::numeric_limits<int64_t>::min();
    return int64_t(value);
}

// F2U: Go's amd64 sequence: below 2^63 (or NaN) the int64 conversion reinterpreted,
// else the int64 conversion of value - 2^63 with the top bit set.
inline uint64_t float_to_uint(double value) {
    constexpr double two63 = 9223372036854775808.0;
    if (!(value >= two63)) return uint64_t(float_to_int(value));
    return uint64_t(float_to_int(value - two63)) | (uint64_t(1) << 63);
}

// FROUND32: float64(float32(value)), rounding to nearest even; values too large for
// float32 become infinities as in IEEE (a plain cast would be undefined behaviour).
inline double round_to_float32(double value) {
    constexpr double overflow = 340282356779733661637539395458142568448.0; // 2^128 - 2^103
    constexpr double infinity = std::numeric_limits<double>::infinity();
    if (value >= overflow) return infinity;
    if (value <= -overflow) return -infinity;
    return double(float(value));
}

} // namespace csp
