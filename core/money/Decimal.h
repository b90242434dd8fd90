#pragma once

#include "Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QMetaType>
#include <QString>
#include <QStringView>
#include <QtGlobal>

#include <cstddef>
#include <optional>

class QDebug;

namespace llamadesk {

// How a value that falls between two representable values is resolved.
enum class RoundingMode {
    HalfEven, // ties to the even neighbour (banker's rounding)
    HalfUp,   // ties away from zero
    HalfDown, // ties toward zero
    Down,     // toward zero (truncate)
    Up,       // away from zero
    Floor,    // toward negative infinity
    Ceiling,  // toward positive infinity
};

// Exact decimal number for every amount, price and value: a signed 128-bit count of 10^-18
// units. Range |v| <= 99999999999999999999.999999999999999999 (20 integer and 18 fractional
// digits), which holds DECIMAL(30,18) and DECIMAL(20,2) and sums of many of them.
//
// There is deliberately no conversion from or to floating point.
//
// Text form (parse and toString): "[+-]digits[.digits]", ASCII digits only. A digit is required
// on both sides of the point: ".5" and "5." are rejected (a cut-off field must not read as a
// different amount), as are exponents, spaces, thousands separators and non-ASCII digits.
// Leading zeros and a "+" sign are accepted. toString() always gives the canonical form ("0",
// "-0.5", "12.3": shortest exact, never "-0", never an exponent), which is what the database
// stores.
//
// Invalid value: the result of an overflow, of a division by zero or of any operation on an
// invalid operand. It propagates like a NaN, so a chain of operators is checked once at the
// end. Unlike NaN it is ordered: invalid == invalid and invalid sorts before every valid value,
// so hashing, containers and sorting stay consistent. toString() gives "invalid": not a number
// in any SQL dialect, so one written by mistake is visible instead of a plausible amount.
class Decimal {
public:
    static constexpr int kScale = 18;            // fractional digits kept
    static constexpr int kMaxIntegerDigits = 20; // digits before the point

    constexpr Decimal() noexcept = default; // zero
    static Decimal fromInt(qint64 v) noexcept;
    // v * 10^-scale, e.g. fromScaled(1234, 2) == 12.34; invalid when scale is outside 0..18.
    static Decimal fromScaled(qint64 v, int scale) noexcept;
    static Decimal maxValue() noexcept; // 99999999999999999999.999999999999999999
    static Decimal minValue() noexcept; // -maxValue()
    static Decimal invalid() noexcept { return Decimal(kInvalidHigh, 0); }

    // Strict parse: more than 18 fractional digits is an error unless the extra digits are all
    // zeros; more than 20 integer digits is an error. The error says what and at which
    // character position (1-based).
    static Result<Decimal> parse(QStringView text);
    static Result<Decimal> parse(QByteArrayView utf8); // same rules, for importers and drivers
    // Parse any number of fractional digits, rounded to `scale` (0..18) digits with `mode`.
    static Result<Decimal> parse(QStringView text, int scale, RoundingMode mode);
    static Result<Decimal> parse(QByteArrayView utf8, int scale, RoundingMode mode);

    QString toString() const;
    // Pads with zeros to at least minFractionDigits (clamped to 0..18); never rounds, so
    // round() first for a fixed number of digits ("12.30" for cents).
    QString toString(int minFractionDigits) const;
    QByteArray toUtf8() const; // same text as toString()

    // Checked arithmetic: std::nullopt on overflow, on division by zero, on a scale outside
    // 0..18 and when an operand is invalid.
    std::optional<Decimal> checkedAdd(const Decimal& o) const noexcept;
    std::optional<Decimal> checkedSub(const Decimal& o) const noexcept;
    // The exact product rounded to 18 fractional digits.
    std::optional<Decimal> checkedMul(const Decimal& o,
                                      RoundingMode mode = RoundingMode::HalfEven) const noexcept;
    // The exact quotient rounded to `scale` fractional digits.
    std::optional<Decimal> checkedDiv(const Decimal& o, int scale,
                                      RoundingMode mode) const noexcept;

    // Operators return invalid() on overflow and propagate invalid operands; they never wrap.
    Decimal operator+(const Decimal& o) const noexcept;
    Decimal operator-(const Decimal& o) const noexcept;
    Decimal operator*(const Decimal& o) const noexcept; // rounds half-even to 18 digits
    Decimal operator-() const noexcept;
    Decimal& operator+=(const Decimal& o) noexcept;
    Decimal& operator-=(const Decimal& o) noexcept;
    Decimal divided(const Decimal& o, int scale, RoundingMode mode) const noexcept;
    // Invalid when scale is outside 0..18 or when rounding away from zero leaves the range.
    Decimal round(int scale, RoundingMode mode) const noexcept;

    bool isValid() const noexcept { return !(m_hi == kInvalidHigh && m_lo == 0); }
    bool isZero() const noexcept { return m_hi == 0 && m_lo == 0; }
    bool isNegative() const noexcept { return isValid() && (m_hi >> 63) != 0; }
    bool isPositive() const noexcept { return (m_hi >> 63) == 0 && !isZero(); }
    int sign() const noexcept { return isNegative() ? -1 : (isPositive() ? 1 : 0); } // 0 if invalid
    Decimal abs() const noexcept { return isNegative() ? -*this : *this; }

    // Significant fractional digits, 0..18 ("1.250" has 2); 0 for invalid.
    int scale() const noexcept;
    // Digits before the point, 0 when |v| < 1 ("0.5" has 0, "-12.3" has 2); 0 for invalid.
    int integerDigits() const noexcept;
    // Whether a SQL DECIMAL(precision, scale) column stores this value without rounding.
    // False for invalid values and for impossible column types (precision < 1, scale outside
    // 0..precision).
    bool fitsPrecision(int precision, int scale) const noexcept;

    // The value as its count of 10^-18 units in two's complement halves, and back: a compact
    // binary form for stored records. fromUnits gives invalid() for halves outside the range
    // (a damaged record), never a wrapped value.
    void toUnits(quint64* hi, quint64* lo) const noexcept {
        *hi = m_hi;
        *lo = m_lo;
    }
    static Decimal fromUnits(quint64 hi, quint64 lo) noexcept;

    // The value rounded to an integer with `mode`; nullopt when invalid or outside qint64.
    std::optional<qint64> toInt64(RoundingMode mode = RoundingMode::Down) const noexcept;

    // min and max are invalid when either argument is.
    static Decimal min(const Decimal& a, const Decimal& b) noexcept;
    static Decimal max(const Decimal& a, const Decimal& b) noexcept;

    // Three-way comparison (-1, 0, 1): a total order in which invalid comes first.
    int compare(const Decimal& o) const noexcept {
        const quint64 a = m_hi ^ kSignBit; // biased so unsigned order is signed order
        const quint64 b = o.m_hi ^ kSignBit;
        if (a != b)
            return a < b ? -1 : 1;
        if (m_lo != o.m_lo)
            return m_lo < o.m_lo ? -1 : 1;
        return 0;
    }

    friend bool operator==(const Decimal& a, const Decimal& b) noexcept {
        return a.m_hi == b.m_hi && a.m_lo == b.m_lo;
    }
    friend bool operator!=(const Decimal& a, const Decimal& b) noexcept { return !(a == b); }
    friend bool operator<(const Decimal& a, const Decimal& b) noexcept { return a.compare(b) < 0; }
    friend bool operator<=(const Decimal& a, const Decimal& b) noexcept {
        return a.compare(b) <= 0;
    }
    friend bool operator>(const Decimal& a, const Decimal& b) noexcept { return a.compare(b) > 0; }
    friend bool operator>=(const Decimal& a, const Decimal& b) noexcept {
        return a.compare(b) >= 0;
    }

    // Which 128-bit arithmetic was compiled in: the compiler's own integer or the portable
    // two-halves fallback. For diagnostics and tests.
    static bool usesNativeInt128() noexcept;

    friend size_t qHash(const Decimal& d, size_t seed) noexcept;

private:
    static constexpr quint64 kSignBit = quint64(1) << 63;
    static constexpr quint64 kInvalidHigh = kSignBit; // -2^127 lies outside the range

    constexpr Decimal(quint64 hi, quint64 lo) noexcept
        : m_hi(hi)
        , m_lo(lo) {}
    static Decimal fromMagnitude(bool negative, quint64 hi, quint64 lo) noexcept;
    void magnitude(quint64* hi, quint64* lo) const noexcept;
    int format(char* out, int minFractionDigits) const noexcept;
    template <typename Char>
    static Result<Decimal> parseText(const Char* text, qsizetype size, int scale, RoundingMode mode,
                                     bool exactOnly);

    // Two's complement count of 10^-18 units, kept as halves so the layout is the same with and
    // without a native 128-bit integer.
    quint64 m_hi = 0;
    quint64 m_lo = 0;
};

size_t qHash(const Decimal& d, size_t seed = 0) noexcept;
QDebug operator<<(QDebug dbg, const Decimal& d);

} // namespace llamadesk

Q_DECLARE_METATYPE(llamadesk::Decimal)
