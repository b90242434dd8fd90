#pragma once

#include "SpecificIdDialog.h"
#include "money/Decimal.h"
#include "tax/TaxOptions.h"
#include "tax/TaxResult.h"

#include <QFutureWatcher>
#include <QPointer>
#include <QWidget>

#include <atomic>
#include <memory>

class QAction;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTimer;
class QToolButton;

namespace llamadesk::ui {

class AppController;
class DisposalTableModel;
class EmptyState;
class LotDrillDown;
class TaxIncomeModel;
class SummaryCard;
class TaxWarningModel;

// Tax runs: options, summary, disposals with lot drill-down, income, warnings, exports.
//
// A run is VaultTaxRun over a connection of its own on a worker thread (the same core calls as
// `llamadesk-cli tax --db`, so both print the same numbers), with progress and cancel; its result
// is shown through virtual models over the immutable TaxResult. Locking cancels the run and drops
// every figure.
class TaxView : public QWidget {
    Q_OBJECT
public:
    enum class Card { Proceeds, CostBasis, NetGain, Income, Warnings };

    explicit TaxView(AppController* controller, QWidget* parent = nullptr);
    ~TaxView() override;

    // The options the bar describes (the report currency is the vault's: USD).
    tax::TaxOptions currentOptions() const;
    void setYear(int year);
    int year() const;
    void setJurisdiction(tax::Jurisdiction jurisdiction);
    void setMethod(CostBasisMethod method);
    void setScope(tax::LotScope scope);
    void setTimeZone(const QByteArray& ianaId);

    bool isRunning() const;
    bool hasResult() const { return m_hasResult; }
    const tax::TaxResult& result() const { return m_result; }
    // The printed totals of the shown result (sums of the printed rows).
    Decimal totalProceeds() const { return m_proceeds; }
    Decimal totalCostBasis() const { return m_costBasis; }
    QString cardValue(Card card) const;

    DisposalTableModel* disposalModel() const { return m_disposals; }
    TaxIncomeModel* incomeModel() const { return m_income; }
    TaxWarningModel* warningModel() const { return m_warnings; }
    QTableView* disposalTable() const { return m_disposalTable; }
    QTableView* warningTable() const { return m_warningTable; }
    LotDrillDown* drillDown() const { return m_drill; }
    QTabWidget* tabs() const { return m_tabs; }

    // Specific-ID for a disposal row (US report run with the specific method): opens the dialog
    // (not modal, so tests can drive it) and, when accepted, saves the choice and runs again.
    SpecificIdDialog* chooseLots(int row);
    // Saves the lots for a disposal (an empty list removes the choice) on the GUI connection.
    Status saveLotSelection(const QString& disposalId, const QList<tax::LotSelection>& selections);
    // Writes the shown result in a format of TaxExport::formats() on a worker; exportFinished
    // follows. The Export menu asks for the path with a file dialog first.
    void exportTo(const QString& format, const QString& path);

public slots:
    void run();
    void cancel();

signals:
    void statusMessage(const QString& text);
    void transactionRequested(const QString& transactionId);
    void runFinished(bool ok);
    void exportFinished(bool ok, const QString& message);

private:
    struct RunOutcome;

    void buildOptionsBar(QWidget* host, QHBoxLayout* bar);
    void attach();
    void detach();
    void loadYears();
    void optionsChanged();
    void updateState();
    void finishRun();
    void showResult();
    void clearResult();
    void showDrillDown();
    void chooseLotsForSelection();
    void exportWithDialog(const QString& format);
    void saveSettings() const;

    AppController* m_controller;
    QComboBox* m_year = nullptr;
    QComboBox* m_jurisdiction = nullptr;
    QComboBox* m_method = nullptr;
    QComboBox* m_scope = nullptr;
    QComboBox* m_zone = nullptr;
    QLabel* m_methodNote = nullptr;
    QPushButton* m_runButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QToolButton* m_exportButton = nullptr;
    QAction* m_runAction = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_progressText = nullptr;
    QWidget* m_progressRow = nullptr;
    QStackedWidget* m_stack = nullptr;
    EmptyState* m_empty = nullptr;
    SummaryCard* m_cards[5] = {};
    QTabWidget* m_tabs = nullptr;
    QTableView* m_disposalTable = nullptr;
    QTableView* m_incomeTable = nullptr;
    QTableView* m_warningTable = nullptr;
    LotDrillDown* m_drill = nullptr;
    DisposalTableModel* m_disposals = nullptr;
    TaxIncomeModel* m_income = nullptr;
    TaxWarningModel* m_warnings = nullptr;
    QTimer* m_poll = nullptr;

    QFutureWatcher<void>* m_runWatcher = nullptr;
    std::shared_ptr<RunOutcome> m_outcome;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<std::atomic<int>> m_permille;
    std::shared_ptr<std::atomic<int>> m_phase;
    QFutureWatcher<void>* m_exportWatcher = nullptr;
    QPointer<SpecificIdDialog> m_dialog;

    tax::TaxResult m_result;
    bool m_hasResult = false;
    int m_usMethodIndex = 0;
    int m_usScopeIndex = 0;
    bool m_attached = false; // between unlocked() and aboutToLock()
    Decimal m_proceeds;
    Decimal m_costBasis;
};

} // namespace llamadesk::ui
