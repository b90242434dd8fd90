#include "PortfolioLoader.h"

#include "app/WorkerConnection.h"
#include "app/WorkerPool.h"
#include "portfolio/SnapshotRecorder.h"
#include "store/LocalUser.h"
#include "store/PortfolioRepository.h"
#include "store/TransactionRepository.h"
#include "vault/Vault.h"

#include <QDate>
#include <QPointer>
#include <QtConcurrent>

#include <algorithm>

namespace llamadesk::ui {

namespace {

constexpr qint64 kDayUs = 24LL * 3600 * 1000000;

struct LoadOutcome {
    std::shared_ptr<PortfolioData> data;
    QString error;
    QString recordedMessage;
};

LoadOutcome loadAll(const vault::Vault& vault, bool recordDaily, bool recordNow, int recent) {
    LoadOutcome out;
    app::WorkerConnection connection(vault);
    if (!connection.isOpen()) {
        out.error = connection.error();
        return out;
    }
    const QSqlDatabase db = connection.database();
    auto data = std::make_shared<PortfolioData>();
    data->loadedAt = Timestamp::now();
    if (recordNow) {
        const Result<PortfolioSnapshot> s = portfolio::SnapshotRecorder::record(db, data->loadedAt);
        if (!s) {
            out.error = s.error();
            return out;
        }
        out.recordedMessage = PortfolioLoader::tr("Snapshot recorded.");
    } else if (recordDaily) {
        // A failure here must not hide the portfolio: it is only reported.
        const auto s = portfolio::SnapshotRecorder::recordDaily(db, data->loadedAt);
        if (!s)
            out.recordedMessage = s.error();
        else
            data->recordedToday = s->has_value();
    }
    const Result<QString> owner = store::LocalUser::ensure(db);
    if (!owner) {
        out.error = owner.error();
        return out;
    }
    store::PortfolioRepository repository(db);
    Result<QList<PortfolioAsset>> assets = repository.assets(owner.value());
    if (!assets) {
        out.error = assets.error();
        return out;
    }
    data->assets = std::move(assets.value());
    Result<QList<portfolio::ValuePoint>> history =
        portfolio::PortfolioSummary::loadHistory(db, owner.value());
    if (!history) {
        out.error = history.error();
        return out;
    }
    data->history = std::move(history.value());
    QList<Decimal> year;
    const qint64 from = data->loadedAt.microsecondsSinceEpoch() - 365 * kDayUs;
    for (const portfolio::ValuePoint& p : std::as_const(data->history)) {
        if (p.at.microsecondsSinceEpoch() >= from)
            year.append(p.value);
    }
    data->risk = portfolio::RiskMetrics::compute(year);
    if (recent > 0) {
        store::TransactionRepository transactions(db);
        store::TransactionFilter filter;
        filter.userId = owner.value();
        const Result<store::TransactionPage> page =
            transactions.page(filter, std::nullopt, recent, store::PageDirection::Backward);
        if (page) {
            data->recentTransactions = page->rows;
            std::reverse(data->recentTransactions.begin(), data->recentTransactions.end());
        }
    }
    out.data = std::move(data);
    return out;
}

} // namespace

PortfolioLoader::PortfolioLoader(QObject* parent)
    : QObject(parent) {}

PortfolioLoader::~PortfolioLoader() {
    cancel();
}

std::shared_ptr<PortfolioLoader::Job> PortfolioLoader::newJob() {
    if (!m_job || m_job->cancel.load())
        m_job = std::make_shared<Job>();
    return m_job;
}

void PortfolioLoader::cancel() {
    if (m_job)
        m_job->cancel.store(true);
    m_job.reset();
    m_data.reset();
    m_realized.reset();
    m_loading = 0;
    m_realizing = 0;
}

void PortfolioLoader::ensureLoaded(std::shared_ptr<const vault::Vault> vault) {
    if (!m_data && m_loading == 0)
        load(vault, true);
    if (!m_realized && m_realizing == 0)
        loadRealized(vault);
}

void PortfolioLoader::load(std::shared_ptr<const vault::Vault> vault, bool recordDaily) {
    start(std::move(vault), recordDaily, false);
}

void PortfolioLoader::recordSnapshot(std::shared_ptr<const vault::Vault> vault) {
    start(std::move(vault), false, true);
}

void PortfolioLoader::start(std::shared_ptr<const vault::Vault> vault, bool recordDaily,
                            bool recordNow) {
    if (!vault)
        return;
    const std::shared_ptr<Job> job = newJob();
    const int recent = m_recentCount;
    ++m_loading;
    QPointer<PortfolioLoader> self(this);
    // The future is not kept: the result comes back through a queued call on this object, which
    // Qt drops if the object is gone; a cancelled job's result is ignored.
    (void)app::runInBackground([self, job, vault, recordDaily, recordNow, recent] {
        auto outcome =
            std::make_shared<LoadOutcome>(loadAll(*vault, recordDaily, recordNow, recent));
        if (job->cancel.load() || self.isNull())
            return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, job, outcome] {
                PortfolioLoader* loader = self.data();
                if (loader == nullptr || job->cancel.load())
                    return;
                loader->m_loading = std::max(0, loader->m_loading - 1);
                if (!outcome->data) {
                    emit loader->loadFailed(outcome->error);
                    return;
                }
                if (!outcome->recordedMessage.isEmpty())
                    emit loader->snapshotRecorded(outcome->recordedMessage);
                loader->m_data = outcome->data;
                emit loader->loaded(outcome->data);
            },
            Qt::QueuedConnection);
    });
}

void PortfolioLoader::loadRealized(std::shared_ptr<const vault::Vault> vault) {
    if (!vault)
        return;
    const std::shared_ptr<Job> job = newJob();
    const QDate today = QDate::currentDate();
    // The settings are read here, on the GUI thread; the worker gets plain options.
    const tax::TaxOptions options = portfolio::RealizedPnl::optionsFromSettings(today);
    ++m_realizing;
    QPointer<PortfolioLoader> self(this);
    (void)app::runInBackground([self, job, vault, options, today] {
        app::WorkerConnection connection(*vault);
        auto deliver = [&](auto&& call) {
            if (job->cancel.load() || self.isNull())
                return;
            QMetaObject::invokeMethod(
                self.data(),
                [self, job, call] {
                    PortfolioLoader* loader = self.data();
                    if (loader != nullptr && !job->cancel.load())
                        call(loader);
                },
                Qt::QueuedConnection);
        };
        if (!connection.isOpen()) {
            const QString error = connection.error();
            deliver([error](PortfolioLoader* loader) {
                loader->m_realizing = std::max(0, loader->m_realizing - 1);
                emit loader->realizedFailed(error);
            });
            return;
        }
        const int year = options.taxYearOf(today);
        const auto saved = portfolio::RealizedPnl::savedYearToDate(connection.database(), year);
        if (saved && saved->has_value()) {
            const Decimal ytd = **saved;
            deliver(
                [ytd, year](PortfolioLoader* loader) { emit loader->realizedSaved(ytd, year); });
        }
        if (job->cancel.load())
            return;
        // On one connection on purpose: this runs right after unlock, beside the count that
        // fills the transactions table; readers on both cores would make that wait (measured:
        // the table took 3.0 s instead of under 1 s on a 1M vault).
        const Result<portfolio::RealizedPnl> pnl =
            portfolio::RealizedPnl::compute(connection.database(), options, today);
        if (!pnl) {
            const QString error = pnl.error();
            deliver([error](PortfolioLoader* loader) {
                loader->m_realizing = std::max(0, loader->m_realizing - 1);
                emit loader->realizedFailed(error);
            });
            return;
        }
        const portfolio::RealizedPnl value = pnl.value();
        deliver([value](PortfolioLoader* loader) {
            loader->m_realizing = std::max(0, loader->m_realizing - 1);
            loader->m_realized = value;
            emit loader->realizedReady(value);
        });
    });
}

} // namespace llamadesk::ui
