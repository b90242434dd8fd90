#pragma once

#include "domain/PortfolioAsset.h"
#include "domain/TaxTransaction.h"
#include "domain/Timestamp.h"
#include "portfolio/PortfolioSummary.h"
#include "portfolio/RealizedPnl.h"
#include "portfolio/RiskMetrics.h"

#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>

namespace llamadesk::vault {
class Vault;
}

namespace llamadesk::ui {

// Everything the Dashboard and Portfolio views show, read in one go on a worker thread.
struct PortfolioData {
    QList<PortfolioAsset> assets;             // largest value first
    QList<portfolio::ValuePoint> history;     // oldest first
    portfolio::RiskMetrics risk;              // of the last 365 days of history
    QList<TaxTransaction> recentTransactions; // newest first
    Timestamp loadedAt;
    bool recordedToday = false; // the daily snapshot was missing and was recorded by this load
};

// Loads PortfolioData and the realized PnL on worker threads, each with its own vault connection
// (app::WorkerConnection), and hands the results to the GUI thread. cancel() (on lock) makes
// every running job's result be dropped.
class PortfolioLoader : public QObject {
    Q_OBJECT
public:
    explicit PortfolioLoader(QObject* parent = nullptr);
    ~PortfolioLoader() override;

    // Also read the newest `count` transactions (the dashboard's recent activity).
    void setRecentTransactionCount(int count) { m_recentCount = count; }
    int recentTransactionCount() const { return m_recentCount; }

    // `recordDaily`: first record today's snapshot when it is missing.
    void load(std::shared_ptr<const vault::Vault> vault, bool recordDaily);
    // Records a snapshot now, then loads again.
    void recordSnapshot(std::shared_ptr<const vault::Vault> vault);
    // The saved report's year-to-date figure first (realizedSaved, when there is one), then the
    // tax engine's run in the settings' tax defaults (realizedReady). Nothing is saved.
    void loadRealized(std::shared_ptr<const vault::Vault> vault);

    // What a view needs when it is shown: starts load(vault, true) unless data is loaded or
    // loading, and loadRealized() unless it is known or computing. The Dashboard and Portfolio
    // share one loader, so that unlocking runs the tax engine once, not once per view.
    void ensureLoaded(std::shared_ptr<const vault::Vault> vault);
    // The last results delivered since the last cancel(), for a view shown after they arrived.
    std::shared_ptr<const PortfolioData> data() const { return m_data; }
    const std::optional<portfolio::RealizedPnl>& realized() const { return m_realized; }

    // Drops every running job's result and the kept results (the vault is locking).
    void cancel();

    bool isLoading() const { return m_loading > 0; }
    bool isComputingRealized() const { return m_realizing > 0; }

signals:
    void loaded(std::shared_ptr<const llamadesk::ui::PortfolioData> data);
    void loadFailed(const QString& message);
    void snapshotRecorded(const QString& message);
    void realizedSaved(const llamadesk::Decimal& yearToDate, int taxYear);
    void realizedReady(const llamadesk::portfolio::RealizedPnl& pnl);
    void realizedFailed(const QString& message);

private:
    struct Job {
        std::atomic<bool> cancel{false};
    };
    void start(std::shared_ptr<const vault::Vault> vault, bool recordDaily, bool recordNow);
    std::shared_ptr<Job> newJob();

    std::shared_ptr<Job> m_job;
    std::shared_ptr<const PortfolioData> m_data;
    std::optional<portfolio::RealizedPnl> m_realized;
    int m_recentCount = 0;
    int m_loading = 0;
    int m_realizing = 0;
};

} // namespace llamadesk::ui
