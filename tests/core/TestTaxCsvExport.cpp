// The generic CSV report: every section in one file, quoted where needed, totals equal to the
// summary.

#include "tax/TaxEngine.h"
#include "tax/export/CsvReportWriter.h"

#include <QBuffer>
#include <QHash>
#include <QtTest>

#include "TaxTestLedgers.h"

using namespace llamadesk;
using namespace llamadesk::tax;
using namespace testsupport;

namespace {

TaxTransaction row(const char* id, const char* when, TransactionType type, const QString& wallet) {
    TaxTransaction t;
    t.id = QLatin1String(id);
    t.timestamp = Timestamp::parse(QString::fromLatin1(when)).value();
    t.transactionType = type;
    t.wallet = wallet;
    return t;
}

} // namespace

class TestTaxCsvExport : public QObject {
    Q_OBJECT

private slots:
    void sectionsAndTotals();
};

void TestTaxCsvExport::sectionsAndTotals() {
    const QString wallet = QStringLiteral("hot, \"main\"\nline two");
    TaxTransaction buy = row("b", "2024-01-01T10:00:00Z", TransactionType::Buy, wallet);
    buy.assetInSymbol = QStringLiteral("ETH");
    buy.assetInAmount = dec(QStringLiteral("2"));
    buy.assetOutSymbol = QStringLiteral("USD");
    buy.assetOutAmount = dec(QStringLiteral("3000"));
    TaxTransaction reward =
        row("r", "2024-02-01T10:00:00Z", TransactionType::StakingReward, wallet);
    reward.assetInSymbol = QStringLiteral("ETH");
    reward.assetInAmount = dec(QStringLiteral("0.1"));
    reward.assetInValueUsd = dec(QStringLiteral("170.555"));
    TaxTransaction sell = row("s", "2024-03-01T10:00:00Z", TransactionType::Sell, wallet);
    sell.assetOutSymbol = QStringLiteral("ETH");
    sell.assetOutAmount = dec(QStringLiteral("1"));
    sell.assetInSymbol = QStringLiteral("USD");
    sell.assetInAmount = dec(QStringLiteral("1000.005"));
    TaxTransaction in = row("i", "2024-04-01T10:00:00Z", TransactionType::TransferIn, wallet);
    in.assetInSymbol = QStringLiteral("SOL");
    in.assetInAmount = dec(QStringLiteral("3"));
    const Result<TaxResult> run = TaxEngine::run({buy, reward, sell, in}, TaxOptions());
    QVERIFY2(run.ok(), qPrintable(run.error()));

    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(CsvReportWriter::write(run.value(), &buffer).ok());
    const QList<QStringList> rows = parseCsv(buffer.data());
    QCOMPARE(rows.first(), CsvReportWriter::header());
    QHash<QString, QList<QStringList>> sections;
    for (int i = 1; i < rows.size(); ++i) {
        QCOMPARE(rows[i].size(), CsvReportWriter::header().size());
        sections[rows[i][0]] << rows[i];
    }
    QCOMPARE(sections.value(QStringLiteral("summary")).size(), 8);
    QCOMPARE(sections.value(QStringLiteral("disposal")).size(), 1);
    QCOMPARE(sections.value(QStringLiteral("income")).size(), 1);
    QCOMPARE(sections.value(QStringLiteral("holding")).size(), 2);
    QCOMPARE(sections.value(QStringLiteral("warning")).size(), 1);

    const QStringList d = sections.value(QStringLiteral("disposal")).first();
    QCOMPARE(d[5], wallet); // quoted: comma, quotes and a line break survive
    QCOMPARE(d[8], QStringLiteral("1"));
    QCOMPARE(d[11], QStringLiteral("1000.01")); // printed: cents, half up
    QCOMPARE(d[12], QStringLiteral("1500.00"));
    QCOMPARE(d[13], QStringLiteral("-499.99"));
    QCOMPARE(sections.value(QStringLiteral("income")).first()[15], QStringLiteral("170.56"));
    QCOMPARE(sections.value(QStringLiteral("warning")).first()[16],
             QStringLiteral("missing_cost_basis"));

    QHash<QString, QString> summary;
    for (const QStringList& s : sections.value(QStringLiteral("summary")))
        summary.insert(s[16], s[15]);
    const TaxSummary s = run->summary();
    QCOMPARE(summary.value(QStringLiteral("total_capital_losses")), QStringLiteral("499.99"));
    QCOMPARE(summary.value(QStringLiteral("net_capital_gains")), s.netCapitalGains.toString(2));
    QCOMPARE(summary.value(QStringLiteral("total_income")), QStringLiteral("170.56"));
    QCOMPARE(summary.value(QStringLiteral("total_transactions")), QStringLiteral("4"));
}

QTEST_GUILESS_MAIN(TestTaxCsvExport)
#include "TestTaxCsvExport.moc"
