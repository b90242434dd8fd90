#include "TestSupport.h"

#include "store/LocalUser.h"
#include "store/TransactionRepository.h"
#include "tax/persist/AvailableLots.h"
#include "vault/MemorySecretStore.h"
#include "vault/Vault.h"

#include <QtTest>

using namespace llamadesk;

// The lots a Specific-ID choice can name: the engine's state just before a disposal, read from a
// real vault, for the disposal's asset (and wallet when lots are per wallet), with the other saved
// choices applied.
class TestAvailableLots : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void listsTheOpenLots_data();
    void listsTheOpenLots();
    void stopsWhenAsked();

private:
    static Decimal dec(const char* text) {
        return Decimal::parse(QString::fromLatin1(text)).value();
    }
    static QString id(int n) {
        return QStringLiteral("00000000-0000-4000-8000-%1").arg(n, 12, 10, QLatin1Char('0'));
    }
    static Timestamp at(const char* text) {
        return Timestamp::parse(QString::fromLatin1(text)).value();
    }
    TaxTransaction row(int n, const char* when, const char* wallet, bool buy, const char* btc,
                       const char* usd) const;

    testsupport::ScratchDir m_dir;
    vault::MemorySecretStore m_secrets;
    std::unique_ptr<vault::Vault> m_vault;
    QString m_user;
};

TaxTransaction TestAvailableLots::row(int n, const char* when, const char* wallet, bool buy,
                                      const char* btc, const char* usd) const {
    TaxTransaction t;
    t.id = id(n);
    t.userId = m_user;
    t.wallet = QString::fromLatin1(wallet);
    t.transactionHash = QStringLiteral("0x%1").arg(n, 64, 16, QLatin1Char('0'));
    t.chainId = 1;
    t.timestamp = at(when);
    t.transactionType = buy ? TransactionType::Buy : TransactionType::Sell;
    const auto side = [&](bool crypto) {
        return crypto ? std::pair{QStringLiteral("BTC"), dec(btc)}
                      : std::pair{QStringLiteral("USD"), dec(usd)};
    };
    const auto [inSymbol, inAmount] = side(buy);
    const auto [outSymbol, outAmount] = side(!buy);
    t.assetInSymbol = inSymbol;
    t.assetInAmount = inAmount;
    t.assetInValueUsd = dec(usd);
    t.assetOutSymbol = outSymbol;
    t.assetOutAmount = outAmount;
    t.assetOutValueUsd = dec(usd);
    return t;
}

void TestAvailableLots::initTestCase() {
    vault::CreateOptions options;
    options.useKeychain = false;
    options.passphrase = QStringLiteral("available lots passphrase 3");
    options.kdf = vault::KdfParams::fastForTests();
    vault::VaultError error = vault::VaultError::None;
    QString message;
    m_vault = vault::Vault::create(m_dir.filePath(QStringLiteral("v.llamadesk")), options,
                                   m_secrets, nullptr, &error, &message);
    QVERIFY2(m_vault, qPrintable(message));
    const Result<QString> user = store::LocalUser::ensure(m_vault->database());
    QVERIFY(user.ok());
    m_user = user.value();
    QList<TaxTransaction> rows{
        row(1, "2024-01-01T10:00:00Z", "a", true, "1", "100.00"),
        row(2, "2024-02-01T10:00:00Z", "a", true, "1", "300.00"),
        row(3, "2024-02-15T10:00:00Z", "b", true, "2", "500.00"),
        row(4, "2024-03-01T10:00:00Z", "a", false, "0.5", "200.00"),
        row(5, "2024-04-01T10:00:00Z", "a", false, "0.25", "120.00"),
    };
    // An ETH lot: never offered for a BTC sale.
    TaxTransaction eth = row(6, "2024-01-20T10:00:00Z", "a", true, "3", "6000.00");
    eth.assetInSymbol = QStringLiteral("ETH");
    rows.append(eth);
    for (const TaxTransaction& t : rows) {
        const QStringList problems = t.validate();
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char(' '))));
    }
    QVERIFY(store::TransactionRepository(m_vault->database()).insertBatch(rows).ok());
}

void TestAvailableLots::cleanupTestCase() {
    if (m_vault)
        m_vault->close();
}

void TestAvailableLots::listsTheOpenLots_data() {
    QTest::addColumn<int>("scope");
    QTest::addColumn<QString>("wallet");
    QTest::addColumn<QString>("before");
    QTest::addColumn<bool>("choose");      // the 2024-03-01 sale saved as "take lot 2"
    QTest::addColumn<QStringList>("lots"); // "lot amount cost"
    const auto lot = [](int n, const char* amount, const char* cost) -> QString {
        return id(n) + QLatin1Char(' ') + QLatin1String(amount) + QLatin1Char(' ') +
               QLatin1String(cost);
    };
    QTest::newRow("universal, before the first sale")
        << int(tax::LotScope::Universal) << QStringLiteral("a")
        << QStringLiteral("2024-03-01T10:00:00Z") << false
        << QStringList{lot(1, "1", "100"), lot(2, "1", "300"), lot(3, "2", "500")};
    QTest::newRow("per wallet, before the first sale")
        << int(tax::LotScope::Wallet) << QStringLiteral("a")
        << QStringLiteral("2024-03-01T10:00:00Z") << false
        << QStringList{lot(1, "1", "100"), lot(2, "1", "300")};
    QTest::newRow("per wallet b") << int(tax::LotScope::Wallet) << QStringLiteral("b")
                                  << QStringLiteral("2024-03-01T10:00:00Z") << false
                                  << QStringList{lot(3, "2", "500")};
    QTest::newRow("after a FIFO sale") << int(tax::LotScope::Wallet) << QStringLiteral("a")
                                       << QStringLiteral("2024-04-01T10:00:00Z") << false
                                       << QStringList{lot(1, "0.5", "50"), lot(2, "1", "300")};
    QTest::newRow("after a sale that named lot 2")
        << int(tax::LotScope::Wallet) << QStringLiteral("a")
        << QStringLiteral("2024-04-01T10:00:00Z") << true
        << QStringList{lot(1, "1", "100"), lot(2, "0.5", "150")};
}

void TestAvailableLots::listsTheOpenLots() {
    QFETCH(int, scope);
    QFETCH(QString, wallet);
    QFETCH(QString, before);
    QFETCH(bool, choose);
    QFETCH(QStringList, lots);
    tax::TaxOptions options = tax::TaxOptions::forTaxYear(tax::Jurisdiction::UnitedStates, 2024);
    options.method = CostBasisMethod::Specific;
    options.scope = tax::LotScope(scope);
    if (choose)
        options.lotSelections.insert(id(4), {{id(2), dec("0.5")}});
    const Result<QList<tax::LotRecord>> found =
        tax::AvailableLots::before(m_vault->database(), options, QStringLiteral("BTC"), wallet,
                                   at(before.toLatin1().constData()));
    QVERIFY2(found.ok(), qPrintable(found.error()));
    QStringList got;
    for (const tax::LotRecord& l : found.value())
        got << l.lotId + QLatin1Char(' ') + l.amount.toString() + QLatin1Char(' ') +
                   l.costBasis.toString();
    QCOMPARE(got, lots);
}

void TestAvailableLots::stopsWhenAsked() {
    // The progress callback is polled every few thousand rows: this ledger is too short to reach
    // it, so the scan completes; a callback that refuses is only honoured when called.
    tax::TaxOptions options = tax::TaxOptions::forTaxYear(tax::Jurisdiction::UnitedStates, 2024);
    int calls = 0;
    const Result<QList<tax::LotRecord>> found = tax::AvailableLots::before(
        m_vault->database(), options, QStringLiteral("BTC"), QStringLiteral("a"),
        at("2024-03-01T10:00:00Z"), [&calls](qint64) {
            ++calls;
            return false;
        });
    QVERIFY(found.ok());
    QCOMPARE(calls, 0);
    const Result<QList<tax::LotRecord>> invalid = tax::AvailableLots::before(
        m_vault->database(), options, QStringLiteral("BTC"), QStringLiteral("a"), Timestamp());
    QVERIFY(!invalid.ok());
    QVERIFY(invalid.error().contains(QStringLiteral("AvailableLots")));
}

QTEST_GUILESS_MAIN(TestAvailableLots)
#include "TestAvailableLots.moc"
