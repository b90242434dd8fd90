#include "ParallelTransactionReader.h"

#include "Logging.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace llamadesk::store {

namespace {

// Connection names must be unique in the process: one number per reader ever started.
std::atomic<quint64> g_readerNumber{0};

// The most chunks a range is cut into: enough for ~8M rows at the default chunk size, and few
// enough that sampling their boundaries stays a few milliseconds.
constexpr qint64 kMaxChunks = 4096;

} // namespace

// A piece of the read: a time range (readRows) or, when the table is in time order, a rowid range
// (readRowidRange).
struct ParallelTransactionReader::Chunk {
    TransactionFilter filter;
    std::optional<RowidRange> rowids;
};

struct ParallelTransactionReader::Shared {
    ConnectionFactory open;
    QList<Chunk> chunks;
    TransactionColumns columns = TransactionColumns::All;
    int ahead = 4;
    int chunkRows = 2048;
    int cacheKb = 2048;

    std::mutex mutex;
    std::condition_variable changed;
    int nextChunk = 0;  // the next chunk a reader takes
    int consumed = 0;   // chunks the visitor has finished
    int started = 0;    // readers that have begun their read transaction (or failed to)
    QString startError; // why the first reader that failed to start failed
    std::atomic<bool> stop{false};

    struct Slot {
        std::vector<TaxTransaction> rows;
        size_t count = 0;
        Status status = Status::success();
        bool ready = false;
    };
    std::vector<Slot> chunkResults;
    // Row vectors the visitor is done with, for the readers to fill again: their rows and the
    // strings in them are reused instead of freed on one thread and allocated on another.
    std::vector<std::vector<TaxTransaction>> spare;

    void finish() {
        {
            std::lock_guard<std::mutex> lock(mutex);
            stop.store(true);
        }
        changed.notify_all();
    }
};

ParallelTransactionReader::ParallelTransactionReader(QSqlDatabase db,
                                                     ConnectionFactory openConnection)
    : ParallelTransactionReader(std::move(db), std::move(openConnection), Options()) {}

ParallelTransactionReader::ParallelTransactionReader(QSqlDatabase db,
                                                     ConnectionFactory openConnection,
                                                     const Options& options)
    : m_db(std::move(db))
    , m_openConnection(std::move(openConnection))
    , m_options(options) {}

Status ParallelTransactionReader::readOnCaller(const TransactionFilter& filter,
                                               const TransactionRepository::Visitor& visitor,
                                               const QString& why) {
    m_readersUsed = 0;
    m_chunksUsed = 1;
    m_fallbackReason = why;
    TransactionRepository repository(m_db);
    return repository.forEach(filter, visitor, false, m_options.columns);
}

qint64 ParallelTransactionReader::piecesFor(qint64 rowidSpan) const {
    if (rowidSpan < std::max(m_options.minimumRows, 1))
        return 0;
    return std::clamp<qint64>(rowidSpan / std::max(m_options.chunkRows, 1), 2, kMaxChunks);
}

Result<QList<Timestamp>>
ParallelTransactionReader::chunkBoundaries(const TransactionFilter& filter) {
    using R = Result<QList<Timestamp>>;
    const auto failed = [](const QSqlQuery& q) {
        return R::failure(tr("ParallelTransactionReader: %1").arg(q.lastError().text()));
    };
    // Rows are sampled by rowid: every row has one, so evenly spaced rowids sample the rows
    // evenly whatever order they were written in, at a cost of one index seek per sample.
    const Result<std::optional<RowidRange>> range =
        TransactionRepository(m_db).rowidRangeOf(std::nullopt, std::nullopt);
    if (!range)
        return R::failure(tr("ParallelTransactionReader: %1").arg(range.error()));
    if (!range->has_value())
        return QList<Timestamp>(); // no rows
    const qint64 first = range->value().first;
    const qint64 last = range->value().last;
    const qint64 span = last - first + 1;
    const qint64 samples = piecesFor(span);
    if (samples == 0)
        return QList<Timestamp>();

    QList<Timestamp> boundaries;
    boundaries.reserve(samples);
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(QStringLiteral(
            "SELECT timestamp FROM tax_transactions WHERE rowid >= ? ORDER BY rowid LIMIT 1")))
        return failed(q);
    for (qint64 i = 1; i < samples; ++i) {
        q.bindValue(0, first + span * i / samples);
        if (!q.exec())
            return failed(q);
        if (!q.next())
            continue;
        const Result<Timestamp> at = Timestamp::parse(q.value(0).toString());
        q.finish();
        if (!at)
            return R::failure(tr("ParallelTransactionReader: %1").arg(at.error()));
        // Only boundaries strictly inside the filter's range cut it.
        if ((filter.from && !(*filter.from < at.value())) ||
            (filter.until && !(at.value() < *filter.until)))
            continue;
        boundaries.append(at.value());
    }
    std::sort(boundaries.begin(), boundaries.end());
    boundaries.erase(std::unique(boundaries.begin(), boundaries.end()), boundaries.end());
    return boundaries;
}

void ParallelTransactionReader::runReader(Shared* shared) {
    const QString name =
        QStringLiteral("llamadesk-chunk-reader-%1").arg(g_readerNumber.fetch_add(1));
    {
        QString error;
        QSqlDatabase db = shared->open(name, &error);
        bool ok = db.isOpen();
        if (ok) {
            // A deferred BEGIN plus one read fixes this connection's snapshot while the caller
            // holds the write lock; it stays the same until the COMMIT at the end.
            QSqlQuery q(db);
            q.setForwardOnly(true);
            ok = q.exec(QStringLiteral("PRAGMA cache_size = -%1").arg(shared->cacheKb)) &&
                 q.exec(QStringLiteral("BEGIN")) &&
                 q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) && q.next();
            if (!ok)
                error = q.lastError().text();
        } else if (error.isEmpty()) {
            error = tr("a reader connection could not be opened");
        }
        {
            std::lock_guard<std::mutex> lock(shared->mutex);
            ++shared->started;
            if (!ok && shared->startError.isEmpty())
                shared->startError = error;
        }
        shared->changed.notify_all();

        if (ok) {
            TransactionRepository repository(db);
            std::vector<TaxTransaction> rows;
            while (true) {
                int chunk = -1;
                {
                    std::unique_lock<std::mutex> lock(shared->mutex);
                    shared->changed.wait(lock, [shared] {
                        return shared->stop.load() || shared->nextChunk >= shared->chunks.size() ||
                               shared->nextChunk < shared->consumed + shared->ahead;
                    });
                    if (shared->stop.load() || shared->nextChunk >= shared->chunks.size())
                        break;
                    chunk = shared->nextChunk++;
                    if (!shared->spare.empty()) {
                        rows.swap(shared->spare.back());
                        shared->spare.pop_back();
                    }
                }
                size_t count = 0;
                const Chunk& piece = shared->chunks[chunk];
                const Status status =
                    piece.rowids ? repository.readRowidRange(piece.filter, *piece.rowids, &rows,
                                                             &count, shared->columns, &shared->stop)
                                 : repository.readRows(piece.filter, &rows, &count, shared->columns,
                                                       &shared->stop);
                {
                    std::lock_guard<std::mutex> lock(shared->mutex);
                    Shared::Slot& slot = shared->chunkResults[size_t(chunk)];
                    slot.rows.swap(rows);
                    slot.count = count;
                    slot.status = status;
                    slot.ready = true;
                }
                shared->changed.notify_all();
                if (!status)
                    break;
            }
        }
        if (db.isOpen()) {
            QSqlQuery end(db);
            end.exec(QStringLiteral("COMMIT")); // ends the read transaction; nothing was written
            end.finish();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
}

Result<QList<ParallelTransactionReader::Chunk>>
ParallelTransactionReader::cutIntoChunks(const TransactionFilter& filter) {
    using R = Result<QList<Chunk>>;
    QList<Chunk> chunks;
    // Rowid order: only for a time range of every row (what a tax run reads). A narrower filter
    // (a wallet, a type) reads fewer rows through its own index.
    const bool timeRangeOnly = filter.assets.isEmpty() && filter.types.isEmpty() &&
                               filter.wallets.isEmpty() && !filter.chainId &&
                               filter.search.isEmpty();
    TransactionRepository repository(m_db);
    const Result<bool> inOrder = timeRangeOnly ? repository.rowsInTimeOrder() : Result<bool>(false);
    if (!inOrder)
        return R::failure(inOrder.error());
    if (inOrder.value()) {
        const Result<std::optional<RowidRange>> range =
            repository.rowidRangeOf(filter.from, filter.until);
        if (!range)
            return R::failure(range.error());
        if (!range->has_value())
            return chunks; // no rows
        const qint64 first = range->value().first;
        const qint64 span = range->value().last - first + 1;
        const qint64 pieces = piecesFor(span);
        if (pieces == 0)
            return chunks;
        for (qint64 i = 0; i < pieces; ++i)
            chunks.append(Chunk{filter, RowidRange{first + span * i / pieces,
                                                   first + span * (i + 1) / pieces - 1}});
        m_rowidOrder = true;
        return chunks;
    }
    const Result<QList<Timestamp>> boundaries = chunkBoundaries(filter);
    if (!boundaries)
        return R::failure(boundaries.error());
    if (boundaries->isEmpty())
        return chunks;
    for (qsizetype i = 0; i <= boundaries->size(); ++i) {
        TransactionFilter chunk = filter;
        if (i > 0)
            chunk.from = boundaries->at(i - 1);
        if (i < boundaries->size())
            chunk.until = boundaries->at(i);
        chunks.append(Chunk{chunk, std::nullopt});
    }
    return chunks;
}

Status ParallelTransactionReader::forEach(const TransactionFilter& filter,
                                          const TransactionRepository::Visitor& visitor) {
    m_readersUsed = 0;
    m_chunksUsed = 0;
    m_rowidOrder = false;
    m_fallbackReason.clear();
    if (m_options.readers <= 1 || !m_openConnection)
        return readOnCaller(filter, visitor, tr("one reader was asked for"));
    if (!filter.search.isEmpty())
        return readOnCaller(filter, visitor, tr("a search is read in one piece"));

    // No commit may fall between the cut and the readers' snapshots (a rowid range cut from one
    // state of the table would miss rows of another): hold the write lock until the readers have
    // taken them (readers are never blocked by a writer in WAL mode).
    if (!m_db.transaction())
        return readOnCaller(filter, visitor,
                            tr("the vault is busy (%1)").arg(m_db.lastError().text()));
    Result<QList<Chunk>> chunks = cutIntoChunks(filter);
    if (!chunks || chunks->isEmpty()) {
        m_db.rollback(); // nothing was written: this only lets go of the lock
        m_rowidOrder = false;
        if (!chunks)
            return Status::failure(chunks.error());
        return readOnCaller(filter, visitor, tr("too few rows to cut"));
    }

    auto shared = std::make_unique<Shared>();
    shared->open = m_openConnection;
    shared->columns = m_options.columns;
    shared->chunkRows = std::max(m_options.chunkRows, 1);
    shared->cacheKb = std::max(m_options.readerCacheKb, 64);
    shared->ahead = m_options.chunksAhead > 0 ? m_options.chunksAhead : 2 * m_options.readers;
    shared->chunks = std::move(chunks.value());
    shared->chunkResults.resize(size_t(shared->chunks.size()));

    const int readers = m_options.readers;
    std::vector<std::unique_ptr<QThread>> threads;
    threads.reserve(size_t(readers));
    for (int i = 0; i < readers; ++i) {
        threads.emplace_back(QThread::create(&ParallelTransactionReader::runReader, shared.get()));
        threads.back()->start();
    }
    QString startError;
    {
        std::unique_lock<std::mutex> lock(shared->mutex);
        shared->changed.wait(lock, [&] { return shared->started == readers; });
        startError = shared->startError;
    }
    m_db.rollback(); // nothing was written: this only lets go of the lock
    const auto joinAll = [&] {
        shared->finish();
        for (const auto& t : threads)
            t->wait();
    };
    if (!startError.isEmpty()) {
        joinAll();
        m_rowidOrder = false;
        qCWarning(lcStore) << "parallel read fell back to one connection:" << startError;
        return readOnCaller(filter, visitor, startError);
    }
    m_readersUsed = readers;
    m_chunksUsed = int(shared->chunks.size());

    Status result = Status::success();
    bool stopped = false;
    for (qsizetype chunk = 0; chunk < shared->chunks.size() && !stopped && result; ++chunk) {
        std::vector<TaxTransaction> rows;
        size_t count = 0;
        {
            std::unique_lock<std::mutex> lock(shared->mutex);
            Shared::Slot& slot = shared->chunkResults[size_t(chunk)];
            shared->changed.wait(lock, [&slot] { return slot.ready; });
            rows.swap(slot.rows);
            count = slot.count;
            result = slot.status;
        }
        if (!result)
            break;
        for (size_t i = 0; i < count; ++i) {
            if (!visitor(rows[i])) {
                stopped = true;
                break;
            }
        }
        {
            std::lock_guard<std::mutex> lock(shared->mutex);
            shared->consumed = int(chunk) + 1;
            shared->spare.push_back(std::move(rows));
        }
        shared->changed.notify_all();
    }
    joinAll();
    return result;
}

} // namespace llamadesk::store
