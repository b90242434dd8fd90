#pragma once

#include "Result.h"
#include "domain/Timestamp.h"
#include "store/SqlRepository.h"
#include "tax/LotState.h"
#include "tax/TaxOptions.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace llamadesk::tax {

// What the triggers of tax_ledger_changes recorded since the checkpoints were last brought up to
// date: the earliest transaction instant touched, and how many writes touched the ledger.
struct LedgerChanges {
    std::optional<Timestamp> changedFrom;
    qint64 changes = 0;
    friend bool operator==(const LedgerChanges& a, const LedgerChanges& b) {
        return a.changedFrom == b.changedFrom && a.changes == b.changes;
    }
};

// tax_checkpoints and tax_ledger_changes (sql/local/004_tax_state.sql): the exact engine states
// saved by earlier runs, and the watermark of ledger edits that tells which are still valid.
class TaxStateRepository : public store::SqlRepository {
public:
    explicit TaxStateRepository(QSqlDatabase db);

    // The options that shape a checkpoint (not the reported period), as a SHA-256 hex digest:
    // checkpoints are only reused by runs with the same settings.
    static QString settingsKey(const TaxOptions& options);

    Result<LedgerChanges> ledgerChanges();
    // Clears the watermark when it still says `seen` (no write came in since it was read);
    // returns whether it did. Inside the caller's transaction.
    Result<bool> acknowledgeChanges(const LedgerChanges& seen);

    // The instants of the checkpoints saved for these settings, ascending.
    Result<QList<Timestamp>> checkpointInstants(const QString& userId, const QString& settingsKey);
    Result<LotState> loadCheckpoint(const QString& userId, const QString& settingsKey,
                                    const Timestamp& at);
    // Deletes the checkpoints of every setting that a change at `changedFrom` invalidates (those
    // less than their transfer window before it); returns how many.
    Result<int> invalidate(const QString& userId, const Timestamp& changedFrom);
    // Replaces this setting's checkpoints from `from` on (inclusive) by `states`.
    Status replaceCheckpoints(const QString& userId, const QString& settingsKey,
                              const Timestamp& from, const QList<LotState>& states,
                              qint64 transferWindowSeconds);
    Result<int> deleteAll(const QString& userId);
};

} // namespace llamadesk::tax
