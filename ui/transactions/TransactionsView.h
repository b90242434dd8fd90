#pragma once

#include "importer/ImportWizard.h"

#include <QPointer>
#include <QWidget>

#include <atomic>
#include <memory>

class QAction;
class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QStackedWidget;
class QTableView;
class QTimer;
class QUndoStack;

namespace llamadesk::ui {

class AppController;
class EmptyState;
class TransactionTableModel;

// The Transactions screen: search and filters, the table, add / edit / delete with undo, and
// export of the current view to CSV.
class TransactionsView : public QWidget {
    Q_OBJECT
public:
    explicit TransactionsView(AppController* controller, QWidget* parent = nullptr);
    ~TransactionsView() override;

    TransactionTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    QUndoStack* undoStack() const { return m_undo; }
    QLineEdit* searchEdit() const { return m_search; }
    QList<QAction*> viewActions() const;

    // Soft-deletes the given rows (after confirmation when `confirm`); undoable.
    bool deleteRows(const QList<int>& rows, bool confirm);
    // Writes the current view to `path` on a worker thread; the result arrives in exportDone.
    void exportTo(const QString& path);
    bool isExporting() const { return bool(m_exportCancel); }
    // The import wizard while it is open (null otherwise).
    ImportWizard* importWizard() const { return m_importWizard; }

public slots:
    // Lists the transaction with this id (by its hash) and selects it: where a tax warning or an
    // alert points. Says so in the status bar when the vault has no such live row.
    void revealTransaction(const QString& id);
    void addTransaction();
    void editSelected();
    void deleteSelected();
    void exportCsv();
    // Opens the import wizard (or raises it); the list reloads after an import.
    void openImportWizard();
    void applyFilters();

protected:
    void changeEvent(QEvent* event) override;

signals:
    void exportDone(bool ok, const QString& message);
    void statusMessage(const QString& text);

private:
    void attach();
    void refreshIcons();
    void detach();
    void updateState();
    QList<int> selectedRows() const;

    AppController* m_controller;
    TransactionTableModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    QStackedWidget* m_stack = nullptr;
    EmptyState* m_empty = nullptr;
    QLineEdit* m_search = nullptr;
    QComboBox* m_type = nullptr;
    QLineEdit* m_asset = nullptr;
    QLineEdit* m_wallet = nullptr;
    QCheckBox* m_useDates = nullptr;
    QDateEdit* m_from = nullptr;
    QDateEdit* m_until = nullptr;
    QLabel* m_count = nullptr;
    QTimer* m_debounce = nullptr;
    QUndoStack* m_undo = nullptr;
    QAction* m_addAction = nullptr;
    QAction* m_editAction = nullptr;
    QAction* m_deleteAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_importAction = nullptr;
    QPointer<ImportWizard> m_importWizard;
    QAction* m_findAction = nullptr;
    QAction* m_searchIcon = nullptr;
    std::shared_ptr<std::atomic<bool>> m_exportCancel;
};

} // namespace llamadesk::ui
