#include "store/CachedCryptoProvider.h"
#include "store/SqlCipherDriver.h"

#include "TestSupport.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTest>

using llamadesk::store::CachedCryptoProvider;
using llamadesk::store::SqlCipherDriver;
using OpenFailure = SqlCipherDriver::OpenFailure;

namespace {

// Cached: with the processor's AES and SHA instructions where it has them; CachedEvp: the
// cached provider on OpenSSL's EVP functions.
enum class Provider { Cached, CachedEvp, Stock };

QByteArray randomKey() {
    QByteArray key(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / qsizetype(sizeof(quint32)));
    return key;
}

// A 1 MB page cache, so that a few thousand rows already make pages leave the cache and come
// back (encrypted, then decrypted again) within one connection.
const QString kSmallCache = QStringLiteral("CACHE_MB=1");

class Connection : public testsupport::VaultConnection {
public:
    Connection(const QString& name, const QString& path, const QByteArray& key)
        : VaultConnection(name, path, key, kSmallCache) {}
};

bool createTable(QSqlDatabase& db) {
    QSqlQuery create(db);
    return create.exec(QStringLiteral(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, hash TEXT, amount TEXT, note TEXT)"));
}

// Rows whose text does not compress into few pages: hashes, amounts and a note of varying size.
bool insertRows(QSqlDatabase& db, int first, int count) {
    if (!db.transaction())
        return false;
    QSqlQuery query(db);
    if (!query.prepare(
            QStringLiteral("INSERT INTO t (id, hash, amount, note) VALUES (?, ?, ?, ?)")))
        return false;
    for (int id = first; id < first + count; ++id) {
        const QByteArray seed = QByteArray::number(id);
        query.addBindValue(id);
        query.addBindValue(QString::fromLatin1(
            "0x" + QCryptographicHash::hash(seed, QCryptographicHash::Sha256).toHex()));
        query.addBindValue(
            QStringLiteral("%1.%2").arg(id * 7919).arg(id % 1000000, 6, 10, QLatin1Char('0')));
        query.addBindValue(QString(id % 97, QLatin1Char('n')));
        if (!query.exec()) {
            qWarning() << query.lastError().text();
            db.rollback();
            return false;
        }
    }
    return db.commit();
}

// Every row in id order, hashed: equal contents give equal digests.
QByteArray contentDigest(QSqlDatabase& db, int* rows) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QSqlQuery query(db);
    query.setForwardOnly(true);
    *rows = 0;
    if (!query.exec(QStringLiteral("SELECT id, hash, amount, note FROM t ORDER BY id")))
        return QByteArray();
    while (query.next()) {
        for (int column = 0; column < 4; ++column) {
            hash.addData(query.value(column).toString().toUtf8());
            hash.addData(QByteArrayView("|"));
        }
        ++*rows;
    }
    return hash.result();
}

QString integrity(QSqlDatabase& db) {
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA integrity_check")) || !query.next())
        return query.lastError().text();
    return query.value(0).toString();
}

} // namespace

Q_DECLARE_METATYPE(Provider)

class TestCachedCryptoProvider : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void providersReadEachOther_data();
    void providersReadEachOther();
    void stockShellReadsCachedVault();
    void cachedPathIsTaken_data();
    void cachedPathIsTaken();
    void wrongKeyIsRefused_data();
    void wrongKeyIsRefused();
    void tamperedPageIsRefused_data();
    void tamperedPageIsRefused();

private:
    bool use(Provider provider);
    void expectContents(Connection& c, const QByteArray& digest, int rows);
    QString nextPath() {
        return m_scratch.filePath(QStringLiteral("vault-%1.db").arg(++m_counter));
    }
    QString nextName() { return QStringLiteral("provider-test-%1").arg(++m_counter); }

    testsupport::ScratchDir m_scratch;
    bool m_available = false;
    int m_counter = 0;
};

void TestCachedCryptoProvider::initTestCase() {
    QVERIFY(m_scratch.isValid());
    QString why;
    m_available = CachedCryptoProvider::ensureInstalled(&why);
    SqlCipherDriver probe;
    qInfo() << "SQLCipher" << probe.cipherVersion()
            << "cached provider:" << (m_available ? QStringLiteral("installed") : why);
    // Where the layout is known (Debian's SQLCipher 3.4.1 with OpenSSL 3), it must be in use:
    // otherwise every vault silently runs on the slow path.
    if (probe.cipherVersion() == QLatin1String("3.4.1") &&
        qEnvironmentVariableIntValue("LLAMADESK_STOCK_CIPHER_PROVIDER") != 1) {
#ifdef LLAMADESK_TEST_EXPECT_CACHED_PROVIDER
        QVERIFY2(m_available, qPrintable(why));
#endif
    }
}

void TestCachedCryptoProvider::cleanup() {
    CachedCryptoProvider::setHardwareAllowed(true);
    if (m_available)
        QVERIFY(CachedCryptoProvider::reinstall());
}

bool TestCachedCryptoProvider::use(Provider provider) {
    CachedCryptoProvider::setHardwareAllowed(provider != Provider::CachedEvp);
    if (provider != Provider::Stock)
        return CachedCryptoProvider::reinstall() && CachedCryptoProvider::isInstalled();
    if (CachedCryptoProvider::isInstalled())
        return CachedCryptoProvider::restoreStock() && !CachedCryptoProvider::isInstalled();
    return true;
}

void TestCachedCryptoProvider::providersReadEachOther_data() {
    QTest::addColumn<Provider>("writer");
    QTest::addColumn<Provider>("reader");
    QTest::newRow("cached writes, stock reads") << Provider::Cached << Provider::Stock;
    QTest::newRow("stock writes, cached reads") << Provider::Stock << Provider::Cached;
    QTest::newRow("cached writes, cached reads") << Provider::Cached << Provider::Cached;
    QTest::newRow("stock writes, stock reads") << Provider::Stock << Provider::Stock;
    QTest::newRow("cached EVP writes, stock reads") << Provider::CachedEvp << Provider::Stock;
    QTest::newRow("stock writes, cached EVP reads") << Provider::Stock << Provider::CachedEvp;
    QTest::newRow("cached writes, cached EVP reads") << Provider::Cached << Provider::CachedEvp;
}

// The file format is SQLCipher's, whichever provider wrote a page: each reads and extends what
// the other wrote, and the result passes SQLite's integrity check.
void TestCachedCryptoProvider::providersReadEachOther() {
    QFETCH(Provider, writer);
    QFETCH(Provider, reader);
    if (!m_available && (writer != Provider::Stock || reader != Provider::Stock))
        QSKIP("the cached provider is not available on this platform");
    const QString path = nextPath();
    const QByteArray key = randomKey();
    QByteArray digest;
    int rows = 0;

    QVERIFY(use(writer));
    {
        Connection c(nextName(), path, key);
        QVERIFY2(c.db.isOpen(), qPrintable(c.error));
        QVERIFY(createTable(c.db));
        QSqlQuery index(c.db);
        QVERIFY(index.exec(QStringLiteral("CREATE INDEX t_hash ON t (hash)")));
        for (int batch = 0; batch < 4; ++batch)
            QVERIFY(insertRows(c.db, batch * 2000, 2000));
        digest = contentDigest(c.db, &rows);
        QCOMPARE(rows, 8000);
    }

    QVERIFY(use(reader));
    {
        Connection c(nextName(), path, key);
        expectContents(c, digest, rows);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(insertRows(c.db, 8000, 2000));
        QSqlQuery update(c.db);
        QVERIFY(update.exec(QStringLiteral("UPDATE t SET note = note || 'x' WHERE id % 3 = 0")));
        digest = contentDigest(c.db, &rows);
        QCOMPARE(rows, 10000);
    }

    QVERIFY(use(writer));
    Connection c(nextName(), path, key);
    expectContents(c, digest, rows);
}

// The vault opens, passes SQLite's integrity check and holds exactly the rows hashed before.
void TestCachedCryptoProvider::expectContents(Connection& c, const QByteArray& digest, int rows) {
    QVERIFY2(c.db.isOpen(), qPrintable(c.error));
    QCOMPARE(integrity(c.db), QStringLiteral("ok"));
    int readRows = 0;
    QCOMPARE(contentDigest(c.db, &readRows), digest);
    QCOMPARE(readRows, rows);
}

// The sqlcipher shell (another process, SQLCipher's own provider) opens a vault the cached
// provider wrote, with the same cipher settings the driver sets.
void TestCachedCryptoProvider::stockShellReadsCachedVault() {
    if (!m_available)
        QSKIP("the cached provider is not available on this platform");
    const QString shell = QStandardPaths::findExecutable(QStringLiteral("sqlcipher"));
    if (shell.isEmpty())
        QSKIP("no sqlcipher shell on this machine");
    QVERIFY(use(Provider::Cached));
    const QString path = nextPath();
    const QByteArray key = randomKey();
    {
        Connection c(nextName(), path, key);
        QVERIFY2(c.db.isOpen(), qPrintable(c.error));
        QVERIFY(createTable(c.db));
        QVERIFY(insertRows(c.db, 0, 3000));
    }
    QProcess process;
    process.start(shell, {path});
    QVERIFY(process.waitForStarted());
    // The key goes through the shell's standard input, never its command line.
    process.write("PRAGMA key = \"x'" + key.toHex() +
                  "'\";\n"
                  "PRAGMA cipher_page_size = 4096;\n"
                  "PRAGMA kdf_iter = 64000;\n"
                  "PRAGMA cipher_use_hmac = ON;\n"
                  "PRAGMA integrity_check;\n"
                  "SELECT count(*), sum(length(hash)) FROM t;\n");
    process.closeWriteChannel();
    QVERIFY(process.waitForFinished(60000));
    const QString output = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
    QCOMPARE(process.exitCode(), 0);
    QCOMPARE(output.split(QLatin1Char('\n')).last(), QStringLiteral("3000|198000"));
    QVERIFY2(output.startsWith(QLatin1String("ok")), qPrintable(output));
}

void TestCachedCryptoProvider::cachedPathIsTaken_data() {
    QTest::addColumn<Provider>("provider");
    QTest::newRow("cached") << Provider::Cached;
    QTest::newRow("cached EVP") << Provider::CachedEvp;
    QTest::newRow("stock") << Provider::Stock;
}

// Pages go through the cached code when it is installed, and only then.
void TestCachedCryptoProvider::cachedPathIsTaken() {
    QFETCH(Provider, provider);
    if (!m_available)
        QSKIP("the cached provider is not available on this platform");
    QVERIFY(use(provider));
    const CachedCryptoProvider::PageCounts before = CachedCryptoProvider::pageCounts();
    const QString path = nextPath();
    const QByteArray key = randomKey();
    {
        Connection c(nextName(), path, key);
        QVERIFY2(c.db.isOpen(), qPrintable(c.error));
        QVERIFY(createTable(c.db));
        QVERIFY(insertRows(c.db, 0, 2000));
    }
    {
        // A new connection reads every page from the file again.
        Connection c(nextName(), path, key);
        QVERIFY2(c.db.isOpen(), qPrintable(c.error));
        int rows = 0;
        QVERIFY(!contentDigest(c.db, &rows).isEmpty());
        QCOMPARE(rows, 2000);
    }
    const quint64 pages = QFile(path).size() / SqlCipherDriver::kPageSize;
    QVERIFY(pages > 50);
    const CachedCryptoProvider::PageCounts after = CachedCryptoProvider::pageCounts();
    const quint64 encrypted = after.encrypted - before.encrypted;
    const quint64 decrypted = after.decrypted - before.decrypted;
    if (provider != Provider::Stock) {
        // Every page was written at least once and read back at least once.
        QVERIFY2(encrypted >= pages,
                 qPrintable(QStringLiteral("%1 encrypted, %2 pages").arg(encrypted).arg(pages)));
        QVERIFY2(decrypted >= pages,
                 qPrintable(QStringLiteral("%1 decrypted, %2 pages").arg(decrypted).arg(pages)));
    } else {
        QCOMPARE(encrypted, quint64(0));
        QCOMPARE(decrypted, quint64(0));
    }
}

void TestCachedCryptoProvider::wrongKeyIsRefused_data() {
    QTest::addColumn<Provider>("provider");
    QTest::newRow("cached") << Provider::Cached;
    QTest::newRow("cached EVP") << Provider::CachedEvp;
}

void TestCachedCryptoProvider::wrongKeyIsRefused() {
    QFETCH(Provider, provider);
    if (!m_available)
        QSKIP("the cached provider is not available on this platform");
    QVERIFY(use(provider));
    const QString path = nextPath();
    {
        Connection c(nextName(), path, randomKey());
        QVERIFY2(c.db.isOpen(), qPrintable(c.error));
        QSqlQuery create(c.db);
        QVERIFY(create.exec(QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY)")));
    }
    Connection c(nextName(), path, randomKey());
    QVERIFY(!c.db.isOpen());
    QCOMPARE(c.failure, OpenFailure::NotADatabaseOrWrongKey);
}

// One flipped byte in a page makes its HMAC fail: the page is refused, never returned.
void TestCachedCryptoProvider::tamperedPageIsRefused_data() {
    QTest::addColumn<Provider>("provider");
    QTest::newRow("cached") << Provider::Cached;
    QTest::newRow("cached EVP") << Provider::CachedEvp;
}

void TestCachedCryptoProvider::tamperedPageIsRefused() {
    QFETCH(Provider, provider);
    if (!m_available)
        QSKIP("the cached provider is not available on this platform");
    QVERIFY(use(provider));
    const QString path = nextPath();
    const QByteArray key = randomKey();
    {
        Connection c(nextName(), path, key);
        QVERIFY2(c.db.isOpen(), qPrintable(c.error));
        QVERIFY(createTable(c.db));
        QVERIFY(insertRows(c.db, 0, 500));
    }
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.size() > 3 * SqlCipherDriver::kPageSize);
        const qint64 offset = 2 * SqlCipherDriver::kPageSize + 1000; // inside page 3's data
        QVERIFY(file.seek(offset));
        char byte = 0;
        QVERIFY(file.getChar(&byte));
        QVERIFY(file.seek(offset));
        QVERIFY(file.putChar(char(byte ^ 0x01)));
    }
    Connection c(nextName(), path, key);
    QVERIFY2(c.db.isOpen(), qPrintable(c.error)); // page 1 is intact
    int rows = 0;
    QVERIFY(contentDigest(c.db, &rows).isEmpty() || rows < 500);
    QVERIFY(integrity(c.db) != QLatin1String("ok"));
}

QTEST_GUILESS_MAIN(TestCachedCryptoProvider)
#include "TestCachedCryptoProvider.moc"
