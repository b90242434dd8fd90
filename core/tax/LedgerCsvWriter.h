#pragma once

#include "Result.h"
#include "domain/TaxTransaction.h"

#include <QCoreApplication>
#include <QIODevice>
#include <QStringList>

namespace llamadesk::tax {

// Writes ledger rows as the canonical import CSV (docs/import.md): a header of tax_transactions
// column names plus `wallet`, ISO 8601 UTC timestamps, exact decimal text, RFC 4180 quoting and
// CRLF line ends. Rows are written one at a time, so a generated million-row ledger never sits
// in memory. What it writes, the ledger reader reads back to equal rows (ids aside).
class LedgerCsvWriter {
    Q_DECLARE_TR_FUNCTIONS(LedgerCsvWriter)

public:
    explicit LedgerCsvWriter(QIODevice* device);
    static QStringList header();
    Status writeHeader();
    Status write(const TaxTransaction& transaction);

private:
    Status put(const QByteArray& line);
    QIODevice* m_device;
    QByteArray m_line;
};

} // namespace llamadesk::tax
