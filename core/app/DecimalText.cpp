#include "app/DecimalText.h"

#include <QLocale>

namespace llamadesk::app {

QString DecimalText::format(const Decimal& value, int minFractionDigits, QChar groupSeparator,
                            QChar decimalPoint) {
    if (!value.isValid())
        return value.toString();
    const QString canonical = value.toString(minFractionDigits);
    const bool negative = canonical.startsWith(QLatin1Char('-'));
    const QString digits = negative ? canonical.mid(1) : canonical;
    const qsizetype point = digits.indexOf(QLatin1Char('.'));
    const QString integer = point < 0 ? digits : digits.left(point);
    QString result;
    result.reserve(canonical.size() + integer.size() / 3 + 1);
    if (negative)
        result += QLatin1Char('-');
    for (qsizetype i = 0; i < integer.size(); ++i) {
        if (i > 0 && !groupSeparator.isNull() && (integer.size() - i) % 3 == 0)
            result += groupSeparator;
        result += integer.at(i);
    }
    if (point >= 0) {
        result += decimalPoint;
        result += digits.mid(point + 1);
    }
    return result;
}

QString DecimalText::format(const Decimal& value, int minFractionDigits) {
    const QLocale locale;
    const QString group = locale.groupSeparator();
    const QString point = locale.decimalPoint();
    return format(value, minFractionDigits, group.isEmpty() ? QChar() : group.at(0),
                  point.isEmpty() ? QLatin1Char('.') : point.at(0));
}

} // namespace llamadesk::app
