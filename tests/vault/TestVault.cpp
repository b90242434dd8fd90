#include "TestSupport.h"
#include "store/SqlCipherDriver.h"
#include "vault/MemorySecretStore.h"
#include "vault/Vault.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <ctime>

using namespace llamadesk;
using namespace llamadesk::vault;

// The vault as a whole: key file + encrypted database + schema, opened the ways a user opens it.
class TestVault : public QObject {
    Q_OBJECT

private slots:
    void createAndReopenWithPassphrase();
    void createAndReopenWithKeychain();
    void wrongPassphraseChangesNothing();
    void recoveryCodeUnlocks();
    void keychainUnavailableIsNotFirstRun();
    void keychainEntryMissing();
    void passphraseChangeIsFastAndRewraps();
    void distinctErrors_data();
    void distinctErrors();
    void noPlaintextOnDisk();
    void refusesToOverwrite();
    void verifyReportsOk();
    void closeWhileWorkersOpenConnections();
    void secondProcessOpensSameVault();

private:
    static QByteArray fileHash(const QString& path);
    static std::unique_ptr<Vault> makeVault(const QString& path, SecretStore& secrets,
                                            bool keychain, const QString& passphrase,
                                            RecoveryCode* code = nullptr);
};

namespace {
const QString kPassphrase = QStringLiteral("correct horse battery staple");
}

QByteArray TestVault::fileHash(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray();
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

std::unique_ptr<Vault> TestVault::makeVault(const QString& path, SecretStore& secrets,
                                            bool keychain, const QString& passphrase,
                                            RecoveryCode* code) {
    CreateOptions options;
    options.useKeychain = keychain;
    options.passphrase = passphrase;
    options.kdf = KdfParams::fastForTests();
    VaultError error = VaultError::None;
    QString message;
    RecoveryCode recovery;
    auto vault = Vault::create(path, options, secrets, code ? code : &recovery, &error, &message);
    if (!vault)
        qWarning() << "create failed:" << message;
    return vault;
}

void TestVault::createAndReopenWithPassphrase() {
    testsupport::ScratchDir dir;
    const QString path = dir.filePath(QStringLiteral("v.llamadesk"));
    MemorySecretStore secrets;
    QUuid id;
    {
        auto vault = makeVault(path, secrets, false, kPassphrase);
        QVERIFY(vault);
        id = vault->vaultId();
        QSqlQuery query(vault->database());
        QVERIFY(query.exec(QStringLiteral("INSERT INTO settings (key, value, updated_at) VALUES "
                                          "('probe', 'kept', '2025-01-01T00:00:00.000000Z')")));
        const VaultInfo info = vault->info();
        QVERIFY(info.hasPassphrase);
        QVERIFY(!info.hasKeychain);
        QVERIFY(info.hasRecoveryCode);
        QVERIFY(info.schemaVersion > 0);
    }
    VaultError error = VaultError::None;
    QString message;
    auto reopened =
        Vault::open(path, UnlockRequest::passphrase(kPassphrase), secrets, &error, &message);
    QVERIFY2(reopened, qPrintable(message));
    QCOMPARE(reopened->vaultId(), id);
    QSqlQuery query(reopened->database());
    QVERIFY(query.exec(QStringLiteral("SELECT value FROM settings WHERE key = 'probe'")));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toString(), QStringLiteral("kept"));
}

void TestVault::createAndReopenWithKeychain() {
    testsupport::ScratchDir dir;
    const QString path = dir.filePath(QStringLiteral("v.llamadesk"));
    MemorySecretStore secrets;
    {
        auto vault = makeVault(path, secrets, true, QString());
        QVERIFY(vault);
        QVERIFY(vault->info().hasKeychain);
        QVERIFY(!vault->info().hasPassphrase);
    }
    VaultError error = VaultError::None;
    QString message;
    auto reopened = Vault::open(path, UnlockRequest::keychain(), secrets, &error, &message);
    QVERIFY2(reopened, qPrintable(message));
    // The passphrase method is not configured on this vault.
    reopened.reset();
    QVERIFY(!Vault::open(path, UnlockRequest::passphrase(kPassphrase), secrets, &error, &message));
    QCOMPARE(error, VaultError::MethodNotConfigured);
}

void TestVault::wrongPassphraseChangesNothing() {
    testsupport::ScratchDir dir;
    const QString path = dir.filePath(QStringLiteral("v.llamadesk"));
    MemorySecretStore secrets;
    makeVault(path, secrets, false, kPassphrase).reset();
    const QByteArray dbBefore = fileHash(path);
    const QByteArray keysBefore = fileHash(KeyFile::sidecarPath(path));
    VaultError error = VaultError::None;
    QString message;
    QVERIFY(!Vault::open(path, UnlockRequest::passphrase(QStringLiteral("wrong")), secrets, &error,
                         &message));
    QCOMPARE(error, VaultError::WrongPassphrase);
    QVERIFY(!message.contains(QStringLiteral("wrong"))); // never echoes the secret
    QCOMPARE(fileHash(path), dbBefore);
    QCOMPARE(fileHash(KeyFile::sidecarPath(path)), keysBefore);
}

void TestVault::recoveryCodeUnlocks() {
    testsupport::ScratchDir dir;
    const QString path = dir.filePath(QStringLiteral("v.llamadesk"));
    MemorySecretStore secrets;
    RecoveryCode code;
    makeVault(path, secrets, false, kPassphrase, &code).reset();
    VaultError error = VaultError::None;
    QString message;
    auto vault = Vault::open(path, UnlockRequest::recoveryCode(code.toString().toLower()), secrets,
                             &error, &message);
    QVERIFY2(vault, qPrintable(message));
    // A new code replaces the old one.
    auto fresh = vault->regenerateRecoveryCode(KdfParams::fastForTests());
    QVERIFY(fresh.ok());
    vault.reset();
    QVERIFY(!Vault::open(path, UnlockRequest::recoveryCode(code.toString()), secrets, &error,
                         &message));
    QCOMPARE(error, VaultError::WrongRecoveryCode);
    QVERIFY(Vault::open(path, UnlockRequest::recoveryCode(fresh->toString()), secrets, &error,
                        &message));
}

void TestVault::keychainUnavailableIsNotFirstRun() {
    testsupport::ScratchDir dir;
    const QString path = dir.filePath(QStringLiteral("v.llamadesk"));
    MemorySecretStore secrets;
    makeVault(path, secrets, true, kPassphrase).reset();
    const QByteArray dbBefore = fileHash(path);
    const QByteArray keysBefore = fileHash(KeyFile::sidecarPath(path));
    // A locked keyring answers "not found" to reads: that must read as "unavailable", never as a
    // new vault.
    secrets.setLocked(true);
    VaultError error = VaultError::None;
    QString message;
    QVERIFY(!Vault::open(path, UnlockRequest::keychain(), secrets, &error, &message));
    QCOMPARE(error, VaultError::KeychainUnavailable);
    secrets.setLocked(false);
    secrets.setAvailable(false);
    QVERIFY(!Vault::open(path, UnlockRequest::keychain(), secrets, &error, &message));
    QCOMPARE(error, VaultError::KeychainUnavailable);
    QCOMPARE(fileHash(path), dbBefore);
    QCOMPARE(fileHash(KeyFile::sidecarPath(path)), keysBefore);
    // The passphrase still opens it.
    QVERIFY(Vault::open(path, UnlockRequest::passphrase(kPassphrase), secrets, &error, &message));
}

void TestVault::keychainEntryMissing() {
    testsupport::ScratchDir dir;
    const QString path = dir.filePath(QStringLiteral("v.llamadesk"));
    MemorySecretStore secrets;
    makeVault(path, secrets, true, kPassphrase).reset();
    MemorySecretStore otherMachine; // works, but has never seen this vault
    VaultError error = VaultError::None;
    QString message;
    QVERIFY(!Vault::open(path, UnlockRequest::keychain(), otherMachine, &error, &message));
    QCOMPARE(error, VaultError::KeychainEntryMissing);
}

void TestVault::passphraseChangeIsFastAndRewraps() {
    testsupport::ScratchDir dir;
    const QString path = dir.filePath(QStringLiteral("v.llamadesk"));
    MemorySecretStore secrets;
    CreateOptions options;
    options.useKeychain = false;
    options.passphrase = kPassphrase;
    options.kdf = KdfParams::defaults(); // the real cost, as users get it
    VaultError error = VaultError::None;
    QString message;
    RecoveryCode code;
    auto vault = Vault::create(path, options, secrets, &code, &error, &message);
    QVERIFY2(vault, qPrintable(message));
    {
        // Some data, so that a re-encryption (which must not happen) would show.
        QSqlDatabase db = vault->database();
        QVERIFY(db.transaction());
        QSqlQuery query(db);
        query.prepare(
            QStringLiteral("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)"));
        for (int i = 0; i < 20000; ++i) {
            query.addBindValue(QStringLiteral("k%1").arg(i));
            query.addBindValue(QString(200, QLatin1Char('x')));
            query.addBindValue(QStringLiteral("2025-01-01T00:00:00.000000Z"));
            QVERIFY(query.exec());
        }
        QVERIFY(db.commit());
    }
    const QByteArray dbBefore = fileHash(path);
    QElapsedTimer timer;
    timer.start();
    const std::clock_t cpuStart = std::clock();
    const Status changed = vault->changePassphrase(kPassphrase, QStringLiteral("new passphrase 2"));
    const qint64 cpuMs = static_cast<qint64>((std::clock() - cpuStart) * 1000.0 / CLOCKS_PER_SEC);
    const qint64 elapsed = timer.elapsed();
    QVERIFY2(changed.ok(), qPrintable(changed.error()));
    qInfo("passphrase change with default Argon2id parameters: %lld ms wall, %lld ms CPU", elapsed,
          cpuMs);
    // CPU time: on a shared machine the wall time also counts other processes (it is printed).
    QVERIFY2(cpuMs < 1000,
             qPrintable(QStringLiteral("took %1 ms of CPU (%2 ms wall)").arg(cpuMs).arg(elapsed)));
    QCOMPARE(fileHash(path), dbBefore); // the database was not re-encrypted
    vault.reset();
    QVERIFY(!Vault::open(path, UnlockRequest::passphrase(kPassphrase), secrets, &error, &message));
    QCOMPARE(error, VaultError::WrongPassphrase);
    QVERIFY(Vault::open(path, UnlockRequest::passphrase(QStringLiteral("new passphrase 2")),
                        secrets, &error, &message));
}

void TestVault::distinctErrors_data() {
    QTest::addColumn<QString>("damage");
    QTest::addColumn<int>("expected");
    QTest::newRow("missing database") << "remove-db" << int(VaultError::NotFound);
    QTest::newRow("missing key file") << "remove-keys" << int(VaultError::NotAVault);
    QTest::newRow("random bytes") << "random-db" << int(VaultError::NotAVault);
    QTest::newRow("plain sqlite") << "plain-db" << int(VaultError::NotAVault);
    QTest::newRow("garbage key file") << "garbage-keys" << int(VaultError::NotAVault);
    QTest::newRow("first page damaged") << "corrupt-page1" << int(VaultError::DatabaseDamaged);
    QTest::newRow("truncated database") << "truncate-db" << int(VaultError::DatabaseDamaged);
    QTest::newRow("key file of another vault") << "swap-keys" << int(VaultError::NotAVault);
}

void TestVault::distinctErrors() {
    QFETCH(QString, damage);
    QFETCH(int, expected);
    testsupport::ScratchDir dir;
    const QString path = dir.filePath(QStringLiteral("v.llamadesk"));
    const QString keys = KeyFile::sidecarPath(path);
    MemorySecretStore secrets;
    {
        auto vault = makeVault(path, secrets, false, kPassphrase);
        QVERIFY(vault);
        QSqlQuery query(vault->database());
        for (int i = 0; i < 200; ++i)
            QVERIFY(query.exec(
                QStringLiteral("INSERT INTO settings (key, value, updated_at) VALUES ('k%1', '%2', "
                               "'2025-01-01T00:00:00.000000Z')")
                    .arg(i)
                    .arg(QString(100, QLatin1Char('v')))));
    }
    QVERIFY(!QFile::exists(path + QStringLiteral("-wal")) ||
            QFileInfo(path + QStringLiteral("-wal")).size() == 0);
    auto overwrite = [](const QString& file, qint64 offset, const QByteArray& bytes) {
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(offset));
        QCOMPARE(f.write(bytes), qint64(bytes.size()));
    };
    if (damage == QLatin1String("remove-db")) {
        QVERIFY(QFile::remove(path));
    } else if (damage == QLatin1String("remove-keys")) {
        QVERIFY(QFile::remove(keys));
    } else if (damage == QLatin1String("random-db")) {
        QVERIFY(QFile::remove(path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray noise(8192, Qt::Uninitialized);
        for (int i = 0; i < noise.size(); ++i)
            noise[i] = char((i * 131 + 7) & 0xff);
        f.write(noise);
        QVERIFY(QFile::remove(keys));
    } else if (damage == QLatin1String("plain-db")) {
        QVERIFY(QFile::remove(path));
        QSqlDatabase plain =
            store::SqlCipherDriver::openDatabase(QStringLiteral("plain"), path, QByteArray());
        QVERIFY(plain.isOpen());
        QSqlQuery(plain).exec(QStringLiteral("CREATE TABLE t (x)"));
        plain.close();
        plain = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("plain"));
    } else if (damage == QLatin1String("garbage-keys")) {
        QFile f(keys);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("{\"hello\": 1}");
    } else if (damage == QLatin1String("corrupt-page1")) {
        overwrite(path, 100, QByteArray(64, '\x5a'));
    } else if (damage == QLatin1String("truncate-db")) {
        QFile f(path);
        QVERIFY(f.resize(1000));
    } else if (damage == QLatin1String("swap-keys")) {
        const QString other = dir.filePath(QStringLiteral("other.llamadesk"));
        makeVault(other, secrets, false, kPassphrase).reset();
        QVERIFY(QFile::remove(keys));
        QVERIFY(QFile::copy(KeyFile::sidecarPath(other), keys));
    }
    const QByteArray dbBefore = fileHash(path);
    const QByteArray keysBefore = fileHash(keys);
    VaultError error = VaultError::None;
    QString message;
    auto vault =
        Vault::open(path, UnlockRequest::passphrase(kPassphrase), secrets, &error, &message);
    QVERIFY(!vault);
    QVERIFY(!message.isEmpty());
    QCOMPARE(int(error), expected);
    QCOMPARE(fileHash(path), dbBefore);
    QCOMPARE(fileHash(keys), keysBefore);
    QVERIFY(!QFile::exists(path + QStringLiteral("-wal")) ||
            QFileInfo(path + QStringLiteral("-wal")).size() == 0);
}

void TestVault::noPlaintextOnDisk() {
    testsupport::ScratchDir dir;
    const QString path = dir.filePath(QStringLiteral("v.llamadesk"));
    MemorySecretStore secrets;
    const QByteArray marker = "0xfeedfacecafebeef1234567890abcdef00112233445566778899aabbccddeeff";
    const QByteArray symbol = "LLAMAUNIQUESYM";
    auto vault = makeVault(path, secrets, true, kPassphrase);
    QVERIFY(vault);
    QSqlQuery query(vault->database());
    query.prepare(QStringLiteral("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)"));
    for (int i = 0; i < 50; ++i) {
        query.addBindValue(QStringLiteral("tx%1").arg(i));
        query.addBindValue(QString::fromLatin1(marker + ' ' + symbol));
        query.addBindValue(QStringLiteral("2025-01-01T00:00:00.000000Z"));
        QVERIFY(query.exec());
    }
    auto scan = [&](const QString& file) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return;
        const QByteArray bytes = f.readAll();
        QVERIFY2(!bytes.startsWith("SQLite format 3"), qPrintable(file));
        QVERIFY2(!bytes.contains(marker), qPrintable(file));
        QVERIFY2(!bytes.contains(symbol), qPrintable(file));
        QVERIFY2(!bytes.contains(kPassphrase.toUtf8()), qPrintable(file));
    };
    // While open: the WAL holds the new pages.
    QVERIFY(QFileInfo(path + QStringLiteral("-wal")).size() > 0);
    scan(path);
    scan(path + QStringLiteral("-wal"));
    scan(KeyFile::sidecarPath(path));
    vault.reset();
    scan(path);
    scan(path + QStringLiteral("-wal"));
    scan(KeyFile::sidecarPath(path));
}

void TestVault::refusesToOverwrite() {
    testsupport::ScratchDir dir;
    const QString path = dir.filePath(QStringLiteral("v.llamadesk"));
    MemorySecretStore secrets;
    makeVault(path, secrets, false, kPassphrase).reset();
    const QByteArray before = fileHash(path);
    CreateOptions options;
    options.useKeychain = false;
    options.passphrase = kPassphrase;
    options.kdf = KdfParams::fastForTests();
    VaultError error = VaultError::None;
    QString message;
    RecoveryCode code;
    QVERIFY(!Vault::create(path, options, secrets, &code, &error, &message));
    QCOMPARE(error, VaultError::AlreadyExists);
    QCOMPARE(fileHash(path), before);
}

void TestVault::closeWhileWorkersOpenConnections() {
    testsupport::ScratchDir dir;
    MemorySecretStore secrets;
    auto vault =
        makeVault(dir.filePath(QStringLiteral("v.llamadesk")), secrets, false, kPassphrase);
    QVERIFY(vault);
    // Workers keep opening connections and reading while the main thread locks the vault: each
    // attempt either reads or is told the vault is locked; nothing else, and no crash.
    std::atomic<bool> stop{false};
    std::atomic<int> reads{0};
    std::atomic<int> refusals{0};
    std::atomic<int> other{0};
    QList<QThread*> workers;
    for (int w = 0; w < 3; ++w) {
        workers.append(QThread::create([&, w] {
            for (int n = 0; !stop.load(); ++n) {
                const QString name = QStringLiteral("worker-%1-%2").arg(w).arg(n);
                QString message;
                {
                    QSqlDatabase db = vault->openConnection(name, &message);
                    if (db.isOpen()) {
                        QSqlQuery q(db);
                        if (q.exec(QStringLiteral("SELECT count(*) FROM tax_transactions")) &&
                            q.next())
                            ++reads;
                        else
                            ++other;
                    } else if (message == QLatin1String("the vault is locked")) {
                        ++refusals;
                    } else {
                        ++other;
                    }
                }
                Vault::closeConnection(name);
            }
        }));
        workers.last()->start();
    }
    QTRY_VERIFY_WITH_TIMEOUT(reads.load() >= 6, 20000);
    vault->close();
    QVERIFY(vault->isClosed());
    QTRY_VERIFY_WITH_TIMEOUT(refusals.load() >= 3, 20000);
    stop = true;
    for (QThread* t : workers) {
        QVERIFY(t->wait(20000));
        delete t;
    }
    QCOMPARE(other.load(), 0);
    QString message;
    QVERIFY(!vault->openConnection(QStringLiteral("after-close"), &message).isOpen());
    QCOMPARE(message, QStringLiteral("the vault is locked"));
    Vault::closeConnection(QStringLiteral("after-close"));
}

void TestVault::verifyReportsOk() {
    testsupport::ScratchDir dir;
    MemorySecretStore secrets;
    auto vault =
        makeVault(dir.filePath(QStringLiteral("v.llamadesk")), secrets, false, kPassphrase);
    QVERIFY(vault);
    auto problems = vault->verify();
    QVERIFY2(problems.ok(), qPrintable(problems.error()));
    QVERIFY2(problems->isEmpty(), qPrintable(problems->join(QLatin1Char('\n'))));
}

void TestVault::secondProcessOpensSameVault() {
    testsupport::ScratchDir dir;
    const QString path = dir.filePath(QStringLiteral("v.llamadesk"));
    MemorySecretStore secrets;
    auto vault = makeVault(path, secrets, false, kPassphrase);
    QVERIFY(vault);
    QSqlDatabase db = vault->database();
    // This process writes while another process (the real CLI) opens, reads and checks the vault.
    QVERIFY(db.transaction());
    QSqlQuery query(db);
    QVERIFY(query.exec(
        QStringLiteral("INSERT INTO settings (key, value, updated_at) VALUES ('uncommitted', 'x', "
                       "'2025-01-01T00:00:00.000000Z')")));
    QProcess cli;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LLAMADESK_PASSPHRASE"), kPassphrase);
    env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    cli.setProcessEnvironment(env);
    cli.start(QStringLiteral(LLAMADESK_CLI_PATH),
              {QStringLiteral("verify"), QStringLiteral("--db"), path});
    QVERIFY(cli.waitForFinished(30000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    QVERIFY(db.commit());
    // And the other way round: a second process writes while we keep our connection open.
    cli.start(QStringLiteral(LLAMADESK_CLI_PATH),
              {QStringLiteral("info"), QStringLiteral("--db"), path});
    QVERIFY(cli.waitForFinished(30000));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    QVERIFY(query.exec(QStringLiteral("SELECT count(*) FROM settings WHERE key = 'uncommitted'")));
    QVERIFY(query.next());
    QCOMPARE(query.value(0).toInt(), 1);
}

QTEST_GUILESS_MAIN(TestVault)
#include "TestVault.moc"
