// LocalUser: the vault's one owner row, created on first need, found afterwards, refused when a
// vault somehow holds two people.
#include "TestSupport.h"
#include "domain/Uuid.h"
#include "store/LocalUser.h"
#include "store/Migrator.h"
#include "store/SqlCipherDriver.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace llamadesk;
using namespace llamadesk::store;

class TestLocalUser : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void emptyVaultHasNoOwner();
    void ensureCreatesOnceAndThenFinds();
    void existingOwnerIsKept();
    void softDeletedRowsAreNotOwners_data();
    void softDeletedRowsAreNotOwners();
    void twoOwnersAreRefused();

private:
    void insertUser(const QString& id, const QString& email, bool deleted = false);
    int userRows();

    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QSqlDatabase m_db;
};

void TestLocalUser::init() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    QByteArray key(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    QString error;
    m_db = SqlCipherDriver::openDatabase(QStringLiteral("local-user"),
                                         m_dir->filePath(QStringLiteral("v.db")), key, {}, nullptr,
                                         &error);
    QVERIFY2(m_db.isOpen(), qPrintable(error));
    const Status migrated = Migrator(m_db).migrate();
    QVERIFY2(migrated.ok(), qPrintable(migrated.error()));
}

void TestLocalUser::cleanup() {
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("local-user"));
    m_dir.reset();
}

void TestLocalUser::insertUser(const QString& id, const QString& email, bool deleted) {
    QSqlQuery q(m_db);
    QVERIFY(q.prepare(
        deleted ? QStringLiteral("INSERT INTO users (id, email, deleted_at) VALUES (?, ?, "
                                 "'2026-01-01T00:00:00.000000Z')")
                : QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)")));
    q.addBindValue(id);
    q.addBindValue(email);
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
}

int TestLocalUser::userRows() {
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT count(*) FROM users")) || !q.next())
        return -1;
    return q.value(0).toInt();
}

void TestLocalUser::emptyVaultHasNoOwner() {
    const auto found = LocalUser::find(m_db);
    QVERIFY2(found.ok(), qPrintable(found.error()));
    QVERIFY(!found.value().has_value());
}

void TestLocalUser::ensureCreatesOnceAndThenFinds() {
    const auto first = LocalUser::ensure(m_db);
    QVERIFY2(first.ok(), qPrintable(first.error()));
    QVERIFY(isCanonicalUuid(first.value()));
    QCOMPARE(userRows(), 1);

    const auto second = LocalUser::ensure(m_db);
    QVERIFY2(second.ok(), qPrintable(second.error()));
    QCOMPARE(second.value(), first.value());
    QCOMPARE(userRows(), 1);

    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("SELECT email FROM users")) && q.next());
    QCOMPARE(q.value(0).toString(), LocalUser::placeholderEmail());
    // The profile is a synced row: its creation is in the outbox like any other insert.
    QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM sync_outbox WHERE table_name = 'users'")) &&
            q.next());
    QCOMPARE(q.value(0).toInt(), 1);
}

void TestLocalUser::existingOwnerIsKept() {
    const QString id = QStringLiteral("0b3f9d1e-7c42-4d3b-8a5c-1b4e28ba2fa1");
    insertUser(id, QStringLiteral("owner@example.org"));
    const auto owner = LocalUser::ensure(m_db);
    QVERIFY2(owner.ok(), qPrintable(owner.error()));
    QCOMPARE(owner.value(), id);
    QCOMPARE(userRows(), 1);
}

void TestLocalUser::softDeletedRowsAreNotOwners_data() {
    QTest::addColumn<bool>("liveOwnerToo");
    QTest::newRow("only a deleted row: a new profile is made") << false;
    QTest::newRow("a deleted and a live row: the live one") << true;
}

void TestLocalUser::softDeletedRowsAreNotOwners() {
    QFETCH(bool, liveOwnerToo);
    insertUser(QStringLiteral("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"),
               QStringLiteral("old@example.org"), true);
    const QString live = QStringLiteral("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb");
    if (liveOwnerToo)
        insertUser(live, QStringLiteral("live@example.org"));
    const auto owner = LocalUser::ensure(m_db);
    QVERIFY2(owner.ok(), qPrintable(owner.error()));
    if (liveOwnerToo) {
        QCOMPARE(owner.value(), live);
        QCOMPARE(userRows(), 2);
    } else {
        QVERIFY(owner.value() != QStringLiteral("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"));
        QCOMPARE(userRows(), 2);
    }
}

void TestLocalUser::twoOwnersAreRefused() {
    insertUser(QStringLiteral("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"),
               QStringLiteral("a@example.org"));
    insertUser(QStringLiteral("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"),
               QStringLiteral("b@example.org"));
    const auto owner = LocalUser::ensure(m_db);
    QVERIFY(!owner.ok());
    QVERIFY2(owner.error().contains(QStringLiteral("more than one user")),
             qPrintable(owner.error()));
    QCOMPARE(userRows(), 2);
}

QTEST_GUILESS_MAIN(TestLocalUser)
#include "TestLocalUser.moc"
