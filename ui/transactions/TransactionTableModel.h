#pragma once

#include "app/TransactionPager.h"
#include "store/TransactionRepository.h"

#include <QAbstractTableModel>
#include <QSqlDatabase>
#include <QTimer>

#include <memory>

namespace llamadesk::vault {
class Vault;
}

namespace llamadesk::ui {

// tax_transactions as a table that stays light with millions of rows: the row count comes from
// a count on a worker thread, rows from app::TransactionPager (a bounded set of keyset pages
// fetched around what the view shows), and a worker scan supplies the keys that let any row be
// reached directly. Rows not reachable yet show "Loading…" and fill in when the scan gets there.
class TransactionTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        DateColumn,
        TypeColumn,
        WalletColumn,
        ReceivedColumn,
        SentColumn,
        FeeColumn,
        ValueColumn,
        GainColumn,
        HashColumn,
        NotesColumn,
        ColumnCount
    };
    enum Role { IdRole = Qt::UserRole + 1, ResolvedRole };

    explicit TransactionTableModel(QObject* parent = nullptr, int pageSize = 200,
                                   int maxResidentPages = 24);
    ~TransactionTableModel() override;

    // Shows the vault's transactions through `db` (a connection of this thread); `vault` opens
    // the workers' own connections.
    void attach(std::shared_ptr<const vault::Vault> vault, const QSqlDatabase& db);
    // Forgets every row and key, and stops the workers (the vault is being locked).
    void detach();
    bool isAttached() const { return bool(m_vault); }

    void setFilter(const store::TransactionFilter& filter);
    store::TransactionFilter filter() const { return m_filter; }
    bool isDescending() const { return m_descending; }
    // Counts and lists again (after an insert or a delete).
    void reload();
    // Drops the cached rows but keeps the count (after an edit of one row).
    void refreshRows();

    bool isLoading() const { return m_loading; }
    bool isScanning() const { return m_scanning; }
    qint64 totalCount() const { return m_pager.count(); }
    int residentPages() const { return m_pager.residentPages(); }
    int maxResidentPages() const { return m_pager.maxResidentPages(); }
    // The row's transaction when it can be read now (loads its page), nullptr otherwise.
    const TaxTransaction* transactionAt(int row);
    // The model row of the n-th row in (timestamp, id) order, given the sort direction.
    qint64 ascendingIndex(int row) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    // Only the date column sorts (the listing's order is (timestamp, id)); both directions.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

signals:
    // The count for the current filter is known and the rows can be read.
    void loaded(qint64 count);
    void loadFailed(const QString& message);
    // The background scan has finished: every row is reachable.
    void scanFinished();

private:
    struct Job;
    void startQuery();
    void poll();
    void cancelJob();
    QString cellText(const TaxTransaction& t, int column) const;

    std::shared_ptr<const vault::Vault> m_vault;
    mutable app::TransactionPager m_pager;
    store::TransactionFilter m_filter;
    bool m_descending = true;
    bool m_loading = false;
    bool m_scanning = false;
    mutable bool m_missedRows = false; // a row was asked for that was not reachable yet
    std::shared_ptr<Job> m_job;
    QTimer m_poll;
};

} // namespace llamadesk::ui
