// Golden ledgers: published worked examples (HMRC's CRYPTO2225x pooling examples) and
// hand-worked US ledgers, each with every expected number, in tests/fixtures/tax/*.json. A file
// holds one ledger and one or more runs (options and expected results); each run is one row.

#include "tax/TaxEngine.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <algorithm>

using namespace llamadesk;
using namespace llamadesk::tax;

namespace {

QString fixtureDir() {
    return QFINDTESTDATA("../fixtures/tax");
}

std::optional<QString> text(const QJsonObject& o, const char* key) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    return v.toString();
}

std::optional<Decimal> number(const QJsonObject& o, const char* key) {
    const std::optional<QString> t = text(o, key);
    if (!t)
        return std::nullopt;
    const Result<Decimal> d = Decimal::parse(QStringView(*t));
    if (!d)
        qFatal("bad decimal in fixture: %s", qPrintable(*t));
    return d.value();
}

Decimal dec(const QString& s) {
    const Result<Decimal> d = Decimal::parse(QStringView(s));
    if (!d)
        qFatal("bad decimal in fixture: %s", qPrintable(s));
    return d.value();
}

TaxTransaction transactionFrom(const QJsonObject& o) {
    TaxTransaction t;
    t.id = o.value(QLatin1String("id")).toString();
    t.userId = QStringLiteral("00000000-0000-4000-8000-000000000001");
    if (const auto w = text(o, "wallet"))
        t.wallet = *w;
    t.transactionHash = text(o, "transaction_hash").value_or(QString());
    const Result<Timestamp> ts = Timestamp::parse(o.value(QLatin1String("timestamp")).toString());
    if (!ts)
        qFatal("bad timestamp in fixture: %s", qPrintable(ts.error()));
    t.timestamp = ts.value();
    const auto type =
        transactionTypeFromString(o.value(QLatin1String("transaction_type")).toString());
    if (!type)
        qFatal("bad transaction type in fixture");
    t.transactionType = *type;
    t.assetInSymbol = text(o, "asset_in_symbol");
    t.assetInAmount = number(o, "asset_in_amount");
    t.assetInPriceUsd = number(o, "asset_in_price_usd");
    t.assetInValueUsd = number(o, "asset_in_value_usd");
    t.assetOutSymbol = text(o, "asset_out_symbol");
    t.assetOutAmount = number(o, "asset_out_amount");
    t.assetOutPriceUsd = number(o, "asset_out_price_usd");
    t.assetOutValueUsd = number(o, "asset_out_value_usd");
    t.feeSymbol = text(o, "fee_symbol");
    t.feeAmount = number(o, "fee_amount");
    t.feeValueUsd = number(o, "fee_value_usd");
    t.costBasisUsd = number(o, "cost_basis_usd");
    return t;
}

TaxOptions optionsFrom(const QJsonObject& o) {
    const auto jurisdiction =
        jurisdictionFromString(o.value(QLatin1String("jurisdiction")).toString());
    if (!jurisdiction)
        qFatal("fixture options need a jurisdiction");
    TaxOptions options;
    options.jurisdiction = *jurisdiction;
    if (o.contains(QLatin1String("tax_year")))
        options = TaxOptions::forTaxYear(*jurisdiction, o.value(QLatin1String("tax_year")).toInt());
    if (const auto m = text(o, "method"))
        options.method = costBasisMethodFromString(*m).value();
    const QJsonObject byYear = o.value(QLatin1String("method_by_year")).toObject();
    for (auto it = byYear.begin(); it != byYear.end(); ++it)
        options.methodByYear.insert(it.key().toInt(),
                                    costBasisMethodFromString(it.value().toString()).value());
    if (const auto s = text(o, "scope"))
        options.scope = lotScopeFromString(*s).value();
    if (const auto z = text(o, "timezone"))
        options.timeZone = QTimeZone(z->toUtf8());
    if (const auto c = text(o, "currency"))
        options.currency = *c;
    if (const auto d = text(o, "period_start"))
        options.periodStart = QDate::fromString(*d, Qt::ISODate);
    if (const auto d = text(o, "period_end"))
        options.periodEnd = QDate::fromString(*d, Qt::ISODate);
    const QJsonObject selections = o.value(QLatin1String("lot_selections")).toObject();
    for (auto it = selections.begin(); it != selections.end(); ++it) {
        QList<LotSelection> list;
        for (const QJsonValue& v : it.value().toArray()) {
            const QJsonObject s = v.toObject();
            list.append({s.value(QLatin1String("lot_id")).toString(),
                         dec(s.value(QLatin1String("amount")).toString())});
        }
        options.lotSelections.insert(it.key(), list);
    }
    return options;
}

QJsonObject load(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", qPrintable(path));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (doc.isNull())
        qFatal("fixture %s: %s", qPrintable(path), qPrintable(error.errorString()));
    return doc.object();
}

#define COMPARE_DECIMAL(actual, expectedText)                                                      \
    QCOMPARE((actual).toString(), dec(expectedText).toString())

} // namespace

class TestTaxGolden : public QObject {
    Q_OBJECT

private slots:
    void golden_data();
    void golden();
};

void TestTaxGolden::golden_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("run");
    const QDir dir(fixtureDir());
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    QVERIFY2(files.size() >= 9, "the golden fixtures are missing");
    for (const QString& file : files) {
        const QJsonArray runs = load(dir.filePath(file)).value(QLatin1String("runs")).toArray();
        for (int i = 0; i < runs.size(); ++i) {
            const QString name = runs[i].toObject().value(QLatin1String("name")).toString();
            QTest::newRow(qPrintable(file + QLatin1Char('/') + name)) << dir.filePath(file) << i;
        }
    }
}

void TestTaxGolden::golden() {
    QFETCH(QString, path);
    QFETCH(int, run);
    const QJsonObject doc = load(path);
    QList<TaxTransaction> ledger;
    for (const QJsonValue& v : doc.value(QLatin1String("transactions")).toArray()) {
        // Short readable ids and no chain data: the engine needs neither, only the columns
        // the tax rules read.
        const TaxTransaction t = transactionFrom(v.toObject());
        ledger.append(t);
    }
    const QJsonObject runObject = doc.value(QLatin1String("runs")).toArray()[run].toObject();
    const TaxOptions options = optionsFrom(runObject.value(QLatin1String("options")).toObject());
    const QJsonObject expected = runObject.value(QLatin1String("expected")).toObject();

    const Result<TaxResult> result = TaxEngine::run(ledger, options);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    const TaxResult& r = result.value();

    // Disposals, with every lot (or UK match) they consumed.
    const QJsonArray disposals = expected.value(QLatin1String("disposals")).toArray();
    QCOMPARE(r.disposalCount(), int(disposals.size()));
    for (int i = 0; i < disposals.size(); ++i) {
        const QJsonObject e = disposals[i].toObject();
        const Disposal a = r.disposal(i);
        QCOMPARE(a.transactionId, e.value(QLatin1String("transaction_id")).toString());
        QCOMPARE(a.asset, e.value(QLatin1String("asset")).toString());
        if (e.contains(QLatin1String("wallet")))
            QCOMPARE(a.wallet, e.value(QLatin1String("wallet")).toString());
        QCOMPARE(a.dateSold.toString(Qt::ISODate), e.value(QLatin1String("date_sold")).toString());
        if (e.contains(QLatin1String("date_acquired")))
            QCOMPARE(a.dateAcquired.toString(Qt::ISODate),
                     e.value(QLatin1String("date_acquired")).toString());
        if (e.contains(QLatin1String("various")))
            QCOMPARE(a.variousAcquired, e.value(QLatin1String("various")).toBool());
        COMPARE_DECIMAL(a.amount, e.value(QLatin1String("amount")).toString());
        COMPARE_DECIMAL(a.proceeds, e.value(QLatin1String("proceeds")).toString());
        COMPARE_DECIMAL(a.costBasis, e.value(QLatin1String("cost_basis")).toString());
        COMPARE_DECIMAL(a.gain, e.value(QLatin1String("gain")).toString());
        QCOMPARE(toString(a.term), e.value(QLatin1String("term")).toString());
        QCOMPARE(toString(a.kind), e.value(QLatin1String("kind")).toString());
        QCOMPARE(a.transactionCount, e.value(QLatin1String("transaction_count")).toInt());
        const QJsonArray lots = e.value(QLatin1String("lots")).toArray();
        QCOMPARE(a.lots.size(), lots.size());
        for (int k = 0; k < lots.size(); ++k) {
            const QJsonObject el = lots[k].toObject();
            const LotMatch& m = a.lots[k];
            QCOMPARE(toString(m.rule), el.value(QLatin1String("rule")).toString());
            QCOMPARE(m.lotId, el.value(QLatin1String("lot_id")).toString());
            QCOMPARE(m.acquired.toString(Qt::ISODate),
                     el.value(QLatin1String("acquired")).toString());
            COMPARE_DECIMAL(m.amount, el.value(QLatin1String("amount")).toString());
            COMPARE_DECIMAL(m.costBasis, el.value(QLatin1String("cost_basis")).toString());
            COMPARE_DECIMAL(m.proceeds, el.value(QLatin1String("proceeds")).toString());
            QCOMPARE(toString(m.term), el.value(QLatin1String("term")).toString());
        }
    }

    // The summary as printed (cents), with the tax_reports field names.
    const QJsonObject s = expected.value(QLatin1String("summary")).toObject();
    const TaxSummary sum = r.summary();
    QCOMPARE(sum.totalTransactions, qint64(s.value(QLatin1String("total_transactions")).toInt()));
    COMPARE_DECIMAL(sum.shortTermGains, s.value(QLatin1String("short_term_gains")).toString());
    COMPARE_DECIMAL(sum.longTermGains, s.value(QLatin1String("long_term_gains")).toString());
    COMPARE_DECIMAL(sum.totalCapitalGains,
                    s.value(QLatin1String("total_capital_gains")).toString());
    COMPARE_DECIMAL(sum.totalCapitalLosses,
                    s.value(QLatin1String("total_capital_losses")).toString());
    COMPARE_DECIMAL(sum.netCapitalGains, s.value(QLatin1String("net_capital_gains")).toString());
    COMPARE_DECIMAL(sum.totalIncome, s.value(QLatin1String("total_income")).toString());
    COMPARE_DECIMAL(sum.totalExpenses, s.value(QLatin1String("total_expenses")).toString());

    // Holdings at the end of the period.
    const QJsonArray holdings = expected.value(QLatin1String("holdings")).toArray();
    QCOMPARE(r.holdings().size(), holdings.size());
    for (int i = 0; i < holdings.size(); ++i) {
        const QJsonObject e = holdings[i].toObject();
        const Holding& h = r.holdings()[i];
        QCOMPARE(h.asset, e.value(QLatin1String("asset")).toString());
        QCOMPARE(h.wallet, e.value(QLatin1String("wallet")).toString());
        COMPARE_DECIMAL(h.amount, e.value(QLatin1String("amount")).toString());
        COMPARE_DECIMAL(h.costBasis, e.value(QLatin1String("cost_basis")).toString());
    }

    // Warnings, by code and transaction.
    QStringList actualWarnings;
    for (const TaxWarning& w : r.warnings())
        actualWarnings << toString(w.code) + QLatin1Char('@') + w.transactionId;
    QStringList expectedWarnings;
    for (const QJsonValue& v : expected.value(QLatin1String("warnings")).toArray()) {
        const QJsonObject w = v.toObject();
        expectedWarnings << w.value(QLatin1String("code")).toString() + QLatin1Char('@') +
                                w.value(QLatin1String("transaction_id")).toString();
    }
    actualWarnings.sort();
    expectedWarnings.sort();
    QCOMPARE(actualWarnings, expectedWarnings);

    // Income and expense lines, when the run lists them (otherwise there must be none).
    for (int pass = 0; pass < 2; ++pass) {
        const QList<IncomeLine> lines = pass == 0 ? r.incomeLines() : r.expenseLines();
        const QJsonArray want =
            expected.value(QLatin1String(pass == 0 ? "income" : "expenses")).toArray();
        QCOMPARE(lines.size(), want.size());
        for (int i = 0; i < want.size(); ++i) {
            const QJsonObject e = want[i].toObject();
            QCOMPARE(lines[i].transactionId, e.value(QLatin1String("transaction_id")).toString());
            QCOMPARE(lines[i].asset, e.value(QLatin1String("asset")).toString());
            QCOMPARE(toString(lines[i].type), e.value(QLatin1String("type")).toString());
            COMPARE_DECIMAL(lines[i].amount, e.value(QLatin1String("amount")).toString());
            COMPARE_DECIMAL(lines[i].value, e.value(QLatin1String("value")).toString());
        }
    }

    // The safe-harbor allocation, where the run records one.
    if (expected.contains(QLatin1String("safe_harbor"))) {
        const QJsonArray want = expected.value(QLatin1String("safe_harbor")).toArray();
        const QList<SafeHarborEntry>& got = r.safeHarborAllocation();
        QCOMPARE(got.size(), want.size());
        for (int i = 0; i < want.size(); ++i) {
            const QJsonObject e = want[i].toObject();
            QCOMPARE(got[i].asset, e.value(QLatin1String("asset")).toString());
            QCOMPARE(got[i].wallet, e.value(QLatin1String("wallet")).toString());
            QCOMPARE(got[i].lotId, e.value(QLatin1String("lot_id")).toString());
            COMPARE_DECIMAL(got[i].amount, e.value(QLatin1String("amount")).toString());
            COMPARE_DECIMAL(got[i].costBasis, e.value(QLatin1String("cost_basis")).toString());
        }
    }

    // Printed rows add up to the printed summary.
    Decimal gains;
    Decimal losses;
    for (int i = 0; i < r.disposalCount(); ++i) {
        const Disposal p = r.printedDisposal(i);
        QCOMPARE(p.gain, p.proceeds - p.costBasis);
        Decimal lotCosts;
        for (const LotMatch& m : p.lots)
            lotCosts += m.costBasis;
        QCOMPARE(lotCosts, p.costBasis);
        if (p.gain.isPositive())
            gains += p.gain;
        else
            losses -= p.gain;
    }
    QCOMPARE(gains, sum.totalCapitalGains);
    QCOMPARE(losses, sum.totalCapitalLosses);
}

QTEST_GUILESS_MAIN(TestTaxGolden)
#include "TestTaxGolden.moc"
