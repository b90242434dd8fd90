// The three layouts read into the expected canonical rows: the canonical fixture (BOM, CRLF,
// any column order, zones, quoted commas and line breaks), Koinly's universal CSV and
// CoinTracker's CSV, written from their documented layouts (docs/import.md). Also the vault-free
// reader (readLedgerFile) and a round trip of a generated ledger through the canonical writer.

#include "import/CanonicalCsvWriter.h"
#include "import/LedgerReader.h"
#include "tax/LedgerGenerator.h"
#include "tax/LedgerIds.h"

#include "TestSupport.h"

#include <QFile>

#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::import;

namespace {

QString dec(const std::optional<Decimal>& d) {
    return d ? d->toString() : QStringLiteral("-");
}

// One line per row with every column the importers set.
QString describe(const TaxTransaction& t, qint64 line) {
    const QString hash = t.transactionHash.startsWith(QLatin1String("derived:"))
                             ? QStringLiteral("derived")
                             : t.transactionHash;
    return QStringLiteral("%1|%2|%3|%4|in %5 %6 %7|out %8 %9 %10|fee %11 %12 %13|%14|%15|%16|"
                          "%17|%18")
        .arg(QString::number(line), toString(t.transactionType), t.wallet, t.timestamp.toString(),
             t.assetInSymbol.value_or(QStringLiteral("-")), dec(t.assetInAmount),
             dec(t.assetInValueUsd), t.assetOutSymbol.value_or(QStringLiteral("-")),
             dec(t.assetOutAmount))
        .arg(dec(t.assetOutValueUsd), dec(t.feeAmount), t.feeSymbol.value_or(QStringLiteral("-")),
             dec(t.feeValueUsd), hash, QString::number(t.chainId), QString::number(t.blockNumber),
             dec(t.costBasisUsd), t.notes.value_or(QStringLiteral("-")));
}

QStringList utf8List(std::initializer_list<const char*> list) {
    QStringList out;
    for (const char* s : list)
        out.append(QString::fromUtf8(s));
    return out;
}

} // namespace

class TestImportFormats : public QObject {
    Q_OBJECT

private slots:
    void fixtures_data();
    void fixtures();
    void derivedHashesAreStable();
    void defaultWalletAndZoneOptions();
    void generatedLedgerRoundTrips();
    void missingFileFails();
};

void TestImportFormats::fixtures_data() {
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("canonical")
        << "canonical.csv"
        << "canonical"
        << utf8List({
               "2|buy|coinbase|2024-01-05T14:30:00.000000Z|in BTC 0.5 -|out USD 21000 21000|fee "
               "2.5 USD 2.5|derived|1|0|-|Bought on Coinbase, first lot",
               "3|transfer_out|coinbase|2024-02-01T07:00:00.000000Z|in - - -|out BTC 0.2 -|fee "
               "0.0001 BTC -|0x1111111111111111111111111111111111111111111111111111111111111111|1|"
               "19000000|-|-",
               "4|transfer_in|ledger|2024-02-01T07:05:00.000000Z|in BTC 0.2 -|out - - -|fee - - "
               "-|0x1111111111111111111111111111111111111111111111111111111111111111|1|19000000|-|"
               "-",
               "5|staking_reward|ledger|2024-03-01T00:00:00.123456Z|in ETH 0.01 35.12|out - - "
               "-|fee - - -|derived|1|0|-|Staking,\r\ntwo lines",
               "7|gift|ledger|2024-04-01T16:00:00.000000Z|in SOL 3 450|out - - -|fee - - "
               "-|derived|1|0|300|-",
               "8|sell|coinbase|2024-05-02T12:00:00.000000Z|in USD 6205 -|out BTC 0.1 6205|fee 1.2 "
               "USD 1.2|derived|1|0|-|-",
           });
    QTest::newRow("koinly")
        << "koinly-universal.csv"
        << "koinly"
        << utf8List({
               "2|buy|default|2024-01-05T14:30:00.000000Z|in BTC 0.11904762 5000|out USD 5000 "
               "-|fee 2.5 USD 2.5|derived|1|0|-|Bought BTC on exchange",
               "3|transfer_out|default|2024-02-10T09:15:00.000000Z|in - - -|out BTC 0.05 -|fee "
               "0.0001 BTC "
               "-|9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8|1|0|-|Moved to "
               "cold wallet",
               "4|staking_reward|default|2024-03-01T00:00:00.000000Z|in ETH 0.01 35.12|out - - "
               "-|fee - - -|derived|1|0|-|Staking reward",
               "5|swap|default|2024-04-20T18:45:10.000000Z|in ETH 0.85 1300|out BTC 0.02 1300|fee "
               "- - "
               "-|0x5e1a7c9d2b4f6a8c0e1d3b5f7a9c2e4d6b8f0a1c3e5d7b9f1a3c5e7d9b1f3a5c|1|0|-|Swap "
               "on a DEX",
               "6|sell|default|2024-05-02T12:00:00.000000Z|in USD 620.5 -|out BTC 0.01 -|fee 1.2 "
               "USD 1.2|derived|1|0|-|Sold some, kept the rest",
               "7|airdrop|default|2024-06-15T08:00:00.000000Z|in ARB 100 95|out - - -|fee - - "
               "-|derived|1|0|-|Arbitrum airdrop",
               "8|expense|default|2024-07-04T10:00:00.000000Z|in - - -|out ETH 0.1 310|fee - - "
               "-|derived|1|0|-|Paid for \"design\" work",
               "9|mining_reward|default|2024-08-01T00:00:00.000000Z|in BTC 0.002 120|out - - "
               "-|fee - - -|derived|1|0|-|Pool payout",
               "10|fee|default|2024-09-09T09:09:00.000000Z|in - - -|out - - -|fee 0.0005 ETH "
               "1.25|derived|1|0|-|Approval gas",
           });
    QTest::newRow("cointracker")
        << "cointracker.csv"
        << "cointracker"
        << utf8List({
               "2|buy|default|2024-01-05T14:30:00.000000Z|in ETH 0.5 -|out USD 1100 -|fee 1.5 USD "
               "1.5|derived|1|0|-|-",
               "3|transfer_out|default|2024-02-11T09:00:00.000000Z|in - - -|out ETH 0.2 -|fee "
               "0.001 ETH -|derived|1|0|-|-",
               "4|staking_reward|default|2024-03-01T00:00:00.000000Z|in ETH 0.003 -|out - - "
               "-|fee - - -|derived|1|0|-|-",
               "5|swap|default|2024-04-15T16:20:00.000000Z|in USDC 250 -|out ETH 0.1 -|fee - - "
               "-|derived|1|0|-|-",
               "6|expense|default|2024-06-30T23:59:59.000000Z|in - - -|out USDC 50 -|fee - - "
               "-|derived|1|0|-|-",
               "7|airdrop|default|2024-07-04T12:00:00.000000Z|in SOL 1.25 -|out - - -|fee - - "
               "-|derived|1|0|-|-",
               "8|gift|default|2024-08-20T00:00:00.000000Z|in ETH 0.1 -|out - - -|fee - - "
               "-|derived|1|0|-|-",
           });
}

void TestImportFormats::fixtures() {
    QFETCH(QString, fixture);
    QFETCH(QString, format);
    QFETCH(QStringList, expected);
    const QString path = QFINDTESTDATA(QStringLiteral("../fixtures/import/") + fixture);
    QVERIFY(!path.isEmpty());
    const Result<LedgerFile> file = readLedgerFile(path);
    QVERIFY2(file.ok(), qPrintable(file.error()));
    QStringList problems;
    for (const ImportProblem& p : file->problems)
        problems.append(p.toString());
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    QCOMPARE(toString(file->format), format);
    QCOMPARE(file->recordsRead, qint64(expected.size()));
    QStringList got;
    for (int i = 0; i < file->rows.size(); ++i) {
        const TaxTransaction& t = file->rows.at(i);
        got.append(describe(t, file->lines.at(i)));
        QVERIFY(t.userId.isEmpty()); // no vault, no owner
        QVERIFY(!t.id.isEmpty());
    }
    QCOMPARE(got, expected);
}

void TestImportFormats::derivedHashesAreStable() {
    // The same content gives the same hash on every read; identical rows get distinct hashes.
    testsupport::ScratchDir dir;
    const QString path = dir.filePath(QStringLiteral("twice.csv"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("timestamp,transaction_type,asset_in_symbol,asset_in_amount\n"
            "2024-01-01T00:00:00Z,airdrop,ARB,1\n"
            "2024-01-01T00:00:00Z,airdrop,ARB,1\n"
            "2024-01-01T00:00:00Z,airdrop,ARB,1.0\n");
    f.close();
    const auto a = readLedgerFile(path);
    const auto b = readLedgerFile(path);
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(a->rows.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(a->rows.at(i).transactionHash, b->rows.at(i).transactionHash);
        QVERIFY(a->rows.at(i).transactionHash.size() <= 66);
        // Ids are stable too (what `tax --ledger` gives the same rows), and distinct.
        QCOMPARE(a->rows.at(i).id, b->rows.at(i).id);
        QCOMPARE(a->rows.at(i).id, tax::LedgerIds::stableId(a->rows.at(i), 0));
    }
    QVERIFY(a->rows.at(0).id != a->rows.at(1).id && a->rows.at(1).id != a->rows.at(2).id &&
            a->rows.at(0).id != a->rows.at(2).id);
    QVERIFY(a->rows.at(0).transactionHash != a->rows.at(1).transactionHash);
    // 1.0 and 1 are the same amount: the third row is the same content a third time.
    QVERIFY(a->rows.at(2).transactionHash != a->rows.at(0).transactionHash);
    QVERIFY(a->rows.at(2).transactionHash != a->rows.at(1).transactionHash);
}

void TestImportFormats::defaultWalletAndZoneOptions() {
    ReadOptions options;
    options.defaultWallet = QStringLiteral("kraken");
    options.userId = QStringLiteral("1b4e28ba-2fa1-4d3b-8a5c-0b3f9d1e7c42");
    options.sourceTimeZone = QTimeZone(QByteArrayLiteral("America/New_York"));
    const auto file = readLedgerFile(QFINDTESTDATA("../fixtures/import/cointracker.csv"), options);
    QVERIFY2(file.ok(), qPrintable(file.error()));
    QCOMPARE(file->rows.first().wallet, QStringLiteral("kraken"));
    QCOMPARE(file->rows.first().userId, options.userId);
    // 14:30 in New York in January is 19:30 UTC.
    QCOMPARE(file->rows.first().timestamp.toString(),
             QStringLiteral("2024-01-05T19:30:00.000000Z"));
}

void TestImportFormats::generatedLedgerRoundTrips() {
    tax::LedgerGeneratorOptions g;
    g.transactions = 3000;
    g.seed = 7;
    const QList<TaxTransaction> ledger = tax::LedgerGenerator::generate(g);
    testsupport::ScratchDir dir;
    const QString path = dir.filePath(QStringLiteral("ledger.csv"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    CanonicalCsvWriter writer(&f);
    QVERIFY(writer.writeHeader());
    for (const TaxTransaction& t : ledger)
        QVERIFY(writer.write(t));
    f.close();

    const auto file = readLedgerFile(path);
    QVERIFY2(file.ok(), qPrintable(file.error()));
    QVERIFY2(file->problems.isEmpty(),
             qPrintable(file->problems.isEmpty() ? QString() : file->problems.first().toString()));
    QCOMPARE(file->rows.size(), ledger.size());
    for (int i = 0; i < ledger.size(); ++i)
        QCOMPARE(CanonicalCsvWriter::row(file->rows.at(i)), CanonicalCsvWriter::row(ledger.at(i)));
}

void TestImportFormats::missingFileFails() {
    const auto file = readLedgerFile(QStringLiteral("/nonexistent/ledger.csv"));
    QVERIFY(!file.ok());
    QVERIFY(file.error().contains(QLatin1String("ledger.csv")));
}

QTEST_GUILESS_MAIN(TestImportFormats)
#include "TestImportFormats.moc"
