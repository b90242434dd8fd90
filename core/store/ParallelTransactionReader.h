#pragma once

#include "store/TransactionRepository.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>

#include <functional>

namespace llamadesk::store {

// Reads the rows of a filter in ascending (timestamp, id) order, like
// TransactionRepository::forEach, with the reading and decoding spread over several threads:
// the time range is cut into chunks of a few thousand rows, reader threads with connections of
// their own each take the next chunk when they finish one, and the visitor sees the chunks in
// order, on the calling thread. Only a few chunks are read ahead of the visitor, so memory does
// not grow with the vault. On a full read of a big vault, decryption and decoding (two thirds of
// a tax run's time) then run beside the visitor's own work. While the table's rowid order is its
// time order (TransactionRepository::rowsInTimeOrder), a read of a time range is cut into rowid
// ranges instead, read straight from the table without the time index.
//
// Every reader sees one and the same state of the vault: the caller's connection holds the write
// lock (BEGIN IMMEDIATE) while the range is cut and the readers begin their read transactions, so
// no commit can fall between them, and it lets go as soon as they have. When that lock cannot be
// taken, a reader connection cannot be opened, or the range is too small to be worth cutting, the
// rows are read by forEach on the caller's connection instead (the same rows, in the same order).
class ParallelTransactionReader {
    Q_DECLARE_TR_FUNCTIONS(ParallelTransactionReader)

public:
    // Opens a new connection to the same vault under connectionName, in the calling thread (each
    // reader thread calls it for itself). Returns an invalid or closed database on failure.
    using ConnectionFactory =
        std::function<QSqlDatabase(const QString& connectionName, QString* error)>;

    struct Options {
        int readers = 2;         // reader threads; 1 or less reads on the caller's connection
        int chunkRows = 2048;    // rows per chunk, roughly (chunks are cut at sampled times)
        int chunksAhead = 0;     // chunks read ahead of the visitor; 0 means 2 per reader
        int minimumRows = 20000; // below this many rows (estimated), read on one connection
        // Page cache of each reader connection, in KiB. A scan reads each page once, so a small
        // cache loses nothing and saves memory (and the page faults of filling a big one).
        int readerCacheKb = 2048;
        TransactionColumns columns = TransactionColumns::All;
    };

    ParallelTransactionReader(QSqlDatabase db, ConnectionFactory openConnection);
    ParallelTransactionReader(QSqlDatabase db, ConnectionFactory openConnection,
                              const Options& options);

    // Streams the rows to visitor, which returns false to stop early (not an error). The
    // filter's search, if any, must not be a prefix search (it is read with forEach).
    Status forEach(const TransactionFilter& filter, const TransactionRepository::Visitor& visitor);

    // What the last forEach did: reader threads used (0 when it read on the caller's connection)
    // and the chunks the range was cut into; why it read on one connection, if it did.
    int readersUsed() const { return m_readersUsed; }
    int chunksUsed() const { return m_chunksUsed; }
    // Whether the readers read rowid ranges of the table (its rows were in time order) rather
    // than time ranges through the time index.
    bool readInRowidOrder() const { return m_rowidOrder; }
    QString fallbackReason() const { return m_fallbackReason; }

private:
    struct Shared;
    struct Chunk;
    // The pieces the readers take, in order; empty when there are too few rows to cut. Called
    // with the write lock held.
    Result<QList<Chunk>> cutIntoChunks(const TransactionFilter& filter);
    // Chunk boundaries inside [filter.from, filter.until): sampled times, sorted, distinct.
    Result<QList<Timestamp>> chunkBoundaries(const TransactionFilter& filter);
    // How many chunks a read over this many rowids is cut into (about chunkRows each, at least
    // 2, at most kMaxChunks); 0 when it is below minimumRows and not worth cutting.
    qint64 piecesFor(qint64 rowidSpan) const;
    Status readOnCaller(const TransactionFilter& filter,
                        const TransactionRepository::Visitor& visitor, const QString& why);
    static void runReader(Shared* shared);

    QSqlDatabase m_db;
    ConnectionFactory m_openConnection;
    Options m_options;
    int m_readersUsed = 0;
    int m_chunksUsed = 0;
    bool m_rowidOrder = false;
    QString m_fallbackReason;
};

} // namespace llamadesk::store
