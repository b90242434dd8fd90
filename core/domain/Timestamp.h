#pragma once

#include "Result.h"

#include <QCoreApplication>
#include <QDate>
#include <QDateTime>
#include <QString>
#include <QStringView>
#include <QTimeZone>
#include <QtGlobal>

#include <limits>

namespace llamadesk {

// A point in time with PostgreSQL's precision: whole microseconds since 1970-01-01T00:00:00Z,
// UTC years 0001..9999. It is stored and exchanged as text in ONE form,
// "YYYY-MM-DDTHH:MM:SS.ffffffZ" (always six fractional digits), whose text order is time order,
// so the database can compare and index timestamps as plain text.
//
// A default-constructed Timestamp is invalid; its toString() is empty, which the schema's CHECKs
// refuse, so an unset value cannot be stored by accident.
class Timestamp {
    Q_DECLARE_TR_FUNCTIONS(Timestamp)

public:
    // 0001-01-01T00:00:00.000000Z and 9999-12-31T23:59:59.999999Z.
    static constexpr qint64 kMinMicroseconds = -62135596800000000LL;
    static constexpr qint64 kMaxMicroseconds = 253402300799999999LL;

    constexpr Timestamp() = default;

    // Invalid outside [kMinMicroseconds, kMaxMicroseconds].
    static Timestamp fromMicrosecondsSinceEpoch(qint64 microseconds);

    // Accepts the stored form and ISO 8601 / RFC 3339 date-times with an explicit offset, the
    // PostgreSQL timestamptz text output included:
    //   "2025-03-15T10:00:00.123456Z", "2025-03-15T10:00:00+01:00", "2025-03-15 10:00:00.5Z",
    //   "2025-03-15 10:00:00.123456+00", "2025-03-15T10:00:00-0330", "1900-01-01
    //   00:00:00+00:53:28".
    // Refuses text without an offset (its instant is unknown), more than six fractional digits
    // (PostgreSQL keeps microseconds; rounding here would change the value), impossible dates and
    // times, and instants whose UTC year is outside 0001..9999.
    static Result<Timestamp> parse(QStringView text);

    // QDateTime has millisecond precision. An invalid or out-of-range QDateTime gives an invalid
    // Timestamp.
    static Timestamp fromDateTime(const QDateTime& dateTime);

    // The current time from the system clock, in microseconds.
    static Timestamp now();

    bool isValid() const { return m_microseconds != kInvalid; }
    qint64 microsecondsSinceEpoch() const { return m_microseconds; }

    // The stored form; empty for an invalid Timestamp.
    QString toString() const;

    // In UTC, truncated to milliseconds (QDateTime's precision). Invalid for an invalid Timestamp.
    QDateTime toDateTime() const;

    // The calendar date of this instant in the given zone (tax years and "per day" views depend
    // on the user's zone). Invalid for an invalid Timestamp or zone.
    QDate dateIn(const QTimeZone& zone) const;

    // Invalid timestamps compare equal to each other and before every valid one.
    friend bool operator==(Timestamp a, Timestamp b) {
        return a.m_microseconds == b.m_microseconds;
    }
    friend bool operator!=(Timestamp a, Timestamp b) {
        return a.m_microseconds != b.m_microseconds;
    }
    friend bool operator<(Timestamp a, Timestamp b) { return a.m_microseconds < b.m_microseconds; }
    friend bool operator<=(Timestamp a, Timestamp b) {
        return a.m_microseconds <= b.m_microseconds;
    }
    friend bool operator>(Timestamp a, Timestamp b) { return a.m_microseconds > b.m_microseconds; }
    friend bool operator>=(Timestamp a, Timestamp b) {
        return a.m_microseconds >= b.m_microseconds;
    }

private:
    static constexpr qint64 kInvalid = std::numeric_limits<qint64>::min();
    explicit constexpr Timestamp(qint64 microseconds)
        : m_microseconds(microseconds) {}

    qint64 m_microseconds = kInvalid;
};

} // namespace llamadesk
