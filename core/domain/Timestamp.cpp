#include "domain/Timestamp.h"

#include <QCoreApplication>

#include <chrono>
#include <optional>

namespace llamadesk {

namespace {

constexpr qint64 kMicrosecondsPerSecond = 1000000;
constexpr qint64 kMicrosecondsPerDay = 86400 * kMicrosecondsPerSecond;
constexpr qint64 kUnixEpochJulianDay = 2440588; // 1970-01-01
constexpr int kStoredLength = 27;               // "YYYY-MM-DDTHH:MM:SS.ffffffZ"
constexpr int kMaxOffsetHours = 15;             // PostgreSQL accepts offsets up to 15:59:59

// Division rounding toward negative infinity, so instants before 1970 land on the right day.
qint64 floorDiv(qint64 value, qint64 divisor) {
    qint64 quotient = value / divisor;
    if (value % divisor != 0 && ((value < 0) != (divisor < 0)))
        --quotient;
    return quotient;
}

QString parseError(QStringView text, const QString& why) {
    // Long garbage is cut: the message is for people, the start of the text is enough.
    const QString shown =
        text.size() > 40 ? text.left(40).toString() + QStringLiteral("...") : text.toString();
    return QCoreApplication::translate("Timestamp", "Cannot read the timestamp \"%1\": %2")
        .arg(shown, why);
}

// Reads fixed-width fields from left to right.
class Reader {
public:
    explicit Reader(QStringView text)
        : m_text(text) {}

    bool atEnd() const { return m_pos >= m_text.size(); }
    QChar peek() const { return atEnd() ? QChar() : m_text.at(m_pos); }
    bool take(QChar c) {
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }
    void skip() { ++m_pos; }

    // Exactly `count` ASCII digits, or -1.
    int digits(int count) {
        if (m_pos + count > m_text.size())
            return -1;
        int value = 0;
        for (int i = 0; i < count; ++i) {
            const char16_t c = m_text.at(m_pos + i).unicode();
            if (c < u'0' || c > u'9')
                return -1;
            value = value * 10 + int(c - u'0');
        }
        m_pos += count;
        return value;
    }

    bool peekDigit() const {
        const char16_t c = peek().unicode();
        return c >= u'0' && c <= u'9';
    }

private:
    QStringView m_text;
    qsizetype m_pos = 0;
};

// Days from 1970-01-01 to a proleptic Gregorian date (the era arithmetic of a 400-year cycle:
// 146097 days, leap years every 4 but not every 100 but every 400). year >= 1, valid date.
qint64 daysFromCivil(int year, int month, int day) {
    const int y = month <= 2 ? year - 1 : year;
    const int era = y / 400; // y >= 0 here
    const int yearOfEra = y - era * 400;
    const int shiftedMonth = month > 2 ? month - 3 : month + 9; // March = 0
    const int dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1;
    const int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return qint64(era) * 146097 + dayOfEra - 719468;
}

int daysInMonth(int year, int month) {
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
        return 29;
    return kDays[month - 1];
}

// The value of the two characters at c if both are ASCII digits; else sets *bad.
Q_ALWAYS_INLINE int twoDigits(const char16_t* c, unsigned* bad) {
    const unsigned high = unsigned(c[0]) - unsigned(u'0');
    const unsigned low = unsigned(c[1]) - unsigned(u'0');
    *bad |= unsigned(high > 9) | unsigned(low > 9);
    return int(high * 10 + low);
}

// The stored form "YYYY-MM-DDTHH:MM:SS.ffffffZ", which every read of the vault parses: fixed
// positions, no calendar object. Nullopt for anything else, valid or not (parse() then reads it
// the general way and explains what is wrong).
std::optional<qint64> parseStoredForm(QStringView text) {
    if (text.size() != kStoredLength)
        return std::nullopt;
    const char16_t* c = text.utf16();
    if (c[4] != u'-' || c[7] != u'-' || c[10] != u'T' || c[13] != u':' || c[16] != u':' ||
        c[19] != u'.' || c[26] != u'Z')
        return std::nullopt;
    // Two digits at a time; `bad` collects any character that is not one.
    unsigned bad = 0;
    const auto two = [c, &bad](int at) {
        return twoDigits(c + at, &bad);
    };
    const int year = two(0) * 100 + two(2);
    const int month = two(5);
    const int day = two(8);
    const int hour = two(11);
    const int minute = two(14);
    const int second = two(17);
    const int micro = (two(20) * 100 + two(22)) * 100 + two(24);
    if (bad != 0 || year < 1 || month < 1 || month > 12 || day < 1 ||
        day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        return std::nullopt;
    return daysFromCivil(year, month, day) * kMicrosecondsPerDay +
           ((qint64(hour) * 60 + minute) * 60 + second) * kMicrosecondsPerSecond + micro;
}

void putDigits(QChar* out, int value, int width) {
    for (int i = width - 1; i >= 0; --i) {
        out[i] = QLatin1Char(char('0' + value % 10));
        value /= 10;
    }
}

} // namespace

Timestamp Timestamp::fromMicrosecondsSinceEpoch(qint64 microseconds) {
    if (microseconds < kMinMicroseconds || microseconds > kMaxMicroseconds)
        return Timestamp();
    return Timestamp(microseconds);
}

Result<Timestamp> Timestamp::parse(QStringView text) {
    if (const std::optional<qint64> stored = parseStoredForm(text))
        return Timestamp(*stored); // years 0001-9999 in UTC: always in range
    Reader in(text);

    const int year = in.digits(4);
    if (year < 0 || !in.take(u'-'))
        return Result<Timestamp>::failure(
            parseError(text, tr("it must start with a date YYYY-MM-DD")));
    const int month = in.digits(2);
    if (month < 0 || !in.take(u'-'))
        return Result<Timestamp>::failure(
            parseError(text, tr("it must start with a date YYYY-MM-DD")));
    const int day = in.digits(2);
    if (day < 0)
        return Result<Timestamp>::failure(
            parseError(text, tr("it must start with a date YYYY-MM-DD")));

    if (!in.take(u'T') && !in.take(u't') && !in.take(u' '))
        return Result<Timestamp>::failure(
            parseError(text, tr("the date must be followed by 'T' or a space and a time")));

    const int hour = in.digits(2);
    const int minute = (hour >= 0 && in.take(u':')) ? in.digits(2) : -1;
    const int second = (minute >= 0 && in.take(u':')) ? in.digits(2) : -1;
    if (second < 0)
        return Result<Timestamp>::failure(
            parseError(text, tr("the time must be written HH:MM:SS")));

    qint64 fraction = 0;
    if (in.take(u'.') || in.take(u',')) {
        int count = 0;
        while (in.peekDigit()) {
            if (++count > 6)
                return Result<Timestamp>::failure(parseError(
                    text, tr("more than six fractional digits (the precision is microseconds)")));
            fraction = fraction * 10 + in.digits(1);
        }
        if (count == 0)
            return Result<Timestamp>::failure(
                parseError(text, tr("a decimal point must be followed by digits")));
        for (; count < 6; ++count)
            fraction *= 10;
    }

    if (in.atEnd())
        return Result<Timestamp>::failure(
            parseError(text, tr("no UTC offset: add 'Z' or an offset such as '+01:00'")));

    qint64 offsetSeconds = 0;
    if (in.take(u'Z') || in.take(u'z')) {
        offsetSeconds = 0;
    } else if (in.peek() == u'+' || in.peek() == u'-') {
        const bool negative = in.peek() == u'-';
        in.skip();
        const int offsetHours = in.digits(2);
        int offsetMinutes = 0;
        int offsetSecondsPart = 0;
        if (offsetHours >= 0 && !in.atEnd()) {
            const bool colon = in.take(u':');
            offsetMinutes = in.digits(2);
            if (offsetMinutes >= 0 && !in.atEnd()) {
                // Seconds use the same separator style as the minutes ("+00:53:28", "+005328").
                if (colon && !in.take(u':'))
                    offsetSecondsPart = -1;
                else
                    offsetSecondsPart = in.digits(2);
            }
        }
        if (offsetHours < 0 || offsetMinutes < 0 || offsetSecondsPart < 0)
            return Result<Timestamp>::failure(
                parseError(text, tr("the UTC offset must be written +HH, +HH:MM or +HH:MM:SS")));
        if (offsetHours > kMaxOffsetHours || offsetMinutes > 59 || offsetSecondsPart > 59)
            return Result<Timestamp>::failure(
                parseError(text, tr("the UTC offset is out of range")));
        offsetSeconds = (qint64(offsetHours) * 60 + offsetMinutes) * 60 + offsetSecondsPart;
        if (negative)
            offsetSeconds = -offsetSeconds;
    } else {
        return Result<Timestamp>::failure(
            parseError(text, tr("no UTC offset: add 'Z' or an offset such as '+01:00'")));
    }

    if (!in.atEnd())
        return Result<Timestamp>::failure(
            parseError(text, tr("unexpected text after the UTC offset")));

    // QDate knows the Gregorian calendar (leap years included); year 0 does not exist there.
    const QDate date(year, month, day);
    if (!date.isValid())
        return Result<Timestamp>::failure(parseError(text, tr("there is no such date")));
    if (hour > 23 || minute > 59 || second > 59)
        return Result<Timestamp>::failure(parseError(text, tr("there is no such time of day")));

    const qint64 days = date.toJulianDay() - kUnixEpochJulianDay;
    const qint64 local = days * kMicrosecondsPerDay +
                         ((qint64(hour) * 60 + minute) * 60 + second) * kMicrosecondsPerSecond +
                         fraction;
    const qint64 utc = local - offsetSeconds * kMicrosecondsPerSecond;
    if (utc < kMinMicroseconds || utc > kMaxMicroseconds)
        return Result<Timestamp>::failure(
            parseError(text, tr("the year in UTC is outside 0001..9999")));
    return Timestamp(utc);
}

Timestamp Timestamp::fromDateTime(const QDateTime& dateTime) {
    if (!dateTime.isValid())
        return Timestamp();
    const qint64 milliseconds = dateTime.toMSecsSinceEpoch();
    // Range check before multiplying, so the product cannot overflow.
    if (milliseconds < kMinMicroseconds / 1000 || milliseconds > kMaxMicroseconds / 1000)
        return Timestamp();
    return Timestamp(milliseconds * 1000);
}

Timestamp Timestamp::now() {
    // system_clock counts from the Unix epoch on every platform we ship (guaranteed from C++20).
    const auto sinceEpoch = std::chrono::system_clock::now().time_since_epoch();
    return fromMicrosecondsSinceEpoch(
        qint64(std::chrono::duration_cast<std::chrono::microseconds>(sinceEpoch).count()));
}

QString Timestamp::toString() const {
    if (!isValid())
        return QString();
    const qint64 days = floorDiv(m_microseconds, kMicrosecondsPerDay);
    const qint64 inDay = m_microseconds - days * kMicrosecondsPerDay;
    int year = 0;
    int month = 0;
    int day = 0;
    QDate::fromJulianDay(days + kUnixEpochJulianDay).getDate(&year, &month, &day);
    const int secondOfDay = int(inDay / kMicrosecondsPerSecond);
    const int fraction = int(inDay % kMicrosecondsPerSecond);

    QChar out[kStoredLength];
    putDigits(out, year, 4);
    out[4] = QLatin1Char('-');
    putDigits(out + 5, month, 2);
    out[7] = QLatin1Char('-');
    putDigits(out + 8, day, 2);
    out[10] = QLatin1Char('T');
    putDigits(out + 11, secondOfDay / 3600, 2);
    out[13] = QLatin1Char(':');
    putDigits(out + 14, secondOfDay / 60 % 60, 2);
    out[16] = QLatin1Char(':');
    putDigits(out + 17, secondOfDay % 60, 2);
    out[19] = QLatin1Char('.');
    putDigits(out + 20, fraction, 6);
    out[26] = QLatin1Char('Z');
    return QString(out, kStoredLength);
}

QDateTime Timestamp::toDateTime() const {
    if (!isValid())
        return QDateTime();
    return QDateTime::fromMSecsSinceEpoch(floorDiv(m_microseconds, 1000), QTimeZone::utc());
}

QDate Timestamp::dateIn(const QTimeZone& zone) const {
    if (!isValid() || !zone.isValid())
        return QDate();
    return QDateTime::fromMSecsSinceEpoch(floorDiv(m_microseconds, 1000), zone).date();
}

} // namespace llamadesk
