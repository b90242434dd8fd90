#include "tax/HoldingPeriod.h"

namespace llamadesk::tax {

QDate HoldingPeriod::anniversary(const QDate& acquired) {
    if (!acquired.isValid())
        return QDate();
    // Spelled out rather than left to QDate::addYears so the leap-day rule is ours, on every Qt.
    if (acquired.month() == 2 && acquired.day() == 29)
        return QDate(acquired.year() + 1, 2, 28);
    return QDate(acquired.year() + 1, acquired.month(), acquired.day());
}

QDate HoldingPeriod::longTermFrom(const QDate& acquired) {
    const QDate a = anniversary(acquired);
    return a.isValid() ? a.addDays(1) : QDate();
}

bool HoldingPeriod::isLongTerm(const QDate& acquired, const QDate& disposed) {
    const QDate a = anniversary(acquired);
    return a.isValid() && disposed.isValid() && disposed > a;
}

qint64 HoldingPeriod::daysHeld(const QDate& acquired, const QDate& disposed) {
    if (!acquired.isValid() || !disposed.isValid())
        return 0;
    return acquired.daysTo(disposed);
}

} // namespace llamadesk::tax
