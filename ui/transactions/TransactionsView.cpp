#include "TransactionsView.h"

#include "TransactionEditDialog.h"
#include "TransactionTableModel.h"
#include "app/AppController.h"
#include "app/Icons.h"
#include "app/TransactionCsvExport.h"
#include "app/WorkerConnection.h"
#include "app/WorkerPool.h"
#include "importer/ImportWizard.h"
#include "store/LocalUser.h"
#include "store/TransactionRepository.h"
#include "widgets/EmptyState.h"
#include "widgets/ViewPage.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QEvent>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QUndoCommand>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace llamadesk::ui {

namespace {

// A soft delete and its undo (restore), on the GUI connection: both are one short transaction.
class DeleteCommand : public QUndoCommand {
public:
    DeleteCommand(AppController* controller, TransactionTableModel* model, QStringList ids)
        : m_controller(controller)
        , m_model(model)
        , m_ids(std::move(ids)) {
        setText(TransactionsView::tr("delete %n transaction(s)", nullptr, int(m_ids.size())));
    }
    void redo() override { run(true); }
    void undo() override { run(false); }

private:
    void run(bool remove) {
        if (!m_controller->isUnlocked())
            return;
        store::TransactionRepository repository(m_controller->database());
        const Result<int> done = remove ? repository.softDelete(m_ids) : repository.restore(m_ids);
        if (!done)
            setObsolete(true);
        m_model->reload();
    }

    AppController* m_controller;
    TransactionTableModel* m_model;
    QStringList m_ids;
};

QToolButton* toolButton(QAction* action, QWidget* parent) {
    auto* button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setAutoRaise(true);
    return button;
}

} // namespace

TransactionsView::TransactionsView(AppController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller) {
    m_model = new TransactionTableModel(this);
    m_undo = new QUndoStack(this);

    m_addAction = new QAction(Icons::icon(QStringLiteral("add")), tr("&Add"), this);
    m_addAction->setShortcut(QKeySequence::New);
    m_addAction->setToolTip(tr("Add a transaction (%1)")
                                .arg(m_addAction->shortcut().toString(QKeySequence::NativeText)));
    m_editAction = new QAction(Icons::icon(QStringLiteral("edit")), tr("&Edit"), this);
    m_editAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_deleteAction = new QAction(Icons::icon(QStringLiteral("delete")), tr("&Delete"), this);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_exportAction = new QAction(Icons::icon(QStringLiteral("export")), tr("E&xport CSV…"), this);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_importAction = new QAction(ImportWizard::actionIcon(), tr("&Import…"), this);
    m_importAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_importAction->setToolTip(
        tr("Import transactions from CSV files (%1)")
            .arg(m_importAction->shortcut().toString(QKeySequence::NativeText)));
    m_findAction = new QAction(tr("&Find"), this);
    m_findAction->setShortcut(QKeySequence::Find);
    for (QAction* action : {m_addAction, m_editAction, m_deleteAction, m_importAction,
                            m_exportAction, m_findAction}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
    connect(m_addAction, &QAction::triggered, this, &TransactionsView::addTransaction);
    connect(m_editAction, &QAction::triggered, this, &TransactionsView::editSelected);
    connect(m_deleteAction, &QAction::triggered, this, &TransactionsView::deleteSelected);
    connect(m_exportAction, &QAction::triggered, this, &TransactionsView::exportCsv);
    connect(m_importAction, &QAction::triggered, this, &TransactionsView::openImportWizard);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 16, 8);
    auto* title = ViewPage::makeTitle(tr("Transactions"), this);
    auto* header = new QHBoxLayout;
    header->addWidget(title);
    header->addStretch();
    header->addWidget(toolButton(m_addAction, this));
    header->addWidget(toolButton(m_editAction, this));
    header->addWidget(toolButton(m_deleteAction, this));
    header->addWidget(toolButton(m_importAction, this));
    header->addWidget(toolButton(m_exportAction, this));
    layout->addLayout(header);

    auto* filters = new QHBoxLayout;
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("search"));
    m_search->setPlaceholderText(tr("Search hash, asset or wallet"));
    m_search->setClearButtonEnabled(true);
    m_searchIcon =
        m_search->addAction(Icons::icon(QStringLiteral("search")), QLineEdit::LeadingPosition);
    filters->addWidget(m_search, 3);
    connect(m_findAction, &QAction::triggered, m_search, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    m_type = new QComboBox(this);
    m_type->setObjectName(QStringLiteral("typeFilter"));
    m_type->addItem(tr("All types"));
    for (const TransactionType type : allTransactionTypes()) {
        QString text = toString(type);
        text.replace(QLatin1Char('_'), QLatin1Char(' '));
        text[0] = text[0].toUpper();
        m_type->addItem(text, toString(type));
    }
    filters->addWidget(m_type, 1);
    m_asset = new QLineEdit(this);
    m_asset->setObjectName(QStringLiteral("assetFilter"));
    m_asset->setPlaceholderText(tr("Asset"));
    m_asset->setClearButtonEnabled(true);
    filters->addWidget(m_asset, 1);
    m_wallet = new QLineEdit(this);
    m_wallet->setObjectName(QStringLiteral("walletFilter"));
    m_wallet->setPlaceholderText(tr("Wallet"));
    m_wallet->setClearButtonEnabled(true);
    filters->addWidget(m_wallet, 1);
    m_useDates = new QCheckBox(tr("From"), this);
    filters->addWidget(m_useDates);
    m_from = new QDateEdit(QDate::currentDate().addYears(-1), this);
    m_from->setCalendarPopup(true);
    m_from->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_from->setEnabled(false);
    filters->addWidget(m_from);
    auto* to = new QLabel(tr("to"), this);
    filters->addWidget(to);
    m_until = new QDateEdit(QDate::currentDate(), this);
    m_until->setCalendarPopup(true);
    m_until->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_until->setEnabled(false);
    filters->addWidget(m_until);
    layout->addLayout(filters);

    m_stack = new QStackedWidget(this);
    m_table = new QTableView(m_stack);
    m_table->setObjectName(QStringLiteral("transactionsTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(TransactionTableModel::DateColumn, Qt::DescendingOrder);
    // Fixed row heights: the view never measures rows, so a million of them cost nothing.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->verticalHeader()->hide();
    QHeaderView* columns = m_table->horizontalHeader();
    columns->setHighlightSections(false);
    columns->setStretchLastSection(true);
    const QFontMetrics fm = m_table->fontMetrics();
    const int widths[] = {fm.horizontalAdvance(QStringLiteral("0000-00-00 00:00:00")) + 24,
                          fm.horizontalAdvance(QStringLiteral("Staking reward")) + 20,
                          fm.horizontalAdvance(QStringLiteral("Cold storage")) + 20,
                          fm.horizontalAdvance(QStringLiteral("000,000.0000000000 MATIC")) + 20,
                          fm.horizontalAdvance(QStringLiteral("000,000.0000000000 MATIC")) + 20,
                          fm.horizontalAdvance(QStringLiteral("0.00000000 ETH")) + 20,
                          fm.horizontalAdvance(QStringLiteral("000,000.00")) + 24,
                          fm.horizontalAdvance(QStringLiteral("-00,000.00")) + 24,
                          fm.horizontalAdvance(QStringLiteral("0x000000…0000")) + 20};
    for (int c = 0; c < int(std::size(widths)); ++c)
        columns->resizeSection(c, widths[c]);
    connect(columns, &QHeaderView::sortIndicatorChanged, this,
            [this](int column, Qt::SortOrder order) {
                // Only the date sorts; keep the indicator honest.
                if (column != TransactionTableModel::DateColumn)
                    m_table->horizontalHeader()->setSortIndicator(
                        TransactionTableModel::DateColumn,
                        m_model->isDescending() ? Qt::DescendingOrder : Qt::AscendingOrder);
                else
                    Q_UNUSED(order);
            });
    connect(m_table, &QTableView::doubleClicked, this, &TransactionsView::editSelected);
    m_stack->addWidget(m_table);
    m_empty = new EmptyState(QStringLiteral("transactions"), tr("No transactions yet"),
                             tr("Add a transaction, or import a file from your exchange or "
                                "wallet, and it will be listed here."),
                             m_stack);
    m_stack->addWidget(m_empty);
    layout->addWidget(m_stack, 1);
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("countLabel"));
    layout->addWidget(m_count);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_debounce, &QTimer::timeout, this, &TransactionsView::applyFilters);
    auto later = [this] {
        m_debounce->start();
    };
    connect(m_search, &QLineEdit::textChanged, this, later);
    connect(m_asset, &QLineEdit::textChanged, this, later);
    connect(m_wallet, &QLineEdit::textChanged, this, later);
    connect(m_type, &QComboBox::currentIndexChanged, this, &TransactionsView::applyFilters);
    connect(m_useDates, &QCheckBox::toggled, this, [this](bool on) {
        m_from->setEnabled(on);
        m_until->setEnabled(on);
        applyFilters();
    });
    connect(m_from, &QDateEdit::dateChanged, this, later);
    connect(m_until, &QDateEdit::dateChanged, this, later);

    connect(m_model, &TransactionTableModel::loaded, this, &TransactionsView::updateState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TransactionsView::updateState);
    connect(m_model, &TransactionTableModel::loadFailed, this, [this](const QString& message) {
        m_count->setText(tr("Could not list the transactions: %1").arg(message));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TransactionsView::updateState);

    connect(controller, &AppController::unlocked, this, &TransactionsView::attach);
    connect(controller, &AppController::aboutToLock, this, &TransactionsView::detach);
    if (controller->isUnlocked())
        attach();
    updateState();
}

TransactionsView::~TransactionsView() {
    if (m_exportCancel)
        m_exportCancel->store(true);
}

void TransactionsView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange)
        refreshIcons();
    QWidget::changeEvent(event);
}

void TransactionsView::refreshIcons() {
    // The icons are drawn in the theme's text colour: redraw them when the theme changes.
    m_addAction->setIcon(Icons::icon(QStringLiteral("add")));
    m_editAction->setIcon(Icons::icon(QStringLiteral("edit")));
    m_deleteAction->setIcon(Icons::icon(QStringLiteral("delete")));
    m_exportAction->setIcon(Icons::icon(QStringLiteral("export")));
    m_importAction->setIcon(ImportWizard::actionIcon());
    if (m_searchIcon)
        m_searchIcon->setIcon(Icons::icon(QStringLiteral("search")));
}

QList<QAction*> TransactionsView::viewActions() const {
    return {m_addAction, m_editAction, m_deleteAction, m_importAction, m_exportAction};
}

void TransactionsView::attach() {
    m_model->attach(m_controller->vault(), m_controller->database());
}

void TransactionsView::detach() {
    if (m_exportCancel)
        m_exportCancel->store(true);
    m_undo->clear();
    m_model->detach();
    m_search->clear();
    updateState();
}

void TransactionsView::applyFilters() {
    store::TransactionFilter filter;
    filter.search = m_search->text().trimmed();
    if (m_type->currentIndex() > 0) {
        if (auto type = transactionTypeFromString(m_type->currentData().toString()))
            filter.types = {*type};
    }
    if (const QString asset = m_asset->text().trimmed().toUpper(); !asset.isEmpty())
        filter.assets = {asset};
    if (const QString wallet = m_wallet->text().trimmed(); !wallet.isEmpty())
        filter.wallets = {wallet};
    if (m_useDates->isChecked()) {
        filter.from = Timestamp::fromDateTime(m_from->date().startOfDay(QTimeZone::utc()));
        filter.until =
            Timestamp::fromDateTime(m_until->date().addDays(1).startOfDay(QTimeZone::utc()));
    }
    // A new filter starts at the top of its rows, where its first screen arrives with the count.
    m_table->scrollToTop();
    m_model->setFilter(filter);
    updateState();
}

void TransactionsView::updateState() {
    const bool unlocked = m_model->isAttached();
    const qint64 count = m_model->totalCount();
    const store::TransactionFilter& f = m_model->filter();
    const bool filtered = !f.search.isEmpty() || !f.types.isEmpty() || !f.assets.isEmpty() ||
                          !f.wallets.isEmpty() || f.from || f.until;
    if (!unlocked) {
        m_count->clear();
    } else if (m_model->isLoading()) {
        m_count->setText(tr("Counting…"));
    } else {
        const int selected = int(selectedRows().size());
        QString text =
            filtered
                ? tr("%L1 matching transaction(s)", nullptr, int(std::min<qint64>(count, INT_MAX)))
                      .arg(count)
                : tr("%L1 transaction(s)", nullptr, int(std::min<qint64>(count, INT_MAX)))
                      .arg(count);
        if (selected > 0)
            text += QStringLiteral(" · ") + tr("%L1 selected", nullptr, selected).arg(selected);
        m_count->setText(text);
    }
    const bool empty = unlocked && !m_model->isLoading() && count == 0;
    if (empty) {
        m_empty->setText(filtered ? tr("No transactions match these filters. Clear the search or "
                                       "change the filters to see more.")
                                  : tr("Add a transaction, or import a file from your exchange "
                                       "or wallet, and it will be listed here."));
    }
    m_stack->setCurrentWidget(empty ? static_cast<QWidget*>(m_empty) : m_table);
    const bool hasSelection = !selectedRows().isEmpty();
    m_addAction->setEnabled(unlocked);
    m_editAction->setEnabled(unlocked && selectedRows().size() == 1);
    m_deleteAction->setEnabled(unlocked && hasSelection);
    m_exportAction->setEnabled(unlocked && count > 0 && !m_exportCancel);
    m_importAction->setEnabled(unlocked);
}

QList<int> TransactionsView::selectedRows() const {
    QList<int> rows;
    if (!m_table->selectionModel())
        return rows;
    for (const QItemSelectionRange& range : m_table->selectionModel()->selection()) {
        for (int r = range.top(); r <= range.bottom(); ++r)
            rows.append(r);
        if (rows.size() > 100000)
            break;
    }
    return rows;
}

void TransactionsView::addTransaction() {
    if (!m_controller->isUnlocked())
        return;
    const Result<QString> owner = store::LocalUser::ensure(m_controller->database());
    if (!owner) {
        QMessageBox::warning(this, tr("Add transaction"), owner.error());
        return;
    }
    TransactionEditDialog dialog(m_controller->database(), owner.value(), std::nullopt, this);
    if (dialog.exec() == QDialog::Accepted) {
        m_model->reload();
        emit statusMessage(tr("Transaction added."));
    }
}

void TransactionsView::revealTransaction(const QString& id) {
    if (!m_controller->isUnlocked())
        return;
    store::TransactionRepository repository(m_controller->database());
    const Result<std::optional<TaxTransaction>> found = repository.get(id);
    if (!found || !found->has_value() || (*found)->deletedAt) {
        emit statusMessage(tr("That transaction is no longer in the vault."));
        return;
    }
    const QString hash = (*found)->transactionHash;
    // The row shows once the listing for its hash is loaded; select it then.
    auto* once = new QObject(this);
    connect(m_model, &TransactionTableModel::loaded, once, [this, id, hash, once] {
        if (m_model->filter().search != hash)
            return; // an earlier listing finishing: wait for the hash's own
        once->deleteLater();
        for (int row = 0; row < m_model->rowCount(); ++row) {
            const TaxTransaction* t = m_model->transactionAt(row);
            if (t && t->id == id) {
                m_table->selectRow(row);
                m_table->scrollTo(m_model->index(row, 0));
                m_table->setFocus();
                return;
            }
        }
    });
    m_type->setCurrentIndex(0);
    m_asset->clear();
    m_wallet->clear();
    m_useDates->setChecked(false);
    m_search->setText(hash);
    applyFilters();
}

void TransactionsView::editSelected() {
    const QList<int> rows = selectedRows();
    if (rows.size() != 1 || !m_controller->isUnlocked())
        return;
    const TaxTransaction* row = m_model->transactionAt(rows.first());
    if (row == nullptr)
        return;
    const TaxTransaction original = *row;
    TransactionEditDialog dialog(m_controller->database(), original.userId, original, this);
    if (dialog.exec() == QDialog::Accepted) {
        // The time may have moved the row; list again.
        m_model->reload();
        emit statusMessage(tr("Transaction saved."));
    }
}

void TransactionsView::deleteSelected() {
    deleteRows(selectedRows(), true);
}

bool TransactionsView::deleteRows(const QList<int>& rows, bool confirm) {
    if (rows.isEmpty() || !m_controller->isUnlocked())
        return false;
    constexpr int kMaxAtOnce = 10000;
    if (rows.size() > kMaxAtOnce) {
        QMessageBox::information(
            this, tr("Delete transactions"),
            tr("Select at most %L1 transactions to delete at once.").arg(kMaxAtOnce));
        return false;
    }
    if (confirm) {
        QMessageBox box(
            QMessageBox::Question, tr("Delete transactions"),
            tr("Delete %n transaction(s)? You can undo this with %1.", nullptr, int(rows.size()))
                .arg(QKeySequence(QKeySequence::Undo).toString(QKeySequence::NativeText)),
            QMessageBox::Cancel, this);
        QPushButton* remove = box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
        box.setDefaultButton(QMessageBox::Cancel);
        box.exec();
        if (box.clickedButton() != remove)
            return false;
    }
    QStringList ids;
    for (const int r : rows) {
        if (const TaxTransaction* t = m_model->transactionAt(r))
            ids.append(t->id);
    }
    if (ids.isEmpty())
        return false;
    m_undo->push(new DeleteCommand(m_controller, m_model, ids));
    emit statusMessage(
        tr("Deleted %n transaction(s). Press %1 to undo.", nullptr, int(ids.size()))
            .arg(QKeySequence(QKeySequence::Undo).toString(QKeySequence::NativeText)));
    return true;
}

void TransactionsView::exportCsv() {
    const QString suggested = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) +
                              QStringLiteral("/llamadesk-transactions.csv");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export transactions"), suggested,
                                                      tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        exportTo(path);
}

void TransactionsView::openImportWizard() {
    if (!m_controller->isUnlocked())
        return;
    if (m_importWizard) {
        m_importWizard->raise();
        m_importWizard->activateWindow();
        return;
    }
    auto* wizard = new ImportWizard(m_controller, this);
    m_importWizard = wizard;
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &ImportWizard::imported, this, [this](qint64 rows) {
        m_model->reload();
        emit statusMessage(
            tr("Imported %n transaction(s).", nullptr, int(std::min<qint64>(rows, INT_MAX))));
    });
    wizard->open();
}

void TransactionsView::exportTo(const QString& path) {
    if (!m_controller->isUnlocked() || m_exportCancel)
        return;
    const qint64 total = m_model->totalCount();
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    auto written = std::make_shared<std::atomic<qint64>>(0);
    m_exportCancel = cancel;
    auto* progress = new QProgressDialog(tr("Exporting transactions…"), tr("Cancel"), 0,
                                         int(std::min<qint64>(total, INT_MAX)), this);
    progress->setWindowTitle(tr("Export"));
    progress->setMinimumDuration(300);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    connect(progress, &QProgressDialog::canceled, this, [cancel] { cancel->store(true); });
    auto* poll = new QTimer(progress);
    connect(poll, &QTimer::timeout, progress, [progress, written] {
        progress->setValue(int(std::min<qint64>(written->load(), progress->maximum())));
    });
    poll->start(100);
    const std::shared_ptr<const vault::Vault> vault = m_controller->vault();
    const store::TransactionFilter filter = m_model->filter();
    const bool descending = m_model->isDescending();
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this,
            [this, watcher, progress, written, path] {
                watcher->deleteLater();
                progress->deleteLater();
                m_exportCancel.reset();
                const QString error = watcher->result();
                updateState();
                if (error.isEmpty()) {
                    const QString text =
                        tr("Exported %n transaction(s) to %1.", nullptr, int(written->load()))
                            .arg(path);
                    emit statusMessage(text);
                    emit exportDone(true, text);
                } else {
                    emit statusMessage(error);
                    emit exportDone(false, error);
                }
            });
    updateState();
    watcher->setFuture(app::runInBackground([vault, filter, descending, path, cancel, written] {
        app::WorkerConnection connection(*vault);
        if (!connection.isOpen())
            return connection.error();
        const Result<qint64> result = app::TransactionCsvExport::write(
            connection.database(), filter, descending, path, [cancel, written](qint64 n) {
                written->store(n);
                return !cancel->load();
            });
        if (result)
            written->store(result.value());
        return result ? QString() : result.error();
    }));
}

} // namespace llamadesk::ui
