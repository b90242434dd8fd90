#include "TestSupport.h"

#include "store/LocalUser.h"
#include "tax/persist/LotSelectionRepository.h"
#include "vault/MemorySecretStore.h"
#include "vault/Vault.h"

#include <QSqlQuery>
#include <QtTest>

using namespace llamadesk;

// The Specific-ID choices saved in a real vault: replaced per disposal, kept in order, refused
// when malformed, and still there after the vault is closed and opened again.
class TestLotSelectionRepository : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void savesAndReplacesInOrder();
    void refusesMalformedChoices_data();
    void refusesMalformedChoices();
    void survivesReopening();

private:
    static Decimal dec(const char* text) { return Decimal::parse(QLatin1String(text)).value(); }
    static QString id(int n) {
        return QStringLiteral("00000000-0000-4000-8000-%1").arg(n, 12, 10, QLatin1Char('0'));
    }

    testsupport::ScratchDir m_dir;
    vault::MemorySecretStore m_secrets;
    std::unique_ptr<vault::Vault> m_vault;
    QString m_path;
    QString m_user;
};

void TestLotSelectionRepository::initTestCase() {
    m_path = m_dir.filePath(QStringLiteral("lots.llamadesk"));
    vault::CreateOptions options;
    options.useKeychain = false;
    options.passphrase = QStringLiteral("lot selection passphrase 9");
    options.kdf = vault::KdfParams::fastForTests();
    vault::VaultError error = vault::VaultError::None;
    QString message;
    m_vault = vault::Vault::create(m_path, options, m_secrets, nullptr, &error, &message);
    QVERIFY2(m_vault, qPrintable(message));
    const Result<QString> user = store::LocalUser::ensure(m_vault->database());
    QVERIFY2(user.ok(), qPrintable(user.error()));
    m_user = user.value();
}

void TestLotSelectionRepository::cleanupTestCase() {
    if (m_vault)
        m_vault->close();
}

void TestLotSelectionRepository::savesAndReplacesInOrder() {
    tax::LotSelectionRepository repo(m_vault->database());
    QVERIFY(repo.clear(m_user).ok());
    // The later lot first: the order is the order in which the engine takes them.
    const QList<tax::LotSelection> first{{id(3), dec("0.25")},
                                         {id(1), dec("0.000000000000000001")}};
    QVERIFY(repo.save(m_user, id(10), first).ok());
    QVERIFY(repo.save(m_user, id(11), {{id(2), dec("5")}}).ok());
    Result<QList<tax::LotSelection>> one = repo.forDisposal(m_user, id(10));
    QVERIFY2(one.ok(), qPrintable(one.error()));
    QCOMPARE(one.value(), first);
    Result<QHash<QString, QList<tax::LotSelection>>> all = repo.all(m_user);
    QVERIFY(all.ok());
    QCOMPARE(all->size(), 2);
    QCOMPARE(all->value(id(11)), (QList<tax::LotSelection>{{id(2), dec("5")}}));

    // Saving again replaces the whole choice; an empty list removes it.
    const QList<tax::LotSelection> second{{id(1), dec("0.5")}};
    QVERIFY(repo.save(m_user, id(10), second).ok());
    QCOMPARE(repo.forDisposal(m_user, id(10)).value(), second);
    QVERIFY(repo.save(m_user, id(11), {}).ok());
    QVERIFY(repo.forDisposal(m_user, id(11)).value().isEmpty());
    QCOMPARE(repo.all(m_user)->size(), 1);
    // Amounts are stored as exact text.
    QSqlQuery q(m_vault->database());
    QVERIFY(q.exec(QStringLiteral("SELECT amount, typeof(amount) FROM lot_selections")));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("0.5"));
    QCOMPARE(q.value(1).toString(), QStringLiteral("text"));
    const Result<int> cleared = repo.clear(m_user);
    QVERIFY(cleared.ok());
    QCOMPARE(cleared.value(), 1);
}

void TestLotSelectionRepository::refusesMalformedChoices_data() {
    QTest::addColumn<QString>("disposal");
    QTest::addColumn<QList<tax::LotSelection>>("selections");
    QTest::addColumn<QString>("reason");
    QTest::newRow("no disposal") << QString() << QList<tax::LotSelection>{{id(1), dec("1")}}
                                 << QStringLiteral("no transaction id");
    QTest::newRow("no lot") << id(20) << QList<tax::LotSelection>{{QString(), dec("1")}}
                            << QStringLiteral("names no lot");
    QTest::newRow("lot twice") << id(20)
                               << QList<tax::LotSelection>{{id(1), dec("1")}, {id(1), dec("2")}}
                               << QStringLiteral("named twice");
    QTest::newRow("zero") << id(20) << QList<tax::LotSelection>{{id(1), Decimal()}}
                          << QStringLiteral("not positive");
    QTest::newRow("negative") << id(20) << QList<tax::LotSelection>{{id(1), dec("-1")}}
                              << QStringLiteral("not positive");
    QTest::newRow("invalid") << id(20) << QList<tax::LotSelection>{{id(1), Decimal::invalid()}}
                             << QStringLiteral("not positive");
}

void TestLotSelectionRepository::refusesMalformedChoices() {
    QFETCH(QString, disposal);
    QFETCH(QList<tax::LotSelection>, selections);
    QFETCH(QString, reason);
    tax::LotSelectionRepository repo(m_vault->database());
    QVERIFY(repo.save(m_user, id(21), {{id(5), dec("1")}}).ok());
    const Status s = repo.save(m_user, disposal, selections);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QStringLiteral("LotSelectionRepository.save")),
             qPrintable(s.error()));
    QVERIFY2(s.error().contains(reason), qPrintable(s.error()));
    // Nothing was written, nothing else was touched.
    QVERIFY(repo.forDisposal(m_user, id(20)).value().isEmpty());
    QCOMPARE(repo.forDisposal(m_user, id(21)).value().size(), 1);
    QVERIFY(repo.clear(m_user).ok());
}

void TestLotSelectionRepository::survivesReopening() {
    {
        tax::LotSelectionRepository repo(m_vault->database());
        QVERIFY(repo.save(m_user, id(30), {{id(7), dec("1.5")}, {id(8), dec("2")}}).ok());
    }
    m_vault->close();
    m_vault.reset();
    vault::VaultError error = vault::VaultError::None;
    QString message;
    m_vault = vault::Vault::open(
        m_path, vault::UnlockRequest::passphrase(QStringLiteral("lot selection passphrase 9")),
        m_secrets, &error, &message);
    QVERIFY2(m_vault, qPrintable(message));
    tax::LotSelectionRepository repo(m_vault->database());
    QCOMPARE(repo.forDisposal(m_user, id(30)).value(),
             (QList<tax::LotSelection>{{id(7), dec("1.5")}, {id(8), dec("2")}}));
}

QTEST_GUILESS_MAIN(TestLotSelectionRepository)
#include "TestLotSelectionRepository.moc"
