#include "LedgerReader.h"

#include "import/CsvReader.h"
#include "import/OccurrenceCounter.h"
#include "import/RowParser.h"
#include "tax/LedgerIds.h"
#include "tax/TaxOptions.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QUuid>

namespace llamadesk::import {

QString toString(SourceFormat format) {
    switch (format) {
    case SourceFormat::Canonical:
        return QStringLiteral("canonical");
    case SourceFormat::Koinly:
        return QStringLiteral("koinly");
    case SourceFormat::CoinTracker:
        return QStringLiteral("cointracker");
    }
    return QString();
}

QStringList ReadOptions::defaultFiatCurrencies() {
    return tax::TaxOptions::defaultFiatCurrencies();
}

namespace {
constexpr qint64 kProgressEvery = 4096;
} // namespace

struct LedgerReader::Private {
    ReadOptions options;
    std::unique_ptr<QFile> file;
    QIODevice* device = nullptr;
    QString name;
    std::unique_ptr<CsvReader> csv;
    std::unique_ptr<RowParser> parser;
    SourceFormat format = SourceFormat::Canonical;
    qint64 headerLine = 0;
    int columns = 0;
    bool headerOk = false;
    bool finished = false;
    bool cancelled = false;
    Status status;
    QList<ImportProblem> problems;
    qint64 problemCount = 0;
    qint64 recordsRead = 0;
    qint64 badRecords = 0;
    qint64 total = 0;
    // How often each derived-hash content was seen, so identical rows in one file stay distinct
    // and a re-import gives every row the same hash again.
    OccurrenceCounter seen;
    // How often each row identity was seen (keyed by 64 bits of its first stable id), so a row
    // gets the id tax::LedgerIds gives it when the same file is taxed without a vault.
    OccurrenceCounter identities;

    void add(const ImportProblem& p) {
        ++problemCount;
        if (problems.size() < options.maxProblems)
            problems.append(p);
    }
    void add(const QList<ImportProblem>& list) {
        for (const ImportProblem& p : list)
            add(p);
    }
};

LedgerReader::LedgerReader(ReadOptions options)
    : d(std::make_unique<Private>()) {
    d->options = std::move(options);
}

LedgerReader::~LedgerReader() = default;

Status LedgerReader::open(const QString& path) {
    d->file = std::make_unique<QFile>(path);
    if (!d->file->open(QIODevice::ReadOnly)) {
        return Status::failure(
            tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(path), d->file->errorString()));
    }
    return open(d->file.get(), path);
}

Status LedgerReader::open(QIODevice* device, const QString& name) {
    d->device = device;
    d->name = name;
    d->total = device->isSequential() ? 0 : device->size();
    CsvLimits limits;
    limits.maxFieldBytes = d->options.maxFieldBytes;
    limits.maxRecordBytes = d->options.maxRecordBytes;
    d->csv = std::make_unique<CsvReader>(device, limits);

    CsvRecord header;
    if (!d->csv->next(&header)) {
        d->finished = true;
        if (d->csv->fatalError() == CsvError::ReadError)
            return Status::failure(tr("Cannot read %1: %2").arg(name, device->errorString()));
        if (d->csv->fatalError() == CsvError::UnterminatedQuote) {
            d->add({name, header.line, QString(), ProblemCode::UnterminatedQuote,
                    header.errorMessage});
            return Status::success();
        }
        d->add({name, 0, QString(), ProblemCode::EmptyFile,
                tr("the file is empty: a header row is expected (%1)")
                    .arg(RowParser::expectedColumns())});
        return Status::success();
    }
    d->headerLine = header.line;
    if (header.error != CsvError::None) {
        d->finished = true;
        d->add({name, header.line, QString(),
                header.error == CsvError::BadUtf8 ? ProblemCode::BadUtf8 : ProblemCode::StrayQuote,
                tr("the header row cannot be read: %1").arg(header.errorMessage)});
        return Status::success();
    }

    QStringList names;
    for (const QString& f : header.fields)
        names.append(f.trimmed());
    d->columns = int(names.size());

    QSet<QString> seen;
    bool duplicates = false;
    for (const QString& n : names) {
        const QString key = n.toLower();
        if (seen.contains(key)) {
            d->add({name, header.line, n, ProblemCode::DuplicateColumn,
                    tr("the column appears more than once in the header")});
            duplicates = true;
        }
        seen.insert(key);
    }
    if (duplicates) {
        d->finished = true;
        return Status::success();
    }

    const std::optional<SourceFormat> format = RowParser::detect(names);
    if (!format) {
        d->finished = true;
        d->add(
            {name, header.line, QString(), ProblemCode::UnrecognizedFormat,
             tr("unrecognized format: the header (%1) matches no known layout; expected %2")
                 .arg(names.join(QStringLiteral(", ")).left(300), RowParser::expectedColumns())});
        return Status::success();
    }
    d->format = *format;
    d->parser = RowParser::create(*format, d->options, name);
    QList<ImportProblem> headerProblems;
    d->headerOk = d->parser->setHeader(names, header.line, &headerProblems);
    d->add(headerProblems);
    if (!d->headerOk)
        d->finished = true;
    return Status::success();
}

SourceFormat LedgerReader::format() const {
    return d->format;
}

bool LedgerReader::headerOk() const {
    return d->headerOk;
}

namespace {

QString derivedHash(const TaxTransaction& t, quint32 occurrence, quint64* key) {
    const auto dec = [](const std::optional<Decimal>& v) {
        return v ? v->toString() : QString();
    };
    const QStringList parts = {
        t.wallet,
        t.timestamp.toString(),
        toString(t.transactionType),
        t.assetInSymbol.value_or(QString()),
        dec(t.assetInAmount),
        t.assetOutSymbol.value_or(QString()),
        dec(t.assetOutAmount),
        t.feeSymbol.value_or(QString()),
        dec(t.feeAmount),
    };
    // Unit separators cannot appear in a field that was accepted, so the join is unambiguous.
    QByteArray material = parts.join(QChar(0x1F)).toUtf8();
    const QByteArray base = QCryptographicHash::hash(material, QCryptographicHash::Sha256);
    quint64 k = 0;
    for (int i = 0; i < 8; ++i)
        k = (k << 8) | quint8(base.at(i));
    *key = k;
    if (occurrence > 0)
        material += QByteArray(1, '\x1f') + QByteArray::number(occurrence);
    const QByteArray digest =
        occurrence > 0 ? QCryptographicHash::hash(material, QCryptographicHash::Sha256) : base;
    // "derived:" plus 58 hex digits (232 bits) fits transaction_hash's 66 characters.
    return QStringLiteral("derived:") + QString::fromLatin1(digest.toHex().left(58));
}

ProblemCode codeOf(CsvError e) {
    switch (e) {
    case CsvError::BadUtf8:
        return ProblemCode::BadUtf8;
    case CsvError::StrayQuote:
        return ProblemCode::StrayQuote;
    case CsvError::FieldTooLong:
    case CsvError::RecordTooLong:
        return ProblemCode::FieldTooLong;
    case CsvError::UnterminatedQuote:
        return ProblemCode::UnterminatedQuote;
    case CsvError::None:
    case CsvError::ReadError:
        break;
    }
    return ProblemCode::InvalidRow;
}

} // namespace

bool LedgerReader::next(LedgerRow* row) {
    if (d->finished)
        return false;
    for (;;) {
        if (d->options.cancel && d->options.cancel->load(std::memory_order_relaxed)) {
            d->cancelled = true;
            d->finished = true;
            d->status = Status::failure(tr("The import of %1 was cancelled.").arg(d->name));
            return false;
        }
        CsvRecord record;
        if (!d->csv->next(&record)) {
            d->finished = true;
            if (d->csv->fatalError() == CsvError::ReadError) {
                d->status = Status::failure(
                    tr("Cannot read %1: %2").arg(d->name, d->device->errorString()));
            } else if (d->csv->fatalError() == CsvError::UnterminatedQuote) {
                ++d->recordsRead;
                ++d->badRecords;
                d->add({d->name, record.line, QString(), ProblemCode::UnterminatedQuote,
                        record.errorMessage});
            } else if (d->recordsRead == 0) {
                d->add({d->name, 0, QString(), ProblemCode::NoRows,
                        tr("the file has a header row but no transactions")});
            }
            if (d->options.progress)
                d->options.progress(d->csv->bytesRead(), d->total);
            return false;
        }
        ++d->recordsRead;
        if (d->options.progress && d->recordsRead % kProgressEvery == 0)
            d->options.progress(d->csv->bytesRead(), d->total);

        if (record.error != CsvError::None) {
            ++d->badRecords;
            QString column;
            if (record.errorField >= 0)
                column = d->parser->columnNameOf(record.errorField);
            d->add({d->name, record.line, column, codeOf(record.error), record.errorMessage});
            continue;
        }
        if (record.fields.size() != d->columns) {
            ++d->badRecords;
            d->add({d->name, record.line, QString(), ProblemCode::FieldCount,
                    tr("%1 fields, but the header has %2 columns")
                        .arg(record.fields.size())
                        .arg(d->columns)});
            continue;
        }
        QList<ImportProblem> rowProblems;
        TaxTransaction& t = row->transaction;
        if (!d->parser->parse(record.fields, record.line, &t, &rowProblems)) {
            ++d->badRecords;
            d->add(rowProblems);
            continue;
        }
        if (t.transactionHash.isEmpty()) {
            quint64 key = 0;
            t.transactionHash = derivedHash(t, 0, &key);
            if (const quint32 occurrence = d->seen.take(key); occurrence > 0)
                t.transactionHash = derivedHash(t, occurrence, &key);
        }
        // Stable ids: `import` then `tax --db` names every row as `tax --ledger` does, so a
        // report or a Specific-ID selection means the same rows either way.
        const QUuid firstId = tax::LedgerIds::stableUuid(t, 0);
        const quint64 idKey = quint64(firstId.data1) | (quint64(firstId.data2) << 32) |
                              (quint64(firstId.data3) << 48);
        const quint32 occurrence = d->identities.take(idKey);
        t.id = occurrence == 0 ? firstId.toString(QUuid::WithoutBraces)
                               : tax::LedgerIds::stableId(t, int(occurrence));
        // What the parsers do not check themselves (sizes, pairs, a swap of one asset, ...).
        // user_id is the caller's business (empty without a vault).
        const QString userId = t.userId;
        if (userId.isEmpty())
            t.userId = QStringLiteral("00000000-0000-4000-8000-000000000000");
        const QStringList errors = t.validate();
        t.userId = userId;
        if (!errors.isEmpty()) {
            ++d->badRecords;
            for (const QString& e : errors) {
                // Validation messages start with the column they are about.
                const QString first = e.section(QLatin1Char(' '), 0, 0);
                const bool named =
                    first.contains(QLatin1Char('_')) || first == QLatin1String("wallet");
                d->add(
                    {d->name, record.line, named ? first : QString(), ProblemCode::InvalidRow, e});
            }
            continue;
        }
        row->line = record.line;
        return true;
    }
}

const Status& LedgerReader::status() const {
    return d->status;
}

bool LedgerReader::cancelled() const {
    return d->cancelled;
}

const QList<ImportProblem>& LedgerReader::problems() const {
    return d->problems;
}

qint64 LedgerReader::problemCount() const {
    return d->problemCount;
}

qint64 LedgerReader::recordsRead() const {
    return d->recordsRead;
}

qint64 LedgerReader::badRecords() const {
    return d->badRecords;
}

qint64 LedgerReader::bytesRead() const {
    return d->csv ? d->csv->bytesRead() : 0;
}

Result<LedgerFile> readLedgerFile(const QString& path, const ReadOptions& options) {
    LedgerReader reader(options);
    if (Status s = reader.open(path); !s)
        return Result<LedgerFile>::failure(s.error());
    LedgerFile file;
    file.path = path;
    file.format = reader.format();
    LedgerRow row;
    while (reader.next(&row)) {
        file.rows.append(std::move(row.transaction));
        file.lines.append(row.line);
    }
    if (!reader.status())
        return Result<LedgerFile>::failure(reader.status().error());
    file.recordsRead = reader.recordsRead();
    file.badRecords = reader.badRecords();
    file.problems = reader.problems();
    file.problemCount = reader.problemCount();
    return file;
}

} // namespace llamadesk::import
