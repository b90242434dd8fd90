#pragma once

#include "domain/TaxTransaction.h"
#include "domain/Timestamp.h"
#include "money/Decimal.h"

#include <QDate>
#include <QString>

namespace llamadesk::tax {

// Ordinary income (staking, mining, airdrops, income) or an expense paid with crypto.
struct IncomeLine {
    QString transactionId;
    QString transactionHash;
    TransactionType type = TransactionType::Income;
    QString asset;
    QString wallet;
    Timestamp at;
    QDate date;
    Decimal amount;
    Decimal value; // fair market value when received (income) or of what was bought (expense)
    friend bool operator==(const IncomeLine& a, const IncomeLine& b) {
        return a.transactionId == b.transactionId && a.transactionHash == b.transactionHash &&
               a.type == b.type && a.asset == b.asset && a.wallet == b.wallet && a.at == b.at &&
               a.date == b.date && a.amount == b.amount && a.value == b.value;
    }
};
using ExpenseLine = IncomeLine;

} // namespace llamadesk::tax
