// The JSON report: the fields the issue names, decimal strings everywhere, totals that match the
// summary, and text escaped so any wallet name or message survives a round trip.

#include "tax/LedgerGenerator.h"
#include "tax/TaxEngine.h"
#include "tax/export/JsonReportWriter.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::tax;

namespace {

Decimal dec(const QString& s) {
    const Result<Decimal> d = Decimal::parse(QStringView(s));
    if (!d)
        qFatal("not a decimal: %s", qPrintable(s));
    return d.value();
}

TaxTransaction trade(const char* id, const char* when, bool buying, const char* amount,
                     const char* usd, const QString& wallet) {
    TaxTransaction t;
    t.id = QLatin1String(id);
    t.timestamp = Timestamp::parse(QString::fromLatin1(when)).value();
    t.transactionType = buying ? TransactionType::Buy : TransactionType::Sell;
    t.wallet = wallet;
    t.transactionHash = QStringLiteral("0xabcdef");
    (buying ? t.assetInSymbol : t.assetOutSymbol) = QStringLiteral("BTC");
    (buying ? t.assetInAmount : t.assetOutAmount) = dec(QLatin1String(amount));
    (buying ? t.assetOutSymbol : t.assetInSymbol) = QStringLiteral("USD");
    (buying ? t.assetOutAmount : t.assetInAmount) = dec(QLatin1String(usd));
    return t;
}

QJsonObject exportOf(const TaxResult& r) {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const Status s = JsonReportWriter::write(r, &buffer);
    if (!s)
        qFatal("%s", qPrintable(s.error()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(buffer.data(), &error);
    if (doc.isNull())
        qFatal("invalid JSON: %s", qPrintable(error.errorString()));
    return doc.object();
}

} // namespace

class TestTaxJsonExport : public QObject {
    Q_OBJECT

private slots:
    void fieldsAndTotals_data();
    void fieldsAndTotals();
    void textSurvivesRoundTrip();
    void refusesClosedDevice();
};

void TestTaxJsonExport::fieldsAndTotals_data() {
    QTest::addColumn<int>("jurisdiction");
    QTest::addColumn<quint64>("seed");
    QTest::newRow("US") << int(Jurisdiction::UnitedStates) << quint64(5);
    QTest::newRow("UK") << int(Jurisdiction::UnitedKingdom) << quint64(6);
}

void TestTaxJsonExport::fieldsAndTotals() {
    QFETCH(int, jurisdiction);
    QFETCH(quint64, seed);
    LedgerGeneratorOptions g;
    g.seed = seed;
    g.transactions = 1500;
    g.days = 500;
    g.start = QDate(2024, 1, 1);
    TaxOptions options = TaxOptions::forTaxYear(Jurisdiction(jurisdiction), 2024);
    const Result<TaxResult> run = TaxEngine::run(LedgerGenerator::generate(g), options);
    QVERIFY2(run.ok(), qPrintable(run.error()));
    const TaxResult& r = run.value();
    const QJsonObject json = exportOf(r);

    QCOMPARE(json.value(QLatin1String("currency")).toString(), options.currency);
    const QJsonObject summary = json.value(QLatin1String("summary")).toObject();
    const TaxSummary s = r.summary();
    QCOMPARE(summary.value(QLatin1String("total_transactions")).toInteger(), s.totalTransactions);
    const QList<QPair<const char*, Decimal>> fields = {
        {"short_term_gains", s.shortTermGains},
        {"long_term_gains", s.longTermGains},
        {"total_capital_gains", s.totalCapitalGains},
        {"total_capital_losses", s.totalCapitalLosses},
        {"net_capital_gains", s.netCapitalGains},
        {"total_income", s.totalIncome},
        {"total_expenses", s.totalExpenses}};
    for (const auto& [name, value] : fields) {
        const QJsonValue v = summary.value(QLatin1String(name));
        QVERIFY2(v.isString(), name); // decimal strings, never floating point
        QCOMPARE(v.toString(), value.toString(2));
    }

    const QJsonArray disposals = json.value(QLatin1String("disposals")).toArray();
    QCOMPARE(disposals.size(), qsizetype(r.disposalCount()));
    QVERIFY(disposals.size() > 10);
    Decimal gains;
    Decimal losses;
    for (const QJsonValue& v : disposals) {
        const QJsonObject d = v.toObject();
        const Decimal gain = dec(d.value(QLatin1String("gain")).toString());
        QCOMPARE(gain, dec(d.value(QLatin1String("proceeds")).toString()) -
                           dec(d.value(QLatin1String("cost_basis")).toString()));
        (gain.isPositive() ? gains : losses) += gain.abs();
        const QJsonArray lots = d.value(QLatin1String("lots")).toArray();
        QVERIFY(!lots.isEmpty());
        Decimal lotCost;
        for (const QJsonValue& lot : lots)
            lotCost += dec(lot.toObject().value(QLatin1String("cost_basis")).toString());
        QCOMPARE(lotCost, dec(d.value(QLatin1String("cost_basis")).toString()));
        QVERIFY(d.contains(QLatin1String("transaction_id")));
        QVERIFY(d.contains(QLatin1String("term")));
    }
    QCOMPARE(gains, s.totalCapitalGains);
    QCOMPARE(losses, s.totalCapitalLosses);

    Decimal income;
    for (const QJsonValue& v : json.value(QLatin1String("income")).toArray())
        income += dec(v.toObject().value(QLatin1String("value")).toString());
    QCOMPARE(income, s.totalIncome);

    const QJsonArray warnings = json.value(QLatin1String("warnings")).toArray();
    QCOMPARE(warnings.size(), qsizetype(r.warningCount()));
    for (const QJsonValue& v : warnings) {
        const QJsonObject w = v.toObject();
        QVERIFY(warningCodeFromString(w.value(QLatin1String("code")).toString()).has_value());
        QVERIFY(!w.value(QLatin1String("message")).toString().isEmpty());
    }

    const QJsonArray holdings = json.value(QLatin1String("holdings")).toArray();
    QCOMPARE(holdings.size(), r.holdings().size());
    for (int i = 0; i < holdings.size(); ++i) {
        const QJsonObject h = holdings[i].toObject();
        QCOMPARE(h.value(QLatin1String("asset")).toString(), r.holdings()[i].asset);
        QCOMPARE(dec(h.value(QLatin1String("amount")).toString()), r.holdings()[i].amount);
        QCOMPARE(h.value(QLatin1String("cost_basis")).toString(),
                 TaxResult::cents(r.holdings()[i].costBasis).toString(2));
        QVERIFY(h.contains(QLatin1String("wallet")));
    }
}

void TestTaxJsonExport::textSurvivesRoundTrip() {
    const QString wallet = QString::fromUtf8("cold \"vault\", n\xc2\xb0"
                                             "2\n\\ \xf0\x9f\xa6\x99");
    const Result<TaxResult> r =
        TaxEngine::run({trade("a", "2024-01-01T10:00:00Z", true, "1", "100", wallet),
                        trade("b", "2024-06-01T10:00:00Z", false, "0.25", "50", wallet)},
                       TaxOptions());
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const QJsonObject json = exportOf(r.value());
    const QJsonObject d = json.value(QLatin1String("disposals")).toArray()[0].toObject();
    QCOMPARE(d.value(QLatin1String("wallet")).toString(), wallet);
    QCOMPARE(d.value(QLatin1String("amount")).toString(), QStringLiteral("0.25"));
    QCOMPARE(d.value(QLatin1String("proceeds")).toString(), QStringLiteral("50.00"));
    QCOMPARE(d.value(QLatin1String("cost_basis")).toString(), QStringLiteral("25.00"));
    QCOMPARE(d.value(QLatin1String("description")).toString(), QStringLiteral("0.25 BTC"));
    QCOMPARE(json.value(QLatin1String("holdings"))
                 .toArray()[0]
                 .toObject()
                 .value(QLatin1String("wallet")),
             QJsonValue()); // universal before 2025: all wallets
}

void TestTaxJsonExport::refusesClosedDevice() {
    const Result<TaxResult> r = TaxEngine::run({}, TaxOptions());
    QVERIFY(r.ok());
    QBuffer closed;
    const Status s = JsonReportWriter::write(r.value(), &closed);
    QVERIFY(!s.ok());
    QVERIFY(!s.error().isEmpty());
}

QTEST_GUILESS_MAIN(TestTaxJsonExport)
#include "TestTaxJsonExport.moc"
