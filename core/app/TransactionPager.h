#pragma once

#include "Result.h"
#include "store/TransactionRepository.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QSqlDatabase>

#include <atomic>
#include <functional>
#include <memory>

namespace llamadesk::app {

// Where keyset paging can start to reach a page: the key of the last row before it.
struct PageAnchor {
    qint64 page = 0;
    store::TransactionKey keyBefore;
};

// Random access by row number to a filtered tax_transactions listing in (timestamp, id) order,
// without ever holding it all: rows live in pages of `pageSize`, at most `maxResidentPages` of
// them at a time (least recently used go first). A page is fetched by keyset paging from a
// neighbour's key, from either end of the listing, or from an anchor that a background scan
// (scanAnchors) reports; a page that none of these reach yet is "not available", never a stall.
// Keys of visited pages are remembered (a few bytes each) so coming back is always one query.
class TransactionPager {
    Q_DECLARE_TR_FUNCTIONS(TransactionPager)

public:
    explicit TransactionPager(int pageSize = 200, int maxResidentPages = 24);
    ~TransactionPager();
    TransactionPager(const TransactionPager&) = delete;
    TransactionPager& operator=(const TransactionPager&) = delete;

    // The connection of the calling thread that pages are read from; an invalid one detaches.
    void setDatabase(const QSqlDatabase& db);
    // A new listing with `count` rows (counted by the caller, usually off this thread).
    void reset(const store::TransactionFilter& filter, qint64 count);
    // Forgets every row, key and the connection (the vault is being locked).
    void clear();

    const store::TransactionFilter& filter() const { return m_filter; }
    qint64 count() const { return m_count; }
    int pageSize() const { return m_pageSize; }
    int maxResidentPages() const { return m_maxPages; }
    int residentPages() const { return int(m_pages.size()); }

    // The row at `index` (0-based, ascending order), loading its page when it can be reached;
    // nullptr when it cannot be reached yet or the query failed (lastError()).
    const TaxTransaction* row(qint64 index);
    // Whether row(index) would answer without waiting for more anchors.
    bool canReach(qint64 index) const;
    bool isResident(qint64 index) const;
    QString lastError() const { return m_lastError; }

    void addAnchors(const QList<PageAnchor>& anchors);

    // The rows of the pages at one end of a listing of `count` rows (the first two pages, or
    // the last page and the one before it), read on the caller's connection: a worker reads
    // them with the count so that the first screen of a new filter needs no query on the GUI
    // thread. A listing of at most `wholeUpTo` rows is read whole instead, so that scrolling
    // it (a rare search, above all) never queries on the GUI thread. In ascending order.
    static Result<QList<TaxTransaction>> readEdge(const QSqlDatabase& db,
                                                  const store::TransactionFilter& filter,
                                                  qint64 count, int pageSize, bool atEnd,
                                                  qint64 wholeUpTo = 0);
    // Takes rows from readEdge (for this listing, after reset()) as resident pages.
    void adoptEdge(const QList<TaxTransaction>& rows, bool atEnd);

    // Streams the listing once on the calling thread's connection and reports the key that ends
    // each page, in batches, until done or `cancel` is set.
    static Status scanAnchors(const QSqlDatabase& db, const store::TransactionFilter& filter,
                              int pageSize, const std::atomic<bool>& cancel,
                              const std::function<void(const QList<PageAnchor>&)>& sink);

private:
    struct Page {
        QList<TaxTransaction> rows;
        quint64 lastUse = 0;
    };
    qint64 pageCount() const;
    int pageRows(qint64 page) const;
    bool load(qint64 page);
    void evict();
    void insertPage(qint64 page, QList<TaxTransaction> rows);

    int m_pageSize;
    int m_maxPages;
    std::unique_ptr<store::TransactionRepository> m_repository;
    store::TransactionFilter m_filter;
    qint64 m_count = 0;
    QHash<qint64, Page> m_pages;
    QHash<qint64, store::TransactionKey> m_after;  // page -> key of the row just before it
    QHash<qint64, store::TransactionKey> m_before; // page -> key of the row just after it
    quint64 m_clock = 0;
    QString m_lastError;
};

} // namespace llamadesk::app
