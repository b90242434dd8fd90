#pragma once

#include "money/Decimal.h"

#include <QChar>
#include <QString>

namespace llamadesk::app {

// Exact display text for amounts: the decimal's own digits (never through floating point), with
// the locale's separators put in.
class DecimalText {
public:
    // "1234567.5" -> "1,234,567.50" with minFractionDigits 2, group ',' and point '.'.
    static QString format(const Decimal& value, int minFractionDigits, QChar groupSeparator,
                          QChar decimalPoint);
    // The same with the default QLocale's separators.
    static QString format(const Decimal& value, int minFractionDigits = 0);
};

} // namespace llamadesk::app
