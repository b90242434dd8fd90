#include "store/SqlCipherDriver.h"
#include "store/SqlCipherResult.h"

#include "TestSupport.h"

#include <QAbstractItemModelTester>
#include <QCryptographicHash>
#include <QDate>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlField>
#include <QSqlIndex>
#include <QSqlQuery>
#include <QSqlQueryModel>
#include <QSqlRecord>
#include <QTest>

#include <limits>

using llamadesk::store::SqlCipherDriver;
using OpenFailure = SqlCipherDriver::OpenFailure;

namespace {

// A value type that only reaches the database through QVariant::toString(), like Decimal.
struct FakeAmount {
    qint64 units = 0;
    QString toString() const { return QString::number(units) + QStringLiteral(".00"); }
};

// A type with no conversion to text at all.
struct Opaque {
    int x = 0;
};

// A fake transaction hash: must never show up in the bytes of an encrypted file.
const QByteArray kMarker =
    QByteArrayLiteral("0xdeadbeefcafebabe5eed1e55c0ffee0ddba11fab1eb0a710ad5a1e");

QByteArray randomKey() {
    QByteArray key(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / qsizetype(sizeof(quint32)));
    return key;
}

QByteArray fileBytes(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray();
    return file.readAll();
}

QByteArray fileHash(const QString& path) {
    return QCryptographicHash::hash(fileBytes(path), QCryptographicHash::Sha256);
}

using Connection = testsupport::VaultConnection;

bool run(QSqlDatabase& db, const QString& sql) {
    QSqlQuery query(db);
    if (!query.exec(sql)) {
        qWarning() << "statement failed:" << sql << query.lastError().text();
        return false;
    }
    return true;
}

QVariant scalar(QSqlDatabase& db, const QString& sql) {
    QSqlQuery query(db);
    if (!query.exec(sql) || !query.next())
        return QVariant();
    return query.value(0);
}

} // namespace

Q_DECLARE_METATYPE(FakeAmount)
Q_DECLARE_METATYPE(Opaque)

class TestSqlCipherDriver : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();

    void encryptedFileShowsNoPlaintext();
    void plainModeWritesPlainHeader();
    void wrongKeyLeavesFileUntouched();
    void nonDatabaseFileIsRejected_data();
    void nonDatabaseFileIsRejected();
    void missingFileWithoutCreate();
    void keyRules();
    void unknownConnectOption();
    void readOnlyRefusesWrites();
    void pragmasInEffect();
    void pageCacheSize();

    void typeRoundTrip_data();
    void typeRoundTrip();
    void refusedValues_data();
    void refusedValues();
    void userTypeBindsThroughToString();
    void errorsNeverContainBoundValues();

    void namedAndPositionalPlaceholders();
    void preparedQueryIsReused();
    void parameterCountMismatch();
    void oneStatementPerQuery();
    void lastInsertIdAndRowsAffected();

    void transactionCommitAndRollback();
    void failingStatementInTransactionLeavesNothing();
    void twoConnectionsSnapshotAndBusy();

    void scrollableQuerySeeks();
    void forwardOnlyQuery();
    void repeatedTextValues_data();
    void repeatedTextValues();
    void valuesOfStatementShapes_data();
    void valuesOfStatementShapes();
    void storedTextOfCurrentRow();
    void queryModelOverManyRows();

    void executeScript();
    void schemaIntrospection();
    void closeWithLiveQuery();

private:
    testsupport::ScratchDir m_scratch;
    int m_counter = 0;
    QString nextName() { return QStringLiteral("driver-test-%1").arg(++m_counter); }
    QString nextPath() {
        return m_scratch.filePath(QStringLiteral("db-%1.sqlite").arg(++m_counter));
    }
};

void TestSqlCipherDriver::initTestCase() {
    QVERIFY(m_scratch.isValid());
    SqlCipherDriver probe;
    QVERIFY(!probe.cipherVersion().isEmpty());
    QVERIFY(!SqlCipherDriver::sqliteVersion().isEmpty());
    qInfo() << "SQLCipher" << probe.cipherVersion() << "SQLite" << SqlCipherDriver::sqliteVersion();
}

void TestSqlCipherDriver::encryptedFileShowsNoPlaintext() {
    const QString path = nextPath();
    const QByteArray key = randomKey();
    {
        Connection c(nextName(), path, key);
        QVERIFY2(c.db.isOpen(), qPrintable(c.error));
        QCOMPARE(c.failure, OpenFailure::None);
        QVERIFY(c.driver()->isEncrypted());
        QVERIFY(run(c.db, QStringLiteral("CREATE TABLE tx (hash TEXT NOT NULL, note TEXT)")));
        QVERIFY(c.db.transaction());
        QSqlQuery insert(c.db);
        QVERIFY(insert.prepare(QStringLiteral("INSERT INTO tx (hash, note) VALUES (?, ?)")));
        for (int i = 0; i < 200; ++i) {
            insert.addBindValue(QString(QString::fromLatin1(kMarker) + QString::number(i)));
            insert.addBindValue(QStringLiteral("plain note %1").arg(i));
            QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
        }
        QVERIFY(c.db.commit());

        // While the connection is open the new pages are in the WAL.
        const QByteArray wal = fileBytes(path + QStringLiteral("-wal"));
        QVERIFY2(wal.size() > 4096, "the WAL should hold the committed pages");
        QVERIFY(!wal.contains(kMarker));
        QVERIFY(!wal.contains("plain note"));
        QVERIFY(!fileBytes(path).contains(kMarker));
        QVERIFY(!fileBytes(path + QStringLiteral("-shm")).contains(kMarker));
    }
    const QByteArray main = fileBytes(path);
    QVERIFY(main.size() >= SqlCipherDriver::kPageSize);
    QVERIFY(main.size() % SqlCipherDriver::kPageSize == 0);
    QVERIFY(!main.startsWith(QByteArray("SQLite format 3\0", 16)));
    QVERIFY(!main.contains(kMarker));
    QVERIFY(!main.contains("plain note"));
    QVERIFY(!main.contains("CREATE TABLE"));
    QVERIFY(!fileBytes(path + QStringLiteral("-wal")).contains(kMarker));

    Connection again(nextName(), path, key);
    QVERIFY2(again.db.isOpen(), qPrintable(again.error));
    QCOMPARE(scalar(again.db, QStringLiteral("SELECT count(*) FROM tx")).toLongLong(), 200);
    QSqlQuery query(again.db);
    QVERIFY(query.prepare(QStringLiteral("SELECT note FROM tx WHERE hash = ?")));
    query.addBindValue(QString(QString::fromLatin1(kMarker) + QStringLiteral("17")));
    QVERIFY(query.exec());
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toString(), QStringLiteral("plain note 17"));
}

void TestSqlCipherDriver::plainModeWritesPlainHeader() {
    // The control for the test above: the same scan finds the marker when there is no key.
    const QString path = nextPath();
    {
        Connection c(nextName(), path, QByteArray());
        QVERIFY2(c.db.isOpen(), qPrintable(c.error));
        QVERIFY(!c.driver()->isEncrypted());
        QCOMPARE(scalar(c.db, QStringLiteral("PRAGMA page_size")).toInt(),
                 SqlCipherDriver::kPageSize);
        QVERIFY(run(c.db, QStringLiteral("CREATE TABLE tx (hash TEXT)")));
        QSqlQuery insert(c.db);
        QVERIFY(insert.prepare(QStringLiteral("INSERT INTO tx VALUES (?)")));
        insert.addBindValue(QString::fromLatin1(kMarker));
        QVERIFY(insert.exec());
        QVERIFY(fileBytes(path + QStringLiteral("-wal")).contains(kMarker));
    }
    const QByteArray main = fileBytes(path);
    QVERIFY(main.startsWith(QByteArray("SQLite format 3\0", 16)));
    QVERIFY(main.contains(kMarker));

    // And an encrypted connection refuses it.
    Connection encrypted(nextName(), path, randomKey());
    QVERIFY(!encrypted.db.isValid());
    QCOMPARE(encrypted.failure, OpenFailure::NotADatabaseOrWrongKey);
    QVERIFY(encrypted.error.contains(QStringLiteral("unencrypted")));
}

void TestSqlCipherDriver::wrongKeyLeavesFileUntouched() {
    const QString path = nextPath();
    const QByteArray key = randomKey();
    {
        Connection c(nextName(), path, key);
        QVERIFY(c.db.isOpen());
        QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (v TEXT)")));
        QVERIFY(run(c.db, QStringLiteral("INSERT INTO t VALUES ('kept')")));
    }
    const QByteArray before = fileHash(path);
    const QStringList filesBefore = QDir(m_scratch.path()).entryList(QDir::Files);

    QByteArray wrong = key;
    wrong[0] = char(wrong.at(0) ^ 0x01);
    {
        Connection c(nextName(), path, wrong);
        QVERIFY(!c.db.isValid());
        QCOMPARE(c.failure, OpenFailure::NotADatabaseOrWrongKey);
        QVERIFY(!c.error.isEmpty());
        QVERIFY(!c.error.contains(QString::fromLatin1(key.toHex())));
        QVERIFY(!c.error.contains(QString::fromLatin1(wrong.toHex())));
    }
    {
        Connection plain(nextName(), path, QByteArray());
        QCOMPARE(plain.failure, OpenFailure::NotADatabaseOrWrongKey);
    }
    QCOMPARE(fileHash(path), before);
    QCOMPARE(QDir(m_scratch.path()).entryList(QDir::Files), filesBefore);

    Connection right(nextName(), path, key);
    QVERIFY(right.db.isOpen());
    QCOMPARE(scalar(right.db, QStringLiteral("SELECT v FROM t")).toString(),
             QStringLiteral("kept"));
}

void TestSqlCipherDriver::nonDatabaseFileIsRejected_data() {
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<bool>("encrypted");
    QByteArray random(10000, Qt::Uninitialized);
    QRandomGenerator generator(42);
    for (char& c : random)
        c = char(generator.bounded(256));
    QTest::newRow("random bytes, key") << random << true;
    QTest::newRow("random bytes, plain") << random << false;
    QTest::newRow("text file, key") << QByteArray(5000, 'a') << true;
}

void TestSqlCipherDriver::nonDatabaseFileIsRejected() {
    QFETCH(QByteArray, contents);
    QFETCH(bool, encrypted);
    const QString path = nextPath();
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(contents), contents.size());
    }
    Connection c(nextName(), path, encrypted ? randomKey() : QByteArray());
    QVERIFY(!c.db.isValid());
    QCOMPARE(c.failure, OpenFailure::NotADatabaseOrWrongKey);
    QCOMPARE(fileBytes(path), contents);
    QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
}

void TestSqlCipherDriver::missingFileWithoutCreate() {
    const QString path = nextPath();
    Connection c(nextName(), path, randomKey(), QStringLiteral("CREATE=0"));
    QVERIFY(!c.db.isValid());
    QCOMPARE(c.failure, OpenFailure::CannotOpenFile);
    QVERIFY(!QFile::exists(path));

    Connection inMissingFolder(nextName(), m_scratch.filePath(QStringLiteral("no/such/dir.db")),
                               randomKey());
    QCOMPARE(inMissingFolder.failure, OpenFailure::CannotOpenFile);
}

void TestSqlCipherDriver::keyRules() {
    const QString path = nextPath();
    const QString name = nextName();
    {
        // Never set: no silent fallback to a plain file.
        QSqlDatabase db = QSqlDatabase::addDatabase(new SqlCipherDriver, name);
        db.setDatabaseName(path);
        QVERIFY(!db.open());
        QCOMPARE(static_cast<SqlCipherDriver*>(db.driver())->openFailure(),
                 OpenFailure::CipherSetupFailed);
        QVERIFY(!QFile::exists(path));

        auto* driver = static_cast<SqlCipherDriver*>(db.driver());
        driver->setRawKey(QByteArray(16, 'k'));
        QVERIFY(!db.open());
        QCOMPARE(driver->openFailure(), OpenFailure::CipherSetupFailed);

        const QByteArray key = randomKey();
        driver->setRawKey(key);
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        QVERIFY(driver->isEncrypted());
        db.close();
        // The key was wiped when open() returned: reopening needs it again.
        QVERIFY(!db.open());
        QCOMPARE(driver->openFailure(), OpenFailure::CipherSetupFailed);
        driver->setRawKey(key);
        QVERIFY(db.open());
        QCOMPARE(driver->openFailure(), OpenFailure::None);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);

    // A name already in use is not replaced.
    Connection first(nextName(), nextPath(), randomKey());
    QVERIFY(first.db.isOpen());
    OpenFailure failure = OpenFailure::None;
    QString error;
    QSqlDatabase second = SqlCipherDriver::openDatabase(first.db.connectionName(), nextPath(),
                                                        randomKey(), QString(), &failure, &error);
    QVERIFY(!second.isValid());
    QCOMPARE(failure, OpenFailure::Other);
    QVERIFY(first.db.isOpen());
}

void TestSqlCipherDriver::unknownConnectOption() {
    Connection c(nextName(), nextPath(), randomKey(), QStringLiteral("READONLY;NOPE=1"));
    QVERIFY(!c.db.isValid());
    QCOMPARE(c.failure, OpenFailure::Other);
    QVERIFY(c.error.contains(QStringLiteral("NOPE")));
}

void TestSqlCipherDriver::readOnlyRefusesWrites() {
    const QString path = nextPath();
    const QByteArray key = randomKey();
    {
        Connection c(nextName(), path, key);
        QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (v INTEGER)")));
        QVERIFY(run(c.db, QStringLiteral("INSERT INTO t VALUES (7)")));
    }
    Connection c(nextName(), path, key, QStringLiteral(" READONLY ; CREATE=0 "));
    QVERIFY2(c.db.isOpen(), qPrintable(c.error));
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT v FROM t")).toLongLong(), 7);
    QSqlQuery insert(c.db);
    QVERIFY(!insert.exec(QStringLiteral("INSERT INTO t VALUES (8)")));
    QCOMPARE(insert.lastError().nativeErrorCode().toInt() & 0xff, 8); // SQLITE_READONLY
}

void TestSqlCipherDriver::pageCacheSize() {
    const auto cacheKib = [](QSqlDatabase& db) {
        return -scalar(db, QStringLiteral("PRAGMA cache_size")).toLongLong();
    };
    {
        Connection c(nextName(), nextPath(), randomKey());
        QVERIFY2(c.db.isOpen(), qPrintable(c.error));
        QCOMPARE(cacheKib(c.db), qint64(SqlCipherDriver::kDefaultCacheMb) * 1024);
        QCOMPARE(c.driver()->pageCacheMb(), SqlCipherDriver::kDefaultCacheMb);
        // Grows, never shrinks.
        QVERIFY(c.driver()->growPageCache(SqlCipherDriver::kDefaultCacheMb + 24).ok());
        QCOMPARE(c.driver()->pageCacheMb(), SqlCipherDriver::kDefaultCacheMb + 24);
        QVERIFY(c.driver()->growPageCache(1).ok());
        QCOMPARE(c.driver()->pageCacheMb(), SqlCipherDriver::kDefaultCacheMb + 24);
        QVERIFY(!c.driver()->growPageCache(0).ok());
        QVERIFY(!c.driver()->growPageCache(SqlCipherDriver::kMaxCacheMb + 1).ok());
    }
    {
        Connection c(nextName(), nextPath(), QByteArray(), QStringLiteral("CACHE_MB=3"));
        QVERIFY2(c.db.isOpen(), qPrintable(c.error));
        QCOMPARE(cacheKib(c.db), qint64(3 * 1024));
    }
    for (const char* bad : {"CACHE_MB=0", "CACHE_MB=-5", "CACHE_MB=lots", "CACHE_MB=999999"}) {
        Connection c(nextName(), nextPath(), randomKey(), QLatin1String(bad));
        QVERIFY2(!c.db.isValid(), bad);
        QCOMPARE(c.failure, OpenFailure::Other);
    }
    SqlCipherDriver closed;
    QCOMPARE(closed.pageCacheMb(), 0);
    QVERIFY(!closed.growPageCache(16).ok());
}

void TestSqlCipherDriver::pragmasInEffect() {
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(c.db.isOpen());
    QCOMPARE(scalar(c.db, QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
    QCOMPARE(scalar(c.db, QStringLiteral("PRAGMA foreign_keys")).toLongLong(), 1);
    QCOMPARE(scalar(c.db, QStringLiteral("PRAGMA synchronous")).toLongLong(), 2);
    QCOMPARE(scalar(c.db, QStringLiteral("PRAGMA temp_store")).toLongLong(), 2);
    QCOMPARE(scalar(c.db, QStringLiteral("PRAGMA busy_timeout")).toLongLong(),
             SqlCipherDriver::kDefaultBusyTimeoutMs);
    QCOMPARE(scalar(c.db, QStringLiteral("PRAGMA cipher_page_size")).toInt(),
             SqlCipherDriver::kPageSize);
    QCOMPARE(scalar(c.db, QStringLiteral("PRAGMA page_size")).toInt(), SqlCipherDriver::kPageSize);
    QCOMPARE(scalar(c.db, QStringLiteral("PRAGMA kdf_iter")).toInt(), 64000);
    QCOMPARE(scalar(c.db, QStringLiteral("PRAGMA cipher_use_hmac")).toInt(), 1);

    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE account (id INTEGER PRIMARY KEY)")));
    QVERIFY(run(
        c.db,
        QStringLiteral("CREATE TABLE entry (account_id INTEGER NOT NULL REFERENCES account(id))")));
    QVERIFY(run(c.db, QStringLiteral("INSERT INTO account (id) VALUES (1)")));
    QVERIFY(run(c.db, QStringLiteral("INSERT INTO entry VALUES (1)")));
    QSqlQuery violation(c.db);
    QVERIFY(!violation.exec(QStringLiteral("INSERT INTO entry VALUES (2)")));
    QCOMPARE(violation.lastError().nativeErrorCode(),
             QStringLiteral("787")); // CONSTRAINT_FOREIGNKEY
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT count(*) FROM entry")).toLongLong(), 1);
}

void TestSqlCipherDriver::typeRoundTrip_data() {
    QTest::addColumn<QString>("declared");
    QTest::addColumn<QVariant>("bound");
    QTest::addColumn<QVariant>("expected");

    const qint64 min = std::numeric_limits<qint64>::min();
    const qint64 max = std::numeric_limits<qint64>::max();
    QTest::newRow("invalid variant -> typed null text")
        << QStringLiteral("TEXT") << QVariant() << QVariant(QMetaType::fromType<QString>());
    QTest::newRow("null string -> typed null text") << QStringLiteral("TEXT") << QVariant(QString())
                                                    << QVariant(QMetaType::fromType<QString>());
    QTest::newRow("null -> typed null integer")
        << QStringLiteral("INTEGER") << QVariant(QMetaType::fromType<qlonglong>())
        << QVariant(QMetaType::fromType<qlonglong>());
    QTest::newRow("null -> typed null blob") << QStringLiteral("BLOB") << QVariant(QByteArray())
                                             << QVariant(QMetaType::fromType<QByteArray>());
    QTest::newRow("null -> typed null real")
        << QStringLiteral("REAL") << QVariant() << QVariant(QMetaType::fromType<double>());
    QTest::newRow("int64 min") << QStringLiteral("INTEGER") << QVariant(qlonglong(min))
                               << QVariant(qlonglong(min));
    QTest::newRow("int64 max") << QStringLiteral("INTEGER") << QVariant(qlonglong(max))
                               << QVariant(qlonglong(max));
    QTest::newRow("int") << QStringLiteral("INTEGER") << QVariant(-42) << QVariant(qlonglong(-42));
    QTest::newRow("uint max") << QStringLiteral("INTEGER")
                              << QVariant(std::numeric_limits<uint>::max())
                              << QVariant(qlonglong(std::numeric_limits<uint>::max()));
    QTest::newRow("qulonglong in range")
        << QStringLiteral("INTEGER") << QVariant(qulonglong(max)) << QVariant(qlonglong(max));
    QTest::newRow("bool true") << QStringLiteral("INTEGER") << QVariant(true)
                               << QVariant(qlonglong(1));
    QTest::newRow("bool false") << QStringLiteral("INTEGER") << QVariant(false)
                                << QVariant(qlonglong(0));
    QTest::newRow("double") << QStringLiteral("REAL") << QVariant(3.25) << QVariant(3.25);
    QTest::newRow("double tiny") << QStringLiteral("REAL") << QVariant(-1.5e-300)
                                 << QVariant(-1.5e-300);
    QTest::newRow("text ascii") << QStringLiteral("TEXT") << QVariant(QStringLiteral("hello"))
                                << QVariant(QStringLiteral("hello"));
    const QString unicode = QStringLiteral("Gr\u00fc\u00dfe \u65e5\u672c \U0001F999 caf\u00e9");
    QTest::newRow("text unicode") << QStringLiteral("TEXT") << QVariant(unicode)
                                  << QVariant(unicode);
    const QString withNul(QStringLiteral("a\0b\0c").data(), 5);
    QTest::newRow("text embedded NUL")
        << QStringLiteral("TEXT") << QVariant(withNul) << QVariant(withNul);
    QTest::newRow("text empty (not null)")
        << QStringLiteral("TEXT") << QVariant(QStringLiteral("")) << QVariant(QStringLiteral(""));
    const QString longText = QString(100000, QLatin1Char('x')) + unicode;
    QTest::newRow("text long") << QStringLiteral("TEXT") << QVariant(longText)
                               << QVariant(longText);
    const QByteArray blob("\x00\x01\xff\x00zz", 6);
    QTest::newRow("blob with zeros") << QStringLiteral("BLOB") << QVariant(blob) << QVariant(blob);
    QTest::newRow("blob empty (not null)")
        << QStringLiteral("BLOB") << QVariant(QByteArray("")) << QVariant(QByteArray(""));
    QTest::newRow("amount as text")
        << QStringLiteral("TEXT") << QVariant(QStringLiteral("-12345678901234567890.123456789"))
        << QVariant(QStringLiteral("-12345678901234567890.123456789"));
}

void TestSqlCipherDriver::typeRoundTrip() {
    QFETCH(QString, declared);
    QFETCH(QVariant, bound);
    QFETCH(QVariant, expected);
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(c.db.isOpen());
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (v %1)").arg(declared)));
    QSqlQuery insert(c.db);
    QVERIFY(insert.prepare(QStringLiteral("INSERT INTO t (v) VALUES (?)")));
    insert.addBindValue(bound);
    QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));

    // Both read paths: straight from the statement and through the row window.
    for (bool forwardOnly : {true, false}) {
        QSqlQuery query(c.db);
        query.setForwardOnly(forwardOnly);
        QVERIFY(query.exec(QStringLiteral("SELECT v FROM t")));
        QVERIFY(query.next());
        const QVariant value = query.value(0);
        QCOMPARE(value.metaType(), expected.metaType());
        QCOMPARE(value.isNull(), expected.isNull());
        QCOMPARE(query.isNull(0), expected.isNull());
        QCOMPARE(value, expected);
        if (expected.typeId() == QMetaType::QString)
            QCOMPARE(value.toString().size(), expected.toString().size());
        QVERIFY(!query.next());
    }
}

void TestSqlCipherDriver::refusedValues_data() {
    QTest::addColumn<QVariant>("bound");
    QTest::addColumn<QString>("reason");
    QTest::newRow("datetime") << QVariant(QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC))
                              << QStringLiteral("Date");
    QTest::newRow("date") << QVariant(QDate(2024, 1, 2)) << QStringLiteral("Date");
    QTest::newRow("unsigned above int64")
        << QVariant(std::numeric_limits<qulonglong>::max()) << QStringLiteral("too large");
    QTest::newRow("type without text form")
        << QVariant::fromValue(Opaque{5}) << QStringLiteral("Opaque");
}

void TestSqlCipherDriver::refusedValues() {
    QFETCH(QVariant, bound);
    QFETCH(QString, reason);
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (a TEXT, v TEXT)")));
    QSqlQuery insert(c.db);
    QVERIFY(insert.prepare(QStringLiteral("INSERT INTO t (a, v) VALUES (?, ?)")));
    insert.addBindValue(QStringLiteral("first"));
    insert.addBindValue(bound);
    QVERIFY(!insert.exec());
    QVERIFY2(insert.lastError().text().contains(reason), qPrintable(insert.lastError().text()));
    QVERIFY(insert.lastError().text().contains(QStringLiteral("2"))); // names the position
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT count(*) FROM t")).toLongLong(), 0);
}

void TestSqlCipherDriver::userTypeBindsThroughToString() {
    QMetaType::registerConverter<FakeAmount, QString>(&FakeAmount::toString);
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (amount TEXT)")));
    QSqlQuery insert(c.db);
    QVERIFY(insert.prepare(QStringLiteral("INSERT INTO t VALUES (:amount)")));
    insert.bindValue(QStringLiteral(":amount"), QVariant::fromValue(FakeAmount{1234}));
    QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
    const QVariant stored = scalar(c.db, QStringLiteral("SELECT amount FROM t"));
    QCOMPARE(stored.typeId(), int(QMetaType::QString));
    QCOMPARE(stored.toString(), QStringLiteral("1234.00"));
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT typeof(amount) FROM t")).toString(),
             QStringLiteral("text"));
}

void TestSqlCipherDriver::errorsNeverContainBoundValues() {
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE secret (token TEXT UNIQUE NOT NULL)")));
    const QString token = QStringLiteral("tok_live_DO_NOT_LEAK_4f9a");
    QSqlQuery insert(c.db);
    QVERIFY(insert.prepare(QStringLiteral("INSERT INTO secret (token) VALUES (?)")));
    insert.addBindValue(token);
    QVERIFY(insert.exec());
    insert.addBindValue(token);
    QVERIFY(!insert.exec());
    const QSqlError error = insert.lastError();
    QCOMPARE(error.type(), QSqlError::StatementError);
    QCOMPARE(error.nativeErrorCode(), QStringLiteral("2067")); // SQLITE_CONSTRAINT_UNIQUE
    QVERIFY(error.databaseText().contains(QStringLiteral("UNIQUE")));
    QVERIFY(!error.text().contains(token));
    QVERIFY(!error.driverText().contains(token));
    QVERIFY(!error.databaseText().contains(token));
}

void TestSqlCipherDriver::namedAndPositionalPlaceholders() {
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (a TEXT, b INTEGER, c TEXT)")));

    QSqlQuery named(c.db);
    QVERIFY(named.prepare(QStringLiteral("INSERT INTO t (a, b, c) VALUES (:name, :n, :name)")));
    named.bindValue(QStringLiteral(":n"), 5);
    named.bindValue(QStringLiteral(":name"), QStringLiteral("twice"));
    QVERIFY2(named.exec(), qPrintable(named.lastError().text()));

    QSqlQuery positional(c.db);
    QVERIFY(positional.prepare(QStringLiteral("INSERT INTO t (a, b, c) VALUES (?, ?, ?)")));
    positional.addBindValue(QStringLiteral("pos"));
    positional.addBindValue(6);
    positional.addBindValue(QStringLiteral("tion"));
    QVERIFY(positional.exec());
    positional.bindValue(0, QStringLiteral("by index"));
    positional.bindValue(1, 7);
    positional.bindValue(2, QStringLiteral("x"));
    QVERIFY(positional.exec());

    QSqlQuery select(c.db);
    QVERIFY(select.prepare(
        QStringLiteral("SELECT a, c FROM t WHERE b = :b AND a <> ':not_a_placeholder'")));
    select.bindValue(QStringLiteral(":b"), 5);
    QVERIFY(select.exec());
    QVERIFY(select.next());
    QCOMPARE(select.value(0).toString(), QStringLiteral("twice"));
    QCOMPARE(select.value(1).toString(), QStringLiteral("twice"));
    QVERIFY(!select.next());
    select.bindValue(QStringLiteral(":b"), 7);
    QVERIFY(select.exec());
    QVERIFY(select.next());
    QCOMPARE(select.value(QStringLiteral("a")).toString(), QStringLiteral("by index"));
}

void TestSqlCipherDriver::preparedQueryIsReused() {
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (i INTEGER, s TEXT, b BLOB)")));
    QVERIFY(c.db.transaction());
    QSqlQuery insert(c.db);
    QVERIFY(insert.prepare(QStringLiteral("INSERT INTO t VALUES (?, ?, ?)")));
    const QVariant statement = insert.result()->handle();
    QVERIFY(statement.isValid());
    qint64 expectedSum = 0;
    for (int i = 0; i < 1000; ++i) {
        insert.bindValue(0, i);
        // Alternate lengths: each exec must bind its own text, not a leftover from the last one.
        insert.bindValue(1, i % 2 ? QStringLiteral("odd-%1").arg(i) : QStringLiteral("e%1").arg(i));
        insert.bindValue(2, QByteArray(i % 7, char('a' + i % 26)));
        QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
        QCOMPARE(insert.numRowsAffected(), 1);
        expectedSum += i;
    }
    QCOMPARE(insert.result()->handle().value<sqlite3_stmt*>(), statement.value<sqlite3_stmt*>());
    QVERIFY(c.db.commit());

    QCOMPARE(scalar(c.db, QStringLiteral("SELECT sum(i) FROM t")).toLongLong(), expectedSum);
    QSqlQuery check(c.db);
    check.setForwardOnly(true);
    QVERIFY(check.exec(QStringLiteral("SELECT i, s, b FROM t ORDER BY i")));
    int row = 0;
    while (check.next()) {
        QCOMPARE(check.value(0).toInt(), row);
        QCOMPARE(check.value(1).toString(),
                 row % 2 ? QStringLiteral("odd-%1").arg(row) : QStringLiteral("e%1").arg(row));
        QCOMPARE(check.value(2).toByteArray(), QByteArray(row % 7, char('a' + row % 26)));
        ++row;
    }
    QCOMPARE(row, 1000);

    // A prepared SELECT re-executed with new values, also after an unfinished read.
    QSqlQuery select(c.db);
    QVERIFY(select.prepare(QStringLiteral("SELECT s FROM t WHERE i >= ? ORDER BY i")));
    for (int start : {10, 500, 999, 3}) {
        select.bindValue(0, start);
        QVERIFY(select.exec());
        QVERIFY(select.next());
        QCOMPARE(select.value(0).toString(), start % 2 ? QStringLiteral("odd-%1").arg(start)
                                                       : QStringLiteral("e%1").arg(start));
    }
}

void TestSqlCipherDriver::parameterCountMismatch() {
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (a, b)")));
    QSqlQuery insert(c.db);
    QVERIFY(insert.prepare(QStringLiteral("INSERT INTO t VALUES (?, ?)")));
    insert.addBindValue(1);
    QVERIFY(!insert.exec());
    QVERIFY(insert.lastError().isValid());
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT count(*) FROM t")).toLongLong(), 0);
}

void TestSqlCipherDriver::oneStatementPerQuery() {
    Connection c(nextName(), nextPath(), randomKey());
    QSqlQuery query(c.db);
    QVERIFY(!query.exec(QStringLiteral("CREATE TABLE a (x); CREATE TABLE b (y)")));
    QVERIFY(query.lastError().text().contains(QStringLiteral("executeScript")));
    QVERIFY(!c.db.tables().contains(QStringLiteral("a")));
    // Trailing semicolons, whitespace and comments are fine.
    QVERIFY2(query.exec(QStringLiteral("CREATE TABLE a (x);  -- done\n ; ")),
             qPrintable(query.lastError().text()));
    QVERIFY(c.db.tables().contains(QStringLiteral("a")));
    QVERIFY(!query.exec(QStringLiteral("-- nothing here")));
    QVERIFY(!query.exec(QStringLiteral("SELEC 1")));
    QCOMPARE(query.lastError().type(), QSqlError::StatementError);
    QVERIFY(query.lastError().databaseText().contains(QStringLiteral("syntax error")));
}

void TestSqlCipherDriver::lastInsertIdAndRowsAffected() {
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")));
    QSqlQuery insert(c.db);
    QVERIFY(insert.exec(QStringLiteral("INSERT INTO t (id, v) VALUES (41, 1)")));
    QCOMPARE(insert.lastInsertId().toLongLong(), 41);
    QVERIFY(insert.exec(QStringLiteral("INSERT INTO t (v) VALUES (2)")));
    QCOMPARE(insert.lastInsertId().toLongLong(), 42);
    QSqlQuery update(c.db);
    QVERIFY(update.exec(QStringLiteral("UPDATE t SET v = v + 1")));
    QCOMPARE(update.numRowsAffected(), 2);
    QVERIFY(!update.isSelect());
    QSqlQuery select(c.db);
    QVERIFY(select.exec(QStringLiteral("SELECT v FROM t")));
    QVERIFY(select.isSelect());
    QCOMPARE(select.size(), -1);
}

void TestSqlCipherDriver::transactionCommitAndRollback() {
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (v INTEGER)")));
    QVERIFY(c.db.transaction());
    QVERIFY(run(c.db, QStringLiteral("INSERT INTO t VALUES (1)")));
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT count(*) FROM t")).toLongLong(), 1);
    QVERIFY(c.db.rollback());
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT count(*) FROM t")).toLongLong(), 0);

    QVERIFY(c.db.transaction());
    QVERIFY(run(c.db, QStringLiteral("INSERT INTO t VALUES (2)")));
    QVERIFY(c.db.commit());
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT v FROM t")).toLongLong(), 2);

    // Unbalanced calls fail with a transaction error instead of passing silently.
    QVERIFY(!c.db.commit());
    QCOMPARE(c.db.lastError().type(), QSqlError::TransactionError);
    QVERIFY(c.db.transaction());
    QVERIFY(!c.db.transaction());
    QVERIFY(c.db.rollback());
}

void TestSqlCipherDriver::failingStatementInTransactionLeavesNothing() {
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (v INTEGER NOT NULL CHECK (v < 100))")));
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE src (v INTEGER)")));
    QVERIFY(run(c.db, QStringLiteral("INSERT INTO src VALUES (1), (2), (500), (3)")));

    QVERIFY(c.db.transaction());
    QVERIFY(run(c.db, QStringLiteral("INSERT INTO t VALUES (10)")));
    QSqlQuery failing(c.db);
    // The third row violates the CHECK: the statement undoes its first two rows itself.
    QVERIFY(!failing.exec(QStringLiteral("INSERT INTO t SELECT v FROM src")));
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT count(*) FROM t")).toLongLong(), 1);
    QVERIFY(c.db.rollback());
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT count(*) FROM t")).toLongLong(), 0);
}

void TestSqlCipherDriver::twoConnectionsSnapshotAndBusy() {
    const QString path = nextPath();
    const QByteArray key = randomKey();
    Connection writer(nextName(), path, key);
    QVERIFY(writer.db.isOpen());
    QVERIFY(run(writer.db, QStringLiteral("CREATE TABLE t (v INTEGER)")));
    QVERIFY(run(writer.db, QStringLiteral("INSERT INTO t VALUES (1), (2), (3)")));
    Connection reader(nextName(), path, key, QStringLiteral("BUSY_TIMEOUT=50"));
    QVERIFY2(reader.db.isOpen(), qPrintable(reader.error));

    QVERIFY(writer.db.transaction());
    QVERIFY(run(writer.db, QStringLiteral("INSERT INTO t VALUES (4)")));
    // Uncommitted: the reader does not see it, and is not blocked.
    QCOMPARE(scalar(reader.db, QStringLiteral("SELECT count(*) FROM t")).toLongLong(), 3);
    // One writer at a time: a second BEGIN IMMEDIATE fails once the busy timeout runs out.
    QVERIFY(!reader.db.transaction());
    QCOMPARE(reader.db.lastError().nativeErrorCode().toInt() & 0xff, 5); // SQLITE_BUSY

    // A read in progress keeps its snapshot across the writer's commit.
    QSqlQuery open(reader.db);
    open.setForwardOnly(true);
    QVERIFY(open.exec(QStringLiteral("SELECT v FROM t ORDER BY v")));
    QVERIFY(open.next());
    QVERIFY(writer.db.commit());
    int seen = 1;
    while (open.next())
        ++seen;
    QCOMPARE(seen, 3);
    open.finish();
    QCOMPARE(scalar(reader.db, QStringLiteral("SELECT count(*) FROM t")).toLongLong(), 4);
    QVERIFY(reader.db.transaction());
    QVERIFY(run(reader.db, QStringLiteral("INSERT INTO t VALUES (5)")));
    QVERIFY(reader.db.commit());
    QCOMPARE(scalar(writer.db, QStringLiteral("SELECT count(*) FROM t")).toLongLong(), 5);
}

void TestSqlCipherDriver::scrollableQuerySeeks() {
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT)")));
    QVERIFY(run(c.db,
                QStringLiteral(
                    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999) "
                    "INSERT INTO t SELECT i, 'row-' || i FROM n")));
    QSqlQuery query(c.db);
    QVERIFY(!query.isForwardOnly());
    QVERIFY(query.exec(QStringLiteral("SELECT id, label FROM t ORDER BY id")));
    QVERIFY(query.last());
    QCOMPARE(query.at(), 999);
    QCOMPARE(query.value(1).toString(), QStringLiteral("row-999"));
    QVERIFY(query.previous());
    QCOMPARE(query.value(0).toInt(), 998);
    QVERIFY(query.first());
    QCOMPARE(query.value(0).toInt(), 0);
    QVERIFY(query.seek(600));
    QCOMPARE(query.value(0).toInt(), 600);
    QVERIFY(query.seek(5)); // before the window: re-stepped from the start
    QCOMPARE(query.value(1).toString(), QStringLiteral("row-5"));
    QVERIFY(query.seek(10, true));
    QCOMPARE(query.value(0).toInt(), 15);
    QVERIFY(!query.seek(1000));
    QCOMPARE(query.at(), int(QSql::AfterLastRow));
    QVERIFY(query.seek(999));
    QCOMPARE(query.value(0).toInt(), 999);
    QVERIFY(!query.next());
    QVERIFY(query.seek(0));
    QCOMPARE(query.value(0).toInt(), 0);

    const QSqlRecord rec = query.record();
    QCOMPARE(rec.count(), 2);
    QCOMPARE(rec.fieldName(0), QStringLiteral("id"));
    QCOMPARE(rec.field(0).metaType(), QMetaType::fromType<qlonglong>());
    QCOMPARE(rec.field(1).metaType(), QMetaType::fromType<QString>());

    QSqlQuery empty(c.db);
    QVERIFY(empty.exec(QStringLiteral("SELECT id FROM t WHERE id < 0")));
    QVERIFY(!empty.next());
    QVERIFY(!empty.last());
    QVERIFY(!empty.first());
}

void TestSqlCipherDriver::forwardOnlyQuery() {
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (id INTEGER)")));
    QVERIFY(run(c.db, QStringLiteral("INSERT INTO t VALUES (1), (2), (3), (4)")));
    QSqlQuery query(c.db);
    query.setForwardOnly(true);
    QVERIFY(query.exec(QStringLiteral("SELECT id FROM t ORDER BY id")));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toInt(), 1);
    QVERIFY(query.seek(2));
    QCOMPARE(query.value(0).toInt(), 3);
    QVERIFY(query.last());
    QCOMPARE(query.at(), 3);
    QCOMPARE(query.value(0).toInt(), 4);
    QVERIFY(!query.next());

    QVERIFY(query.exec(QStringLiteral("SELECT id FROM t ORDER BY id")));
    int count = 0;
    while (query.next())
        ++count;
    QCOMPARE(count, 4);
    QVERIFY(!query.next());

    // Values and NULLs come from the row the query is on, after every kind of move: a prepared
    // query run again with a new bound value, a value asked for before the first next(), and the
    // last row kept by last() after the statement has ended.
    QSqlQuery prepared(c.db);
    prepared.setForwardOnly(true);
    QVERIFY(prepared.prepare(QStringLiteral(
        "SELECT id, CASE WHEN id % 2 = 0 THEN NULL ELSE 'odd' END FROM t WHERE id >= ? "
        "ORDER BY id")));
    prepared.addBindValue(1);
    QVERIFY(prepared.exec());
    QVERIFY(!prepared.value(0).isValid()); // before the first row
    QVERIFY(prepared.next());
    QCOMPARE(prepared.value(0).toInt(), 1);
    QVERIFY(!prepared.isNull(1));
    QCOMPARE(prepared.value(1).toString(), QStringLiteral("odd"));
    QVERIFY(prepared.next());
    QCOMPARE(prepared.value(0).toInt(), 2);
    QVERIFY(prepared.isNull(1));
    QVERIFY(prepared.value(1).isNull());
    prepared.bindValue(0, 3);
    QVERIFY(prepared.exec());
    QVERIFY(prepared.next());
    QCOMPARE(prepared.value(0).toInt(), 3);
    QCOMPARE(prepared.value(1).toString(), QStringLiteral("odd"));
    QVERIFY(prepared.last());
    QCOMPARE(prepared.value(0).toInt(), 4);
    QVERIFY(prepared.isNull(1));
    QVERIFY(!prepared.next());
    QVERIFY(!prepared.value(0).isValid());
}

void TestSqlCipherDriver::repeatedTextValues_data() {
    // Each case is a column of values read down 300 rows: the driver hands out repeating values as
    // shared strings and stops looking values up in columns that do not repeat; either way every
    // row must read back exactly what was stored.
    QTest::addColumn<QStringList>("cycle");
    QTest::newRow("one value") << QStringList{QStringLiteral("b0b0b0b0-1111-4222-8333-444444")};
    QTest::newRow("few values, nulls and empty")
        << QStringList{QStringLiteral("ETH"),  QString(),
                       QStringLiteral(""),     QStringLiteral("BTC"),
                       QStringLiteral("ETH "), QStringLiteral("ETH")};
    QTest::newRow("non-ASCII") << QStringList{QStringLiteral("\u00e9t\u00e9"),
                                              QStringLiteral("\u20ac"),
                                              QStringLiteral("\U0001F999 llama")};
    QTest::newRow("prefixes of each other") << QStringList{
        QStringLiteral("a"), QStringLiteral("ab"), QStringLiteral("abc"), QStringLiteral("ab")};
    QStringList unique;
    for (int i = 0; i < 300; ++i)
        unique << QStringLiteral("value-%1").arg(i * 7919);
    QTest::newRow("never repeats") << unique;
    QStringList manyValues; // more distinct values than the cache's slots, each read three times
    for (int i = 0; i < 100; ++i)
        manyValues << QStringLiteral("wallet-%1").arg(i);
    QTest::newRow("more values than slots") << manyValues;
    // Same length, first, middle and last byte: the same slot, so every lookup finds the other.
    QTest::newRow("same slot") << QStringList{QStringLiteral("aXbYc"), QStringLiteral("aZbWc"),
                                              QStringLiteral("aQbQc")};
    QStringList longValues;
    for (int i = 0; i < 3; ++i)
        longValues << QString(80 + i, QLatin1Char(char('x' + i)));
    QTest::newRow("longer than kept") << longValues;
}

void TestSqlCipherDriver::repeatedTextValues() {
    QFETCH(QStringList, cycle);
    constexpr int kRows = 300;
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (n INTEGER PRIMARY KEY, v TEXT)")));
    QVERIFY(c.db.transaction());
    QSqlQuery insert(c.db);
    QVERIFY(insert.prepare(QStringLiteral("INSERT INTO t (n, v) VALUES (?, ?)")));
    for (int i = 0; i < kRows; ++i) {
        insert.bindValue(0, i);
        insert.bindValue(1, cycle[i % cycle.size()]);
        QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
    }
    QVERIFY(c.db.commit());

    // Twice through the same prepared statement: the kept values must survive re-execution.
    for (bool forwardOnly : {true, false, true}) {
        QSqlQuery query(c.db);
        query.setForwardOnly(forwardOnly);
        QVERIFY(query.prepare(QStringLiteral("SELECT n, v FROM t ORDER BY n")));
        for (int pass = 0; pass < 2; ++pass) {
            QVERIFY(query.exec());
            int row = 0;
            while (query.next()) {
                const QString& expected = cycle[row % cycle.size()];
                const QVariant value = query.value(1);
                QCOMPARE(query.isNull(1), expected.isNull());
                if (expected.isNull()) {
                    QVERIFY(value.isNull());
                } else {
                    QCOMPARE(value.typeId(), int(QMetaType::QString));
                    QCOMPARE(value.toString(), expected);
                }
                ++row;
            }
            QCOMPARE(row, kRows);
        }
    }
}

void TestSqlCipherDriver::valuesOfStatementShapes_data() {
    // The driver reads a row's values by their position in SQLite's result row; these shapes put
    // the values in different places (table columns, constants, expressions, the arms of a
    // compound select, a sorter, an aggregate). Every value must read back as SQLite computed it.
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QList<QVariantList>>("rows"); // an invalid QVariant stands for NULL
    const QVariant null;
    const auto i64 = [](qint64 v) {
        return QVariant(qlonglong(v));
    };
    const auto text = [](const char* v) {
        return QVariant(QString::fromUtf8(v));
    };
    const auto blob = [](const char* v, int n) {
        return QVariant(QByteArray(v, n));
    };
    QTest::newRow("one column") << QStringLiteral("SELECT v FROM t ORDER BY n")
                                << QList<QVariantList>{
                                       {text("ETH")}, {null}, {text("\xc3\xa9")}, {text("x")}};
    QTest::newRow("every column, some twice")
        << QStringLiteral("SELECT n, v, r, b, v, n FROM t ORDER BY n")
        << QList<QVariantList>{
               {i64(1), text("ETH"), QVariant(1.5), blob("\x00\xff", 2), text("ETH"), i64(1)},
               {i64(2), null, null, null, null, i64(2)},
               {i64(3), text("\xc3\xa9"), QVariant(-2.0), blob("", 0), text("\xc3\xa9"), i64(3)},
               {i64(4), text("x"), QVariant(0.0), blob("\x01", 1), text("x"), i64(4)}};
    QTest::newRow("constants and expressions")
        << QStringLiteral("SELECT 'const', n * 10, NULL, v || '!', x'cafe' FROM t ORDER BY n")
        << QList<QVariantList>{
               {text("const"), i64(10), null, text("ETH!"), blob("\xca\xfe", 2)},
               {text("const"), i64(20), null, null, blob("\xca\xfe", 2)},
               {text("const"), i64(30), null, text("\xc3\xa9!"), blob("\xca\xfe", 2)},
               {text("const"), i64(40), null, text("x!"), blob("\xca\xfe", 2)}};
    QTest::newRow("compound select")
        << QStringLiteral("SELECT n, v, 'low' FROM t WHERE n <= 2 UNION ALL "
                          "SELECT n * 100, upper(v), b FROM t WHERE n > 2")
        << QList<QVariantList>{{i64(1), text("ETH"), text("low")},
                               {i64(2), null, text("low")},
                               {i64(300), text("\xc3\xa9"), blob("", 0)},
                               {i64(400), text("X"), blob("\x01", 1)}};
    QTest::newRow("compound select, sorted")
        << QStringLiteral("SELECT v, n FROM t WHERE n IN (1, 4) UNION ALL "
                          "SELECT 'a' || n, -n FROM t ORDER BY 2")
        << QList<QVariantList>{{text("a4"), i64(-4)}, {text("a3"), i64(-3)}, {text("a2"), i64(-2)},
                               {text("a1"), i64(-1)}, {text("ETH"), i64(1)}, {text("x"), i64(4)}};
    QTest::newRow("aggregate")
        << QStringLiteral("SELECT count(*), count(v), max(v), sum(n), min(r) FROM t")
        << QList<QVariantList>{{i64(4), i64(3), text("\xc3\xa9"), i64(10), QVariant(-2.0)}};
    QTest::newRow("grouped") << QStringLiteral(
                                    "SELECT r IS NULL, count(*), group_concat(n) FROM t GROUP BY 1 "
                                    "ORDER BY 1")
                             << QList<QVariantList>{{i64(0), i64(3), text("1,3,4")},
                                                    {i64(1), i64(1), text("2")}};
}

void TestSqlCipherDriver::valuesOfStatementShapes() {
    using llamadesk::store::SqlCipherResult;
    QFETCH(QString, sql);
    QFETCH(QList<QVariantList>, rows);
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (n INTEGER, v TEXT, r REAL, b BLOB)")));
    QVERIFY(run(c.db, QStringLiteral("INSERT INTO t VALUES (1, 'ETH', 1.5, x'00ff'), "
                                     "(2, NULL, NULL, NULL), (3, '\u00e9', -2.0, x''), "
                                     "(4, 'x', 0.0, x'01')")));
    for (bool forwardOnly : {true, false}) {
        QSqlQuery query(c.db);
        query.setForwardOnly(forwardOnly);
        QVERIFY(query.prepare(sql));
        for (int pass = 0; pass < 2; ++pass) { // again through the same prepared statement
            QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
            int row = 0;
            while (query.next()) {
                QVERIFY(row < rows.size());
                const QVariantList& expected = rows[row];
                QCOMPARE(query.record().count(), expected.size());
                // Last column first, then the others: the order of reading must not matter.
                for (int i = int(expected.size()) - 1; i >= 0; --i) {
                    const QVariant value = query.value(i);
                    const QVariant& want = expected[i];
                    const QByteArray where = QByteArray("row ") + QByteArray::number(row) +
                                             " column " + QByteArray::number(i);
                    QVERIFY2(query.isNull(i) == !want.isValid(), where.constData());
                    QVERIFY2(value.isNull() == !want.isValid(), where.constData());
                    if (want.isValid()) {
                        QVERIFY2(value.metaType() == want.metaType(), where.constData());
                        QVERIFY2(value == want, where.constData());
                    }
                    if (forwardOnly && want.typeId() == QMetaType::QString) {
                        const SqlCipherResult::StoredRow stored(query);
                        QVERIFY2(stored.text(i).value_or(QByteArrayView()).toByteArray() ==
                                     want.toString().toUtf8(),
                                 where.constData());
                    }
                }
                ++row;
            }
            QCOMPARE(row, rows.size());
        }
    }
}

void TestSqlCipherDriver::storedTextOfCurrentRow() {
    using llamadesk::store::SqlCipherResult;
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (n INTEGER, v TEXT, b BLOB)")));
    QVERIFY(run(c.db, QStringLiteral("INSERT INTO t VALUES (1, '12.5', x'00'), (2, NULL, NULL), "
                                     "(3, '\u00e9', NULL)")));
    QSqlQuery query(c.db);
    query.setForwardOnly(true);
    QVERIFY(query.exec(QStringLiteral("SELECT n, v, b FROM t ORDER BY n")));
    QVERIFY(!SqlCipherResult::storedText(query, 1)); // before the first row
    QVERIFY(query.next());
    QCOMPARE(SqlCipherResult::storedText(query, 1).value_or(QByteArrayView()).toByteArray(),
             QByteArray("12.5"));
    QVERIFY(!SqlCipherResult::storedText(query, 0)); // an integer is not text
    QVERIFY(!SqlCipherResult::storedText(query, 2)); // nor is a blob
    QVERIFY(!SqlCipherResult::storedText(query, 3)); // no such column
    QVERIFY(!SqlCipherResult::storedText(query, -1));
    QCOMPARE(query.value(1).toString(), QStringLiteral("12.5")); // value() still works after
    {
        const SqlCipherResult::StoredRow row(query);
        QVERIFY(row.isValid());
        QVERIFY(!row.isNull(0) && !row.isNull(1) && !row.isNull(2));
        QVERIFY(row.isNull(3)); // no such column, as QSqlQuery::isNull
        QCOMPARE(row.textOrNull(1).value_or(QByteArrayView()).toByteArray(), QByteArray("12.5"));
        // textOrNull converts a number as SQLite does; text() does not.
        QCOMPARE(row.textOrNull(0).value_or(QByteArrayView()).toByteArray(), QByteArray("1"));
        QVERIFY(!row.text(0));
        QCOMPARE(row.cachedString(1, *row.textOrNull(1)), QStringLiteral("12.5"));
    }
    QCOMPARE(query.value(0).toLongLong(), 1LL); // still the integer after the conversion
    QVERIFY(query.next());
    QVERIFY(!SqlCipherResult::storedText(query, 1)); // NULL
    {
        const SqlCipherResult::StoredRow row(query);
        QVERIFY(row.isNull(1) && row.isNull(2));
        QVERIFY(!row.textOrNull(1));
    }
    QVERIFY(query.next());
    QCOMPARE(SqlCipherResult::storedText(query, 1).value_or(QByteArrayView()).toByteArray(),
             QByteArray("\xc3\xa9"));
    QVERIFY(!query.next());
    QVERIFY(!SqlCipherResult::storedText(query, 1)); // past the end
    QVERIFY(!SqlCipherResult::StoredRow(query).isValid());

    // A scrollable query reads from its row window, not from the statement: no stored text.
    QSqlQuery scrollable(c.db);
    QVERIFY(scrollable.exec(QStringLiteral("SELECT v FROM t ORDER BY n")));
    QVERIFY(scrollable.next());
    QVERIFY(!SqlCipherResult::storedText(scrollable, 0));
    QVERIFY(!SqlCipherResult::StoredRow(scrollable).isValid());
    QCOMPARE(scrollable.value(0).toString(), QStringLiteral("12.5"));
}

void TestSqlCipherDriver::queryModelOverManyRows() {
    constexpr int kRows = 5000;
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(run(
        c.db, QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT, amount TEXT)")));
    QVERIFY(c.db.transaction());
    QSqlQuery insert(c.db);
    QVERIFY(insert.prepare(QStringLiteral("INSERT INTO t VALUES (?, ?, ?)")));
    for (int i = 0; i < kRows; ++i) {
        insert.bindValue(0, i);
        insert.bindValue(1, QStringLiteral("row-%1").arg(i));
        insert.bindValue(2, QStringLiteral("%1.%2").arg(i).arg(i % 100, 2, 10, QLatin1Char('0')));
        QVERIFY(insert.exec());
    }
    QVERIFY(c.db.commit());

    QSqlQueryModel model;
    QSqlQuery query(c.db);
    QVERIFY(query.exec(QStringLiteral("SELECT id, label, amount FROM t ORDER BY id")));
    model.setQuery(std::move(query));
    QVERIFY2(!model.lastError().isValid(), qPrintable(model.lastError().text()));
    QCOMPARE(model.columnCount(), 3);
    QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("label"));
    QVERIFY(model.rowCount() > 0);
    QVERIFY(model.rowCount() < kRows);
    {
        // The tester checks the model's contract and fetches more itself. It is attached only
        // around calls it does not race with: in Qt 6.4 it fetches again from inside the model's
        // reset and rowsAboutToBeInserted, and QSqlQueryModel's prefetch is not reentrant.
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.canFetchMore());
    }
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    const int before = model.rowCount();
    int insertedRows = 0;
    while (model.canFetchMore())
        model.fetchMore();
    for (const QList<QVariant>& signal : inserted)
        insertedRows += signal.at(2).toInt() - signal.at(1).toInt() + 1;
    QVERIFY(inserted.count() > 10);
    QCOMPARE(model.rowCount(), kRows);
    QCOMPARE(before + insertedRows, kRows);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    const auto checkRow = [&model](int row) {
        return model.data(model.index(row, 0)).toInt() == row &&
               model.data(model.index(row, 1)).toString() == QStringLiteral("row-%1").arg(row) &&
               model.data(model.index(row, 2)).toString() ==
                   QStringLiteral("%1.%2").arg(row).arg(row % 100, 2, 10, QLatin1Char('0'));
    };
    QRandomGenerator generator(20240601);
    for (int i = 0; i < 400; ++i) {
        const int row = int(generator.bounded(kRows));
        QVERIFY2(checkRow(row), qPrintable(QStringLiteral("random seek to row %1").arg(row)));
    }
    for (int row = kRows - 1; row >= 0; row -= 7) // backwards, like scrolling up
        QVERIFY2(checkRow(row), qPrintable(QStringLiteral("backward seek to row %1").arg(row)));
    for (int row = 0; row < kRows; row += 13)
        QVERIFY2(checkRow(row), qPrintable(QStringLiteral("forward seek to row %1").arg(row)));
    QVERIFY(!model.data(model.index(kRows, 0)).isValid());
}

void TestSqlCipherDriver::executeScript() {
    Connection c(nextName(), nextPath(), randomKey());
    SqlCipherDriver* driver = c.driver();
    const Status ok =
        driver->executeScript(QStringLiteral("-- schema\n"
                                             "CREATE TABLE a (x INTEGER);\n"
                                             "CREATE TABLE b (y TEXT); /* comment */\n"
                                             "INSERT INTO a VALUES (1);\n"
                                             "INSERT INTO b VALUES ('semi;colon');\n"));
    QVERIFY2(ok.ok(), qPrintable(ok.error()));
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT y FROM b")).toString(),
             QStringLiteral("semi;colon"));

    const Status failed = driver->executeScript(QStringLiteral("INSERT INTO a VALUES (2);\n"
                                                               "INSERT INTO nope VALUES (3);\n"
                                                               "INSERT INTO a VALUES (4);\n"));
    QVERIFY(!failed.ok());
    QVERIFY2(failed.error().contains(QStringLiteral("statement 2")), qPrintable(failed.error()));
    QVERIFY2(failed.error().contains(QStringLiteral("INSERT INTO nope")),
             qPrintable(failed.error()));
    QVERIFY(failed.error().contains(QStringLiteral("no such table")));
    // Statements before the failure ran, the ones after did not (no implicit transaction).
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT group_concat(x) FROM a")).toString(),
             QStringLiteral("1,2"));

    const Status runtime = driver->executeScript(QStringLiteral(
        "CREATE TABLE u (v UNIQUE); INSERT INTO u VALUES (1); INSERT INTO u VALUES (1);"));
    QVERIFY(!runtime.ok());
    QVERIFY2(runtime.error().contains(QStringLiteral("statement 3")), qPrintable(runtime.error()));
    QVERIFY(runtime.error().contains(QStringLiteral("UNIQUE")));

    QVERIFY(driver->executeScript(QStringLiteral("  -- only a comment\n")).ok());
}

void TestSqlCipherDriver::schemaIntrospection() {
    Connection c(nextName(), nextPath(), randomKey());
    QVERIFY(c.driver()->executeScript(QStringLiteral(
        "CREATE TABLE \"asset\" (id INTEGER PRIMARY KEY AUTOINCREMENT, symbol TEXT NOT NULL, "
        "  price TEXT DEFAULT '0', logo BLOB, ratio REAL);"
        "CREATE TABLE pair (base TEXT, quote TEXT, PRIMARY KEY (quote, base));"
        "CREATE VIEW v_asset AS SELECT symbol FROM asset;"
        "INSERT INTO asset (symbol) VALUES ('ETH');")));
    QCOMPARE(c.db.tables(QSql::Tables),
             (QStringList{QStringLiteral("asset"), QStringLiteral("pair")}));
    QCOMPARE(c.db.tables(QSql::Views), QStringList{QStringLiteral("v_asset")});
    QVERIFY(c.db.tables(QSql::SystemTables).contains(QStringLiteral("sqlite_sequence")));

    const QSqlRecord rec = c.db.record(QStringLiteral("asset"));
    QCOMPARE(rec.count(), 5);
    QCOMPARE(rec.field(QStringLiteral("id")).metaType(), QMetaType::fromType<qlonglong>());
    QVERIFY(rec.field(QStringLiteral("id")).isAutoValue());
    QCOMPARE(rec.field(QStringLiteral("symbol")).requiredStatus(), QSqlField::Required);
    QCOMPARE(rec.field(QStringLiteral("logo")).metaType(), QMetaType::fromType<QByteArray>());
    QCOMPARE(rec.field(QStringLiteral("ratio")).metaType(), QMetaType::fromType<double>());
    QCOMPARE(rec.field(QStringLiteral("price")).defaultValue().toString(), QStringLiteral("'0'"));
    QVERIFY(c.db.record(QStringLiteral("missing")).isEmpty());

    const QSqlIndex pk = c.db.primaryIndex(QStringLiteral("pair"));
    QCOMPARE(pk.count(), 2);
    QCOMPARE(pk.fieldName(0), QStringLiteral("quote"));
    QCOMPARE(pk.fieldName(1), QStringLiteral("base"));

    SqlCipherDriver* driver = c.driver();
    QCOMPARE(driver->escapeIdentifier(QStringLiteral("we\"ird"), QSqlDriver::FieldName),
             QStringLiteral("\"we\"\"ird\""));
    QCOMPARE(driver->escapeIdentifier(QStringLiteral("main.asset"), QSqlDriver::TableName),
             QStringLiteral("\"main\".\"asset\""));
    QCOMPARE(c.db.record(QStringLiteral("main.asset")).count(), 5);
    // A hostile name is only ever an identifier.
    QVERIFY(c.db.record(QStringLiteral("asset); DROP TABLE asset; --")).isEmpty());
    QVERIFY(c.db.tables().contains(QStringLiteral("asset")));
    QVERIFY(driver->handle().value<sqlite3*>() != nullptr);
}

void TestSqlCipherDriver::closeWithLiveQuery() {
    const QString path = nextPath();
    const QByteArray key = randomKey();
    Connection c(nextName(), path, key);
    QVERIFY(run(c.db, QStringLiteral("CREATE TABLE t (v INTEGER)")));
    QVERIFY(run(c.db, QStringLiteral("INSERT INTO t VALUES (1), (2)")));
    QSqlQuery live(c.db);
    QVERIFY(live.exec(QStringLiteral("SELECT v FROM t")));
    QVERIFY(live.next());
    QSqlQuery prepared(c.db);
    QVERIFY(prepared.prepare(QStringLiteral("INSERT INTO t VALUES (?)")));

    c.db.close(); // must finalize both statements, or the file stays open
    QVERIFY(!c.db.isOpen());
    QVERIFY(!live.isActive());
    QVERIFY(!live.next());
    prepared.addBindValue(3);
    QVERIFY(!prepared.exec());

    c.driver()->setRawKey(key);
    QVERIFY(c.db.open());
    QCOMPARE(scalar(c.db, QStringLiteral("SELECT count(*) FROM t")).toLongLong(), 2);
}

QTEST_GUILESS_MAIN(TestSqlCipherDriver)
#include "TestSqlCipherDriver.moc"
