// The real OS keychain (Secret Service through QtKeychain), run by with-keyring.sh inside a
// private D-Bus session. LLAMADESK_KEYRING_STATE says which keyring the script set up:
//   unlocked: round trips, missing entries, no D-Bus at all, then the keyring gets locked;
//   missing:  a daemon without any keyring;
//   hung:     a Secret Service that never answers (played by this test).
// Functions for another state skip; each state has its own ctest entry.
#include "vault/KdfParams.h"
#include "vault/KeyFile.h"
#include "vault/KeychainSecretStore.h"
#include "vault/SecureBytes.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusReply>
#include <QDBusVariant>
#include <QDBusVirtualObject>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <QUuid>

using llamadesk::vault::KdfParams;
using llamadesk::vault::KeychainSecretStore;
using llamadesk::vault::KeyFile;
using llamadesk::vault::SecretStore;
using llamadesk::vault::SecureBytes;

namespace {

const QString kService = QStringLiteral("LlamaDesk-test");
const char kChildVariable[] = "LLAMADESK_KEYCHAIN_CHILD";

QString freshAccount() {
    return QStringLiteral("test-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// Plays a Secret Service that accepts every call and never answers.
class SilentService final : public QDBusVirtualObject {
public:
    QString introspect(const QString&) const override { return {}; }
    bool handleMessage(const QDBusMessage&, const QDBusConnection&) override {
        ++calls;
        return true; // handled, but no reply is ever sent
    }
    int calls = 0;
};

// The child process of withoutDbusTheKeychainIsUnavailableQuickly(): one probe, one line out.
int runProbeChild() {
    KeychainSecretStore store(kService);
    QElapsedTimer timer;
    timer.start();
    QString message;
    const SecretStore::Error error = store.probe(&message);
    const qint64 elapsed = timer.elapsed();
    QTextStream(stdout) << "probe=" << SecretStore::errorName(error) << " elapsed_ms=" << elapsed
                        << " message=" << message << Qt::endl;
    return 0;
}

} // namespace

#define REQUIRE_KEYRING_STATE(wanted)                                                              \
    do {                                                                                           \
        if (m_state != QLatin1String(wanted)) {                                                    \
            QTest::qSkip("needs keyring state \"" wanted "\"; its own ctest entry runs it",        \
                         __FILE__, __LINE__);                                                      \
            return;                                                                                \
        }                                                                                          \
    } while (false)

class TestKeychainSecretStore : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void roundTripOfBinarySecret_data();
    void roundTripOfBinarySecret();
    void overwriteReplacesTheSecret();
    void missingEntryIsNotFound();
    void probeLeavesNothingBehind();
    void servicesAreSeparate();
    void keyFileUnlocksThroughTheKeychain();
    void withoutDbusTheKeychainIsUnavailableQuickly();
    void lockedKeyringIsUnavailable(); // locks the keyring: keep it last of the "unlocked" state
    void keyringNeverCreatedIsUnavailable();
    void hungServiceTimesOut();

private:
    QString m_state;
};

void TestKeychainSecretStore::initTestCase() {
    m_state = qEnvironmentVariable("LLAMADESK_KEYRING_STATE");
    QVERIFY2(m_state == QLatin1String("unlocked") || m_state == QLatin1String("missing") ||
                 m_state == QLatin1String("hung"),
             "run this test through tests/keychain/with-keyring.sh");
    // Never touch the keyring of the person running the tests.
    const QString scratch = qEnvironmentVariable("LLAMADESK_KEYRING_SCRATCH");
    QVERIFY(!scratch.isEmpty());
    QVERIFY(qEnvironmentVariable("HOME").startsWith(scratch));
    QVERIFY(qEnvironmentVariable("XDG_DATA_HOME").startsWith(scratch));
    QVERIFY(QDBusConnection::sessionBus().isConnected());
}

void TestKeychainSecretStore::roundTripOfBinarySecret_data() {
    QTest::addColumn<QByteArray>("secret");
    QTest::newRow("random key") << SecureBytes::random(32).toByteArray();
    QTest::newRow("all zero") << QByteArray(32, '\0');
    QTest::newRow("all ones") << QByteArray(32, '\xff');
    QByteArray mixed(32, '\0');
    for (int i = 0; i < mixed.size(); ++i) {
        mixed[i] = char(i % 2 == 0 ? i : 0x80 + i); // NULs, control bytes, high bytes
    }
    QTest::newRow("control and high bytes") << mixed;
}

void TestKeychainSecretStore::roundTripOfBinarySecret() {
    REQUIRE_KEYRING_STATE("unlocked");
    QFETCH(QByteArray, secret);
    KeychainSecretStore store(kService);
    const QString account = freshAccount();

    QString message;
    QCOMPARE(store.write(account, SecureBytes::fromBytes(secret), &message),
             SecretStore::Error::None);
    const auto read = store.read(account);
    QVERIFY2(read.error == SecretStore::Error::None, qPrintable(read.message));
    QCOMPARE(read.secret.size(), 32);
    QCOMPARE(read.secret.toByteArray(), secret);

    QCOMPARE(store.remove(account, &message), SecretStore::Error::None);
    QCOMPARE(store.read(account).error, SecretStore::Error::NotFound);
    QCOMPARE(store.probe(&message), SecretStore::Error::None);
}

void TestKeychainSecretStore::overwriteReplacesTheSecret() {
    REQUIRE_KEYRING_STATE("unlocked");
    KeychainSecretStore store(kService);
    const QString account = freshAccount();
    const SecureBytes first = SecureBytes::random(32);
    const SecureBytes second = SecureBytes::random(32);
    QCOMPARE(store.write(account, first), SecretStore::Error::None);
    QCOMPARE(store.write(account, second), SecretStore::Error::None);
    const auto read = store.read(account);
    QCOMPARE(read.error, SecretStore::Error::None);
    QVERIFY(read.secret.equals(second));
    QCOMPARE(store.remove(account), SecretStore::Error::None);
}

void TestKeychainSecretStore::missingEntryIsNotFound() {
    REQUIRE_KEYRING_STATE("unlocked");
    KeychainSecretStore store(kService);
    const QString account = freshAccount();
    const auto read = store.read(account);
    QCOMPARE(read.error, SecretStore::Error::NotFound);
    QVERIFY(read.secret.isEmpty());
    QVERIFY(read.message.contains(account));
    // Removing what is not there is not an error.
    QCOMPARE(store.remove(account), SecretStore::Error::None);
}

void TestKeychainSecretStore::probeLeavesNothingBehind() {
    REQUIRE_KEYRING_STATE("unlocked");
    KeychainSecretStore store(kService);
    QString message;
    QCOMPARE(store.probe(&message), SecretStore::Error::None);
    QVERIFY(message.isEmpty());
    QCOMPARE(store.read(KeychainSecretStore::probeAccount()).error, SecretStore::Error::NotFound);
}

void TestKeychainSecretStore::servicesAreSeparate() {
    REQUIRE_KEYRING_STATE("unlocked");
    KeychainSecretStore store(kService);
    KeychainSecretStore other(kService + QStringLiteral("-other"));
    const QString account = freshAccount();
    QCOMPARE(store.write(account, SecureBytes::random(32)), SecretStore::Error::None);
    QCOMPARE(other.read(account).error, SecretStore::Error::NotFound);
    QCOMPARE(store.read(account).error, SecretStore::Error::None);
    QCOMPARE(store.remove(account), SecretStore::Error::None);
}

void TestKeychainSecretStore::keyFileUnlocksThroughTheKeychain() {
    REQUIRE_KEYRING_STATE("unlocked");
    KeychainSecretStore store(kService);
    const SecureBytes dataKey = SecureBytes::random(KeyFile::kDataKeyBytes);
    KeyFile file = KeyFile::create(QUuid::createUuid());
    QVERIFY(file.setPassphrase(dataKey, QStringLiteral("pass"), KdfParams::fastForTests()).ok());
    KeyFile::Error error = KeyFile::Error::Other;
    const auto set = file.setKeychain(dataKey, store, &error);
    QVERIFY2(set.ok(), qPrintable(set.error()));
    QCOMPARE(file.keychainService(), kService);

    const auto key = file.unlockWithKeychain(store, &error);
    QVERIFY2(key.ok(), qPrintable(key.error()));
    QVERIFY(key->equals(dataKey));

    QVERIFY(file.removeKeychain(store, &error).ok());
    QCOMPARE(store.read(KeyFile::keychainAccountFor(file.vaultId())).error,
             SecretStore::Error::NotFound);
}

void TestKeychainSecretStore::withoutDbusTheKeychainIsUnavailableQuickly() {
    REQUIRE_KEYRING_STATE("unlocked");
    // A process of its own: the D-Bus connection of this one is already made.
    QTemporaryDir runtime;
    QVERIFY(runtime.isValid());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    environment.remove(QStringLiteral("DISPLAY"));
    environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime.path()); // no "bus" socket
    environment.insert(QString::fromLatin1(kChildVariable), QStringLiteral("probe"));

    QProcess child;
    child.setProcessEnvironment(environment);
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer timer;
    timer.start();
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForFinished(30000));
    const qint64 elapsed = timer.elapsed();
    QCOMPARE(child.exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.exitCode(), 0);

    const QString output = QString::fromUtf8(child.readAllStandardOutput()).trimmed();
    qInfo("child without D-Bus: %s (whole process %lld ms)", qPrintable(output),
          static_cast<long long>(elapsed));
    QVERIFY2(output.startsWith(QLatin1String("probe=Unavailable ")), qPrintable(output));
    // The reason is the missing bus, not a timeout of the keychain service.
    const QRegularExpression dbus(QStringLiteral("d-?bus"),
                                  QRegularExpression::CaseInsensitiveOption);
    QVERIFY2(output.contains(dbus), qPrintable(output));
    QVERIFY2(!output.contains(QLatin1String("did not answer")), qPrintable(output));
    QVERIFY2(elapsed < KeychainSecretStore::kDefaultTimeoutMs / 2,
             qPrintable(QStringLiteral("took %1 ms").arg(elapsed)));
}

void TestKeychainSecretStore::lockedKeyringIsUnavailable() {
    REQUIRE_KEYRING_STATE("unlocked");
    KeychainSecretStore store(kService);
    const SecureBytes dataKey = SecureBytes::random(KeyFile::kDataKeyBytes);
    KeyFile file = KeyFile::create(QUuid::createUuid());
    QVERIFY(file.setPassphrase(dataKey, QStringLiteral("pass"), KdfParams::fastForTests()).ok());
    QVERIFY(file.setKeychain(dataKey, store).ok());
    const QString account = file.keychainAccount();
    QCOMPARE(store.read(account).error, SecretStore::Error::None);

    // Lock the default collection through the Secret Service API, as the desktop does when
    // the screen locks or the session starts without unlocking.
    // Plain method calls rather than QDBusInterface: no introspection, nothing cached.
    const QString serviceName = QStringLiteral("org.freedesktop.secrets");
    const QString servicePath = QStringLiteral("/org/freedesktop/secrets");
    const QString serviceInterface = QStringLiteral("org.freedesktop.Secret.Service");
    QDBusConnection bus = QDBusConnection::sessionBus();

    QDBusMessage call = QDBusMessage::createMethodCall(serviceName, servicePath, serviceInterface,
                                                       QStringLiteral("ReadAlias"));
    call << QStringLiteral("default");
    const QDBusReply<QDBusObjectPath> alias = bus.call(call);
    QVERIFY2(alias.isValid(), qPrintable(alias.error().message()));
    const QString collection = alias.value().path();
    QVERIFY2(collection.startsWith(QLatin1String("/org/freedesktop/secrets/collection/")),
             qPrintable(collection));

    call = QDBusMessage::createMethodCall(serviceName, servicePath, serviceInterface,
                                          QStringLiteral("Lock"));
    call << QVariant::fromValue(QList<QDBusObjectPath>{alias.value()});
    const QDBusMessage locked = bus.call(call);
    QVERIFY2(locked.type() == QDBusMessage::ReplyMessage, qPrintable(locked.errorMessage()));

    call = QDBusMessage::createMethodCall(serviceName, collection,
                                          QStringLiteral("org.freedesktop.DBus.Properties"),
                                          QStringLiteral("Get"));
    call << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
    const QDBusReply<QDBusVariant> isLocked = bus.call(call);
    QVERIFY2(isLocked.isValid(), qPrintable(isLocked.error().message()));
    QVERIFY2(isLocked.value().variant().toBool(), "the keyring did not lock");

    // The trap this whole design avoids: the entry is there, yet a read says "not found".
    QCOMPARE(store.read(account).error, SecretStore::Error::NotFound);

    QString message;
    QCOMPARE(store.probe(&message), SecretStore::Error::Unavailable);
    qInfo("probe on the locked keyring: %s", qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("locked"), Qt::CaseInsensitive), qPrintable(message));
    QCOMPARE(store.write(freshAccount(), dataKey, &message), SecretStore::Error::Unavailable);

    // So the key model reports an unavailable keychain, never a first run.
    KeyFile::Error error = KeyFile::Error::None;
    const auto key = file.unlockWithKeychain(store, &error);
    QVERIFY(!key.ok());
    QCOMPARE(error, KeyFile::Error::KeychainUnavailable);
    QVERIFY(file.unlockWithPassphrase(QStringLiteral("pass")).ok());
}

void TestKeychainSecretStore::keyringNeverCreatedIsUnavailable() {
    REQUIRE_KEYRING_STATE("missing");
    KeychainSecretStore store(kService);
    // Reads find nothing, exactly as for a vault that never used the keychain...
    QCOMPARE(store.read(freshAccount()).error, SecretStore::Error::NotFound);

    // ...but the probe shows the keychain cannot keep anything.
    QString message;
    QCOMPARE(store.probe(&message), SecretStore::Error::Unavailable);
    qInfo("probe without a keyring: %s", qPrintable(message));
    // Secret Service's answer names the default collection that does not exist.
    QVERIFY2(message.contains(QLatin1String("collection"), Qt::CaseInsensitive),
             qPrintable(message));

    const SecureBytes dataKey = SecureBytes::random(KeyFile::kDataKeyBytes);
    KeyFile file = KeyFile::create(QUuid::createUuid());
    QVERIFY(file.setPassphrase(dataKey, QStringLiteral("pass"), KdfParams::fastForTests()).ok());
    KeyFile::Error error = KeyFile::Error::None;
    QVERIFY(!file.setKeychain(dataKey, store, &error).ok());
    QCOMPARE(error, KeyFile::Error::KeychainUnavailable);

    // A vault that does use the keychain, opened on this machine: unavailable, not missing.
    const QByteArray withKeychain = [&] {
        QJsonObject json = QJsonDocument::fromJson(file.toJson()).object();
        QJsonArray methods = json.value(QStringLiteral("methods")).toArray();
        methods.append(
            QJsonObject{{QStringLiteral("type"), QStringLiteral("keychain")},
                        {QStringLiteral("service"), kService},
                        {QStringLiteral("account"), KeyFile::keychainAccountFor(file.vaultId())}});
        json.insert(QStringLiteral("methods"), methods);
        json.insert(QStringLiteral("checksum"), KeyFile::checksumFor(json));
        return QJsonDocument(json).toJson();
    }();
    const auto copied = KeyFile::fromJson(withKeychain);
    QVERIFY2(copied.ok(), qPrintable(copied.error()));
    QVERIFY(copied->hasKeychain());
    QVERIFY(!copied->unlockWithKeychain(store, &error).ok());
    QCOMPARE(error, KeyFile::Error::KeychainUnavailable);
}

void TestKeychainSecretStore::hungServiceTimesOut() {
    REQUIRE_KEYRING_STATE("hung");
    SilentService silent;
    QDBusConnection bus = QDBusConnection::sessionBus();
    QVERIFY2(bus.registerService(QStringLiteral("org.freedesktop.secrets")),
             qPrintable(bus.lastError().message()));
    QVERIFY(bus.registerVirtualObject(QStringLiteral("/"), &silent, QDBusConnection::SubPath));

    KeychainSecretStore store(kService);
    store.setTimeout(1500);
    QElapsedTimer timer;
    timer.start();
    QString message;
    QCOMPARE(store.probe(&message), SecretStore::Error::Unavailable);
    const qint64 elapsed = timer.elapsed();
    qInfo("probe against a service that never answers: %lld ms: %s",
          static_cast<long long>(elapsed), qPrintable(message));
    QVERIFY(silent.calls > 0); // the call really reached the silent service
    QVERIFY(message.contains(QLatin1String("did not answer")));
    QVERIFY(elapsed >= 1350);
    QVERIFY(elapsed < 5000);

    // While that request is still pending, further calls give up at once instead of queueing.
    timer.restart();
    const auto read = store.read(freshAccount());
    QCOMPARE(read.error, SecretStore::Error::Unavailable);
    QVERIFY2(read.message.contains(QLatin1String("earlier request")), qPrintable(read.message));
    QVERIFY(timer.elapsed() < 500);

    // Once the service is gone and the pending request has failed (D-Bus gives up after about
    // 25 s), the store works again without a restart.
    bus.unregisterObject(QStringLiteral("/"), QDBusConnection::UnregisterTree);
    QVERIFY(bus.unregisterService(QStringLiteral("org.freedesktop.secrets")));
    QTRY_VERIFY_WITH_TIMEOUT(
        !store.read(freshAccount()).message.contains(QLatin1String("earlier request")), 60000);
}

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariable(kChildVariable) == QLatin1String("probe")) {
        return runProbeChild();
    }
    TestKeychainSecretStore test;
    return QTest::qExec(&test, argc, argv);
}

#include "TestKeychainSecretStore.moc"
