#include "Importer.h"

#include "Logging.h"
#include "store/TransactionRepository.h"

#include <QSqlQuery>

namespace llamadesk::import {

namespace {

// A larger page cache while importing: the primary key and the hash index receive random keys
// (docs/local-schema.md, "Bulk import"). Restored afterwards.
class ImportCache {
public:
    explicit ImportCache(const QSqlDatabase& db)
        : m_db(db) {
        QSqlQuery q(m_db);
        if (q.prepare(QStringLiteral("PRAGMA cache_size")) && q.exec() && q.next())
            m_previous = q.value(0).toLongLong();
        QSqlQuery set(m_db);
        if (set.prepare(QStringLiteral("PRAGMA cache_size = -262144"))) // KiB: 256 MiB
            set.exec();
    }
    ~ImportCache() {
        if (m_previous == 0)
            return;
        QSqlQuery q(m_db);
        if (q.prepare(QStringLiteral("PRAGMA cache_size = %1").arg(m_previous)))
            q.exec();
    }
    ImportCache(const ImportCache&) = delete;
    ImportCache& operator=(const ImportCache&) = delete;

private:
    QSqlDatabase m_db;
    qint64 m_previous = 0;
};

} // namespace

Importer::Importer(QSqlDatabase db, QString userId)
    : m_db(std::move(db))
    , m_userId(std::move(userId)) {}

Result<ImportSummary> Importer::run(const QStringList& paths, const ImportOptions& options) {
    m_cancelled = false;
    ImportSummary summary;
    const ImportCache cache(m_db);
    store::TransactionRepository repository(m_db);
    store::SqlRepository::Transaction tx(m_db);
    if (Status s = tx.begin(QStringLiteral("import")); !s)
        return Result<ImportSummary>::failure(s.error());

    const int batchSize = qMax(1, options.batchSize);
    QList<TaxTransaction> batch;
    batch.reserve(batchSize);
    const auto flush = [&](FileSummary* file) -> Status {
        if (batch.isEmpty())
            return Status::success();
        Result<store::ImportOutcome> outcome = repository.importBatch(batch);
        batch.clear();
        if (!outcome)
            return Status::failure(outcome.error());
        file->imported += outcome->inserted;
        file->duplicates += outcome->skipped.size();
        return Status::success();
    };

    for (int i = 0; i < paths.size(); ++i) {
        const QString& path = paths.at(i);
        ReadOptions read = options.read;
        read.userId = m_userId;
        read.cancel = options.cancel;
        if (options.progress) {
            read.progress = [&, i](qint64 done, qint64 total) {
                options.progress({i, int(paths.size()), path, done, total});
            };
        }
        LedgerReader reader(read);
        if (Status s = reader.open(path); !s)
            return Result<ImportSummary>::failure(s.error());

        FileSummary file;
        file.path = path;
        file.format = reader.format();
        file.formatKnown = reader.headerOk();
        LedgerRow row;
        while (reader.next(&row)) {
            // Without `partial`, the first problem anywhere means nothing will be written: read
            // on only to list every bad row.
            const bool writing =
                options.partial || (summary.problemCount == 0 && reader.problemCount() == 0);
            if (!writing) {
                batch.clear();
                continue;
            }
            batch.append(std::move(row.transaction));
            if (batch.size() >= batchSize) {
                if (Status s = flush(&file); !s)
                    return Result<ImportSummary>::failure(s.error());
            }
        }
        if (!reader.status()) {
            m_cancelled = reader.cancelled();
            return Result<ImportSummary>::failure(reader.status().error());
        }
        if (options.partial || (summary.problemCount == 0 && reader.problemCount() == 0)) {
            if (Status s = flush(&file); !s)
                return Result<ImportSummary>::failure(s.error());
        }
        batch.clear();
        file.recordsRead = reader.recordsRead();
        file.badRecords = reader.badRecords();
        summary.problems += reader.problems();
        summary.problemCount += reader.problemCount();
        summary.files.append(file);
    }

    if (options.cancel && options.cancel->load()) {
        m_cancelled = true;
        return Result<ImportSummary>::failure(tr("The import was cancelled."));
    }

    for (const FileSummary& f : summary.files) {
        summary.recordsRead += f.recordsRead;
        summary.badRecords += f.badRecords;
    }
    if (summary.problemCount > 0 && !options.partial) {
        tx.rollback();
        for (FileSummary& f : summary.files) {
            f.imported = 0;
            f.duplicates = 0;
        }
        summary.committed = false;
        return summary;
    }
    if (Status s = tx.commit(); !s)
        return Result<ImportSummary>::failure(s.error());
    for (const FileSummary& f : summary.files) {
        summary.imported += f.imported;
        summary.duplicates += f.duplicates;
    }
    summary.committed = true;
    qCInfo(lcImport) << "imported" << summary.imported << "rows," << summary.duplicates
                     << "duplicates," << summary.badRecords << "bad rows from" << paths.size()
                     << "files";
    return summary;
}

} // namespace llamadesk::import
