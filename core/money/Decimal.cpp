#include "Decimal.h"

#include "WideInt.h"

#include <QCoreApplication>
#include <QDebug>
#include <QHashFunctions>

#include <cstring>
#include <limits>

namespace llamadesk {

namespace {

using money::WideInt;

constexpr quint64 kTen18 = 1000000000000000000ULL;
constexpr quint64 kTen19 = 10000000000000000000ULL;
// 10^38 - 1, the largest magnitude in units, as high and low halves.
constexpr quint64 kMaxHi = 0x4b3b4ca85a86c47aULL;
constexpr quint64 kMaxLo = 0x098a223fffffffffULL;

constexpr quint64 kPow10[20] = {1ULL,
                                10ULL,
                                100ULL,
                                1000ULL,
                                10000ULL,
                                100000ULL,
                                1000000ULL,
                                10000000ULL,
                                100000000ULL,
                                1000000000ULL,
                                10000000000ULL,
                                100000000000ULL,
                                1000000000000ULL,
                                10000000000000ULL,
                                100000000000000ULL,
                                1000000000000000ULL,
                                10000000000000000ULL,
                                100000000000000000ULL,
                                kTen18,
                                kTen19};

struct Pow10Reciprocals {
    WideInt::Reciprocal of[20];
};

constexpr Pow10Reciprocals makePow10Reciprocals() {
    Pow10Reciprocals t;
    for (int k = 0; k < 20; ++k)
        t.of[k] = WideInt::reciprocal(kPow10[k]);
    return t;
}

// Divisions by powers of ten become multiplications (computed at compile time).
constexpr Pow10Reciprocals kPow10Reciprocal = makePow10Reciprocals();
constexpr const WideInt::Reciprocal& kDiv18 = kPow10Reciprocal.of[18];
constexpr const WideInt::Reciprocal& kDiv19 = kPow10Reciprocal.of[19];

// "00" "01" ... "99": formatting two digits per division halves the number of divisions.
constexpr char kDigitPairs[] = "00010203040506070809"
                               "10111213141516171819"
                               "20212223242526272829"
                               "30313233343536373839"
                               "40414243444546474849"
                               "50515253545556575859"
                               "60616263646566676869"
                               "70717273747576777879"
                               "80818283848586878889"
                               "90919293949596979899";

inline bool magnitudeInRange(quint64 hi, quint64 lo) {
    return hi < kMaxHi || (hi == kMaxHi && lo <= kMaxLo);
}

inline void negate(quint64* hi, quint64* lo) {
    *lo = ~*lo + 1;
    *hi = ~*hi + (*lo == 0 ? 1 : 0);
}

// (hi, lo) * m as three limbs, least significant first.
inline void mulBy64(quint64 hi, quint64 lo, quint64 m, quint64 out[3]) {
    quint64 h0 = 0;
    WideInt::mul64(lo, m, &h0, &out[0]);
    if (hi == 0) {
        out[1] = h0;
        out[2] = 0;
        return;
    }
    quint64 h1 = 0;
    quint64 l1 = 0;
    WideInt::mul64(hi, m, &h1, &l1);
    out[1] = l1 + h0;
    out[2] = h1 + (out[1] < h0 ? 1 : 0);
}

// Splits a magnitude (at most 10^38 - 1 units) into integer part and fraction units.
inline void splitUnits(quint64 hi, quint64 lo, quint64* intHi, quint64* intLo, quint64* frac) {
    // hi < 6 * 10^18 within the range, so a few subtractions replace a division.
    quint64 q = 0;
    while (hi >= kTen18) {
        hi -= kTen18;
        ++q;
    }
    *intHi = q;
    *intLo = WideInt::divide(hi, lo, kDiv18, frac);
}

// Multiplies a magnitude by 10^k in place; false when the result leaves the range.
inline bool scaleUp(quint64* hi, quint64* lo, int k) {
    if (k == 0)
        return magnitudeInRange(*hi, *lo);
    quint64 v[3];
    mulBy64(*hi, *lo, kPow10[k], v);
    if (v[2] != 0 || !magnitudeInRange(v[1], v[0]))
        return false;
    *hi = v[1];
    *lo = v[0];
    return true;
}

// Compares a non-zero remainder with half of its divisor: -1 below, 0 exactly half, 1 above.
inline int compareWithHalf(quint64 rem, quint64 divisor) {
    const quint64 rest = divisor - rem;
    return rem < rest ? -1 : (rem == rest ? 0 : 1);
}

// Whether a truncated magnitude must grow by one unit, given a non-zero discarded remainder.
bool roundsAway(RoundingMode mode, bool negative, bool quotientOdd, int remainderVsHalf) {
    switch (mode) {
    case RoundingMode::HalfEven:
        return remainderVsHalf > 0 || (remainderVsHalf == 0 && quotientOdd);
    case RoundingMode::HalfUp:
        return remainderVsHalf >= 0;
    case RoundingMode::HalfDown:
        return remainderVsHalf > 0;
    case RoundingMode::Down:
        return false;
    case RoundingMode::Up:
        return true;
    case RoundingMode::Floor:
        return negative;
    case RoundingMode::Ceiling:
        return !negative;
    }
    return false;
}

// Writes v without leading zeros ("0" for zero); returns the number of characters.
int writeUnsigned(char* out, quint64 v) {
    char tmp[20];
    int pos = 20;
    while (v >= 100) {
        const auto pair = static_cast<unsigned>(v % 100) * 2;
        v /= 100;
        tmp[--pos] = kDigitPairs[pair + 1];
        tmp[--pos] = kDigitPairs[pair];
    }
    if (v >= 10) {
        const auto pair = static_cast<unsigned>(v) * 2;
        tmp[--pos] = kDigitPairs[pair + 1];
        tmp[--pos] = kDigitPairs[pair];
    } else {
        tmp[--pos] = static_cast<char>('0' + v);
    }
    const int len = 20 - pos;
    std::memcpy(out, tmp + pos, static_cast<size_t>(len));
    return len;
}

// Writes exactly `width` digits of v (v < 10^width), zero padded on the left.
void writePadded(char* out, quint64 v, int width) {
    int pos = width;
    while (pos >= 2) {
        const auto pair = static_cast<unsigned>(v % 100) * 2;
        v /= 100;
        out[--pos] = kDigitPairs[pair + 1];
        out[--pos] = kDigitPairs[pair];
    }
    if (pos == 1)
        out[0] = static_cast<char>('0' + v % 10);
}

inline unsigned codeOf(char c) {
    return static_cast<unsigned char>(c);
}
inline unsigned codeOf(char16_t c) {
    return c;
}

QString quoted(QChar c) {
    QString s(3, QLatin1Char('\''));
    s[1] = c;
    return s;
}

// How a character appears in an error message: quoted when printable ASCII, else a code.
QString describe(char c) {
    const unsigned code = codeOf(c);
    if (code >= 0x20 && code < 0x7f)
        return quoted(QLatin1Char(c));
    if (code >= 0x80)
        return QCoreApplication::translate("Decimal", "a non-ASCII character");
    return QStringLiteral("U+%1").arg(code, 4, 16, QLatin1Char('0')).toUpper();
}

QString describe(char16_t c) {
    if (c >= 0x20 && c < 0x7f)
        return quoted(QChar(c));
    return QStringLiteral("U+%1").arg(unsigned(c), 4, 16, QLatin1Char('0')).toUpper();
}

Q_DECL_COLD_FUNCTION QString emptyError() {
    return QCoreApplication::translate("Decimal", "Invalid number: the text is empty.");
}

Q_DECL_COLD_FUNCTION QString expectedDigitError(qsizetype position, const QString& found) {
    return QCoreApplication::translate("Decimal",
                                       "Invalid number: expected a digit at position %1, found %2.")
        .arg(position)
        .arg(found);
}

Q_DECL_COLD_FUNCTION QString endOfTextDescription() {
    return QCoreApplication::translate("Decimal", "the end of the text");
}

Q_DECL_COLD_FUNCTION QString digitBeforePointError(qsizetype position) {
    return QCoreApplication::translate(
               "Decimal",
               "Invalid number: a digit is required before the decimal point at position %1.")
        .arg(position);
}

Q_DECL_COLD_FUNCTION QString unexpectedCharacterError(qsizetype position, const QString& found) {
    return QCoreApplication::translate("Decimal",
                                       "Invalid number: unexpected character %1 at position %2.")
        .arg(found)
        .arg(position);
}

Q_DECL_COLD_FUNCTION QString tooManyIntegerDigitsError(qsizetype position) {
    return QCoreApplication::translate(
               "Decimal",
               "Invalid number: more than 20 integer digits (digit at position %1); the largest "
               "magnitude is 99999999999999999999.999999999999999999.")
        .arg(position);
}

Q_DECL_COLD_FUNCTION QString tooManyFractionDigitsError(qsizetype position) {
    return QCoreApplication::translate(
               "Decimal",
               "Invalid number: more than 18 fractional digits (non-zero digit at position %1); "
               "round the value explicitly.")
        .arg(position);
}

Q_DECL_COLD_FUNCTION QString roundedOutOfRangeError(int scale) {
    return QCoreApplication::translate(
               "Decimal",
               "Invalid number: rounded to %1 fractional digits it exceeds the largest magnitude "
               "99999999999999999999.999999999999999999.")
        .arg(scale);
}

Q_DECL_COLD_FUNCTION QString badScaleError(int scale) {
    return QCoreApplication::translate("Decimal",
                                       "Invalid rounding scale %1: it must be between 0 and 18.")
        .arg(scale);
}

} // namespace

// ---- construction ---------------------------------------------------------------------------

Decimal Decimal::fromMagnitude(bool negative, quint64 hi, quint64 lo) noexcept {
    if (negative)
        negate(&hi, &lo); // zero stays zero: there is no "-0"
    return Decimal(hi, lo);
}

void Decimal::magnitude(quint64* hi, quint64* lo) const noexcept {
    *hi = m_hi;
    *lo = m_lo;
    if ((m_hi >> 63) != 0)
        negate(hi, lo);
}

Decimal Decimal::fromUnits(quint64 hi, quint64 lo) noexcept {
    const Decimal d(hi, lo);
    quint64 magHi = 0;
    quint64 magLo = 0;
    d.magnitude(&magHi, &magLo);
    // The invalid pattern, -2^127, negates to itself: out of range as well.
    if (!magnitudeInRange(magHi, magLo))
        return invalid();
    return d;
}

Decimal Decimal::fromInt(qint64 v) noexcept {
    return fromScaled(v, 0);
}

Decimal Decimal::fromScaled(qint64 v, int scale) noexcept {
    if (scale < 0 || scale > kScale)
        return invalid();
    const bool negative = v < 0;
    // Unsigned negation is defined for every value, including the most negative one.
    const quint64 mag = negative ? 0 - static_cast<quint64>(v) : static_cast<quint64>(v);
    quint64 hi = 0;
    quint64 lo = 0;
    WideInt::mul64(mag, kPow10[kScale - scale], &hi, &lo);
    return fromMagnitude(negative, hi, lo);
}

Decimal Decimal::maxValue() noexcept {
    return Decimal(kMaxHi, kMaxLo);
}

Decimal Decimal::minValue() noexcept {
    return fromMagnitude(true, kMaxHi, kMaxLo);
}

bool Decimal::usesNativeInt128() noexcept {
    return WideInt::usesNativeInt128();
}

// ---- parsing --------------------------------------------------------------------------------

template <typename Char>
Result<Decimal> Decimal::parseText(const Char* s, qsizetype n, int scale, RoundingMode mode,
                                   bool exactOnly) {
    using R = Result<Decimal>;
    if (scale < 0 || scale > kScale)
        return R::failure(badScaleError(scale));
    if (n == 0)
        return R::failure(emptyError());

    qsizetype i = 0;
    bool negative = false;
    const unsigned first = codeOf(s[0]);
    if (first == '+' || first == '-') {
        negative = first == '-';
        i = 1;
    }

    // Integer part: up to 19 significant digits fit in 64 bits, the 20th is kept aside.
    quint64 intAcc = 0;
    unsigned digit20 = 0;
    int intDigits = 0;
    bool anyIntDigit = false;
    for (; i < n; ++i) {
        const unsigned d = codeOf(s[i]) - unsigned('0');
        if (d > 9)
            break;
        anyIntDigit = true;
        if (intDigits == 0 && d == 0)
            continue; // leading zero
        if (intDigits < 19)
            intAcc = intAcc * 10 + d;
        else if (intDigits == 19)
            digit20 = d;
        else
            return R::failure(tooManyIntegerDigitsError(i + 1));
        ++intDigits;
    }

    // Fractional part: `scale` digits are kept, the first dropped digit and whether anything
    // after it is non-zero decide the rounding.
    quint64 frac = 0;
    int fracDigits = 0;
    int dropped = -1;
    bool sticky = false;
    if (i < n) {
        if (codeOf(s[i]) != '.') {
            if (!anyIntDigit)
                return R::failure(expectedDigitError(i + 1, describe(s[i])));
            return R::failure(unexpectedCharacterError(i + 1, describe(s[i])));
        }
        if (!anyIntDigit)
            return R::failure(digitBeforePointError(i + 1));
        ++i;
        const qsizetype fracStart = i;
        for (; i < n; ++i) {
            const unsigned d = codeOf(s[i]) - unsigned('0');
            if (d > 9)
                break;
            if (fracDigits < scale) {
                frac = frac * 10 + d;
                ++fracDigits;
            } else if (exactOnly) {
                if (d != 0)
                    return R::failure(tooManyFractionDigitsError(i + 1));
            } else if (dropped < 0) {
                dropped = static_cast<int>(d);
            } else if (d != 0) {
                sticky = true;
            }
        }
        if (i == fracStart)
            return R::failure(
                expectedDigitError(i + 1, i < n ? describe(s[i]) : endOfTextDescription()));
        if (i < n)
            return R::failure(unexpectedCharacterError(i + 1, describe(s[i])));
    } else if (!anyIntDigit) {
        return R::failure(expectedDigitError(i + 1, endOfTextDescription()));
    }

    quint64 hi = 0;
    quint64 lo = intAcc;
    if (intDigits == 20) {
        WideInt::mul64(intAcc, 10, &hi, &lo);
        lo += digit20;
        hi += lo < digit20 ? 1 : 0;
    }
    // Value in units of 10^-scale. Cannot overflow: below 10^20 * 10^18 < 2^127.
    if (scale > 0) {
        quint64 v[3];
        mulBy64(hi, lo, kPow10[scale], v);
        hi = v[1];
        lo = v[0];
        frac *= kPow10[scale - fracDigits];
        lo += frac;
        hi += lo < frac ? 1 : 0;
    }
    if (dropped > 0 || sticky) {
        const int vsHalf = dropped > 5 ? 1 : (dropped == 5 ? (sticky ? 1 : 0) : -1);
        if (roundsAway(mode, negative, (lo & 1) != 0, vsHalf)) {
            ++lo;
            hi += lo == 0 ? 1 : 0;
        }
    }
    if (!scaleUp(&hi, &lo, kScale - scale))
        return R::failure(roundedOutOfRangeError(scale));
    return fromMagnitude(negative, hi, lo);
}

Result<Decimal> Decimal::parse(QStringView text) {
    return parseText(text.utf16(), text.size(), kScale, RoundingMode::HalfEven, true);
}

Result<Decimal> Decimal::parse(QByteArrayView utf8) {
    return parseText(utf8.data(), utf8.size(), kScale, RoundingMode::HalfEven, true);
}

Result<Decimal> Decimal::parse(QStringView text, int scale, RoundingMode mode) {
    return parseText(text.utf16(), text.size(), scale, mode, false);
}

Result<Decimal> Decimal::parse(QByteArrayView utf8, int scale, RoundingMode mode) {
    return parseText(utf8.data(), utf8.size(), scale, mode, false);
}

// ---- formatting -----------------------------------------------------------------------------

int Decimal::format(char* out, int minFractionDigits) const noexcept {
    if (!isValid()) {
        std::memcpy(out, "invalid", 7);
        return 7;
    }
    if (minFractionDigits < 0)
        minFractionDigits = 0;
    if (minFractionDigits > kScale)
        minFractionDigits = kScale;

    quint64 hi = 0;
    quint64 lo = 0;
    magnitude(&hi, &lo);
    quint64 intHi = 0;
    quint64 intLo = 0;
    quint64 frac = 0;
    splitUnits(hi, lo, &intHi, &intLo, &frac);

    char* p = out;
    if ((m_hi >> 63) != 0)
        *p++ = '-';
    if (intHi != 0) {
        // 2^64 <= integer part < 10^20: one leading digit and 19 more.
        quint64 low19 = 0;
        const quint64 top = WideInt::divide(intHi, intLo, kDiv19, &low19);
        p += writeUnsigned(p, top);
        writePadded(p, low19, 19);
        p += 19;
    } else {
        p += writeUnsigned(p, intLo);
    }
    if (frac != 0 || minFractionDigits > 0) {
        char digits[kScale];
        writePadded(digits, frac, kScale);
        int keep = kScale;
        while (keep > minFractionDigits && digits[keep - 1] == '0')
            --keep;
        if (keep > 0) {
            *p++ = '.';
            std::memcpy(p, digits, static_cast<size_t>(keep));
            p += keep;
        }
    }
    return static_cast<int>(p - out);
}

QString Decimal::toString() const {
    return toString(0);
}

QString Decimal::toString(int minFractionDigits) const {
    char buf[48];
    const int len = format(buf, minFractionDigits);
    return QString::fromLatin1(buf, len);
}

QByteArray Decimal::toUtf8() const {
    char buf[48];
    const int len = format(buf, 0);
    return QByteArray(buf, len);
}

// ---- arithmetic -----------------------------------------------------------------------------

std::optional<Decimal> Decimal::checkedAdd(const Decimal& o) const noexcept {
    if (!isValid() || !o.isValid())
        return std::nullopt;
    const quint64 lo = m_lo + o.m_lo;
    const quint64 hi = m_hi + o.m_hi + (lo < m_lo ? 1 : 0);
    const quint64 signA = m_hi >> 63;
    const quint64 signB = o.m_hi >> 63;
    if (signA == signB && (hi >> 63) != signA)
        return std::nullopt; // wrapped around 2^127
    quint64 mh = hi;
    quint64 ml = lo;
    if ((hi >> 63) != 0)
        negate(&mh, &ml);
    if (!magnitudeInRange(mh, ml))
        return std::nullopt;
    return Decimal(hi, lo);
}

std::optional<Decimal> Decimal::checkedSub(const Decimal& o) const noexcept {
    if (!o.isValid())
        return std::nullopt;
    return checkedAdd(-o);
}

std::optional<Decimal> Decimal::checkedMul(const Decimal& o, RoundingMode mode) const noexcept {
    if (!isValid() || !o.isValid())
        return std::nullopt;
    quint64 a[2];
    quint64 b[2];
    magnitude(&a[1], &a[0]);
    o.magnitude(&b[1], &b[0]);
    const bool negative = ((m_hi ^ o.m_hi) >> 63) != 0;

    // Exact 256-bit product in units of 10^-36.
    quint64 p[4] = {0, 0, 0, 0};
    for (int i = 0; i < 2; ++i) {
        if (a[i] == 0)
            continue;
        quint64 carry = 0;
        for (int j = 0; j < 2; ++j) {
            quint64 h = 0;
            quint64 l = 0;
            WideInt::mul64(a[i], b[j], &h, &l);
            l += carry;
            h += l < carry ? 1 : 0;
            l += p[i + j];
            h += l < p[i + j] ? 1 : 0;
            p[i + j] = l;
            carry = h;
        }
        p[i + 2] = carry;
    }

    // Back to units of 10^-18.
    int top = 3;
    while (top > 0 && p[top] == 0)
        --top;
    quint64 q[4] = {0, 0, 0, 0};
    quint64 rem = 0;
    for (int i = top; i >= 0; --i)
        q[i] = WideInt::divide(rem, p[i], kDiv18, &rem);
    if (q[3] != 0 || q[2] != 0 || !magnitudeInRange(q[1], q[0]))
        return std::nullopt;
    quint64 hi = q[1];
    quint64 lo = q[0];
    if (rem != 0 && roundsAway(mode, negative, (lo & 1) != 0, compareWithHalf(rem, kTen18))) {
        ++lo;
        hi += lo == 0 ? 1 : 0;
        if (!magnitudeInRange(hi, lo))
            return std::nullopt;
    }
    return fromMagnitude(negative, hi, lo);
}

std::optional<Decimal> Decimal::checkedDiv(const Decimal& o, int scale,
                                           RoundingMode mode) const noexcept {
    if (!isValid() || !o.isValid() || o.isZero() || scale < 0 || scale > kScale)
        return std::nullopt;
    quint64 a[2];
    quint64 b[2];
    magnitude(&a[1], &a[0]);
    o.magnitude(&b[1], &b[0]);
    const bool negative = ((m_hi ^ o.m_hi) >> 63) != 0;

    // |a| / |b| in units of 10^-scale is (|a| * 10^scale) / |b|, both counted in 10^-18.
    quint64 num[3];
    mulBy64(a[1], a[0], kPow10[scale], num);
    const int n = b[1] != 0 ? 2 : 1;
    int m = num[2] != 0 ? 3 : (num[1] != 0 ? 2 : 1);
    if (m < n)
        m = n;
    quint64 q[WideInt::kMaxLimbs] = {0, 0, 0, 0};
    quint64 r[2] = {0, 0};
    WideInt::divRem(num, m, b, n, q, r);
    if (q[2] != 0 || !magnitudeInRange(q[1], q[0]))
        return std::nullopt;

    quint64 hi = q[1];
    quint64 lo = q[0];
    if (r[0] != 0 || r[1] != 0) {
        int vsHalf = 0;
        if (n == 1) {
            vsHalf = compareWithHalf(r[0], b[0]);
        } else {
            // Compare r with b - r (two limbs, r < b so no borrow out).
            const quint64 restLo = b[0] - r[0];
            const quint64 restHi = b[1] - r[1] - (b[0] < r[0] ? 1 : 0);
            if (r[1] != restHi)
                vsHalf = r[1] < restHi ? -1 : 1;
            else
                vsHalf = r[0] < restLo ? -1 : (r[0] == restLo ? 0 : 1);
        }
        if (roundsAway(mode, negative, (lo & 1) != 0, vsHalf)) {
            ++lo;
            hi += lo == 0 ? 1 : 0;
        }
    }
    if (!scaleUp(&hi, &lo, kScale - scale))
        return std::nullopt;
    return fromMagnitude(negative, hi, lo);
}

Decimal Decimal::operator+(const Decimal& o) const noexcept {
    return checkedAdd(o).value_or(invalid());
}

Decimal Decimal::operator-(const Decimal& o) const noexcept {
    return checkedSub(o).value_or(invalid());
}

Decimal Decimal::operator*(const Decimal& o) const noexcept {
    return checkedMul(o).value_or(invalid());
}

Decimal Decimal::operator-() const noexcept {
    if (!isValid())
        return *this;
    quint64 hi = m_hi;
    quint64 lo = m_lo;
    negate(&hi, &lo); // the range is symmetric, so this never overflows
    return Decimal(hi, lo);
}

Decimal& Decimal::operator+=(const Decimal& o) noexcept {
    *this = *this + o;
    return *this;
}

Decimal& Decimal::operator-=(const Decimal& o) noexcept {
    *this = *this - o;
    return *this;
}

Decimal Decimal::divided(const Decimal& o, int scale, RoundingMode mode) const noexcept {
    return checkedDiv(o, scale, mode).value_or(invalid());
}

Decimal Decimal::round(int scale, RoundingMode mode) const noexcept {
    if (!isValid() || scale < 0 || scale > kScale)
        return invalid();
    if (scale == kScale)
        return *this;
    quint64 hi = 0;
    quint64 lo = 0;
    magnitude(&hi, &lo);
    const quint64 d = kPow10[kScale - scale];
    const WideInt::Reciprocal& byD = kPow10Reciprocal.of[kScale - scale];
    quint64 rem = 0;
    quint64 qHi = WideInt::divide(0, hi, byD, &rem);
    quint64 qLo = WideInt::divide(rem, lo, byD, &rem);
    if (rem == 0)
        return *this;
    const bool negative = (m_hi >> 63) != 0;
    if (roundsAway(mode, negative, (qLo & 1) != 0, compareWithHalf(rem, d))) {
        ++qLo;
        qHi += qLo == 0 ? 1 : 0;
    }
    if (!scaleUp(&qHi, &qLo, kScale - scale))
        return invalid();
    return fromMagnitude(negative, qHi, qLo);
}

// ---- inspection -----------------------------------------------------------------------------

int Decimal::scale() const noexcept {
    if (!isValid())
        return 0;
    quint64 hi = 0;
    quint64 lo = 0;
    magnitude(&hi, &lo);
    quint64 intHi = 0;
    quint64 intLo = 0;
    quint64 frac = 0;
    splitUnits(hi, lo, &intHi, &intLo, &frac);
    if (frac == 0)
        return 0;
    int digits = kScale;
    while (frac % 10 == 0) {
        frac /= 10;
        --digits;
    }
    return digits;
}

int Decimal::integerDigits() const noexcept {
    if (!isValid())
        return 0;
    quint64 hi = 0;
    quint64 lo = 0;
    magnitude(&hi, &lo);
    quint64 intHi = 0;
    quint64 integer = 0;
    quint64 frac = 0;
    splitUnits(hi, lo, &intHi, &integer, &frac);
    if (intHi != 0)
        return 20; // at least 2^64 > 10^19, and below 10^20
    int digits = 0;
    while (integer != 0) {
        integer /= 10;
        ++digits;
    }
    return digits;
}

bool Decimal::fitsPrecision(int precision, int scale) const noexcept {
    if (!isValid() || precision < 1 || scale < 0 || scale > precision)
        return false;
    return this->scale() <= scale && integerDigits() <= precision - scale;
}

std::optional<qint64> Decimal::toInt64(RoundingMode mode) const noexcept {
    const Decimal rounded = round(0, mode);
    if (!rounded.isValid())
        return std::nullopt;
    quint64 hi = 0;
    quint64 lo = 0;
    rounded.magnitude(&hi, &lo);
    if (hi >= kTen18)
        return std::nullopt; // the integer part needs more than 64 bits
    quint64 rem = 0;
    const quint64 integer = WideInt::divide(hi, lo, kDiv18, &rem);
    const quint64 limit = quint64(1) << 63;
    if (rounded.isNegative()) {
        if (integer > limit)
            return std::nullopt;
        if (integer == limit)
            return std::numeric_limits<qint64>::min();
        return -static_cast<qint64>(integer);
    }
    if (integer >= limit)
        return std::nullopt;
    return static_cast<qint64>(integer);
}

Decimal Decimal::min(const Decimal& a, const Decimal& b) noexcept {
    if (!a.isValid() || !b.isValid())
        return invalid();
    return b < a ? b : a;
}

Decimal Decimal::max(const Decimal& a, const Decimal& b) noexcept {
    if (!a.isValid() || !b.isValid())
        return invalid();
    return a < b ? b : a;
}

size_t qHash(const Decimal& d, size_t seed) noexcept {
    return qHashMulti(seed, d.m_hi, d.m_lo);
}

QDebug operator<<(QDebug dbg, const Decimal& d) {
    const QDebugStateSaver saver(dbg);
    dbg.nospace().noquote() << "Decimal(" << d.toString() << ')';
    return dbg;
}

} // namespace llamadesk
