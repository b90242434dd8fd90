#include "tax/persist/VaultTaxRun.h"

#include "Logging.h"
#include "domain/Uuid.h"
#include "store/LocalUser.h"
#include "store/LotRepository.h"
#include "store/ReportRepository.h"
#include "store/SqlRepository.h"
#include "store/TransactionRepository.h"
#include "tax/TaxEngine.h"

#include <QHash>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <algorithm>

namespace llamadesk::tax {

namespace {

// Namespace of the stable ids of cost_basis_lots rows: the same open lot keeps its id from one
// run to the next, so sync sees an unchanged lot as unchanged.
const QUuid kLotNamespace = QUuid::fromString(u"6c1d2a4e-1f0b-4c8e-9a51-3e2760d48b0c");

Timestamp startOf(const QDate& date, const QTimeZone& zone) {
    return Timestamp::fromDateTime(date.startOfDay(zone));
}

QString sqlFailure(const char* where, const QSqlQuery& q) {
    return VaultTaxRun::tr("VaultTaxRun.%1: %2")
        .arg(QString::fromLatin1(where), q.lastError().text());
}

} // namespace

VaultTaxRun::VaultTaxRun(QSqlDatabase db, TaxOptions options, VaultRunOptions run)
    : m_db(std::move(db))
    , m_options(std::move(options))
    , m_run(run) {}

QString VaultTaxRun::allWallets() {
    return QStringLiteral("*");
}

QList<Timestamp> VaultTaxRun::checkpointInstants(const Timestamp& after, const Timestamp& first,
                                                 const Timestamp& last) const {
    // Starts of months and of tax years, in the tax zone, strictly after the state resumed from
    // and not after the last row (a checkpoint past the end would only be invalidated by the next
    // row appended).
    QList<Timestamp> instants;
    const QTimeZone& zone = m_options.timeZone;
    const int step = std::max(1, m_run.checkpointMonths);
    const QDate firstDate = first.dateIn(zone);
    const QDate lastDate = last.dateIn(zone);
    QDate month(firstDate.year(), firstDate.month(), 1);
    const auto add = [&](const QDate& date) {
        const Timestamp at = startOf(date, zone);
        if (at > after && at <= last && !instants.contains(at))
            instants.append(at);
    };
    for (; month <= lastDate; month = month.addMonths(step))
        add(month);
    for (int year = m_options.taxYearOf(firstDate); year <= m_options.taxYearOf(lastDate); ++year)
        add(m_options.taxYearStart(year));
    std::sort(instants.begin(), instants.end());
    return instants;
}

Result<std::optional<LotState>> VaultTaxRun::chooseCheckpoint(TaxStateRepository& repo,
                                                              const QString& key) {
    using R = Result<std::optional<LotState>>;
    if (!m_run.incremental)
        return std::optional<LotState>();
    // A report needs every row of its period: without a start there is nothing to skip.
    if (!m_options.periodStart.isValid())
        return std::optional<LotState>();
    const Timestamp periodStart = startOf(m_options.periodStart, m_options.timeZone);
    Result<QList<Timestamp>> instants = repo.checkpointInstants(m_userId, key);
    if (!instants)
        return R::failure(instants.error());
    for (auto it = instants->crbegin(); it != instants->crend(); ++it) {
        if (*it > periodStart)
            continue;
        Result<LotState> state = repo.loadCheckpoint(m_userId, key, *it);
        if (!state) {
            // A damaged or older-format checkpoint costs time, not correctness.
            qCWarning(lcTax) << "skipping a saved tax checkpoint:" << state.error();
            continue;
        }
        if (m_changes.changedFrom &&
            !state->canResumeFor(*m_changes.changedFrom, m_options.transferWindowSeconds))
            continue;
        // UK: rows from reportFrom on come out of the resumed run; earlier days are final.
        if (state->reportFrom.isValid() && state->reportFrom > m_options.periodStart)
            continue;
        if (state->jurisdiction != m_options.jurisdiction)
            continue;
        return std::optional<LotState>(std::move(state.value()));
    }
    return std::optional<LotState>();
}

Result<TaxResult> VaultTaxRun::compute() {
    using R = Result<TaxResult>;
    if (m_computed)
        return R::failure(tr("VaultTaxRun: compute() was already called."));
    m_computed = true;
    Result<QString> user = store::LocalUser::ensure(m_db);
    if (!user)
        return R::failure(user.error());
    m_userId = user.value();

    TaxStateRepository repo(m_db);
    Result<LedgerChanges> changes = repo.ledgerChanges();
    if (!changes)
        return R::failure(changes.error());
    m_changes = changes.value();
    m_settingsKey = TaxStateRepository::settingsKey(m_options);

    // The ledger's first and last live instants (index order, so each stops at one row).
    for (const bool last : {false, true}) {
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT timestamp FROM tax_transactions WHERE user_id = ? AND "
                                 "deleted_at IS NULL ORDER BY timestamp %1 LIMIT 1")
                      .arg(last ? QStringLiteral("DESC") : QStringLiteral("ASC")));
        q.addBindValue(m_userId);
        if (!q.exec())
            return R::failure(sqlFailure("compute", q));
        if (q.next()) {
            const Result<Timestamp> at = Timestamp::parse(q.value(0).toString());
            if (!at)
                return R::failure(tr("VaultTaxRun.compute: %1").arg(at.error()));
            (last ? m_lastRow : m_firstRow) = at.value();
        }
    }

    Result<std::optional<LotState>> checkpoint = chooseCheckpoint(repo, m_settingsKey);
    if (!checkpoint)
        return R::failure(checkpoint.error());

    TaxOptions options = m_options;
    options.captureFinalState = true;
    const Timestamp after = *checkpoint ? (*checkpoint)->at : Timestamp();
    if (m_firstRow && m_lastRow)
        options.checkpointsAt = checkpointInstants(
            after.isValid() ? after
                            : Timestamp::fromMicrosecondsSinceEpoch(Timestamp::kMinMicroseconds),
            *m_firstRow, *m_lastRow);

    TaxEngine engine(options);
    store::TransactionFilter filter;
    filter.userId = m_userId;
    if (*checkpoint) {
        if (Status s = engine.resume(**checkpoint); !s)
            return R::failure(s.error());
        filter.from = (*checkpoint)->at;
        m_stats.resumedFrom = (*checkpoint)->at;
    }
    store::ParallelTransactionReader::Options readerOptions = m_run.reading;
    if (!m_run.openReader)
        readerOptions.readers = 1;
    readerOptions.columns = store::TransactionColumns::TaxInputs;
    store::ParallelTransactionReader reader(m_db, m_run.openReader, readerOptions);
    Status added;
    qint64 fed = 0;
    bool stopped = false;
    constexpr qint64 kProgressEvery = 4096;
    const Status read = reader.forEach(filter, [&](const TaxTransaction& t) {
        ++fed;
        if (m_run.progress && fed % kProgressEvery == 0 && !m_run.progress(fed, t.timestamp)) {
            stopped = true;
            return false;
        }
        added = engine.add(t);
        return added.ok();
    });
    if (stopped)
        return R::failure(tr("VaultTaxRun.compute: stopped by the caller."));
    m_stats.rowsFed = fed;
    m_stats.readerThreads = reader.readersUsed();
    if (!read)
        return R::failure(read.error());
    if (!added)
        return R::failure(added.error());
    return engine.finish();
}

Result<QList<CostBasisLot>> VaultTaxRun::lotsOf(const LotState& state) {
    using R = Result<QList<CostBasisLot>>;
    // chain_id of each lot's acquiring transaction (a pool: of its token's latest acquisition).
    QHash<QString, qint64> chainOf;
    QStringList ids;
    QSet<QString> poolAssets;
    for (const LotRecord& l : state.lots) {
        if (isCanonicalUuid(l.lotId))
            ids.append(l.lotId);
        else
            poolAssets.insert(l.asset);
    }
    ids.removeDuplicates();
    constexpr int kBatch = 500;
    for (qsizetype begin = 0; begin < ids.size(); begin += kBatch) {
        const qsizetype n = std::min<qsizetype>(kBatch, ids.size() - begin);
        QStringList marks(n, QStringLiteral("?"));
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT id, chain_id FROM tax_transactions WHERE id IN (%1)")
                      .arg(marks.join(QLatin1Char(','))));
        for (qsizetype i = 0; i < n; ++i)
            q.addBindValue(ids[begin + i]);
        if (!q.exec())
            return R::failure(sqlFailure("lotsOf", q));
        while (q.next())
            chainOf.insert(q.value(0).toString(), q.value(1).toLongLong());
    }
    for (const QString& asset : poolAssets) {
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT chain_id FROM tax_transactions WHERE asset_in_symbol = ? "
                                 "AND deleted_at IS NULL ORDER BY timestamp DESC LIMIT 1"));
        q.addBindValue(asset);
        if (!q.exec())
            return R::failure(sqlFailure("lotsOf", q));
        if (q.next())
            chainOf.insert(QLatin1Char('#') + asset, q.value(0).toLongLong());
    }

    QList<CostBasisLot> lots;
    lots.reserve(state.lots.size());
    for (const LotRecord& l : state.lots) {
        if (!l.amount.isPositive())
            continue;
        CostBasisLot c;
        const QString wallet = l.wallet.isEmpty() ? allWallets() : l.wallet;
        c.id = QUuid::createUuidV5(kLotNamespace, m_userId + QLatin1Char('|') + l.asset +
                                                      QLatin1Char('|') + wallet + QLatin1Char('|') +
                                                      l.lotId + QLatin1Char('|') +
                                                      QString::number(l.part))
                   .toString(QUuid::WithoutBraces);
        c.userId = m_userId;
        c.wallet = wallet;
        c.assetSymbol = l.asset;
        const bool isLot = isCanonicalUuid(l.lotId);
        c.chainId = std::max<qint64>(1, isLot ? chainOf.value(l.lotId, 1)
                                              : chainOf.value(QLatin1Char('#') + l.asset, 1));
        c.acquiredTransactionId = isLot && chainOf.contains(l.lotId) ? l.lotId : QString();
        c.acquiredDate = l.acquiredAt.isValid() ? l.acquiredAt : state.at;
        // The open part of the lot as it stands: the exact figures are in tax_checkpoints.
        c.acquiredAmount = l.amount;
        c.remainingAmount = l.amount;
        c.costBasisUsd = TaxResult::cents(l.costBasis);
        c.acquiredPriceUsd = l.costBasis.divided(l.amount, 8, RoundingMode::HalfEven);
        if (!c.costBasisUsd.isValid() || c.costBasisUsd.isNegative())
            c.costBasisUsd = Decimal();
        // A dust lot's unit price can exceed the column (12 integer digits): the exact figures
        // are in the checkpoint, the display column then says 0.
        if (!c.acquiredPriceUsd.isValid() || c.acquiredPriceUsd.isNegative() ||
            !c.acquiredPriceUsd.fitsPrecision(20, 8))
            c.acquiredPriceUsd = Decimal();
        if (!c.costBasisUsd.fitsPrecision(20, 2))
            c.costBasisUsd = Decimal();
        lots.append(c);
    }
    return lots;
}

Status VaultTaxRun::saveReport(const TaxResult& result, const ReportFileInfo& file) {
    const TaxOptions& o = m_options;
    const QTimeZone& zone = o.timeZone;
    const QDate start = o.periodStart.isValid() ? o.periodStart
                        : m_firstRow            ? m_firstRow->dateIn(zone)
                                                : QDate::currentDate();
    const QDate end = o.periodEnd.isValid() ? o.periodEnd
                      : m_lastRow           ? m_lastRow->dateIn(zone)
                                            : start;
    const int year = o.taxYearOf(start);
    const bool annual =
        start == o.taxYearStart(year) && end == o.taxYearStart(year + 1).addDays(-1);

    TaxReport report;
    report.userId = m_userId;
    report.reportType = annual ? ReportType::Annual : ReportType::Custom;
    report.taxYear = year;
    report.countryCode =
        o.jurisdiction == Jurisdiction::UnitedKingdom ? QStringLiteral("GB") : QStringLiteral("US");
    report.startDate = start.toString(Qt::ISODate);
    report.endDate = end.toString(Qt::ISODate);
    const TaxSummary s = result.summary();
    report.totalTransactions = s.totalTransactions;
    report.totalCapitalGainsUsd = s.totalCapitalGains;
    report.totalCapitalLossesUsd = s.totalCapitalLosses;
    report.netCapitalGainsUsd = s.netCapitalGains;
    report.totalIncomeUsd = s.totalIncome;
    report.totalExpensesUsd = s.totalExpenses;
    report.longTermGainsUsd = s.longTermGains;
    report.shortTermGainsUsd = s.shortTermGains;
    report.reportFormat = file.format;
    if (!file.fileUrl.isEmpty())
        report.fileUrl = file.fileUrl;
    report.fileSizeBytes = file.sizeBytes;
    report.status = ReportStatus::Completed;
    report.generatedAt = Timestamp::now();

    // One live report per period and country: a new run replaces the figures of the last one.
    store::ReportRepository reports(m_db);
    Result<QList<TaxReport>> existing = reports.list(m_userId, year);
    if (!existing)
        return Status::failure(existing.error());
    for (const TaxReport& r : existing.value()) {
        if (r.countryCode == report.countryCode && r.startDate == report.startDate &&
            r.endDate == report.endDate && r.reportType == report.reportType) {
            report.id = r.id;
            report.createdAt = r.createdAt;
            m_stats.reportId = r.id;
            return reports.update(report);
        }
    }
    report.id = newUuid();
    m_stats.reportId = report.id;
    return reports.insert(report);
}

Status VaultTaxRun::save(const TaxResult& result, const ReportFileInfo& file) {
    if (!m_computed || m_userId.isEmpty())
        return Status::failure(tr("VaultTaxRun.save: nothing was computed."));
    Result<QList<CostBasisLot>> lots = lotsOf(result.finalState());
    if (!lots)
        return Status::failure(lots.error());

    store::SqlRepository::Transaction tx(m_db);
    if (Status s = tx.begin(tr("VaultTaxRun.save")); !s)
        return s;
    TaxStateRepository repo(m_db);
    if (m_changes.changedFrom) {
        Result<int> dropped = repo.invalidate(m_userId, *m_changes.changedFrom);
        if (!dropped)
            return Status::failure(dropped.error());
        m_stats.checkpointsInvalidated = dropped.value();
    }
    const Timestamp from = m_stats.resumedFrom
                               ? Timestamp::fromMicrosecondsSinceEpoch(
                                     m_stats.resumedFrom->microsecondsSinceEpoch() + 1)
                               : Timestamp::fromMicrosecondsSinceEpoch(Timestamp::kMinMicroseconds);
    if (Status s = repo.replaceCheckpoints(m_userId, m_settingsKey, from, result.checkpoints(),
                                           m_options.transferWindowSeconds);
        !s)
        return s;
    m_stats.checkpointsSaved = int(result.checkpoints().size());

    store::LotScope scope;
    scope.userId = m_userId;
    if (Status s = store::LotRepository(m_db).replaceLots(scope, lots.value()); !s)
        return s;
    m_stats.lotsSaved = int(lots->size());
    if (Status s = saveReport(result, file); !s)
        return s;

    Result<bool> acknowledged = repo.acknowledgeChanges(m_changes);
    if (!acknowledged)
        return Status::failure(acknowledged.error());
    if (!acknowledged.value()) {
        // Someone wrote to the ledger during this run: keep their watermark, and drop what it
        // makes invalid of what was just saved.
        Result<LedgerChanges> now = repo.ledgerChanges();
        if (!now)
            return Status::failure(now.error());
        if (now->changedFrom) {
            if (Result<int> dropped = repo.invalidate(m_userId, *now->changedFrom); !dropped)
                return Status::failure(dropped.error());
        }
    }
    return tx.commit();
}

} // namespace llamadesk::tax
