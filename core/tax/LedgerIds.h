#pragma once

#include "domain/TaxTransaction.h"

#include <QList>
#include <QString>
#include <QUuid>

namespace llamadesk::tax {

// Stable ids for the rows of a ledger read from a file (`tax --ledger`): a file read twice gives
// the same ids, hence the same report, and a Specific-ID selection can name a row by the id an
// earlier report printed. The id is a name-based UUID (version 5) of what identifies the row
// (hash, type, time, wallet, assets and amounts) and of how many identical rows came before it.
class LedgerIds {
public:
    static QString stableId(const TaxTransaction& transaction, int occurrence);
    static QUuid stableUuid(const TaxTransaction& transaction, int occurrence);
    // Replaces every row's id with its stable id (rows in file order).
    static void assign(QList<TaxTransaction>* rows);
};

} // namespace llamadesk::tax
