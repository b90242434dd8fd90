#pragma once

#include "money/Decimal.h"

#include <QCoreApplication>
#include <QLocale>
#include <QString>

namespace llamadesk::app {

// How money is shown: the display currency, its rate against the US dollar (the vault's values
// are in USD), and the locale whose separators are used. One process-wide setting that the
// settings screen changes and every view reads, so all screens agree.
struct DisplayCurrency {
    QString code = QStringLiteral("USD"); // ISO 4217
    // US dollars per one unit of `code` (1 for USD). The conversion divides by it.
    Decimal usdPerUnit = Decimal::fromInt(1);
};

class MoneyFormat {
    Q_DECLARE_TR_FUNCTIONS(MoneyFormat)

public:
    static void setCurrency(const DisplayCurrency& currency);
    static DisplayCurrency currency();
    static void setLocale(const QLocale& locale);
    static QLocale locale();

    // A USD value converted to the display currency and rounded half-even to cents, with the
    // currency's symbol: "$1,234.50", "-€12.00", "1 234,50 CHF". Invalid values show "—".
    static QString money(const Decimal& usd);
    // The same with an explicit sign for changes: "+$12.00", "-$3.10", "$0.00".
    static QString signedMoney(const Decimal& usd);
    // A USD value converted to the display currency, rounded to cents (for charts and sums).
    static Decimal convert(const Decimal& usd);
    // An asset amount: all of its significant digits with the locale's separators.
    static QString amount(const Decimal& value);
    // A ratio as a percentage with two decimals: 0.1234 -> "12.34%" ("+12.34%" when signed).
    static QString percent(const Decimal& ratio, bool withSign = false);
    // The symbol used for `code` ("$", "€", "£", or the code itself).
    static QString symbol(const QString& code);
};

} // namespace llamadesk::app
