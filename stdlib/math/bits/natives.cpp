// Native bodies of package math/bits: the 64-bit operations the hardware has.
#include "stdlib/natives.hpp"

#include <bit>

namespace csp::stdlib {

namespace {

void leading_zeros(VM&, Slot* frame) { frame[0].i = std::countl_zero(frame[0].u); }
void trailing_zeros(VM&, Slot* frame) { frame[0].i = std::countr_zero(frame[0].u); }
void ones_count(VM&, Slot* frame) { frame[0].i = std::popcount(frame[0].u); }

void reverse(VM&, Slot* frame) {
    uint64_t x = frame[0].u, r = 0;
    for (int i = 0; i < 64; ++i, x >>= 1) r = (r << 1) | (x & 1);
    frame[0].u = r;
}

void reverse_bytes(VM&, Slot* frame) { frame[0].u = __builtin_bswap64(frame[0].u); }

void mul(VM&, Slot* frame) {
    unsigned __int128 p = static_cast<unsigned __int128>(frame[0].u) * frame[1].u;
    frame[0].u = uint64_t(p >> 64);
    frame[1].u = uint64_t(p);
}

} // namespace

const NativeEntry bits_natives[] = {
    {"math/bits.LeadingZeros64", leading_zeros},
    {"math/bits.TrailingZeros64", trailing_zeros},
    {"math/bits.OnesCount64", ones_count},
    {"math/bits.Reverse64", reverse},
    {"math/bits.ReverseBytes64", reverse_bytes},
    {"math/bits.Mul64", mul},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
