#include "WideInt.h"

namespace llamadesk::money {

int WideInt::countLeadingZeros(quint64 v) {
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_clzll(v);
#else
    int n = 0;
    for (int shift = 32; shift > 0; shift /= 2) {
        if ((v >> (64 - shift)) == 0) {
            n += shift;
            v <<= shift;
        }
    }
    return n;
#endif
}

// Two-digit schoolbook division in base 2^32 (Knuth, TAOCP vol. 2, 4.3.1, algorithm D): the
// divisor is normalised so its top bit is set, which keeps each estimated quotient digit at
// most two above the true one.
quint64 WideInt::div128by64Portable(quint64 hi, quint64 lo, quint64 d, quint64* rem) {
    const quint64 mask = 0xffffffffULL;
    const int s = countLeadingZeros(d);
    if (s != 0) {
        d <<= s;
        hi = (hi << s) | (lo >> (64 - s));
        lo <<= s;
    }
    const quint64 dh = d >> 32;
    const quint64 dl = d & mask;
    const quint64 l1 = lo >> 32;
    const quint64 l0 = lo & mask;

    quint64 q1 = hi / dh;
    quint64 r = hi - q1 * dh;
    while ((q1 >> 32) != 0 || q1 * dl > ((r << 32) | l1)) {
        --q1;
        r += dh;
        if ((r >> 32) != 0)
            break;
    }
    // Modulo 2^64 arithmetic is exact here: the true partial remainder is below d.
    const quint64 mid = (hi << 32 | l1) - q1 * d;

    quint64 q0 = mid / dh;
    r = mid - q0 * dh;
    while ((q0 >> 32) != 0 || q0 * dl > ((r << 32) | l0)) {
        --q0;
        r += dh;
        if ((r >> 32) != 0)
            break;
    }
    const quint64 low = (mid << 32 | l0) - q0 * d;

    *rem = low >> s;
    return (q1 << 32) | q0;
}

// Algorithm D again, this time in base 2^64 with the two primitives above.
void WideInt::divRem(const quint64* u, int m, const quint64* v, int n, quint64* q, quint64* r) {
    if (n == 1) {
        quint64 rest = 0;
        for (int i = m - 1; i >= 0; --i)
            q[i] = div128by64(rest, u[i], v[0], &rest);
        r[0] = rest;
        return;
    }

    const int s = countLeadingZeros(v[n - 1]);
    quint64 vn[kMaxLimbs] = {};
    quint64 un[kMaxLimbs + 1] = {};
    for (int i = n - 1; i > 0; --i)
        vn[i] = (v[i] << s) | (s != 0 ? v[i - 1] >> (64 - s) : 0);
    vn[0] = v[0] << s;
    un[m] = s != 0 ? u[m - 1] >> (64 - s) : 0;
    for (int i = m - 1; i > 0; --i)
        un[i] = (u[i] << s) | (s != 0 ? u[i - 1] >> (64 - s) : 0);
    un[0] = u[0] << s;

    const quint64 vTop = vn[n - 1];
    const quint64 vNext = vn[n - 2];
    for (int j = m - n; j >= 0; --j) {
        // Estimate the quotient digit from the top two limbs, then refine it with the third.
        quint64 qhat = 0;
        quint64 rhat = 0;
        bool rhatOverflow = false;
        if (un[j + n] >= vTop) {
            qhat = ~quint64(0);
            rhat = un[j + n - 1] + vTop;
            rhatOverflow = rhat < vTop;
        } else {
            qhat = div128by64(un[j + n], un[j + n - 1], vTop, &rhat);
        }
        while (!rhatOverflow) {
            quint64 ph = 0;
            quint64 pl = 0;
            mul64(qhat, vNext, &ph, &pl);
            if (ph < rhat || (ph == rhat && pl <= un[j + n - 2]))
                break;
            --qhat;
            const quint64 before = rhat;
            rhat += vTop;
            rhatOverflow = rhat < before;
        }

        // Multiply and subtract qhat * vn from the current window of un.
        quint64 carry = 0;
        quint64 borrow = 0;
        for (int i = 0; i < n; ++i) {
            quint64 ph = 0;
            quint64 pl = 0;
            mul64(qhat, vn[i], &ph, &pl);
            pl += carry;
            ph += pl < carry ? 1 : 0;
            carry = ph;
            const quint64 x = un[i + j];
            const quint64 d1 = x - pl;
            const quint64 b1 = x < pl ? 1 : 0;
            const quint64 d2 = d1 - borrow;
            const quint64 b2 = d1 < borrow ? 1 : 0;
            un[i + j] = d2;
            borrow = b1 | b2;
        }
        const quint64 x = un[j + n];
        const quint64 d1 = x - carry;
        const quint64 b1 = x < carry ? 1 : 0;
        const quint64 d2 = d1 - borrow;
        const quint64 b2 = d1 < borrow ? 1 : 0;
        un[j + n] = d2;

        if ((b1 | b2) != 0) {
            // The estimate was one too large (rare): add the divisor back.
            --qhat;
            quint64 c = 0;
            for (int i = 0; i < n; ++i) {
                const quint64 sum = un[i + j] + vn[i];
                const quint64 c1 = sum < vn[i] ? 1 : 0;
                const quint64 sum2 = sum + c;
                const quint64 c2 = sum2 < c ? 1 : 0;
                un[i + j] = sum2;
                c = c1 | c2;
            }
            un[j + n] += c;
        }
        q[j] = qhat;
    }

    for (int i = 0; i < n - 1; ++i)
        r[i] = (un[i] >> s) | (s != 0 ? un[i + 1] << (64 - s) : 0);
    r[n - 1] = un[n - 1] >> s;
}

} // namespace llamadesk::money
