#pragma once

#include "Result.h"
#include "domain/Timestamp.h"
#include "tax/LotState.h"
#include "tax/TaxOptions.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <functional>

namespace llamadesk::tax {

// The open lots a disposal could take under specific identification: the engine's lot state just
// before the disposal's instant, for its asset (and its wallet when lots are per wallet). Runs the
// engine over the vault's ledger up to that instant (plus the transfer window, so moves around it
// pair as in a full run), with the same options as the report, the other saved Specific-ID
// choices included. For a worker thread: it reads every earlier row.
class AvailableLots {
    Q_DECLARE_TR_FUNCTIONS(AvailableLots)

public:
    // `progress` (optional) is called every few thousand rows; returning false stops the scan.
    static Result<QList<LotRecord>> before(QSqlDatabase db, TaxOptions options,
                                           const QString& asset, const QString& wallet,
                                           const Timestamp& at,
                                           const std::function<bool(qint64 rows)>& progress = {});
};

} // namespace llamadesk::tax
