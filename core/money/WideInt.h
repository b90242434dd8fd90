#pragma once

#include <QtGlobal>

// Unsigned multi-limb integer arithmetic for the exact intermediates of Decimal. Numbers are
// arrays of 64-bit limbs, least significant first. Only two primitives depend on the compiler:
// the 64x64->128 multiply and the 128/64 divide. They use the compiler's 128-bit integer where
// it has one, and 32-bit half arithmetic otherwise (MSVC, or when LLAMADESK_DECIMAL_PORTABLE is
// defined so the fallback can be tested on every platform).
#if defined(__SIZEOF_INT128__) && !defined(LLAMADESK_DECIMAL_PORTABLE)
#define LLAMADESK_WIDEINT_NATIVE 1
#else
#define LLAMADESK_WIDEINT_NATIVE 0
#endif

namespace llamadesk::money {

class WideInt {
public:
    // Largest dividend divRem() accepts, in limbs.
    static constexpr int kMaxLimbs = 4;

    static constexpr bool usesNativeInt128() { return LLAMADESK_WIDEINT_NATIVE != 0; }

    // Full product of two 64-bit values.
    static inline void mul64(quint64 a, quint64 b, quint64* hi, quint64* lo);

    // (hi * 2^64 + lo) / d. Requires d != 0 and hi < d, so the quotient fits in 64 bits.
    static inline quint64 div128by64(quint64 hi, quint64 lo, quint64 d, quint64* rem);

    // A 64-bit divisor prepared for repeated division (Moller and Granlund, "Improved division
    // by invariant integers", 2011): two multiplications replace each division, which matters
    // most where 128/64 division is done in software.
    struct Reciprocal {
        quint64 normalized = 0; // divisor shifted so its top bit is set
        quint64 inverse = 0;    // floor((2^128 - 1) / normalized) - 2^64
        int shift = 0;
    };
    static constexpr Reciprocal reciprocal(quint64 d);

    // (hi * 2^64 + lo) / divisor, as div128by64(); requires hi < divisor.
    static inline quint64 divide(quint64 hi, quint64 lo, const Reciprocal& r, quint64* rem);

    // Number of leading zero bits; v must not be zero.
    static int countLeadingZeros(quint64 v);

    // u (m limbs) divided by v (n limbs): q gets m - n + 1 limbs, r gets n limbs.
    // Requires 1 <= n <= m <= kMaxLimbs and v[n - 1] != 0.
    static void divRem(const quint64* u, int m, const quint64* v, int n, quint64* q, quint64* r);

private:
    static quint64 div128by64Portable(quint64 hi, quint64 lo, quint64 d, quint64* rem);
};

constexpr WideInt::Reciprocal WideInt::reciprocal(quint64 d) {
    Reciprocal r;
    while (((d << r.shift) >> 63) == 0)
        ++r.shift;
    r.normalized = d << r.shift;
    // Bitwise long division of (~normalized * 2^64 + 2^64 - 1) by normalized: runs at compile
    // time for the constants it is used with.
    quint64 rest = ~r.normalized;
    for (int bit = 63; bit >= 0; --bit) {
        const bool carry = (rest >> 63) != 0;
        rest = (rest << 1) | 1;
        if (carry || rest >= r.normalized) {
            rest -= r.normalized;
            r.inverse |= quint64(1) << bit;
        }
    }
    return r;
}

inline quint64 WideInt::divide(quint64 hi, quint64 lo, const Reciprocal& r, quint64* rem) {
    quint64 u1 = hi;
    quint64 u0 = lo;
    if (r.shift != 0) {
        u1 = (hi << r.shift) | (lo >> (64 - r.shift));
        u0 = lo << r.shift;
    }
    quint64 q1 = 0;
    quint64 q0 = 0;
    mul64(r.inverse, u1, &q1, &q0);
    q0 += u0;
    q1 += u1 + (q0 < u0 ? 1 : 0) + 1;
    quint64 rest = u0 - q1 * r.normalized;
    if (rest > q0) {
        --q1;
        rest += r.normalized;
    }
    if (rest >= r.normalized) { // rare
        ++q1;
        rest -= r.normalized;
    }
    *rem = rest >> r.shift;
    return q1;
}

#if LLAMADESK_WIDEINT_NATIVE
// __extension__ keeps -Wpedantic quiet about the non-standard type; only compilers that
// define __SIZEOF_INT128__ (GCC, Clang) reach this branch.
__extension__ typedef unsigned __int128 NativeUInt128;

inline void WideInt::mul64(quint64 a, quint64 b, quint64* hi, quint64* lo) {
    const NativeUInt128 p = static_cast<NativeUInt128>(a) * b;
    *hi = static_cast<quint64>(p >> 64);
    *lo = static_cast<quint64>(p);
}

inline quint64 WideInt::div128by64(quint64 hi, quint64 lo, quint64 d, quint64* rem) {
    if (hi == 0) {
        *rem = lo % d;
        return lo / d;
    }
    const NativeUInt128 n = (static_cast<NativeUInt128>(hi) << 64) | lo;
    const quint64 q = static_cast<quint64>(n / d);
    *rem = lo - q * d; // exact modulo 2^64 because the true remainder is below d
    return q;
}
#else
inline void WideInt::mul64(quint64 a, quint64 b, quint64* hi, quint64* lo) {
    const quint64 mask = 0xffffffffULL;
    const quint64 a0 = a & mask;
    const quint64 a1 = a >> 32;
    const quint64 b0 = b & mask;
    const quint64 b1 = b >> 32;
    const quint64 p00 = a0 * b0;
    const quint64 p01 = a0 * b1;
    const quint64 p10 = a1 * b0;
    const quint64 p11 = a1 * b1;
    // Sum of three values below 2^32 each: cannot overflow.
    const quint64 mid = (p00 >> 32) + (p01 & mask) + (p10 & mask);
    *lo = (mid << 32) | (p00 & mask);
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

inline quint64 WideInt::div128by64(quint64 hi, quint64 lo, quint64 d, quint64* rem) {
    if (hi == 0) {
        *rem = lo % d;
        return lo / d;
    }
    return div128by64Portable(hi, lo, d, rem);
}
#endif

} // namespace llamadesk::money
