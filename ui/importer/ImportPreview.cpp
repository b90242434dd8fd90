#include "ImportPreview.h"

#include "store/TransactionRepository.h"

#include <QFileInfo>
#include <QSet>

namespace llamadesk::ui {

qint64 PreviewResult::records() const {
    qint64 n = 0;
    for (const PreviewFile& f : files)
        n += f.records;
    return n;
}

qint64 PreviewResult::ready() const {
    qint64 n = 0;
    for (const PreviewFile& f : files)
        n += f.ready;
    return n;
}

qint64 PreviewResult::duplicates() const {
    qint64 n = 0;
    for (const PreviewFile& f : files)
        n += f.duplicates;
    return n;
}

qint64 PreviewResult::bad() const {
    qint64 n = 0;
    for (const PreviewFile& f : files)
        n += f.bad;
    return n;
}

bool PreviewResult::hasFileProblems() const {
    for (const PreviewFile& f : files) {
        if (!f.fileProblems.isEmpty() || !f.error.isEmpty())
            return true;
    }
    return false;
}

namespace {

// Turns the problems the reader recorded since `from` into bad rows (one per line), keeping the
// file order; those at line 0 concern the whole file.
void takeProblems(const import::LedgerReader& reader, int* from, int maxRows, PreviewFile* file) {
    const QList<import::ImportProblem>& all = reader.problems();
    for (; *from < all.size(); ++*from) {
        const import::ImportProblem& p = all.at(*from);
        if (p.line <= 0) {
            file->fileProblems.append(p);
            continue;
        }
        const bool sameRow = !file->rows.isEmpty() &&
                             file->rows.constLast().state == PreviewRow::State::Problem &&
                             file->rows.constLast().line == p.line && !file->truncated;
        if (sameRow) {
            file->problems.append(p);
            ++file->rows.last().problemCount;
            continue;
        }
        if (file->rows.size() >= maxRows) {
            file->truncated = true;
            continue;
        }
        PreviewRow row;
        row.line = p.line;
        row.state = PreviewRow::State::Problem;
        row.firstProblem = int(file->problems.size());
        row.problemCount = 1;
        file->problems.append(p);
        file->rows.append(row);
    }
}

} // namespace

PreviewResult ImportPreview::build(const QStringList& paths, const QSqlDatabase& db,
                                   const Options& options) {
    PreviewResult result;
    std::unique_ptr<store::TransactionRepository> repository;
    if (db.isValid() && db.isOpen())
        repository = std::make_unique<store::TransactionRepository>(db);
    // Rows met earlier in this import: the importer skips a second copy as a duplicate too.
    QSet<QString> seen;
    qint64 before = 0; // bytes of the files already read
    for (const QString& path : paths) {
        PreviewFile file;
        file.path = path;
        file.bytes = QFileInfo(path).size();
        import::ReadOptions read = options.read;
        read.cancel = options.cancel;
        // Keep every problem the table can show: each one is a row the user should see.
        read.maxProblems = qMax(read.maxProblems, options.maxRows);
        if (options.bytesDone) {
            read.progress = [&before, &options](qint64 done, qint64) {
                options.bytesDone->store(before + done);
            };
        }
        import::LedgerReader reader(read);
        if (Status s = reader.open(path); !s) {
            file.error = s.error();
            result.files.append(file);
            before += file.bytes;
            continue;
        }
        file.format = reader.format();
        file.formatKnown = reader.headerOk();
        // What open() reported is about the header, not about a row.
        file.fileProblems = reader.problems();
        int taken = int(reader.problems().size());

        import::LedgerRow row;
        while (reader.next(&row)) {
            takeProblems(reader, &taken, options.maxRows, &file);
            bool duplicate = false;
            const QString key = row.transaction.userId + QLatin1Char('|') +
                                store::TransactionRepository::dedupeKey(row.transaction);
            if (seen.contains(key)) {
                duplicate = true;
            } else {
                seen.insert(key);
                if (repository) {
                    const Result<bool> found = repository->existsDuplicate(row.transaction);
                    if (!found) {
                        result.error = found.error();
                        repository.reset(); // stop asking: the counts say "unknown" instead
                    } else {
                        duplicate = *found;
                    }
                }
            }
            if (duplicate)
                ++file.duplicates;
            else
                ++file.ready;
            if (file.rows.size() >= options.maxRows) {
                file.truncated = true;
                continue;
            }
            PreviewRow preview;
            preview.line = row.line;
            preview.state = duplicate ? PreviewRow::State::Duplicate : PreviewRow::State::Ready;
            preview.transaction = int(file.transactions.size());
            file.transactions.append(std::move(row.transaction));
            file.rows.append(preview);
        }
        takeProblems(reader, &taken, options.maxRows, &file);
        if (!reader.status()) {
            if (reader.cancelled()) {
                result.cancelled = true;
                return result;
            }
            file.error = reader.status().error();
        }
        file.records = reader.recordsRead();
        file.bad = reader.badRecords();
        file.problemCount = reader.problemCount();
        before += file.bytes;
        if (options.bytesDone)
            options.bytesDone->store(before);
        result.files.append(file);
    }
    if (options.cancel && options.cancel->load())
        result.cancelled = true;
    return result;
}

} // namespace llamadesk::ui
