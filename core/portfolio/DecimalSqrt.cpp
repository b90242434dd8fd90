#include "DecimalSqrt.h"

#include <QString>

#include <vector>

namespace llamadesk::portfolio {

namespace {

// Just enough arbitrary-precision unsigned arithmetic (base 10^9 limbs, least significant
// first) to compare squares of 18-digit-scaled values exactly: they need about 116 bits more
// than Decimal's 128.
class BigUnsigned {
public:
    static BigUnsigned fromDigits(const QString& digits) {
        BigUnsigned n;
        for (qsizetype end = digits.size(); end > 0; end -= 9) {
            const qsizetype start = end > 9 ? end - 9 : 0;
            n.m_limbs.push_back(quint32(digits.mid(start, end - start).toUInt()));
        }
        n.trim();
        return n;
    }
    BigUnsigned timesSmall(quint32 factor) const {
        BigUnsigned out;
        quint64 carry = 0;
        for (quint32 limb : m_limbs) {
            const quint64 v = quint64(limb) * factor + carry;
            out.m_limbs.push_back(quint32(v % kBase));
            carry = v / kBase;
        }
        while (carry > 0) {
            out.m_limbs.push_back(quint32(carry % kBase));
            carry /= kBase;
        }
        out.trim();
        return out;
    }
    BigUnsigned plusSmall(quint32 addend) const {
        BigUnsigned out = *this;
        quint64 carry = addend;
        for (size_t i = 0; carry > 0; ++i) {
            if (i == out.m_limbs.size())
                out.m_limbs.push_back(0);
            const quint64 v = out.m_limbs[i] + carry;
            out.m_limbs[i] = quint32(v % kBase);
            carry = v / kBase;
        }
        return out;
    }
    BigUnsigned squared() const {
        std::vector<quint64> acc(m_limbs.size() * 2 + 1, 0);
        for (size_t i = 0; i < m_limbs.size(); ++i) {
            quint64 carry = 0;
            for (size_t j = 0; j < m_limbs.size(); ++j) {
                const quint64 v = acc[i + j] + quint64(m_limbs[i]) * m_limbs[j] + carry;
                acc[i + j] = v % kBase;
                carry = v / kBase;
            }
            for (size_t k = i + m_limbs.size(); carry > 0; ++k) {
                const quint64 v = acc[k] + carry;
                acc[k] = v % kBase;
                carry = v / kBase;
            }
        }
        BigUnsigned out;
        for (quint64 limb : acc)
            out.m_limbs.push_back(quint32(limb));
        out.trim();
        return out;
    }
    int compare(const BigUnsigned& o) const {
        if (m_limbs.size() != o.m_limbs.size())
            return m_limbs.size() < o.m_limbs.size() ? -1 : 1;
        for (size_t i = m_limbs.size(); i-- > 0;) {
            if (m_limbs[i] != o.m_limbs[i])
                return m_limbs[i] < o.m_limbs[i] ? -1 : 1;
        }
        return 0;
    }

private:
    static constexpr quint64 kBase = 1000000000;
    void trim() {
        while (!m_limbs.empty() && m_limbs.back() == 0)
            m_limbs.pop_back();
    }
    std::vector<quint32> m_limbs;
};

// The value in units of 10^-18 as decimal digits (non-negative values only).
QString units(const Decimal& v) {
    QString text = v.toString(Decimal::kScale);
    text.remove(QLatin1Char('.'));
    return text;
}

// Sign of (2r ± 1)^2 - 4x in units of 10^-36: whether the midpoint next to r lies above x.
int compareMidpoint(const Decimal& r, bool upper, const BigUnsigned& fourX) {
    BigUnsigned twice = BigUnsigned::fromDigits(units(r)).timesSmall(2);
    if (upper) {
        twice = twice.plusSmall(1);
    } else {
        // 2r - 1 for r >= 1 unit: the caller never asks for the lower midpoint of zero.
        const Decimal below = r - Decimal::fromScaled(1, Decimal::kScale);
        twice = BigUnsigned::fromDigits(units(below)).timesSmall(2).plusSmall(1);
    }
    return twice.squared().compare(fourX);
}

} // namespace

Decimal DecimalSqrt::of(const Decimal& x) {
    if (!x.isValid() || x.isNegative())
        return Decimal::invalid();
    if (x.isZero())
        return Decimal();
    const Decimal two = Decimal::fromInt(2);
    const Decimal one = Decimal::fromInt(1);
    Decimal y = x > one ? x : one; // at or above the root, so the iteration descends
    for (int i = 0; i < 400; ++i) {
        // Halves first: y + x/y could leave the range for the largest x.
        const Decimal next = y.divided(two, Decimal::kScale, RoundingMode::HalfEven) +
                             x.divided(y, Decimal::kScale, RoundingMode::HalfEven)
                                 .divided(two, Decimal::kScale, RoundingMode::HalfEven);
        if (!next.isValid() || next == y)
            break;
        if (next > y && i > 0)
            break; // rounding makes it oscillate by a unit at the end: the fix-up below decides
        y = next;
    }
    // The root r in units satisfies (2r - 1)^2 < 4x < (2r + 1)^2 (x in units of 10^-36); no tie
    // is possible because 4x is even and an odd square is odd.
    const BigUnsigned fourX =
        BigUnsigned::fromDigits(units(x) + QString(Decimal::kScale, QLatin1Char('0')))
            .timesSmall(4);
    const Decimal ulp = Decimal::fromScaled(1, Decimal::kScale);
    for (int guard = 0; guard < 1000 && compareMidpoint(y, true, fourX) < 0; ++guard)
        y += ulp;
    for (int guard = 0; guard < 1000 && y.isPositive() && compareMidpoint(y, false, fourX) > 0;
         ++guard)
        y -= ulp;
    return y;
}

} // namespace llamadesk::portfolio
