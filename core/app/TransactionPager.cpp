#include "app/TransactionPager.h"

namespace llamadesk::app {

TransactionPager::TransactionPager(int pageSize, int maxResidentPages)
    : m_pageSize(std::max(1, pageSize))
    , m_maxPages(std::max(2, maxResidentPages)) {}

TransactionPager::~TransactionPager() = default;

void TransactionPager::setDatabase(const QSqlDatabase& db) {
    m_repository.reset();
    if (db.isValid())
        m_repository = std::make_unique<store::TransactionRepository>(db);
    reset(m_filter, 0);
}

void TransactionPager::reset(const store::TransactionFilter& filter, qint64 count) {
    m_filter = filter;
    m_count = std::max<qint64>(0, count);
    m_pages.clear();
    m_after.clear();
    m_before.clear();
    m_lastError.clear();
}

void TransactionPager::clear() {
    m_repository.reset();
    reset(store::TransactionFilter(), 0);
}

qint64 TransactionPager::pageCount() const {
    return (m_count + m_pageSize - 1) / m_pageSize;
}

int TransactionPager::pageRows(qint64 page) const {
    const qint64 first = page * m_pageSize;
    return int(std::min<qint64>(m_pageSize, m_count - first));
}

bool TransactionPager::isResident(qint64 index) const {
    return index >= 0 && index < m_count && m_pages.contains(index / m_pageSize);
}

bool TransactionPager::canReach(qint64 index) const {
    if (index < 0 || index >= m_count || !m_repository)
        return false;
    const qint64 page = index / m_pageSize;
    return m_pages.contains(page) || page == 0 || page == pageCount() - 1 ||
           m_after.contains(page) || m_before.contains(page);
}

const TaxTransaction* TransactionPager::row(qint64 index) {
    if (!canReach(index))
        return nullptr;
    const qint64 page = index / m_pageSize;
    auto it = m_pages.find(page);
    if (it == m_pages.end()) {
        if (!load(page))
            return nullptr;
        it = m_pages.find(page);
        if (it == m_pages.end())
            return nullptr;
    }
    it->lastUse = ++m_clock;
    const qsizetype offset = qsizetype(index - page * m_pageSize);
    return offset < it->rows.size() ? &it->rows.at(offset) : nullptr;
}

bool TransactionPager::load(qint64 page) {
    const int limit = pageRows(page);
    Result<store::TransactionPage> fetched = Result<store::TransactionPage>::failure(QString());
    // Prefer a start that needs no anchor; the ends of the listing are always reachable.
    if (page == 0) {
        fetched = m_repository->page(m_filter, std::nullopt, limit, store::PageDirection::Forward);
    } else if (m_after.contains(page)) {
        fetched =
            m_repository->page(m_filter, m_after.value(page), limit, store::PageDirection::Forward);
    } else if (page == pageCount() - 1) {
        fetched = m_repository->page(m_filter, std::nullopt, limit, store::PageDirection::Backward);
    } else if (m_before.contains(page)) {
        fetched = m_repository->page(m_filter, m_before.value(page), limit,
                                     store::PageDirection::Backward);
    } else {
        return false;
    }
    if (!fetched) {
        m_lastError = tr("Cannot read transactions (page %1): %2").arg(page).arg(fetched.error());
        return false;
    }
    insertPage(page, std::move(fetched.value().rows));
    return true;
}

void TransactionPager::insertPage(qint64 page, QList<TaxTransaction> rows) {
    Page loaded;
    loaded.rows = std::move(rows);
    loaded.lastUse = ++m_clock; // the newest page must not be the one evicted
    if (!loaded.rows.isEmpty()) {
        m_after.insert(page + 1, store::TransactionKey::of(loaded.rows.constLast()));
        if (page > 0)
            m_before.insert(page - 1, store::TransactionKey::of(loaded.rows.constFirst()));
    }
    m_pages.insert(page, std::move(loaded));
    evict();
}

Result<QList<TaxTransaction>> TransactionPager::readEdge(const QSqlDatabase& db,
                                                         const store::TransactionFilter& filter,
                                                         qint64 count, int pageSize, bool atEnd,
                                                         qint64 wholeUpTo) {
    using R = Result<QList<TaxTransaction>>;
    if (count <= 0 || pageSize < 1)
        return QList<TaxTransaction>();
    // Two pages: a first screen can straddle the boundary between them.
    const qint64 lastRows = count % pageSize == 0 ? pageSize : count % pageSize;
    const qint64 wanted = count <= wholeUpTo
                              ? count
                              : std::min<qint64>(count, atEnd ? lastRows + pageSize : 2 * pageSize);
    store::TransactionRepository repository(db);
    Result<store::TransactionPage> page =
        repository.page(filter, std::nullopt, int(wanted),
                        atEnd ? store::PageDirection::Backward : store::PageDirection::Forward);
    if (!page)
        return R::failure(tr("Cannot read the first transactions: %1").arg(page.error()));
    return std::move(page.value().rows);
}

void TransactionPager::adoptEdge(const QList<TaxTransaction>& rows, bool atEnd) {
    if (rows.isEmpty() || !m_repository)
        return;
    const qint64 n = rows.size();
    if (n > m_count)
        return; // not this listing's rows
    // Listing index of rows[0].
    const qint64 base = atEnd ? m_count - n : 0;
    for (qint64 page = 0; page < pageCount(); ++page) {
        const qint64 first = page * m_pageSize;
        const qint64 size = pageRows(page);
        // Only whole pages: a partial one would answer rows it does not have.
        if (first < base || first + size > base + n)
            continue;
        insertPage(page, rows.mid(qsizetype(first - base), qsizetype(size)));
    }
}

void TransactionPager::evict() {
    while (m_pages.size() > m_maxPages) {
        auto oldest = m_pages.begin();
        for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
            if (it->lastUse < oldest->lastUse)
                oldest = it;
        }
        m_pages.erase(oldest);
    }
}

void TransactionPager::addAnchors(const QList<PageAnchor>& anchors) {
    for (const PageAnchor& a : anchors) {
        if (a.page > 0 && a.page < pageCount())
            m_after.insert(a.page, a.keyBefore);
    }
}

Status TransactionPager::scanAnchors(const QSqlDatabase& db, const store::TransactionFilter& filter,
                                     int pageSize, const std::atomic<bool>& cancel,
                                     const std::function<void(const QList<PageAnchor>&)>& sink) {
    store::TransactionRepository repository(db);
    QList<PageAnchor> batch;
    qint64 index = 0;
    const Status status = repository.forEach(filter, [&](const TaxTransaction& t) {
        if (cancel.load(std::memory_order_relaxed))
            return false;
        ++index;
        if (index % pageSize == 0) {
            batch.append({index / pageSize, store::TransactionKey::of(t)});
            if (batch.size() >= 256) {
                sink(batch);
                batch.clear();
            }
        }
        return true;
    });
    if (!batch.isEmpty() && !cancel.load())
        sink(batch);
    return status;
}

} // namespace llamadesk::app
