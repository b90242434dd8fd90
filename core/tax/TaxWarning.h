#pragma once

#include "money/Decimal.h"

#include <QDate>
#include <QString>
#include <QStringView>

#include <optional>

namespace llamadesk::tax {

// Something the report could only do with an assumption. The code is stable (exports and the
// app key on it); the message is for people.
enum class WarningCode {
    MissingCostBasis,       // basis 0 for units with no known cost (unmatched transfer_in, ...)
    MissingValue,           // a value needed for proceeds, basis or income is absent: 0 used
    MissingFeeValue,        // a crypto fee without a value: disposed of at 0
    UnmatchedTransferOut,   // units left the tracked wallets with no matching transfer_in
    TransferAmountMismatch, // the two sides of one move differ in amount
    LotSelectionMismatch,   // Specific-ID selections that could not be honoured as given
    SafeHarborMismatch,     // wallet holdings and remaining lots disagreed at the allocation
    UnsupportedTransaction, // a row the rules cannot use (for example fiat to fiat)
};
QString toString(WarningCode code); // "missing_cost_basis", ...
std::optional<WarningCode> warningCodeFromString(QStringView text);

struct TaxWarning {
    WarningCode code = WarningCode::MissingCostBasis;
    QString transactionId;
    QString asset;
    QString wallet;
    QDate date;
    Decimal amount; // the units concerned, when there are
    QString message;

    friend bool operator==(const TaxWarning& a, const TaxWarning& b) {
        return a.code == b.code && a.transactionId == b.transactionId && a.asset == b.asset &&
               a.wallet == b.wallet && a.date == b.date && a.amount == b.amount &&
               a.message == b.message;
    }
};

} // namespace llamadesk::tax
