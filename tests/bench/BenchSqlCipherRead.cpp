// Raw insert and read speed of the SQLCipher driver, encrypted against plain.
//
// Usage: BenchSqlCipherRead [rows=200000] [textColumns=15] [batch=10000]
// Inserts rows through one reused prepared QSqlQuery, one transaction per batch, then reads every
// value back with a forward-only QSqlQuery (and once more with a scrollable one).

#include "store/SqlCipherDriver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstdio>
#include <ctime>

using llamadesk::store::SqlCipherDriver;

namespace {

// Wall-clock and process CPU time: on a shared machine the CPU figure is the steadier one.
struct Timing {
    qint64 wallMs = 0;
    qint64 cpuMs = 0;
};

class Stopwatch {
public:
    Stopwatch() {
        m_wall.start();
        m_cpu = std::clock();
    }
    Timing elapsed() const {
        return {m_wall.elapsed(), qint64(double(std::clock() - m_cpu) * 1000.0 / CLOCKS_PER_SEC)};
    }

private:
    QElapsedTimer m_wall;
    std::clock_t m_cpu;
};

struct Figures {
    Timing open;
    Timing insert;
    Timing readForward;
    Timing readScrollable;
    qint64 fileBytes = 0;
    qint64 checksum = 0;
};

// A pool of realistic values (hashes, addresses, amounts, symbols, timestamps); rows cycle
// through it with a per-row prefix so that no two rows are equal.
QList<QStringList> makePool(int columns) {
    QRandomGenerator generator(7);
    const auto hex = [&generator](int digits) {
        static const char kDigits[] = "0123456789abcdef";
        QString text = QStringLiteral("0x");
        for (int i = 0; i < digits; ++i)
            text += QLatin1Char(kDigits[generator.bounded(16)]);
        return text;
    };
    QList<QStringList> pool;
    for (int row = 0; row < 1024; ++row) {
        QStringList values;
        for (int column = 0; column < columns; ++column) {
            switch (column % 5) {
            case 0:
                values << hex(64);
                break;
            case 1:
                values << hex(40);
                break;
            case 2:
                values << QStringLiteral("%1.%2")
                              .arg(generator.bounded(1000000))
                              .arg(generator.bounded(1000000000), 9, 10, QLatin1Char('0'));
                break;
            case 3:
                values << QStringList{QStringLiteral("ETH"), QStringLiteral("USDC"),
                                      QStringLiteral("WBTC"), QStringLiteral("ARB")}
                              .at(int(generator.bounded(4)));
                break;
            default:
                values << QStringLiteral("2024-%1-%2T12:34:56Z")
                              .arg(generator.bounded(1, 13), 2, 10, QLatin1Char('0'))
                              .arg(generator.bounded(1, 29), 2, 10, QLatin1Char('0'));
                break;
            }
        }
        pool << values;
    }
    return pool;
}

bool runOne(const QString& label, const QString& path, const QByteArray& key, int rows, int columns,
            int batch, const QList<QStringList>& pool, Figures* out) {
    const QString name = QStringLiteral("bench-") + label;
    bool ok = true;
    {
        Stopwatch openWatch;
        SqlCipherDriver::OpenFailure failure = SqlCipherDriver::OpenFailure::None;
        QString error;
        QSqlDatabase db =
            SqlCipherDriver::openDatabase(name, path, key, QString(), &failure, &error);
        out->open = openWatch.elapsed();
        if (!db.isOpen()) {
            std::fprintf(stderr, "%s: open failed: %s\n", qPrintable(label), qPrintable(error));
            return false;
        }

        QStringList columnDefs{QStringLiteral("id INTEGER PRIMARY KEY")};
        QStringList marks{QStringLiteral("?")};
        for (int c = 0; c < columns; ++c) {
            columnDefs << QStringLiteral("c%1 TEXT").arg(c);
            marks << QStringLiteral("?");
        }
        QSqlQuery ddl(db);
        if (!ddl.exec(QStringLiteral("CREATE TABLE bench (%1)")
                          .arg(columnDefs.join(QStringLiteral(", "))))) {
            std::fprintf(stderr, "%s: %s\n", qPrintable(label), qPrintable(ddl.lastError().text()));
            return false;
        }

        Stopwatch insertWatch;
        QSqlQuery insert(db);
        ok = insert.prepare(
            QStringLiteral("INSERT INTO bench VALUES (%1)").arg(marks.join(QLatin1Char(','))));
        for (int start = 0; ok && start < rows; start += batch) {
            ok = db.transaction();
            const int end = qMin(rows, start + batch);
            for (int row = start; ok && row < end; ++row) {
                const QStringList& values = pool.at(row % pool.size());
                insert.bindValue(0, row);
                for (int c = 0; c < columns; ++c)
                    insert.bindValue(c + 1, values.at(c));
                ok = insert.exec();
            }
            ok = ok && db.commit();
        }
        out->insert = insertWatch.elapsed();
        if (!ok) {
            std::fprintf(stderr, "%s: insert failed: %s / %s\n", qPrintable(label),
                         qPrintable(insert.lastError().text()), qPrintable(db.lastError().text()));
            return false;
        }

        const auto readAll = [&](bool forwardOnly, Timing* timing) {
            Stopwatch readWatch;
            QSqlQuery select(db);
            select.setForwardOnly(forwardOnly);
            qint64 sum = 0;
            int seen = 0;
            if (select.exec(QStringLiteral("SELECT * FROM bench"))) {
                while (select.next()) {
                    sum += select.value(0).toLongLong();
                    for (int c = 1; c <= columns; ++c)
                        sum += select.value(c).toString().size();
                    ++seen;
                }
            }
            *timing = readWatch.elapsed();
            if (seen != rows)
                std::fprintf(stderr, "%s: read %d rows, expected %d\n", qPrintable(label), seen,
                             rows);
            return seen == rows ? sum : -1;
        };
        out->checksum = readAll(true, &out->readForward);
        const qint64 again = readAll(false, &out->readScrollable);
        ok = out->checksum >= 0 && again == out->checksum;
    }
    QSqlDatabase::removeDatabase(name);
    out->fileBytes = QFileInfo(path).size();
    return ok;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int rows = args.size() > 1 ? args.at(1).toInt() : 200000;
    const int columns = args.size() > 2 ? args.at(2).toInt() : 15;
    const int batch = args.size() > 3 ? args.at(3).toInt() : 10000;
    if (rows <= 0 || columns <= 0 || batch <= 0) {
        std::fprintf(stderr, "usage: %s [rows] [textColumns] [batch]\n", argv[0]);
        return 2;
    }
    QTemporaryDir dir;
    if (!dir.isValid())
        return 1;

    const QList<QStringList> pool = makePool(columns);
    QByteArray key(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    for (char& byte : key)
        byte = char(QRandomGenerator::system()->bounded(256));

    SqlCipherDriver probe;
    std::printf("SQLCipher %s, SQLite %s: %d rows x (1 integer + %d text columns), batches of %d\n",
                qPrintable(probe.cipherVersion()), qPrintable(SqlCipherDriver::sqliteVersion()),
                rows, columns, batch);

    Figures plain;
    Figures encrypted;
    if (!runOne(QStringLiteral("plain"), dir.filePath(QStringLiteral("plain.db")), QByteArray(),
                rows, columns, batch, pool, &plain) ||
        !runOne(QStringLiteral("encrypted"), dir.filePath(QStringLiteral("encrypted.db")), key,
                rows, columns, batch, pool, &encrypted))
        return 1;
    if (plain.checksum != encrypted.checksum) {
        std::fprintf(stderr, "checksums differ\n");
        return 1;
    }

    const auto ratio = [](qint64 a, qint64 b) {
        return b > 0 ? double(a) / double(b) : 0.0;
    };
    const auto perSecond = [rows](qint64 ms) {
        return ms > 0 ? qint64(rows) * 1000 / ms : 0;
    };
    std::printf("%-20s %10s %10s %7s   %10s %10s %7s\n", "", "plain", "encrypted", "ratio",
                "plain cpu", "enc. cpu", "ratio");
    const auto line = [&](const char* what, const Timing& p, const Timing& e) {
        std::printf("%-20s %7lld ms %7lld ms %6.2fx   %7lld ms %7lld ms %6.2fx\n", what,
                    qlonglong(p.wallMs), qlonglong(e.wallMs), ratio(e.wallMs, p.wallMs),
                    qlonglong(p.cpuMs), qlonglong(e.cpuMs), ratio(e.cpuMs, p.cpuMs));
    };
    line("open", plain.open, encrypted.open);
    line("insert", plain.insert, encrypted.insert);
    line("read forward-only", plain.readForward, encrypted.readForward);
    line("read scrollable", plain.readScrollable, encrypted.readScrollable);
    std::printf("%-20s %8lld/s %8lld/s\n", "insert rows (wall)",
                qlonglong(perSecond(plain.insert.wallMs)),
                qlonglong(perSecond(encrypted.insert.wallMs)));
    std::printf("%-20s %8lld/s %8lld/s\n", "read rows (wall)",
                qlonglong(perSecond(plain.readForward.wallMs)),
                qlonglong(perSecond(encrypted.readForward.wallMs)));
    std::printf("%-22s %9.1f MB %9.1f MB\n", "file size", double(plain.fileBytes) / 1e6,
                double(encrypted.fileBytes) / 1e6);
    return 0;
}
