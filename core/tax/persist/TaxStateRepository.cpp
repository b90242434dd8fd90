#include "tax/persist/TaxStateRepository.h"

#include "tax/persist/LotStateCodec.h"

#include <QCryptographicHash>
#include <QSqlQuery>

#include <algorithm>

namespace llamadesk::tax {

TaxStateRepository::TaxStateRepository(QSqlDatabase db)
    : SqlRepository(std::move(db), "TaxStateRepository") {}

QString TaxStateRepository::settingsKey(const TaxOptions& o) {
    // Everything that changes how a row moves lots. The period is left out on purpose: it only
    // selects which rows are reported.
    QStringList parts;
    parts << toString(o.jurisdiction) << toString(o.method);
    for (auto it = o.methodByYear.cbegin(); it != o.methodByYear.cend(); ++it)
        parts << QString::number(it.key()) + QLatin1Char('=') + toString(it.value());
    parts << toString(o.scope) << o.walletScopeFrom.toString(Qt::ISODate)
          << QString::fromUtf8(o.timeZone.id()) << o.currency.toUpper();
    QStringList fiat;
    for (const QString& f : o.fiatCurrencies)
        fiat << f.toUpper();
    fiat.sort();
    parts << fiat.join(QLatin1Char(',')) << QString::number(o.transferWindowSeconds);
    QStringList disposals = o.lotSelections.keys();
    disposals.sort();
    for (const QString& d : disposals) {
        QStringList lots;
        for (const LotSelection& s : o.lotSelections.value(d))
            lots << s.lotId + QLatin1Char(':') + s.amount.toString();
        parts << d + QLatin1Char('>') + lots.join(QLatin1Char(','));
    }
    for (const SafeHarborEntry& e : o.safeHarborAllocation)
        parts << e.asset + QLatin1Char('/') + e.wallet + QLatin1Char('/') + e.lotId +
                     QLatin1Char('/') + e.amount.toString() + QLatin1Char('/') +
                     e.costBasis.toString();
    return QString::fromLatin1(
        QCryptographicHash::hash(parts.join(QLatin1Char('\n')).toUtf8(), QCryptographicHash::Sha256)
            .toHex());
}

Result<LedgerChanges> TaxStateRepository::ledgerChanges() {
    using R = Result<LedgerChanges>;
    const QString what = QStringLiteral("ledgerChanges");
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("SELECT changed_from, changes FROM tax_ledger_changes WHERE id = 1"), what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    if (Status s = execute(q, what); !s)
        return R::failure(s.error());
    if (!q.next())
        return R::failure(failure(what, tr("the row of tax_ledger_changes is missing")));
    Row row(q);
    LedgerChanges c;
    if (const std::optional<Timestamp> from = row.optTimestamp(0))
        c.changedFrom = *from;
    c.changes = row.integer(1);
    q.finish();
    if (!row.ok())
        return R::failure(failure(what, row.error()));
    return c;
}

Result<bool> TaxStateRepository::acknowledgeChanges(const LedgerChanges& seen) {
    using R = Result<bool>;
    const QString what = QStringLiteral("acknowledgeChanges");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("UPDATE tax_ledger_changes SET changed_from = NULL, changes = 0 "
                                 "WHERE id = 1 AND changes = ?"),
                  what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, seen.changes);
    if (Status s = execute(q, what); !s)
        return R::failure(s.error());
    return q.numRowsAffected() == 1;
}

Result<QList<Timestamp>> TaxStateRepository::checkpointInstants(const QString& userId,
                                                                const QString& key) {
    using R = Result<QList<Timestamp>>;
    const QString what = QStringLiteral("checkpointInstants");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("SELECT at FROM tax_checkpoints WHERE user_id = ? AND "
                                 "settings_key = ? ORDER BY at"),
                  what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, userId);
    q.bindValue(1, key);
    if (Status s = execute(q, what); !s)
        return R::failure(s.error());
    QList<Timestamp> instants;
    while (q.next()) {
        Row row(q);
        const Timestamp at = row.timestamp(0);
        if (!row.ok())
            return R::failure(failure(what, row.error()));
        instants.append(at);
    }
    return instants;
}

Result<LotState> TaxStateRepository::loadCheckpoint(const QString& userId, const QString& key,
                                                    const Timestamp& at) {
    using R = Result<LotState>;
    const QString what = QStringLiteral("loadCheckpoint");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("SELECT state FROM tax_checkpoints WHERE user_id = ? AND "
                                 "settings_key = ? AND at = ?"),
                  what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, userId);
    q.bindValue(1, key);
    q.bindValue(2, at.toString());
    if (Status s = execute(q, what); !s)
        return R::failure(s.error());
    if (!q.next())
        return R::failure(failure(what, tr("no checkpoint at %1").arg(at.toString())));
    const QByteArray bytes = q.value(0).toByteArray();
    q.finish();
    Result<LotState> state = LotStateCodec::decode(bytes);
    if (!state)
        return R::failure(failure(what, state.error()));
    if (state->at != at)
        return R::failure(failure(what, tr("the checkpoint saved at %1 holds the state of %2")
                                            .arg(at.toString(), state->at.toString())));
    return state;
}

Result<int> TaxStateRepository::invalidate(const QString& userId, const Timestamp& changedFrom) {
    using R = Result<int>;
    const QString what = QStringLiteral("invalidate");
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("SELECT settings_key, at, transfer_window_seconds FROM tax_checkpoints "
                       "WHERE user_id = ?"),
        what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, userId);
    if (Status s = execute(q, what); !s)
        return R::failure(s.error());
    QList<std::pair<QString, QString>> doomed;
    while (q.next()) {
        Row row(q);
        const QString key = row.text(0);
        const Timestamp at = row.timestamp(1);
        const qint64 window = row.integer(2);
        if (!row.ok())
            return R::failure(failure(what, row.error()));
        // The rule of LotState::canResumeFor: the state must predate the change by the window.
        if (at.microsecondsSinceEpoch() + window * 1000000 > changedFrom.microsecondsSinceEpoch())
            doomed.append({key, at.toString()});
    }
    Result<QSqlQuery*> dq =
        statement(QStringLiteral("DELETE FROM tax_checkpoints WHERE user_id = ? AND "
                                 "settings_key = ? AND at = ?"),
                  what);
    if (!dq)
        return R::failure(dq.error());
    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, changedFrom.toString())); !s)
        return R::failure(s.error());
    for (const auto& [key, at] : doomed) {
        (*dq)->bindValue(0, userId);
        (*dq)->bindValue(1, key);
        (*dq)->bindValue(2, at);
        if (Status s = execute(**dq, what); !s)
            return R::failure(s.error());
    }
    if (Status s = tx.commit(); !s)
        return R::failure(s.error());
    return int(doomed.size());
}

Status TaxStateRepository::replaceCheckpoints(const QString& userId, const QString& key,
                                              const Timestamp& from, const QList<LotState>& states,
                                              qint64 transferWindowSeconds) {
    const QString what = QStringLiteral("replaceCheckpoints");
    for (const LotState& s : states) {
        if (!s.isValid() || s.at < from)
            return Status::failure(
                failure(what, tr("a checkpoint at %1 lies before %2 or has no instant")
                                  .arg(s.at.toString(), from.toString())));
    }
    Result<QSqlQuery*> del =
        statement(QStringLiteral("DELETE FROM tax_checkpoints WHERE user_id = ? AND "
                                 "settings_key = ? AND at >= ?"),
                  what);
    if (!del)
        return Status::failure(del.error());
    Result<QSqlQuery*> ins = statement(
        QStringLiteral("INSERT INTO tax_checkpoints (user_id, settings_key, at, "
                       "transfer_window_seconds, state, created_at) VALUES (?, ?, ?, ?, ?, ?)"),
        what);
    if (!ins)
        return Status::failure(ins.error());
    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, from.toString())); !s)
        return s;
    (*del)->bindValue(0, userId);
    (*del)->bindValue(1, key);
    (*del)->bindValue(2, from.toString());
    if (Status s = execute(**del, what); !s)
        return s;
    const QString now = Timestamp::now().toString();
    for (const LotState& s : states) {
        QSqlQuery& q = **ins;
        q.bindValue(0, userId);
        q.bindValue(1, key);
        q.bindValue(2, s.at.toString());
        q.bindValue(3, transferWindowSeconds);
        q.bindValue(4, LotStateCodec::encode(s));
        q.bindValue(5, now);
        if (Status st = execute(q, what); !st)
            return st;
    }
    return tx.commit();
}

Result<int> TaxStateRepository::deleteAll(const QString& userId) {
    using R = Result<int>;
    const QString what = QStringLiteral("deleteAll");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("DELETE FROM tax_checkpoints WHERE user_id = ?"), what);
    if (!rq)
        return R::failure(rq.error());
    (*rq)->bindValue(0, userId);
    if (Status s = execute(**rq, what); !s)
        return R::failure(s.error());
    return (*rq)->numRowsAffected();
}

} // namespace llamadesk::tax
