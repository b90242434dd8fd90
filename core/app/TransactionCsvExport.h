#pragma once

#include "Result.h"
#include "store/TransactionRepository.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <functional>

namespace llamadesk::app {

// Writes a filtered transactions listing to a CSV file, streamed row by row (a whole vault never
// sits in memory). Every column of tax_transactions, amounts as exact decimal text. The file
// appears only when the export completes: a cancelled or failed export leaves nothing behind.
class TransactionCsvExport {
    Q_DECLARE_TR_FUNCTIONS(TransactionCsvExport)

public:
    // Called every few thousand rows with the rows written; returning false cancels.
    using Progress = std::function<bool(qint64 written)>;

    static QStringList header();
    static QString csvLine(const TaxTransaction& t);

    // The number of rows written; a failure says why (cancellation included).
    static Result<qint64> write(const QSqlDatabase& db, const store::TransactionFilter& filter,
                                bool descending, const QString& path,
                                const Progress& progress = {});
};

} // namespace llamadesk::app
