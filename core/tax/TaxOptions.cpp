#include "tax/TaxOptions.h"

#include "domain/EnumText.h"

namespace llamadesk::tax {

namespace {

const EnumText::Entry<Jurisdiction> kJurisdictions[] = {
    {Jurisdiction::UnitedStates, "us"},
    {Jurisdiction::UnitedKingdom, "uk"},
};

const EnumText::Entry<LotScope> kScopes[] = {
    {LotScope::Universal, "universal"},
    {LotScope::Wallet, "wallet"},
    {LotScope::Auto, "auto"},
};

} // namespace

QString toString(Jurisdiction jurisdiction) {
    return EnumText::toString(kJurisdictions, jurisdiction);
}

std::optional<Jurisdiction> jurisdictionFromString(QStringView text) {
    return EnumText::fromString(kJurisdictions, text);
}

QString toString(LotScope scope) {
    return EnumText::toString(kScopes, scope);
}

std::optional<LotScope> lotScopeFromString(QStringView text) {
    return EnumText::fromString(kScopes, text);
}

QStringList TaxOptions::defaultFiatCurrencies() {
    return {
        QStringLiteral("USD"), QStringLiteral("EUR"), QStringLiteral("GBP"), QStringLiteral("JPY"),
        QStringLiteral("CHF"), QStringLiteral("CAD"), QStringLiteral("AUD"), QStringLiteral("NZD"),
        QStringLiteral("SEK"), QStringLiteral("NOK"), QStringLiteral("DKK"), QStringLiteral("PLN"),
        QStringLiteral("CZK"), QStringLiteral("HUF"), QStringLiteral("SGD"), QStringLiteral("HKD"),
        QStringLiteral("KRW"), QStringLiteral("INR"), QStringLiteral("BRL"), QStringLiteral("MXN"),
        QStringLiteral("ZAR"), QStringLiteral("TRY"), QStringLiteral("CNY")};
}

TaxOptions TaxOptions::forTaxYear(Jurisdiction jurisdiction, int year) {
    TaxOptions o;
    o.jurisdiction = jurisdiction;
    if (jurisdiction == Jurisdiction::UnitedKingdom) {
        o.timeZone = QTimeZone(QByteArrayLiteral("Europe/London"));
        o.currency = QStringLiteral("GBP");
        o.scope = LotScope::Universal; // one pool per token, whatever the wallet
    }
    o.periodStart = o.taxYearStart(year);
    o.periodEnd = o.taxYearStart(year + 1).addDays(-1);
    return o;
}

int TaxOptions::taxYearOf(const QDate& date) const {
    if (jurisdiction == Jurisdiction::UnitedKingdom)
        return date < QDate(date.year(), 4, 6) ? date.year() - 1 : date.year();
    return date.year();
}

QDate TaxOptions::taxYearStart(int year) const {
    if (jurisdiction == Jurisdiction::UnitedKingdom)
        return QDate(year, 4, 6);
    return QDate(year, 1, 1);
}

CostBasisMethod TaxOptions::methodForYear(int year) const {
    return methodByYear.value(year, method);
}

QStringList TaxOptions::validate() const {
    QStringList errors;
    if (!timeZone.isValid())
        errors << tr("The tax time zone is not a valid IANA zone.");
    if (currency.trimmed().isEmpty())
        errors << tr("The report currency is empty.");
    if (periodStart.isValid() && periodEnd.isValid() && periodEnd < periodStart)
        errors << tr("The period ends (%1) before it starts (%2).")
                      .arg(periodEnd.toString(Qt::ISODate), periodStart.toString(Qt::ISODate));
    if (transferWindowSeconds < 0)
        errors << tr("The transfer matching window must not be negative.");
    if (scope == LotScope::Auto && !walletScopeFrom.isValid())
        errors << tr("The automatic lot scope needs the date from which lots are per wallet.");
    for (auto it = lotSelections.cbegin(); it != lotSelections.cend(); ++it) {
        for (const LotSelection& s : it.value()) {
            if (!s.amount.isValid() || !s.amount.isPositive() || s.lotId.isEmpty()) {
                errors << tr("The lot selection for transaction %1 needs a lot id and a positive "
                             "amount.")
                              .arg(it.key());
                break;
            }
        }
    }
    return errors;
}

} // namespace llamadesk::tax
