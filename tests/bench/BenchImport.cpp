// Import of a generated canonical CSV into a new encrypted vault: rows per second for reading
// alone (parse and validate, no vault) and for the whole import (read, dedupe check, insert),
// then a re-import of the same file (every row a duplicate).
//
//   BenchImport [--rows N] [--seed S] [--keep DIR]

#include "import/CanonicalCsvWriter.h"
#include "import/Importer.h"
#include "import/LedgerReader.h"
#include "store/Migrator.h"
#include "store/SqlCipherDriver.h"
#include "tax/LedgerGenerator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstdio>
#include <ctime>

using namespace llamadesk;

namespace {

const QString kUser = QStringLiteral("5eed5eed-0000-4000-8000-000000000001");

void print(const QString& line) {
    std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
    std::fflush(stdout);
}

// Process CPU time in seconds: on a shared machine wall time says more about the neighbours.
double cpuSeconds() {
    return double(std::clock()) / CLOCKS_PER_SEC;
}

qint64 peakRssKiB() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    qint64 rows = 100000;
    quint64 seed = 1;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args.at(i) == QLatin1String("--rows"))
            rows = args.at(i + 1).toLongLong();
        else if (args.at(i) == QLatin1String("--seed"))
            seed = args.at(i + 1).toULongLong();
    }
    QTemporaryDir dir;
    if (!dir.isValid())
        return 1;

    // The ledger as a canonical CSV.
    const QString csv = dir.filePath(QStringLiteral("ledger.csv"));
    {
        QFile f(csv);
        if (!f.open(QIODevice::WriteOnly))
            return 1;
        tax::LedgerGeneratorOptions g;
        g.transactions = rows;
        g.seed = seed;
        g.userId = kUser;
        tax::LedgerGenerator generator(g);
        import::CanonicalCsvWriter writer(&f);
        writer.writeHeader();
        TaxTransaction t;
        while (generator.next(&t))
            writer.write(t);
    }
    print(QStringLiteral("file: %1 bytes").arg(QFileInfo(csv).size()));

    // Reading alone.
    QElapsedTimer timer;
    timer.start();
    double cpu = cpuSeconds();
    import::LedgerReader reader;
    if (!reader.open(csv))
        return 1;
    import::LedgerRow row;
    qint64 good = 0;
    while (reader.next(&row))
        ++good;
    const double readSeconds = double(timer.nsecsElapsed()) / 1e9;
    const double readCpu = cpuSeconds() - cpu;
    print(QStringLiteral("read: %1 rows (%2 bad) in %3 s wall, %4 s CPU = %5 rows/s (CPU)")
              .arg(good)
              .arg(reader.badRecords())
              .arg(readSeconds, 0, 'f', 2)
              .arg(readCpu, 0, 'f', 2)
              .arg(qint64(double(good) / readCpu)));

    // Import into a new vault (raw key: the same SQLCipher settings as a keychain vault).
    QByteArray key(store::SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    QString error;
    QSqlDatabase db = store::SqlCipherDriver::openDatabase(QStringLiteral("bench"),
                                                           dir.filePath(QStringLiteral("vault.db")),
                                                           key, {}, nullptr, &error);
    if (!db.isOpen() || !store::Migrator(db).migrate()) {
        print(QStringLiteral("cannot create the vault: %1").arg(error));
        return 1;
    }
    {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)"));
        q.addBindValue(kUser);
        q.addBindValue(QStringLiteral("bench@example.org"));
        q.exec();
    }
    for (int pass = 1; pass <= 2; ++pass) {
        import::Importer importer(db, kUser);
        timer.restart();
        cpu = cpuSeconds();
        const auto result = importer.run({csv}, {});
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        const double importCpu = cpuSeconds() - cpu;
        if (!result) {
            print(QStringLiteral("import failed: %1").arg(result.error()));
            return 1;
        }
        print(QStringLiteral("import %1: %2 rows read, %3 imported, %4 duplicates in %5 s wall, "
                             "%6 s CPU = %7 rows/s (CPU)")
                  .arg(pass == 1 ? QStringLiteral("into an empty vault")
                                 : QStringLiteral("again (all duplicates)"))
                  .arg(result->recordsRead)
                  .arg(result->imported)
                  .arg(result->duplicates)
                  .arg(seconds, 0, 'f', 2)
                  .arg(importCpu, 0, 'f', 2)
                  .arg(qint64(double(result->recordsRead) / importCpu)));
    }
    print(QStringLiteral("vault file: %1 bytes; peak RSS: %2 MiB")
              .arg(QFileInfo(dir.filePath(QStringLiteral("vault.db"))).size())
              .arg(peakRssKiB() / 1024));
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("bench"));
    return 0;
}
