#pragma once

#include "Result.h"
#include "money/Decimal.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace llamadesk::tax {

// One line of a Specific-ID file: take `amount` of the lot acquired by `lot` for the disposal
// `disposal`. Each names a transaction by its id or by its transaction hash.
struct LotSelectionLine {
    qint64 line = 0;
    QString disposal;
    QString lot;
    Decimal amount;
};

// The Specific-ID input of `tax --lot-selections` (docs/tax-engine.md): a CSV file with the
// header `disposal,lot,amount` (any order, extra columns refused), one selection per line;
// empty lines and lines starting with '#' are ignored. Errors name the line and the column.
class LotSelectionFile {
    Q_DECLARE_TR_FUNCTIONS(LotSelectionFile)

public:
    static Result<QList<LotSelectionLine>> read(const QString& path);
    static Result<QList<LotSelectionLine>> parse(const QByteArray& content, const QString& name);
};

} // namespace llamadesk::tax
