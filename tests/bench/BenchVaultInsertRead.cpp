// Inserts N realistic tax_transactions rows through TransactionRepository::insertBatch, then
// reads every row back through a forward-only QSqlQuery, and once more through
// TransactionRepository::forEach (what the tax engine reads through); encrypted (raw 256-bit
// key) versus the same driver without a key (plain SQLite file). Prints times, peak memory and
// the ratios.
//
//   BenchVaultInsertRead [--rows N] [--batch B] [--reads R] [--dir D] [--only plain|encrypted]
//                        [--cache-mb M] [--keep] [--threads T]
//
// Every read runs on one connection and again on T connections at once (default 2; the machine
// has two cores): the full read as T threads with a QSqlQuery each, taking the next range of
// 16,384 rowids whenever they finish one; forEach as ParallelTransactionReader with T readers.
//
// --keep (needs --dir) keeps both files and the benchmark's key (in D/bench.key, mode 0600) so
// that a later run with --keep reads them again without inserting: for iterating on the read
// path. The key file is a benchmark convenience for throwaway data, never a vault's key.
//
// --cache-mb sets the page cache of the benchmark's connections (default: the driver's
// default, SqlCipherDriver::kDefaultCacheMb). SQLCipher decrypts a page each time it enters the
// page cache and encrypts it each time it leaves dirty, so with random keys (UUID ids, several
// indexes) the cache size decides how often that happens; plain SQLite pays only a copy from the OS
// cache.
//
// Each insert and each read runs in a fresh child process (this executable with an internal
// option) so that ru_maxrss is the peak of that phase alone, not of everything before it. The
// key goes to the children in an environment variable, never on the command line.

#include "domain/Uuid.h"
#include "store/CachedCryptoProvider.h"
#include "store/HardwarePageCrypto.h"
#include "store/Migrator.h"
#include "store/ParallelTransactionReader.h"
#include "store/SqlCipherDriver.h"
#include "store/TransactionRepository.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <sys/resource.h>

using namespace llamadesk;
using namespace llamadesk::store;

namespace {

const QString kUser = QStringLiteral("b0b0b0b0-1111-4222-8333-444444444444");
const char* const kKeyVariable = "LLAMADESK_BENCH_KEY";

long peakRssKb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss; // kilobytes on Linux
}

// CPU time (user + system) of this process so far. On a machine shared with other work, CPU
// time measures our own cost; wall time also counts waiting for a core.
double cpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) {
        return double(t.tv_sec) + double(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void print(const QString& line) {
    std::fputs(line.toLocal8Bit().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

int fail(const QString& why) {
    std::fprintf(stderr, "BenchVaultInsertRead: %s\n", why.toLocal8Bit().constData());
    return 1;
}

QString decimalText(QRandomGenerator& rng, int integerDigits, int fractionDigits) {
    QString s = QString::number(1 + rng.bounded(9));
    for (int i = 1; i < integerDigits; ++i)
        s += QLatin1Char(char('0' + rng.bounded(10)));
    if (fractionDigits > 0) {
        s += QLatin1Char('.');
        for (int i = 0; i < fractionDigits - 1; ++i)
            s += QLatin1Char(char('0' + rng.bounded(10)));
        s += QLatin1Char(char('1' + rng.bounded(9))); // no trailing zero: full length is stored
    }
    return s;
}

Decimal decimal(QRandomGenerator& rng, int integerDigits, int fractionDigits) {
    return Decimal::parse(QStringView(decimalText(rng, integerDigits, fractionDigits))).value();
}

// A realistic mix: 12 types, 20 assets, 6 wallets, 3 chains, hashes, many-digit decimals.
TaxTransaction makeRow(QRandomGenerator& rng, qint64 n, const Timestamp& start) {
    static const char* const assets[] = {"ETH",   "BTC",  "USDC",  "USDT", "SOL", "ARB", "OP",
                                         "MATIC", "LINK", "UNI",   "AAVE", "MKR", "CRV", "LDO",
                                         "DAI",   "WBTC", "stETH", "PEPE", "GMX", "RNDR"};
    static const char* const wallets[] = {"default",  "ledger", "metamask",
                                          "coinbase", "kraken", "safe-multisig"};
    static const qint64 chains[] = {1, 10, 42161};
    const QList<TransactionType> types = allTransactionTypes();

    TaxTransaction t;
    t.id = newUuid();
    t.userId = kUser;
    t.wallet = QLatin1String(wallets[rng.bounded(6)]);
    QString hash = QStringLiteral("0x");
    for (int i = 0; i < 4; ++i)
        hash += QStringLiteral("%1").arg(rng.generate64(), 16, 16, QLatin1Char('0'));
    t.transactionHash = hash;
    t.chainId = chains[rng.bounded(3)];
    t.blockNumber = 15000000 + n / 3;
    // About one transaction every 30 s, with bursts sharing a second.
    t.timestamp = Timestamp::fromMicrosecondsSinceEpoch(
        start.microsecondsSinceEpoch() + n * 30000000LL + qint64(rng.bounded(1000000)));
    t.transactionType = types[int(rng.bounded(int(types.size())))];

    const auto in = [&] {
        t.assetInSymbol = QLatin1String(assets[rng.bounded(20)]);
        t.assetInAmount = decimal(rng, 1 + int(rng.bounded(6)), 18);
        t.assetInPriceUsd = decimal(rng, 1 + int(rng.bounded(5)), 8);
        t.assetInValueUsd = decimal(rng, 1 + int(rng.bounded(9)), 2);
    };
    const auto out = [&] {
        QLatin1String symbol(assets[rng.bounded(20)]);
        while (t.assetInSymbol && *t.assetInSymbol == symbol)
            symbol = QLatin1String(assets[rng.bounded(20)]);
        t.assetOutSymbol = symbol;
        t.assetOutAmount = decimal(rng, 1 + int(rng.bounded(6)), 18);
        t.assetOutPriceUsd = decimal(rng, 1 + int(rng.bounded(5)), 8);
        t.assetOutValueUsd = decimal(rng, 1 + int(rng.bounded(9)), 2);
    };
    switch (t.transactionType) {
    case TransactionType::Swap:
        in();
        out();
        break;
    case TransactionType::Sell:
    case TransactionType::TransferOut:
    case TransactionType::Expense:
        out();
        break;
    case TransactionType::Fee:
        break;
    default:
        in();
        break;
    }
    t.feeAmount = decimal(rng, 1, 18);
    t.feeSymbol = QStringLiteral("ETH");
    t.feeValueUsd = decimal(rng, 1, 2);
    if (t.transactionType == TransactionType::Sell || t.transactionType == TransactionType::Swap) {
        t.costBasisUsd = decimal(rng, 1 + int(rng.bounded(7)), 2);
        t.capitalGainUsd = decimal(rng, 1 + int(rng.bounded(6)), 2);
        t.holdingPeriodDays = rng.bounded(1000);
        t.isLongTerm = *t.holdingPeriodDays > 365;
        t.taxCategory = QStringLiteral("capital_gain");
    }
    if (rng.bounded(10) == 0)
        t.notes = QStringLiteral("imported from exchange export, row %1").arg(n);
    return t;
}

QByteArray keyFromEnvironment() {
    return QByteArray::fromHex(qgetenv(kKeyVariable));
}

QSqlDatabase open(const QString& path, bool encrypted, int cacheMb, QString* error) {
    return SqlCipherDriver::openDatabase(
        QStringLiteral("bench"), path, encrypted ? keyFromEnvironment() : QByteArray(),
        cacheMb > 0 ? QStringLiteral("CACHE_MB=%1").arg(cacheMb) : QString(), nullptr, error);
}

// Child: create, migrate, insert. Prints "key=value" pairs: insert wall and CPU seconds (the
// insertBatch calls only), row generation seconds, total seconds, peak RSS in KB.
int childInsert(const QString& path, bool encrypted, int cacheMb, qint64 rows, int batch) {
    QElapsedTimer total;
    total.start();
    QString error;
    double insertSeconds = 0;
    double insertCpu = 0;
    double generateSeconds = 0;
    {
        QSqlDatabase db = open(path, encrypted, cacheMb, &error);
        if (!db.isOpen())
            return fail(error);
        if (const Status s = Migrator(db).migrate(); !s)
            return fail(s.error());
        {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)"));
            q.addBindValue(kUser);
            q.addBindValue(QStringLiteral("bench@example.org"));
            if (!q.exec())
                return fail(q.lastError().text());
        }
        TransactionRepository repo(db);
        QRandomGenerator rng(20240601);
        const Timestamp start =
            Timestamp::parse(QStringView(QStringLiteral("2021-01-01T00:00:00.000000Z"))).value();
        QList<TaxTransaction> list;
        QElapsedTimer timer;
        for (qint64 done = 0; done < rows;) {
            const qint64 n = std::min<qint64>(batch, rows - done);
            timer.start();
            list.clear();
            list.reserve(n);
            for (qint64 i = 0; i < n; ++i)
                list << makeRow(rng, done + i, start);
            generateSeconds += double(timer.nsecsElapsed()) / 1e9;
            timer.start();
            const double cpu = cpuSeconds();
            if (const Status s = repo.insertBatch(list); !s)
                return fail(s.error());
            insertCpu += cpuSeconds() - cpu;
            insertSeconds += double(timer.nsecsElapsed()) / 1e9;
            done += n;
        }
        list.clear();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench"));
    const store::CachedCryptoProvider::PageCounts pages = store::CachedCryptoProvider::pageCounts();
    print(QStringLiteral("insert=%1 insert_cpu=%2 generate=%3 total=%4 rss=%5 encrypted=%6 "
                         "decrypted=%7")
              .arg(insertSeconds, 0, 'f', 3)
              .arg(insertCpu, 0, 'f', 3)
              .arg(generateSeconds, 0, 'f', 3)
              .arg(double(total.nsecsElapsed()) / 1e9, 0, 'f', 3)
              .arg(peakRssKb())
              .arg(pages.encrypted)
              .arg(pages.decrypted));
    return 0;
}

const QLatin1String
    kSelectAll("SELECT id, user_id, wallet, transaction_hash, block_number, chain_id, timestamp, "
               "transaction_type, asset_in_symbol, asset_in_amount, asset_in_price_usd, "
               "asset_in_value_usd, asset_out_symbol, asset_out_amount, asset_out_price_usd, "
               "asset_out_value_usd, fee_amount, fee_symbol, fee_value_usd, cost_basis_method, "
               "cost_basis_usd, capital_gain_usd, holding_period_days, is_long_term, "
               "tax_category, is_taxable, notes, created_at, updated_at, deleted_at, "
               "row_version FROM tax_transactions");

// Reads every column of every row of q as a QVariant; adds to *rows and *checksum.
bool readEveryValue(QSqlQuery& q, qint64* rows, qint64* checksum) {
    const int columns = 31;
    while (q.next()) {
        for (int c = 0; c < columns; ++c) {
            const QVariant v = q.value(c);
            if (v.isNull())
                continue;
            if (v.typeId() == QMetaType::QString)
                *checksum += v.toString().size();
            else
                *checksum += v.toLongLong() & 0xff;
        }
        ++*rows;
    }
    return !q.lastError().isValid();
}

// The rowids of a parallel full read, handed out in ranges: a thread that gets ahead (the other
// one was descheduled for a while) takes more ranges instead of idling at the end.
struct ReadRanges {
    qint64 last = 0;
    static constexpr qint64 kRange = 16384;
    std::atomic<qint64> next{0};
};

// One of several threads of a parallel full read: its own connection, one prepared query run for
// each rowid range it takes.
struct ReadPart {
    qint64 rows = 0;
    qint64 checksum = 0;
    QString error;
};

void readPart(const QString& path, bool encrypted, int cacheMb, int part, ReadRanges* ranges,
              ReadPart* out) {
    const QString name = QStringLiteral("bench-part-%1").arg(part);
    {
        QSqlDatabase db = SqlCipherDriver::openDatabase(
            name, path, encrypted ? keyFromEnvironment() : QByteArray(),
            cacheMb > 0 ? QStringLiteral("CACHE_MB=%1").arg(cacheMb) : QString(), nullptr,
            &out->error);
        if (db.isOpen()) {
            QSqlQuery q(db);
            q.setForwardOnly(true);
            q.prepare(kSelectAll + QLatin1String(" WHERE rowid BETWEEN ? AND ?"));
            while (out->error.isEmpty()) {
                const qint64 from = ranges->next.fetch_add(ReadRanges::kRange);
                if (from > ranges->last)
                    break;
                q.bindValue(0, from);
                q.bindValue(1, std::min(from + ReadRanges::kRange - 1, ranges->last));
                if (!q.exec() || !readEveryValue(q, &out->rows, &out->checksum))
                    out->error = q.lastError().text();
                q.finish();
            }
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
}

// Child: read every row of every column through QSqlQuery, on one connection or on `threads`
// connections at once (each thread a contiguous rowid range). Prints "key=value" pairs: wall
// and CPU seconds of the read, rows, a checksum of what was read, peak RSS in KB.
int childRead(const QString& path, bool encrypted, int cacheMb, int threads) {
    QString error;
    double seconds = 0;
    double cpu = 0;
    qint64 rows = 0;
    qint64 checksum = 0;
    {
        QSqlDatabase db = open(path, encrypted, cacheMb, &error);
        if (!db.isOpen())
            return fail(error);
        QElapsedTimer timer;
        timer.start();
        const double cpuStart = cpuSeconds();
        if (threads <= 1) {
            QSqlQuery q(db);
            q.setForwardOnly(true);
            if (!q.exec(kSelectAll) || !readEveryValue(q, &rows, &checksum))
                return fail(q.lastError().text());
            q.finish();
        } else {
            QSqlQuery q(db);
            q.setForwardOnly(true);
            if (!q.exec(QStringLiteral("SELECT min(rowid), max(rowid) FROM tax_transactions")) ||
                !q.next())
                return fail(q.lastError().text());
            ReadRanges ranges;
            ranges.next.store(q.value(0).toLongLong());
            ranges.last = q.value(1).toLongLong();
            q.finish();
            std::vector<ReadPart> parts(static_cast<size_t>(threads));
            std::vector<std::unique_ptr<QThread>> workers;
            for (int i = 0; i < threads; ++i) {
                workers.emplace_back(QThread::create(&readPart, path, encrypted, cacheMb, i,
                                                     &ranges, &parts[size_t(i)]));
                workers.back()->start();
            }
            for (const auto& w : workers)
                w->wait();
            for (const ReadPart& p : parts) {
                if (!p.error.isEmpty())
                    return fail(p.error);
                rows += p.rows;
                checksum += p.checksum;
            }
        }
        seconds = double(timer.nsecsElapsed()) / 1e9;
        cpu = cpuSeconds() - cpuStart;
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench"));
    print(QStringLiteral("read=%1 read_cpu=%2 rows=%3 sum=%4 rss=%5")
              .arg(seconds, 0, 'f', 3)
              .arg(cpu, 0, 'f', 3)
              .arg(rows)
              .arg(checksum)
              .arg(peakRssKb()));
    return 0;
}

// Child: stream every row through TransactionRepository::forEach, or with `threads` readers
// through ParallelTransactionReader (what the tax engine reads through: each row becomes a
// TaxTransaction, every column). Prints wall and CPU seconds, rows, peak RSS.
int childForEach(const QString& path, bool encrypted, int cacheMb, int threads) {
    QString error;
    double seconds = 0;
    double cpu = 0;
    qint64 rows = 0;
    qint64 checksum = 0;
    {
        QSqlDatabase db = open(path, encrypted, cacheMb, &error);
        if (!db.isOpen())
            return fail(error);
        QElapsedTimer timer;
        timer.start();
        const double cpuStart = cpuSeconds();
        {
            const auto visit = [&](const TaxTransaction& t) {
                ++rows;
                checksum += t.id.size() + t.wallet.size() + (t.assetInAmount ? 1 : 0);
                return true;
            };
            TransactionRepository repo(db);
            ParallelTransactionReader::Options options;
            options.readers = threads;
            ParallelTransactionReader reader(
                db,
                [&path, encrypted, cacheMb](const QString& name, QString* why) {
                    return SqlCipherDriver::openDatabase(
                        name, path, encrypted ? keyFromEnvironment() : QByteArray(),
                        cacheMb > 0 ? QStringLiteral("CACHE_MB=%1").arg(cacheMb) : QString(),
                        nullptr, why);
                },
                options);
            const Status s = threads > 1 ? reader.forEach({}, visit) : repo.forEach({}, visit);
            if (s && threads > 1 && reader.readersUsed() != threads)
                return fail(QStringLiteral("the parallel read used one connection: %1")
                                .arg(reader.fallbackReason()));
            if (!s)
                return fail(s.error());
        }
        seconds = double(timer.nsecsElapsed()) / 1e9;
        cpu = cpuSeconds() - cpuStart;
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench"));
    print(QStringLiteral("read=%1 read_cpu=%2 rows=%3 sum=%4 rss=%5")
              .arg(seconds, 0, 'f', 3)
              .arg(cpu, 0, 'f', 3)
              .arg(rows)
              .arg(checksum)
              .arg(peakRssKb()));
    return 0;
}

double median(QList<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// Wall and CPU seconds of repeated runs of one kind of read, and the highest peak RSS.
struct ReadFigures {
    QList<double> wall;
    QList<double> cpu;
    long rss = 0;
};

struct Figures {
    double insert = 0;
    double insertCpu = 0;
    double generate = 0;
    long insertRss = 0;
    // Keyed by "read" / "forEach" and the number of threads.
    QMap<QString, ReadFigures> reads;
    qint64 rows = 0;
    qint64 checksum = 0;
    qint64 fileBytes = 0;
};

// Starts this executable in a child mode.
std::unique_ptr<QProcess> startChild(const QStringList& args, const QByteArray& key) {
    auto child = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromLatin1(kKeyVariable), QString::fromLatin1(key.toHex()));
    child->setProcessEnvironment(env);
    child->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child->start(QCoreApplication::applicationFilePath(), args);
    return child;
}

// Waits for a child and returns its "key=value" output.
std::optional<QMap<QString, QString>> finishChild(QProcess& child) {
    if (!child.waitForFinished(-1) || child.exitStatus() != QProcess::NormalExit ||
        child.exitCode() != 0)
        return std::nullopt;
    QMap<QString, QString> values;
    const QString out = QString::fromLocal8Bit(child.readAllStandardOutput()).trimmed();
    for (const QString& pair : out.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        values.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
    return values;
}

std::optional<QMap<QString, QString>> runChild(const QStringList& args, const QByteArray& key) {
    return finishChild(*startChild(args, key));
}

void removeVault(const QString& path) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        QFile::remove(path + QLatin1String(suffix));
}

QString seconds(double s) {
    return QString::number(s, 'f', 3);
}

// --crypto: hardware (default where the processor has AES and SHA instructions), evp (the
// cached provider on OpenSSL's EVP functions), stock (SQLCipher's own provider).
constexpr char kEvpVariable[] = "LLAMADESK_BENCH_CRYPTO_EVP";
constexpr char kStockVariable[] = "LLAMADESK_STOCK_CIPHER_PROVIDER";

QString megabytes(double kb) {
    return QString::number(kb / 1024.0, 'f', 1);
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    // --crypto evp reaches the children through their environment.
    if (qEnvironmentVariableIntValue(kEvpVariable) == 1)
        CachedCryptoProvider::setHardwareAllowed(false);

    // Internal child modes.
    if (args.size() == 7 && args[1] == QLatin1String("--child-insert"))
        return childInsert(args[2], args[3] == QLatin1String("encrypted"), args[4].toInt(),
                           args[5].toLongLong(), args[6].toInt());
    if (args.size() == 6 && args[1] == QLatin1String("--child-read"))
        return childRead(args[2], args[3] == QLatin1String("encrypted"), args[4].toInt(),
                         args[5].toInt());
    if (args.size() == 6 && args[1] == QLatin1String("--child-foreach"))
        return childForEach(args[2], args[3] == QLatin1String("encrypted"), args[4].toInt(),
                            args[5].toInt());

    qint64 rows = 1000000;
    int batch = 10000;
    int reads = 3;
    int cacheMb = 0;
    QString dir;
    QString only;
    bool keep = false;
    int threads = 2;
    QString crypto = QStringLiteral("hardware");
    bool concurrent = false;
    for (int i = 1; i < args.size(); ++i) {
        const QString& a = args[i];
        const bool hasValue = i + 1 < args.size();
        if (a == QLatin1String("--rows") && hasValue)
            rows = args[++i].toLongLong();
        else if (a == QLatin1String("--batch") && hasValue)
            batch = args[++i].toInt();
        else if (a == QLatin1String("--reads") && hasValue)
            reads = args[++i].toInt();
        else if (a == QLatin1String("--dir") && hasValue)
            dir = args[++i];
        else if (a == QLatin1String("--only") && hasValue)
            only = args[++i];
        else if (a == QLatin1String("--cache-mb") && hasValue)
            cacheMb = args[++i].toInt();
        else if (a == QLatin1String("--keep"))
            keep = true;
        else if (a == QLatin1String("--threads") && hasValue)
            threads = args[++i].toInt();
        else if (a == QLatin1String("--crypto") && hasValue)
            crypto = args[++i];
        else if (a == QLatin1String("--concurrent"))
            concurrent = true;
        else
            return fail(QStringLiteral("usage: BenchVaultInsertRead [--rows N] [--batch B] "
                                       "[--reads R] [--dir D] [--only plain|encrypted] "
                                       "[--cache-mb M] [--keep] [--threads T] "
                                       "[--crypto hardware|evp|stock] [--concurrent]"));
    }
    if (crypto == QLatin1String("evp"))
        qputenv(kEvpVariable, "1");
    else if (crypto == QLatin1String("stock"))
        qputenv(kStockVariable, "1");
    else if (crypto != QLatin1String("hardware"))
        return fail(QStringLiteral("--crypto must be hardware, evp or stock"));
    if (rows < 1 || batch < 1 || reads < 1 || cacheMb < 0)
        return fail(QStringLiteral("--rows, --batch, --reads must be positive, --cache-mb >= 0"));

    QTemporaryDir temp;
    if (dir.isEmpty()) {
        if (!temp.isValid())
            return fail(QStringLiteral("cannot create a temporary folder"));
        dir = temp.path();
    }
    if (keep && temp.isValid() && dir == temp.path())
        return fail(QStringLiteral("--keep needs --dir"));
    QByteArray key(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    // With --keep, an earlier run's files are read again (no insert) when its key is there.
    bool reuse = false;
    if (keep) {
        QFile keyFile(QDir(dir).filePath(QStringLiteral("bench.key")));
        if (keyFile.open(QIODevice::ReadOnly)) {
            const QByteArray stored = QByteArray::fromHex(keyFile.readAll().trimmed());
            if (stored.size() != key.size())
                return fail(QStringLiteral("%1 is not a benchmark key").arg(keyFile.fileName()));
            key = stored;
            reuse = true;
        } else if (!keyFile.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
                   !keyFile.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
                   keyFile.write(key.toHex()) != key.size() * 2 || !keyFile.flush()) {
            return fail(QStringLiteral("cannot write %1").arg(keyFile.fileName()));
        }
    }

    print(QStringLiteral("BenchVaultInsertRead: %1 rows in batches of %2, %3 reads each, "
                         "page cache %4, SQLite %5, folder %6, page crypto %7%8")
              .arg(rows)
              .arg(batch)
              .arg(reads)
              .arg(QStringLiteral("%1 MB").arg(cacheMb > 0 ? cacheMb
                                                           : SqlCipherDriver::kDefaultCacheMb),
                   SqlCipherDriver::sqliteVersion(), dir, crypto,
                   crypto == QLatin1String("hardware") && !HardwarePageCrypto::available()
                       ? QStringLiteral(" (no AES/SHA instructions here: OpenSSL EVP)")
                       : QString()));

    const QStringList modes =
        only.isEmpty() ? QStringList{QStringLiteral("plain"), QStringLiteral("encrypted")}
                       : QStringList{only};
    QMap<QString, Figures> results;
    const auto pathOf = [&](const QString& mode) {
        return QDir(dir).filePath(QStringLiteral("bench-%1.db").arg(mode));
    };

    // With --concurrent the inserts of both modes run at the same time, one per core, so that
    // both see the same phase of a machine whose speed drifts; otherwise one after the other.
    std::map<QString, std::unique_ptr<QProcess>> inserting;
    const auto startInsert = [&](const QString& mode) {
        removeVault(pathOf(mode));
        inserting[mode] =
            startChild({QStringLiteral("--child-insert"), pathOf(mode), mode,
                        QString::number(cacheMb), QString::number(rows), QString::number(batch)},
                       key);
    };
    if (concurrent && !reuse) {
        for (const QString& mode : modes)
            startInsert(mode);
    }
    for (const QString& mode : modes) {
        if (reuse) {
            results[mode].fileBytes = QFileInfo(pathOf(mode)).size();
            print(QStringLiteral("%1 insert: skipped, reading the kept %2 (%3 MB)")
                      .arg(mode, -9)
                      .arg(pathOf(mode))
                      .arg(double(results[mode].fileBytes) / 1048576.0, 0, 'f', 1));
            continue;
        }
        if (!inserting.count(mode))
            startInsert(mode);
        const std::optional<QMap<QString, QString>> ins = finishChild(*inserting[mode]);
        if (!ins)
            return fail(QStringLiteral("the %1 insert failed").arg(mode));
        Figures& f = results[mode];
        f.insert = ins->value(QStringLiteral("insert")).toDouble();
        f.insertCpu = ins->value(QStringLiteral("insert_cpu")).toDouble();
        f.generate = ins->value(QStringLiteral("generate")).toDouble();
        f.insertRss = ins->value(QStringLiteral("rss")).toLong();
        f.fileBytes = QFileInfo(pathOf(mode)).size();
        print(QStringLiteral("%1 insert: %2 s wall, %3 s CPU (%4 rows/s), peak RSS %5 MB, "
                             "file %6 MB (generating the rows: %7 s, not counted)")
                  .arg(mode, -9)
                  .arg(seconds(f.insert), seconds(f.insertCpu))
                  .arg(qint64(double(rows) / f.insert))
                  .arg(megabytes(double(f.insertRss)))
                  .arg(double(f.fileBytes) / 1048576.0, 0, 'f', 1)
                  .arg(seconds(f.generate)));
        if (mode == QLatin1String("encrypted"))
            print(QStringLiteral("%1 pages through the cached cipher provider: %2 encrypted, %3 "
                                 "decrypted (0 and 0: the stock provider)")
                      .arg(QString(), -9)
                      .arg(ins->value(QStringLiteral("encrypted")),
                           ins->value(QStringLiteral("decrypted"))));
    }

    // Reads alternate between the modes so that a busy machine slows both alike. Each kind of
    // read runs on one connection and on `threads` connections at once.
    QList<int> threadCounts{1};
    if (threads > 1)
        threadCounts << threads;
    const auto readKey = [](const QString& kind, int n) {
        return QStringLiteral("%1 x%2").arg(kind).arg(n);
    };
    for (int r = 0; r < reads; ++r) {
        for (const QString& mode : modes) {
            for (const int n : std::as_const(threadCounts)) {
                for (const QString& kind : {QStringLiteral("read"), QStringLiteral("forEach")}) {
                    const std::optional<QMap<QString, QString>> rd =
                        runChild({kind == QLatin1String("read") ? QStringLiteral("--child-read")
                                                                : QStringLiteral("--child-foreach"),
                                  pathOf(mode), mode, QString::number(cacheMb), QString::number(n)},
                                 key);
                    if (!rd)
                        return fail(QStringLiteral("the %1 %2 failed").arg(mode, kind));
                    Figures& f = results[mode];
                    ReadFigures& figures = f.reads[readKey(kind, n)];
                    figures.wall << rd->value(QStringLiteral("read")).toDouble();
                    figures.cpu << rd->value(QStringLiteral("read_cpu")).toDouble();
                    figures.rss = std::max(figures.rss, rd->value(QStringLiteral("rss")).toLong());
                    const qint64 got = rd->value(QStringLiteral("rows")).toLongLong();
                    if (got != rows)
                        return fail(QStringLiteral("%1 %2 x%3: read %4 rows, expected %5")
                                        .arg(mode, kind)
                                        .arg(n)
                                        .arg(got)
                                        .arg(rows));
                    if (kind == QLatin1String("read")) {
                        const qint64 sum = rd->value(QStringLiteral("sum")).toLongLong();
                        if (f.checksum != 0 && f.checksum != sum)
                            return fail(QStringLiteral("%1: the reads disagree").arg(mode));
                        f.checksum = sum;
                    }
                }
            }
        }
    }
    for (const QString& mode : modes) {
        const Figures& f = results[mode];
        for (auto it = f.reads.cbegin(); it != f.reads.cend(); ++it) {
            const ReadFigures& r = it.value();
            print(QStringLiteral("%1 %2: median %3 s wall, %4 s CPU (best %5 s wall), peak RSS "
                                 "%6 MB")
                      .arg(mode, -9)
                      .arg(it.key(), -10)
                      .arg(seconds(median(r.wall)), seconds(median(r.cpu)),
                           seconds(*std::min_element(r.wall.begin(), r.wall.end())),
                           megabytes(double(r.rss))));
        }
        print(QStringLiteral("%1 checksum %2").arg(mode, -9).arg(f.checksum));
        if (!keep)
            removeVault(pathOf(mode));
    }

    if (results.size() == 2) {
        const Figures& p = results[QStringLiteral("plain")];
        const Figures& e = results[QStringLiteral("encrypted")];
        const auto ratio = [](double a, double b) {
            return b > 0 ? QString::number(a / b, 'f', 2) : QStringLiteral("-");
        };
        print(QStringLiteral("ratio encrypted/plain: insert %1x wall, %2x CPU (target <= 1.3); "
                             "read %3x wall, %4x CPU (target <= 3); encrypted full read %5 s on "
                             "one connection, %6 s on %7 (target < 2 s)")
                  .arg(ratio(e.insert, p.insert), ratio(e.insertCpu, p.insertCpu))
                  .arg(ratio(median(e.reads[readKey(QStringLiteral("read"), 1)].wall),
                             median(p.reads[readKey(QStringLiteral("read"), 1)].wall)),
                       ratio(median(e.reads[readKey(QStringLiteral("read"), 1)].cpu),
                             median(p.reads[readKey(QStringLiteral("read"), 1)].cpu)),
                       seconds(median(e.reads[readKey(QStringLiteral("read"), 1)].wall)))
                  .arg(threads > 1
                           ? seconds(median(e.reads[readKey(QStringLiteral("read"), threads)].wall))
                           : QStringLiteral("-"))
                  .arg(threads));
        if (p.checksum != e.checksum)
            return fail(QStringLiteral("the two vaults read back different data"));
    }
    return 0;
}
