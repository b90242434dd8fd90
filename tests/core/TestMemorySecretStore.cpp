#include "vault/MemorySecretStore.h"

#include <QTest>

using llamadesk::vault::MemorySecretStore;
using llamadesk::vault::SecretStore;
using llamadesk::vault::SecureBytes;

Q_DECLARE_METATYPE(SecretStore::Error)

// The fake keychain must behave like the real one in the ways that matter to the key model,
// above all: a locked keyring answers "not found", not "locked".
class TestMemorySecretStore : public QObject {
    Q_OBJECT

private slots:
    void roundTrip();
    void missingEntryIsNotFound();
    void states_data();
    void states();
    void removeOfMissingEntryIsFine();
    void storesACopy();
};

void TestMemorySecretStore::roundTrip() {
    MemorySecretStore store;
    const SecureBytes secret = SecureBytes::random(32);
    QCOMPARE(store.write(QStringLiteral("vault-a"), secret), SecretStore::Error::None);
    QVERIFY(store.contains(QStringLiteral("vault-a")));
    const auto read = store.read(QStringLiteral("vault-a"));
    QCOMPARE(read.error, SecretStore::Error::None);
    QVERIFY(read.secret.equals(secret));
    QCOMPARE(store.probe(), SecretStore::Error::None);
    QCOMPARE(store.remove(QStringLiteral("vault-a")), SecretStore::Error::None);
    QVERIFY(!store.contains(QStringLiteral("vault-a")));
    QCOMPARE(store.entryCount(), 0);
    QCOMPARE(store.serviceName(), QStringLiteral("LlamaDesk"));
}

void TestMemorySecretStore::missingEntryIsNotFound() {
    MemorySecretStore store;
    const auto read = store.read(QStringLiteral("nothing-here"));
    QCOMPARE(read.error, SecretStore::Error::NotFound);
    QVERIFY(read.secret.isEmpty());
    QVERIFY(!read.message.isEmpty());
}

void TestMemorySecretStore::states_data() {
    QTest::addColumn<bool>("available");
    QTest::addColumn<bool>("locked");
    QTest::addColumn<SecretStore::Error>("readExisting");
    QTest::addColumn<SecretStore::Error>("writeResult");
    QTest::addColumn<SecretStore::Error>("removeResult");
    QTest::addColumn<SecretStore::Error>("probeResult");

    QTest::newRow("working") << true << false << SecretStore::Error::None
                             << SecretStore::Error::None << SecretStore::Error::None
                             << SecretStore::Error::None;
    // The trap: the entry is there, but a locked keyring says it is not.
    QTest::newRow("locked") << true << true << SecretStore::Error::NotFound
                            << SecretStore::Error::Unavailable << SecretStore::Error::Unavailable
                            << SecretStore::Error::Unavailable;
    QTest::newRow("unavailable") << false << false << SecretStore::Error::Unavailable
                                 << SecretStore::Error::Unavailable
                                 << SecretStore::Error::Unavailable
                                 << SecretStore::Error::Unavailable;
}

void TestMemorySecretStore::states() {
    QFETCH(bool, available);
    QFETCH(bool, locked);
    QFETCH(SecretStore::Error, readExisting);
    QFETCH(SecretStore::Error, writeResult);
    QFETCH(SecretStore::Error, removeResult);
    QFETCH(SecretStore::Error, probeResult);

    MemorySecretStore store;
    const SecureBytes secret = SecureBytes::random(32);
    QCOMPARE(store.write(QStringLiteral("existing"), secret), SecretStore::Error::None);
    store.setAvailable(available);
    store.setLocked(locked);

    const auto read = store.read(QStringLiteral("existing"));
    QCOMPARE(read.error, readExisting);
    QCOMPARE(read.secret.isEmpty(), readExisting != SecretStore::Error::None);

    QString message;
    QCOMPARE(store.write(QStringLiteral("new"), secret, &message), writeResult);
    QCOMPARE(message.isEmpty(), writeResult == SecretStore::Error::None);
    QCOMPARE(store.contains(QStringLiteral("new")), writeResult == SecretStore::Error::None);

    message.clear();
    QCOMPARE(store.probe(&message), probeResult);
    QCOMPARE(message.isEmpty(), probeResult == SecretStore::Error::None);

    QCOMPARE(store.remove(QStringLiteral("existing")), removeResult);
    QCOMPARE(store.contains(QStringLiteral("existing")), removeResult != SecretStore::Error::None);
}

void TestMemorySecretStore::removeOfMissingEntryIsFine() {
    MemorySecretStore store;
    QCOMPARE(store.remove(QStringLiteral("never-written")), SecretStore::Error::None);
}

void TestMemorySecretStore::storesACopy() {
    MemorySecretStore store;
    SecureBytes secret = SecureBytes::fromBytes(QByteArray(32, 'a'));
    QCOMPARE(store.write(QStringLiteral("copy"), secret), SecretStore::Error::None);
    secret.data()[0] = 'b';
    const auto read = store.read(QStringLiteral("copy"));
    QCOMPARE(read.error, SecretStore::Error::None);
    QCOMPARE(read.secret.toByteArray(), QByteArray(32, 'a'));
}

QTEST_GUILESS_MAIN(TestMemorySecretStore)
#include "TestMemorySecretStore.moc"
