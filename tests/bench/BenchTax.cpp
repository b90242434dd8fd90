// The tax engine on generated ledgers (LedgerGenerator: ~20 assets, 6 wallets, every
// transaction type): wall time and peak memory for US FIFO and HIFO (universal, per-wallet and
// automatic scope) and UK pooling, at several sizes, and how the time grows with the size.
//
//   BenchTax [--transactions 10000,100000,1000000] [--seed S] [--configs a,b,...] [--year Y]
//            [--vault [--readers N] [--columns tax|all] | --csv] [--dir D]
//
// Each measurement runs in a fresh child process (this executable with an internal option) so
// that its peak RSS (getrusage) is its own. The ledger is streamed from the generator into the
// engine, so the input never sits in memory; the generator alone is timed first and subtracted.
// With --vault the rows are first written to an encrypted vault, and the engine is fed from it
// through ParallelTransactionReader (--readers, default 2, with the tax engine's columns;
// --readers 1 is TransactionRepository::forEach on one connection): the time then includes
// reading and decrypting.
// With --csv the rows are first written to a canonical ledger CSV (LedgerCsvWriter), and the
// engine is fed by LedgerFileTax, the code behind `tax --ledger` (LedgerReader, stable ids,
// streaming when the file is in time order): the time then includes parsing the CSV.
// Without --year the report covers the whole ledger (every disposal kept: the worst case for
// memory).

#include "import/LedgerReader.h"
#include "store/Migrator.h"
#include "store/ParallelTransactionReader.h"
#include "store/SqlCipherDriver.h"
#include "store/TransactionRepository.h"
#include "tax/LedgerCsvWriter.h"
#include "tax/LedgerFileTax.h"
#include "tax/LedgerGenerator.h"
#include "tax/TaxEngine.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QTemporaryDir>

#include <cstdio>

#include <sys/resource.h>

using namespace llamadesk;
using namespace llamadesk::tax;

namespace {

const char* const kKeyVariable = "LLAMADESK_BENCH_KEY";
const QStringList kAllConfigs = {
    QStringLiteral("us-fifo-universal"), QStringLiteral("us-fifo-wallet"),
    QStringLiteral("us-hifo-universal"), QStringLiteral("us-hifo-wallet"),
    QStringLiteral("us-fifo-auto"),      QStringLiteral("uk-pooling")};

long peakRssKb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss; // kilobytes on Linux
}

// CPU seconds (user and system) used by this process so far. The machine is shared, so wall
// time alone would also count the time other processes had the cores.
double cpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

void print(const QString& line) {
    std::fputs(line.toLocal8Bit().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

int fail(const QString& why) {
    std::fprintf(stderr, "BenchTax: %s\n", why.toLocal8Bit().constData());
    return 1;
}

LedgerGeneratorOptions ledgerOptions(qint64 rows, quint64 seed) {
    LedgerGeneratorOptions o;
    o.transactions = rows;
    o.seed = seed;
    o.start = QDate(2020, 1, 6);
    o.days = 6 * 365; // 2020 to 2025: crosses the switch to per-wallet lots
    return o;
}

bool optionsFor(const QString& config, int year, TaxOptions* o) {
    if (config == QLatin1String("uk-pooling")) {
        *o = year > 0 ? TaxOptions::forTaxYear(Jurisdiction::UnitedKingdom, year) : TaxOptions();
        o->jurisdiction = Jurisdiction::UnitedKingdom;
        o->timeZone = QTimeZone(QByteArrayLiteral("Europe/London"));
        return true;
    }
    *o = year > 0 ? TaxOptions::forTaxYear(Jurisdiction::UnitedStates, year) : TaxOptions();
    const QStringList parts = config.split(QLatin1Char('-'));
    if (parts.size() != 3 || parts[0] != QLatin1String("us"))
        return false;
    if (parts[1] == QLatin1String("fifo"))
        o->method = CostBasisMethod::Fifo;
    else if (parts[1] == QLatin1String("hifo"))
        o->method = CostBasisMethod::Hifo;
    else if (parts[1] == QLatin1String("lifo"))
        o->method = CostBasisMethod::Lifo;
    else
        return false;
    const std::optional<LotScope> scope = lotScopeFromString(parts[2]);
    if (!scope)
        return false;
    o->scope = *scope;
    return true;
}

void printResult(const TaxResult& r) {
    qint64 lots = 0;
    for (int i = 0; i < r.disposalCount(); ++i)
        lots += r.disposal(i).lots.size();
    print(QStringLiteral("rows=%1").arg(r.disposalCount()));
    print(QStringLiteral("lots=%1").arg(lots));
    print(QStringLiteral("warnings=%1").arg(r.warnings().size()));
    print(QStringLiteral("income=%1").arg(r.incomeCount()));
    print(QStringLiteral("net=%1").arg(r.summary().netCapitalGains.toString(2)));
}

// Child: generator alone, then generator into the engine.
int childStream(const QString& config, qint64 rows, quint64 seed, int year) {
    TaxOptions options;
    if (!optionsFor(config, year, &options))
        return fail(QStringLiteral("unknown configuration %1").arg(config));
    QElapsedTimer timer;
    timer.start();
    double cpu = cpuSeconds();
    {
        LedgerGenerator generator(ledgerOptions(rows, seed));
        TaxTransaction t;
        while (generator.next(&t)) {
        }
    }
    const double generate = timer.nsecsElapsed() / 1e9;
    const double generateCpu = cpuSeconds() - cpu;
    timer.restart();
    cpu = cpuSeconds();
    LedgerGenerator generator(ledgerOptions(rows, seed));
    TaxEngine engine(options);
    TaxTransaction t;
    qint64 fed = 0;
    while (generator.next(&t)) {
        if (const Status s = engine.add(t); !s)
            return fail(s.error());
        ++fed;
    }
    const Result<TaxResult> result = engine.finish();
    const double total = timer.nsecsElapsed() / 1e9;
    const double totalCpu = cpuSeconds() - cpu;
    if (!result)
        return fail(result.error());
    print(QStringLiteral("engine_cpu_s=%1").arg(totalCpu - generateCpu, 0, 'f', 3));
    print(QStringLiteral("total_cpu_s=%1").arg(totalCpu, 0, 'f', 3));
    print(QStringLiteral("input_cpu_s=%1").arg(generateCpu, 0, 'f', 3));
    print(QStringLiteral("fed=%1").arg(fed));
    print(QStringLiteral("input_s=%1").arg(generate, 0, 'f', 3));
    print(QStringLiteral("total_s=%1").arg(total, 0, 'f', 3));
    print(QStringLiteral("engine_s=%1").arg(total - generate, 0, 'f', 3));
    print(QStringLiteral("peak_kb=%1").arg(peakRssKb()));
    printResult(result.value());
    return 0;
}

QSqlDatabase openVault(const QString& path, QString* error) {
    return store::SqlCipherDriver::openDatabase(QStringLiteral("bench"), path,
                                                QByteArray::fromHex(qgetenv(kKeyVariable)), {},
                                                nullptr, error);
}

// Child: writes the generated ledger to a new encrypted vault.
int childMakeVault(const QString& path, qint64 rows, quint64 seed) {
    QElapsedTimer timer;
    timer.start();
    {
        QString error;
        QSqlDatabase db = openVault(path, &error);
        if (!db.isOpen())
            return fail(error);
        if (const Status s = store::Migrator(db).migrate(); !s)
            return fail(s.error());
        const LedgerGeneratorOptions g = ledgerOptions(rows, seed);
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)"));
        q.addBindValue(g.userId);
        q.addBindValue(QStringLiteral("bench@example.org"));
        if (!q.exec())
            return fail(q.lastError().text());
        store::TransactionRepository repo(db);
        LedgerGenerator generator(g);
        QList<TaxTransaction> batch;
        TaxTransaction t;
        bool more = true;
        while (more) {
            more = generator.next(&t);
            if (more)
                batch.append(t);
            if (batch.size() == 10000 || (!more && !batch.isEmpty())) {
                if (const Status s = repo.insertBatch(batch); !s)
                    return fail(s.error());
                batch.clear();
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench"));
    print(QStringLiteral("insert_s=%1").arg(timer.nsecsElapsed() / 1e9, 0, 'f', 3));
    return 0;
}

// Child: reads the vault alone, then reads it into the engine.
// How the vault is read: reader threads (1: TransactionRepository::forEach on the child's one
// connection; 2 or more: ParallelTransactionReader) and which columns (all, or the tax inputs).
struct VaultReading {
    int readers = 2;
    int chunkRows = 0; // 0: the reader's default
    int ahead = 0;     // 0: the reader's default
    store::TransactionColumns columns = store::TransactionColumns::TaxInputs;
};

int childVault(const QString& config, const QString& path, int year, const VaultReading& how) {
    TaxOptions options;
    if (!optionsFor(config, year, &options))
        return fail(QStringLiteral("unknown configuration %1").arg(config));
    int code = 0;
    {
        QString error;
        QSqlDatabase db = openVault(path, &error);
        if (!db.isOpen())
            return fail(error);
        // As the app does on open: a vault of an earlier schema version is upgraded first.
        QElapsedTimer upgrade;
        upgrade.start();
        if (const Status s = store::Migrator(db).migrate(); !s)
            return fail(s.error());
        print(QStringLiteral("upgrade_s=%1").arg(upgrade.nsecsElapsed() / 1e9, 0, 'f', 3));
        store::TransactionRepository repo(db);
        store::TransactionFilter filter;
        filter.userId = LedgerGeneratorOptions().userId;
        QElapsedTimer timer;
        timer.start();
        double cpu = cpuSeconds();
        qint64 read = 0;
        const QByteArray key = QByteArray::fromHex(qgetenv(kKeyVariable));
        store::ParallelTransactionReader::Options readerOptions;
        readerOptions.readers = how.readers;
        readerOptions.columns = how.columns;
        if (how.chunkRows > 0)
            readerOptions.chunkRows = how.chunkRows;
        if (how.ahead > 0)
            readerOptions.chunksAhead = how.ahead;
        store::ParallelTransactionReader reader(
            db,
            [&path, &key](const QString& name, QString* why) {
                return store::SqlCipherDriver::openDatabase(name, path, key, {}, nullptr, why);
            },
            readerOptions);
        const auto readAll = [&](const store::TransactionRepository::Visitor& visitor) {
            if (how.readers > 1)
                return reader.forEach(filter, visitor);
            return repo.forEach(filter, visitor, false, how.columns);
        };
        Status s = readAll([&read](const TaxTransaction&) {
            ++read;
            return true;
        });
        if (!s)
            return fail(s.error());
        const double readOnly = timer.nsecsElapsed() / 1e9;
        const double readCpu = cpuSeconds() - cpu;
        timer.restart();
        cpu = cpuSeconds();
        TaxEngine engine(options);
        Status added;
        s = readAll([&](const TaxTransaction& t) {
            added = engine.add(t);
            return added.ok();
        });
        if (!s || !added)
            return fail(!s ? s.error() : added.error());
        QElapsedTimer finishing;
        finishing.start();
        const Result<TaxResult> result = engine.finish();
        const double finishSeconds = finishing.nsecsElapsed() / 1e9;
        const double total = timer.nsecsElapsed() / 1e9;
        const double totalCpu = cpuSeconds() - cpu;
        if (!result)
            return fail(result.error());
        print(QStringLiteral("engine_cpu_s=%1").arg(totalCpu - readCpu, 0, 'f', 3));
        print(QStringLiteral("total_cpu_s=%1").arg(totalCpu, 0, 'f', 3));
        print(QStringLiteral("input_cpu_s=%1").arg(readCpu, 0, 'f', 3));
        print(QStringLiteral("fed=%1").arg(read));
        print(QStringLiteral("input_s=%1").arg(readOnly, 0, 'f', 3));
        print(QStringLiteral("total_s=%1").arg(total, 0, 'f', 3));
        print(QStringLiteral("engine_s=%1").arg(total - readOnly, 0, 'f', 3));
        print(QStringLiteral("finish_s=%1").arg(finishSeconds, 0, 'f', 3));
        print(QStringLiteral("peak_kb=%1").arg(peakRssKb()));
        print(QStringLiteral("readers=%1").arg(reader.readersUsed()));
        print(QStringLiteral("chunks=%1").arg(reader.chunksUsed()));
        print(QStringLiteral("rowid_order=%1").arg(reader.readInRowidOrder() ? 1 : 0));
        printResult(result.value());
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench"));
    return code;
}

// Child: writes the generated ledger as a canonical CSV file.
int childMakeCsv(const QString& path, qint64 rows, quint64 seed) {
    QElapsedTimer timer;
    timer.start();
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    LedgerCsvWriter writer(&file);
    if (const Status s = writer.writeHeader(); !s)
        return fail(s.error());
    LedgerGenerator generator(ledgerOptions(rows, seed));
    TaxTransaction t;
    while (generator.next(&t)) {
        if (const Status s = writer.write(t); !s)
            return fail(s.error());
    }
    file.close();
    print(QStringLiteral("write_s=%1").arg(timer.nsecsElapsed() / 1e9, 0, 'f', 3));
    print(QStringLiteral("bytes=%1").arg(QFileInfo(path).size()));
    return 0;
}

// Child: parses the CSV alone, then runs `tax --ledger`'s code over it.
int childCsv(const QString& config, const QString& path, int year) {
    TaxOptions options;
    if (!optionsFor(config, year, &options))
        return fail(QStringLiteral("unknown configuration %1").arg(config));
    import::ReadOptions read;
    read.valueCurrency = options.currency;
    read.fiatCurrencies = options.fiatCurrencies;
    QElapsedTimer timer;
    timer.start();
    double cpu = cpuSeconds();
    qint64 parsed = 0;
    {
        import::LedgerReader reader(read);
        if (const Status s = reader.open(path); !s)
            return fail(s.error());
        import::LedgerRow row;
        while (reader.next(&row))
            ++parsed;
        if (reader.problemCount() > 0)
            return fail(reader.problems().constFirst().toString());
    }
    const double readOnly = timer.nsecsElapsed() / 1e9;
    const double readCpu = cpuSeconds() - cpu;
    timer.restart();
    cpu = cpuSeconds();
    LedgerFileOutcome outcome;
    const Result<TaxResult> result = LedgerFileTax::compute(path, options, read, &outcome);
    const double total = timer.nsecsElapsed() / 1e9;
    const double totalCpu = cpuSeconds() - cpu;
    if (!result)
        return fail(result.error());
    if (!outcome.streamed || outcome.rows != parsed)
        return fail(QStringLiteral("the CSV was not streamed whole"));
    print(QStringLiteral("engine_cpu_s=%1").arg(totalCpu - readCpu, 0, 'f', 3));
    print(QStringLiteral("total_cpu_s=%1").arg(totalCpu, 0, 'f', 3));
    print(QStringLiteral("input_cpu_s=%1").arg(readCpu, 0, 'f', 3));
    print(QStringLiteral("fed=%1").arg(outcome.rows));
    print(QStringLiteral("input_s=%1").arg(readOnly, 0, 'f', 3));
    print(QStringLiteral("total_s=%1").arg(total, 0, 'f', 3));
    print(QStringLiteral("engine_s=%1").arg(total - readOnly, 0, 'f', 3));
    print(QStringLiteral("peak_kb=%1").arg(peakRssKb()));
    printResult(result.value());
    return 0;
}

QHash<QString, QString> runChild(const QStringList& arguments, const QByteArray& keyHex,
                                 QString* error) {
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QLatin1String(kKeyVariable), QString::fromLatin1(keyHex));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("llamadesk.*.debug=false"));
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(), arguments);
    QHash<QString, QString> values;
    if (!child.waitForFinished(-1) || child.exitCode() != 0) {
        *error = QStringLiteral("child %1 failed").arg(arguments.join(QLatin1Char(' ')));
        return values;
    }
    const QList<QByteArray> lines = child.readAllStandardOutput().split('\n');
    for (const QByteArray& line : lines) {
        const qsizetype eq = line.indexOf('=');
        if (eq > 0)
            values.insert(QString::fromUtf8(line.left(eq)), QString::fromUtf8(line.mid(eq + 1)));
    }
    return values;
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto option = [&args](const char* name, const QString& fallback) {
        const qsizetype i = args.indexOf(QLatin1String(name));
        return i >= 0 && i + 1 < args.size() ? args[i + 1] : fallback;
    };
    const quint64 seed = option("--seed", QStringLiteral("1")).toULongLong();
    const int year = option("--year", QStringLiteral("0")).toInt();

    if (args.contains(QLatin1String("--child-stream")))
        return childStream(option("--config", QString()), option("--rows", QString()).toLongLong(),
                           seed, year);
    if (args.contains(QLatin1String("--child-make-vault")))
        return childMakeVault(option("--path", QString()), option("--rows", QString()).toLongLong(),
                              seed);
    if (args.contains(QLatin1String("--child-make-csv")))
        return childMakeCsv(option("--path", QString()), option("--rows", QString()).toLongLong(),
                            seed);
    if (args.contains(QLatin1String("--child-csv")))
        return childCsv(option("--config", QString()), option("--path", QString()), year);
    VaultReading reading;
    reading.readers = option("--readers", QStringLiteral("2")).toInt();
    reading.chunkRows = option("--chunk-rows", QStringLiteral("0")).toInt();
    reading.ahead = option("--ahead", QStringLiteral("0")).toInt();
    const QString columns = option("--columns", QStringLiteral("tax"));
    if (columns != QLatin1String("tax") && columns != QLatin1String("all"))
        return fail(QStringLiteral("--columns is tax or all"));
    reading.columns = columns == QLatin1String("all") ? store::TransactionColumns::All
                                                      : store::TransactionColumns::TaxInputs;
    if (args.contains(QLatin1String("--child-vault")))
        return childVault(option("--config", QString()), option("--path", QString()), year,
                          reading);

    QList<qint64> sizes;
    for (const QString& s :
         option("--transactions", QStringLiteral("10000,100000,1000000")).split(QLatin1Char(',')))
        sizes.append(s.toLongLong());
    QStringList configs = option("--configs", kAllConfigs.join(QLatin1Char(',')))
                              .split(QLatin1Char(','), Qt::SkipEmptyParts);
    const bool vault = args.contains(QLatin1String("--vault"));
    const bool csv = args.contains(QLatin1String("--csv"));
    if (vault && csv)
        return fail(QStringLiteral("--vault and --csv: one input at a time"));
    QTemporaryDir scratch(option("--dir", QDir::tempPath()) + QStringLiteral("/benchtax-XXXXXX"));
    if ((vault || csv) && !scratch.isValid())
        return fail(QStringLiteral("cannot create a scratch folder"));
    const QByteArray keyHex =
        QByteArray::number(QRandomGenerator::system()->generate64(), 16).rightJustified(16, '0') +
        QByteArray::number(QRandomGenerator::system()->generate64(), 16).rightJustified(16, '0') +
        QByteArray::number(QRandomGenerator::system()->generate64(), 16).rightJustified(16, '0') +
        QByteArray::number(QRandomGenerator::system()->generate64(), 16).rightJustified(16, '0');

    print(
        QStringLiteral("BenchTax: seed %1, %2, report %3, input %4")
            .arg(seed)
            .arg(QStringLiteral("Decimal %1")
                     .arg(Decimal::usesNativeInt128() ? QStringLiteral("native int128")
                                                      : QStringLiteral("portable")))
            .arg(year > 0 ? QStringLiteral("tax year %1").arg(year)
                          : QStringLiteral("whole ledger"))
            .arg(vault
                     ? (reading.readers > 1
                            ? QStringLiteral("encrypted vault (%1 readers, %2 columns)")
                                  .arg(reading.readers)
                                  .arg(columns)
                            : QStringLiteral("encrypted vault (forEach, %1 columns)").arg(columns))
                 : csv ? QStringLiteral("ledger CSV (LedgerFileTax, as tax --ledger)")
                       : QStringLiteral("generator stream")));
    print(QStringLiteral("seconds; wall = elapsed, cpu = CPU time of the process (the machine is "
                         "shared); input = generator or vault read alone; engine = total - input"));
    print(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11")
              .arg(QStringLiteral("config"), -18)
              .arg(QStringLiteral("rows"), 9)
              .arg(QStringLiteral("input wall"), 11)
              .arg(QStringLiteral("input cpu"), 10)
              .arg(QStringLiteral("engine wall"), 12)
              .arg(QStringLiteral("engine cpu"), 11)
              .arg(QStringLiteral("total wall"), 11)
              .arg(QStringLiteral("total cpu"), 10)
              .arg(QStringLiteral("engine us/row"), 14)
              .arg(QStringLiteral("peak MB"), 8)
              .arg(QStringLiteral("rows out"), 9));
    QHash<QString, QList<double>> times;
    for (const qint64 n : sizes) {
        QString path;
        if (vault) {
            path = scratch.filePath(QStringLiteral("vault-%1.db").arg(n));
            QString error;
            const QHash<QString, QString> made =
                runChild({QStringLiteral("--child-make-vault"), QStringLiteral("--path"), path,
                          QStringLiteral("--rows"), QString::number(n), QStringLiteral("--seed"),
                          QString::number(seed)},
                         keyHex, &error);
            if (!error.isEmpty())
                return fail(error);
            print(QStringLiteral("(vault of %1 rows written in %2 s)")
                      .arg(n)
                      .arg(made.value(QStringLiteral("insert_s"))));
        }
        if (csv) {
            path = scratch.filePath(QStringLiteral("ledger-%1.csv").arg(n));
            QString error;
            const QHash<QString, QString> made =
                runChild({QStringLiteral("--child-make-csv"), QStringLiteral("--path"), path,
                          QStringLiteral("--rows"), QString::number(n), QStringLiteral("--seed"),
                          QString::number(seed)},
                         keyHex, &error);
            if (!error.isEmpty())
                return fail(error);
            print(QStringLiteral("(CSV of %1 rows, %2 MB, written in %3 s)")
                      .arg(n)
                      .arg(made.value(QStringLiteral("bytes")).toDouble() / 1e6, 0, 'f', 1)
                      .arg(made.value(QStringLiteral("write_s"))));
        }
        for (const QString& config : configs) {
            QStringList childArgs = {QStringLiteral("--config"), config,
                                     QStringLiteral("--seed"),   QString::number(seed),
                                     QStringLiteral("--year"),   QString::number(year)};
            if (vault)
                childArgs << QStringLiteral("--child-vault") << QStringLiteral("--path") << path
                          << QStringLiteral("--readers") << QString::number(reading.readers)
                          << QStringLiteral("--columns") << columns;
            else if (csv)
                childArgs << QStringLiteral("--child-csv") << QStringLiteral("--path") << path;
            else
                childArgs << QStringLiteral("--child-stream") << QStringLiteral("--rows")
                          << QString::number(n);
            QString error;
            const QHash<QString, QString> v = runChild(childArgs, keyHex, &error);
            if (!error.isEmpty())
                return fail(error);
            const double engineCpu = v.value(QStringLiteral("engine_cpu_s")).toDouble();
            const qint64 fed = v.value(QStringLiteral("fed")).toLongLong();
            times[config].append(engineCpu);
            print(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11")
                      .arg(config, -18)
                      .arg(fed, 9)
                      .arg(v.value(QStringLiteral("input_s")), 11)
                      .arg(v.value(QStringLiteral("input_cpu_s")), 10)
                      .arg(v.value(QStringLiteral("engine_s")), 12)
                      .arg(v.value(QStringLiteral("engine_cpu_s")), 11)
                      .arg(v.value(QStringLiteral("total_s")), 11)
                      .arg(v.value(QStringLiteral("total_cpu_s")), 10)
                      .arg(fed > 0 ? engineCpu * 1e6 / double(fed) : 0.0, 14, 'f', 2)
                      .arg(v.value(QStringLiteral("peak_kb")).toDouble() / 1024.0, 8, 'f', 1)
                      .arg(v.value(QStringLiteral("rows")), 9));
        }
    }
    if (sizes.size() > 1) {
        print(QStringLiteral("growth of the engine CPU time relative to linear (1.00 = exactly "
                             "linear, per step of sizes):"));
        for (const QString& config : configs) {
            const QList<double>& t = times[config];
            QStringList ratios;
            for (int i = 1; i < t.size(); ++i) {
                const double factor = double(sizes[i]) / double(sizes[i - 1]);
                ratios << QString::number(t[i - 1] > 0 ? t[i] / t[i - 1] / factor : 0.0, 'f', 2);
            }
            print(QStringLiteral("  %1 %2").arg(config, -18).arg(ratios.join(QLatin1String(", "))));
        }
    }
    return 0;
}
