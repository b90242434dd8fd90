#pragma once

#include "alerts/AlertEvaluator.h"

#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTimer;
class QToolButton;

namespace llamadesk::ui {

class AlertBanner;
class AlertHistoryFilter;
class AlertHistoryModel;
class AlertRuleDialog;
class AlertRuleModel;
class AppController;
class EmptyState;
class Notifier;
class TrayNotifier;

// Alert rules and their history. While the vault is unlocked the rules that local data can
// answer are evaluated on a worker every few seconds (settings key alertsIntervalKey(), default
// 60 s); a trigger raises a notification (system tray, or the banner at the top of this view).
class AlertsView : public QWidget {
    Q_OBJECT
public:
    explicit AlertsView(AppController* controller, QWidget* parent = nullptr);
    ~AlertsView() override;

    static QString alertsIntervalKey() { return QStringLiteral("alerts/checkIntervalSeconds"); }
    static constexpr int kDefaultIntervalSeconds = 60;

    AlertRuleModel* ruleModel() const { return m_rules; }
    AlertHistoryModel* historyModel() const { return m_history; }
    AlertHistoryFilter* historyFilter() const { return m_filter; }
    QTableView* rulesTable() const { return m_rulesTable; }
    QTableView* historyTable() const { return m_historyTable; }
    QLineEdit* searchEdit() const { return m_search; }
    QTabWidget* tabs() const { return m_tabs; }
    AlertBanner* banner() const { return m_banner; }
    bool isEvaluating() const { return bool(m_cancel); }
    bool isHistoryLoading() const { return bool(m_historyCancel); }
    bool isTimerRunning() const;

    // Where triggers are shown; null restores the default (tray, or the banner). Not owned.
    void setNotifier(Notifier* notifier);
    // The clock of the evaluations (tests move it to cross cooldowns).
    void setClock(std::shared_ptr<const alerts::Clock> clock);

    // A dialog for a new rule (or for editing `rule`), not shown; saving it reloads the list.
    AlertRuleDialog* ruleDialog(const std::optional<AlertRule>& rule = std::nullopt);

public slots:
    void evaluateNow();
    void reload();
    void addRule();
    void editSelected();
    void deleteSelected();
    // Pauses the selected rule for `minutes` (0: until resumed).
    void pauseSelected(int minutes);
    void pauseSelectedUntil(const QDateTime& until);
    void resumeSelected();

signals:
    void statusMessage(const QString& text);
    // An evaluation ended: how many rules triggered (-1 when it failed or was cancelled).
    void evaluationFinished(int triggered);
    void historyLoaded();

private:
    void attach();
    void detach();
    void loadHistory();
    void updateActions();
    void notify(const AlertHistoryEntry& entry);
    const AlertRule* selectedRule() const;
    QStringList pricedAssets() const;

    AppController* m_controller;
    std::shared_ptr<const alerts::Clock> m_clock;
    QString m_userId;
    AlertRuleModel* m_rules = nullptr;
    AlertHistoryModel* m_history = nullptr;
    AlertHistoryFilter* m_filter = nullptr;
    QStackedWidget* m_stack = nullptr;
    EmptyState* m_locked = nullptr;
    QTabWidget* m_tabs = nullptr;
    QTableView* m_rulesTable = nullptr;
    QTableView* m_historyTable = nullptr;
    QLineEdit* m_search = nullptr;
    QLabel* m_summary = nullptr;
    QPushButton* m_add = nullptr;
    QPushButton* m_check = nullptr;
    QToolButton* m_edit = nullptr;
    QToolButton* m_delete = nullptr;
    QToolButton* m_pause = nullptr;
    AlertBanner* m_banner = nullptr;
    QTimer* m_timer = nullptr;
    TrayNotifier* m_tray = nullptr;
    Notifier* m_notifier = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<std::atomic<bool>> m_historyCancel;
    QDateTime m_lastCheck;
};

} // namespace llamadesk::ui
