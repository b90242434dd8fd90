#include "tax/LedgerIds.h"

#include <QHash>
#include <QUuid>

namespace llamadesk::tax {

namespace {

const QUuid kLedgerNamespace = QUuid::fromString(u"0b7f3c2a-5d61-4e0f-8a77-1c924b05e36d");

QString identity(const TaxTransaction& t) {
    const auto amount = [](const std::optional<Decimal>& d) {
        return d ? d->toString() : QString();
    };
    const QChar bar = QLatin1Char('|');
    return t.transactionHash + bar + toString(t.transactionType) + bar + t.timestamp.toString() +
           bar + t.wallet + bar + t.assetInSymbol.value_or(QString()) + bar +
           amount(t.assetInAmount) + bar + t.assetOutSymbol.value_or(QString()) + bar +
           amount(t.assetOutAmount) + bar + t.feeSymbol.value_or(QString()) + bar +
           amount(t.feeAmount);
}

} // namespace

QUuid LedgerIds::stableUuid(const TaxTransaction& transaction, int occurrence) {
    return QUuid::createUuidV5(kLedgerNamespace, identity(transaction) + QLatin1Char('#') +
                                                     QString::number(occurrence));
}

QString LedgerIds::stableId(const TaxTransaction& transaction, int occurrence) {
    return stableUuid(transaction, occurrence).toString(QUuid::WithoutBraces);
}

void LedgerIds::assign(QList<TaxTransaction>* rows) {
    QHash<QString, int> seen;
    for (TaxTransaction& t : *rows) {
        int& occurrence = seen[identity(t)];
        t.id = stableId(t, occurrence++);
    }
}

} // namespace llamadesk::tax
