#pragma once

#include <QDate>
#include <QTimeZone>
#include <QtGlobal>

#include <limits>

namespace llamadesk::tax {

// Calendar dates of instants in the tax time zone. Tax rules speak in dates (the day acquired,
// the day sold, the tax year), and a ledger is read in time order, so the zone's UTC offset is
// cached until its next transition: one zone lookup per daylight-saving change, not per row.
class TaxCalendar {
public:
    explicit TaxCalendar(const QTimeZone& zone);

    const QTimeZone& zone() const { return m_zone; }

    // Julian day number of the date of the instant (microseconds since the epoch, UTC).
    qint32 dayOf(qint64 utcMicroseconds);
    QDate dateOf(qint64 utcMicroseconds) { return QDate::fromJulianDay(dayOf(utcMicroseconds)); }
    // The first instant of the date in the zone, in microseconds since the epoch.
    qint64 startOfDay(const QDate& date) const;

private:
    void refresh(qint64 msecs);

    QTimeZone m_zone;
    bool m_fixed = false;
    qint64 m_validFrom = std::numeric_limits<qint64>::max();  // milliseconds, inclusive
    qint64 m_validUntil = std::numeric_limits<qint64>::min(); // milliseconds, exclusive
    qint64 m_offsetSeconds = 0;
};

} // namespace llamadesk::tax
