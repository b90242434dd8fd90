#include "app/MoneyFormat.h"

#include "app/DecimalText.h"

#include <QMutex>
#include <QMutexLocker>

namespace llamadesk::app {

namespace {

struct Settings {
    QMutex mutex;
    DisplayCurrency currency;
    QLocale locale;
};

Settings& settings() {
    static Settings instance;
    return instance;
}

QString withSeparators(const Decimal& value, int minFractionDigits, const QLocale& locale) {
    const QString group = locale.groupSeparator();
    const QString point = locale.decimalPoint();
    return DecimalText::format(value, minFractionDigits, group.isEmpty() ? QChar() : group.at(0),
                               point.isEmpty() ? QLatin1Char('.') : point.at(0));
}

} // namespace

void MoneyFormat::setCurrency(const DisplayCurrency& currency) {
    QMutexLocker lock(&settings().mutex);
    settings().currency = currency;
    if (!settings().currency.usdPerUnit.isValid() ||
        settings().currency.usdPerUnit <= Decimal::fromInt(0))
        settings().currency = DisplayCurrency();
}

DisplayCurrency MoneyFormat::currency() {
    QMutexLocker lock(&settings().mutex);
    return settings().currency;
}

void MoneyFormat::setLocale(const QLocale& locale) {
    QMutexLocker lock(&settings().mutex);
    settings().locale = locale;
}

QLocale MoneyFormat::locale() {
    QMutexLocker lock(&settings().mutex);
    return settings().locale;
}

QString MoneyFormat::symbol(const QString& code) {
    if (code == QLatin1String("USD"))
        return QStringLiteral("$");
    if (code == QLatin1String("EUR"))
        return QStringLiteral("€");
    if (code == QLatin1String("GBP"))
        return QStringLiteral("£");
    if (code == QLatin1String("JPY"))
        return QStringLiteral("¥");
    return code;
}

Decimal MoneyFormat::convert(const Decimal& usd) {
    const DisplayCurrency display = currency();
    if (!usd.isValid())
        return usd;
    if (display.usdPerUnit == Decimal::fromInt(1))
        return usd.round(2, RoundingMode::HalfEven);
    return usd.divided(display.usdPerUnit, 2, RoundingMode::HalfEven);
}

QString MoneyFormat::money(const Decimal& usd) {
    const Decimal value = convert(usd);
    if (!value.isValid())
        return QStringLiteral("—");
    const DisplayCurrency display = currency();
    const QLocale loc = locale();
    const bool negative = value < Decimal::fromInt(0);
    const QString digits = withSeparators(negative ? -value : value, 2, loc);
    const QString sym = symbol(display.code);
    // Symbols of one character go before the digits; codes go after, as most locales write them.
    const QString body =
        sym.size() == 1 ? QString(sym + digits) : QString(digits + QLatin1Char(' ') + sym);
    return negative ? QString(QLatin1Char('-') + body) : body;
}

QString MoneyFormat::signedMoney(const Decimal& usd) {
    const Decimal value = convert(usd);
    if (value.isValid() && value > Decimal::fromInt(0))
        return QLatin1Char('+') + money(usd);
    return money(usd);
}

QString MoneyFormat::amount(const Decimal& value) {
    if (!value.isValid())
        return QStringLiteral("—");
    return withSeparators(value, 0, locale());
}

QString MoneyFormat::percent(const Decimal& ratio, bool withSign) {
    if (!ratio.isValid())
        return QStringLiteral("—");
    const Decimal pct = (ratio * Decimal::fromInt(100)).round(2, RoundingMode::HalfEven);
    if (!pct.isValid())
        return QStringLiteral("—");
    QString text = withSeparators(pct, 2, locale()) + QLatin1Char('%');
    if (withSign && pct > Decimal::fromInt(0))
        text.prepend(QLatin1Char('+'));
    return text;
}

} // namespace llamadesk::app
