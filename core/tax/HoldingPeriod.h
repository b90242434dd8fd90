#pragma once

#include <QDate>
#include <QtGlobal>

namespace llamadesk::tax {

// The US holding period (IRS Publication 544, "Holding Period"): counting starts the day after
// the acquisition and includes the day of the disposal; more than one year is long term. So
// property acquired on 2024-03-15 and sold on 2025-03-15 is short term, sold on 2025-03-16 long
// term. Leap day: the anniversary of 29 February is 28 February of the next year, so property
// acquired on 2024-02-29 is short term through 2025-02-28 and long term from 2025-03-01.
class HoldingPeriod {
public:
    // The date one year after the acquisition; a disposal after it is long term.
    static QDate anniversary(const QDate& acquired);
    // The first date on which a disposal is long term (the day after the anniversary).
    static QDate longTermFrom(const QDate& acquired);
    static bool isLongTerm(const QDate& acquired, const QDate& disposed);
    // Calendar days from acquisition to disposal (0 for the same day).
    static qint64 daysHeld(const QDate& acquired, const QDate& disposed);
};

} // namespace llamadesk::tax
