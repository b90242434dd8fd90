#include "tax/TaxCalendar.h"

#include <QDateTime>

namespace llamadesk::tax {

namespace {

constexpr qint64 kEpochJulianDay = 2440588; // 1970-01-01

qint64 floorDiv(qint64 a, qint64 b) {
    qint64 q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

} // namespace

TaxCalendar::TaxCalendar(const QTimeZone& zone)
    : m_zone(zone.isValid() ? zone : QTimeZone::utc()) {
    // A zone without transitions (UTC, fixed offsets) keeps one offset for every instant.
    if (!m_zone.hasTransitions()) {
        m_fixed = true;
        m_offsetSeconds = m_zone.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(0, QTimeZone::utc()));
        m_validFrom = std::numeric_limits<qint64>::min();
        m_validUntil = std::numeric_limits<qint64>::max();
    }
}

void TaxCalendar::refresh(qint64 msecs) {
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(msecs, QTimeZone::utc());
    m_offsetSeconds = m_zone.offsetFromUtc(at);
    const QTimeZone::OffsetData next = m_zone.nextTransition(at);
    const QTimeZone::OffsetData previous = m_zone.previousTransition(at.addMSecs(1));
    m_validUntil =
        next.atUtc.isValid() ? next.atUtc.toMSecsSinceEpoch() : std::numeric_limits<qint64>::max();
    m_validFrom = previous.atUtc.isValid() ? previous.atUtc.toMSecsSinceEpoch()
                                           : std::numeric_limits<qint64>::min();
    if (m_validFrom > msecs || m_validUntil <= msecs) {
        // Inconsistent transition data: cache this instant only.
        m_validFrom = msecs;
        m_validUntil = msecs + 1;
    }
}

qint32 TaxCalendar::dayOf(qint64 utcMicroseconds) {
    const qint64 msecs = floorDiv(utcMicroseconds, 1000);
    if (msecs < m_validFrom || msecs >= m_validUntil)
        refresh(msecs);
    const qint64 localSeconds = floorDiv(utcMicroseconds, 1000000) + m_offsetSeconds;
    return qint32(floorDiv(localSeconds, 86400) + kEpochJulianDay);
}

qint64 TaxCalendar::startOfDay(const QDate& date) const {
    return date.startOfDay(m_zone).toMSecsSinceEpoch() * 1000;
}

} // namespace llamadesk::tax
