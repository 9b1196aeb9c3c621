// Native bodies of package math: the functions that are exact in C++ (Sqrt, Floor, Ceil,
// Trunc, Abs, bit conversions) and ports of the amd64 assembly Go 1.19 runs for Exp, Log
// and Hypot, operation for operation, so results equal Go's bit for bit. Go's Exp takes
// its fused multiply-add path when the processor has AVX and FMA; so does this one.
#include "stdlib/natives.hpp"

#include <bit>
#include <cmath>
#include <limits>

namespace csp::stdlib {

namespace {

constexpr uint64_t sign_bit = uint64_t(1) << 63;
constexpr uint64_t pos_inf = 0x7FF0000000000000, neg_inf = 0xFFF0000000000000;
constexpr uint64_t go_nan = 0x7FF8000000000001; // math.NaN()'s bits

double from_bits(uint64_t b) { return std::bit_cast<double>(b); }
uint64_t to_bits(double f) { return std::bit_cast<uint64_t>(f); }

bool have_fma() {
    static const bool has = __builtin_cpu_supports("avx") && __builtin_cpu_supports("fma");
    return has;
}

// src/math/exp_amd64.s: x = k*ln2 + r, exp(r/16) by a Taylor series, squared four times.
double exp_amd64(double x) {
    constexpr double ln2u = 0.69314718055966295651160180568695068359375;
    constexpr double ln2l = 0.28235290563031577122588448175013436025525412068e-12;
    constexpr double log2e = 1.4426950408889634073599246810018920;
    constexpr double overflow = 7.09782712893384e+02;
    constexpr double taylor[] = {2.4801587301587301587e-5, 1.9841269841269841270e-4,
                                 1.3888888888888888889e-3, 8.3333333333333333333e-3,
                                 4.1666666666666666667e-2, 1.6666666666666666667e-1, 0.5, 1.0};
    uint64_t bx = to_bits(x);
    if ((bx & ~sign_bit) >= pos_inf) return bx == neg_inf ? 0 : x;
    if (x > overflow) return from_bits(pos_inf);
    double t = std::nearbyint(log2e * x); // CVTSD2SL rounds to nearest
    int32_t e = t >= -2147483648.0 && t <= 2147483647.0 ? int32_t(t) : std::numeric_limits<int32_t>::min();
    double k = e;
    bool fused = have_fma();
    if (fused) {
        x = std::fma(-ln2u, k, x);
        x = std::fma(-ln2l, k, x);
    } else {
        x -= ln2u * k;
        x -= ln2l * k;
    }
    x *= 0.0625;
    double p = taylor[0];
    for (int i = 1; i < 8; ++i) p = fused ? std::fma(p, x, taylor[i]) : p * x + taylor[i];
    x *= p;
    for (int i = 0; i < 3; ++i) x *= x + 2.0;
    x = fused ? std::fma(x, x + 2.0, 1.0) : x * (x + 2.0) + 1.0;
    int32_t biased = e + 0x3FF; // e is at most 1024 here, so no wrap
    if (biased <= 0) {
        if (biased < -52) return 0;
        x *= from_bits(uint64_t(biased + 0x3FE) << 52);
        biased = 1;
    } else if (biased >= 0x7FF) {
        return from_bits(pos_inf);
    }
    return x * from_bits(uint64_t(biased) << 52);
}

// src/math/log_amd64.s (the algorithm of log.go, with its order of operations).
double log_amd64(double x) {
    constexpr double hsqrt2 = 7.07106781186547524401e-01;
    constexpr double ln2hi = 6.93147180369123816490e-01, ln2lo = 1.90821492927058770002e-10;
    constexpr double l1 = 6.666666666666735130e-01, l2 = 3.999999999940941908e-01,
                     l3 = 2.857142874366239149e-01, l4 = 2.222219843214978396e-01,
                     l5 = 1.818357216161805012e-01, l6 = 1.531383769920937332e-01,
                     l7 = 1.479819860511658591e-01;
    uint64_t bx = to_bits(x);
    if ((bx & ~sign_bit) == 0) return from_bits(neg_inf);
    if (bx & sign_bit) return from_bits(go_nan);
    if (bx >= pos_inf) return x;
    double f1 = from_bits((bx & 0x000FFFFFFFFFFFFF) | to_bits(0.5));
    double k = double(int32_t((bx >> 52) & 0x7FF) - 0x3FE);
    double adjust = f1 <= hsqrt2 ? 1.0 : 0.0; // CMPSD ..., 5 (not less than)
    k -= adjust;
    f1 *= adjust + 1.0;
    double f = f1 - 1.0;
    double s = f / (2.0 + f);
    double s2 = s * s, s4 = s2 * s2;
    double t1 = s2 * (((l7 * s4 + l5) * s4 + l3) * s4 + l1);
    double t2 = s4 * ((l6 * s4 + l4) * s4 + l2);
    double r = t1 + t2;
    double hfsq = 0.5 * f * f;
    double sum = s * (r + hfsq) + ln2lo * k;
    return k * ln2hi - ((hfsq - sum) - f);
}

// src/math/hypot_amd64.s.
double hypot_amd64(double p, double q) {
    uint64_t bp = to_bits(p) & ~sign_bit, bq = to_bits(q) & ~sign_bit;
    if (bp >= pos_inf || bq >= pos_inf)
        return from_bits(bp == pos_inf || bq == pos_inf ? pos_inf : go_nan);
    if ((bp | bq) == 0) return 0;
    double a = from_bits(bp), b = from_bits(bq);
    double big = a > b ? a : b, small = a < b ? a : b;
    double ratio = small / big;
    return big * std::sqrt(ratio * ratio + 1.0);
}

void sqrt_native(VM&, Slot* frame) { frame[0].f = std::sqrt(frame[0].f); }
void floor_native(VM&, Slot* frame) { frame[0].f = std::floor(frame[0].f); }
void ceil_native(VM&, Slot* frame) { frame[0].f = std::ceil(frame[0].f); }
void trunc_native(VM&, Slot* frame) { frame[0].f = std::trunc(frame[0].f); }
void abs_native(VM&, Slot* frame) { frame[0].u &= ~sign_bit; }
void exp_native(VM&, Slot* frame) { frame[0].f = exp_amd64(frame[0].f); }
void log_native(VM&, Slot* frame) { frame[0].f = log_amd64(frame[0].f); }
void hypot_native(VM&, Slot* frame) { frame[0].f = hypot_amd64(frame[0].f, frame[1].f); }

// A float64 and its bits share the slot; float32 values are doubles holding a float.
void float64_bits(VM&, Slot*) {}
void float32_bits(VM&, Slot* frame) { frame[0].u = std::bit_cast<uint32_t>(float(frame[0].f)); }
void float32_from_bits(VM&, Slot* frame) { frame[0].f = std::bit_cast<float>(uint32_t(frame[0].u)); }

} // namespace

const NativeEntry math_natives[] = {
    {"math.Sqrt", sqrt_native},
    {"math.Floor", floor_native},
    {"math.Ceil", ceil_native},
    {"math.Trunc", trunc_native},
    {"math.Abs", abs_native},
    {"math.Exp", exp_native},
    {"math.Log", log_native},
    {"math.Hypot", hypot_native},
    {"math.Float64bits", float64_bits},
    {"math.Float64frombits", float64_bits},
    {"math.Float32bits", float32_bits},
    {"math.Float32frombits", float32_from_bits},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
