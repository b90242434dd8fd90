// Incremental recomputation: the lot state saved at a checkpoint, plus the transactions from
// that instant on, gives the same disposals, income, holdings and final state as a run over the
// whole ledger.

#include "tax/LedgerGenerator.h"
#include "tax/TaxEngine.h"

#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::tax;

namespace {

QList<TaxTransaction> ledger(quint64 seed) {
    LedgerGeneratorOptions g;
    g.seed = seed;
    g.transactions = 2500;
    g.start = QDate(2023, 6, 1);
    g.days = 900; // through the switch to per-wallet lots on 2025-01-01
    return LedgerGenerator::generate(g);
}

Timestamp midnight(const QDate& date, const QTimeZone& zone) {
    return Timestamp::fromDateTime(date.startOfDay(zone));
}

QList<TaxTransaction> from(const QList<TaxTransaction>& rows, const Timestamp& at) {
    QList<TaxTransaction> rest;
    for (const TaxTransaction& t : rows) {
        if (t.timestamp >= at)
            rest.append(t);
    }
    return rest;
}

QString describe(const Disposal& d) {
    QString s = d.transactionId + QLatin1Char(' ') + d.asset + QLatin1Char(' ') + d.wallet +
                QLatin1Char(' ') + d.dateSold.toString(Qt::ISODate) + QLatin1Char(' ') +
                d.amount.toString() + QLatin1Char(' ') + d.proceeds.toString() + QLatin1Char(' ') +
                d.costBasis.toString() + QLatin1Char(' ') + toString(d.term) + QLatin1String(" [");
    for (const LotMatch& m : d.lots)
        s += m.lotId + QLatin1Char(':') + m.amount.toString() + QLatin1Char('@') +
             m.costBasis.toString() + QLatin1Char(' ');
    return s + QLatin1Char(']');
}

} // namespace

class TestTaxCheckpoint : public QObject {
    Q_OBJECT

private slots:
    void resumedRunMatchesFullRun_data();
    void resumedRunMatchesFullRun();
    void canResumeFor();
    void resumeRefusesWhatDoesNotFit();
};

void TestTaxCheckpoint::resumedRunMatchesFullRun_data() {
    QTest::addColumn<int>("jurisdiction");
    QTest::addColumn<int>("method");
    QTest::addColumn<int>("scope");
    QTest::addColumn<quint64>("seed");
    QTest::newRow("US FIFO auto scope")
        << int(Jurisdiction::UnitedStates) << int(CostBasisMethod::Fifo) << int(LotScope::Auto)
        << quint64(11);
    QTest::newRow("US HIFO per wallet")
        << int(Jurisdiction::UnitedStates) << int(CostBasisMethod::Hifo) << int(LotScope::Wallet)
        << quint64(12);
    QTest::newRow("US LIFO universal")
        << int(Jurisdiction::UnitedStates) << int(CostBasisMethod::Lifo) << int(LotScope::Universal)
        << quint64(13);
    QTest::newRow("UK pooling") << int(Jurisdiction::UnitedKingdom) << int(CostBasisMethod::Fifo)
                                << int(LotScope::Universal) << quint64(14);
}

void TestTaxCheckpoint::resumedRunMatchesFullRun() {
    QFETCH(int, jurisdiction);
    QFETCH(int, method);
    QFETCH(int, scope);
    QFETCH(quint64, seed);
    const QList<TaxTransaction> rows = ledger(seed);
    TaxOptions options;
    options.jurisdiction = Jurisdiction(jurisdiction);
    options.method = CostBasisMethod(method);
    options.scope = LotScope(scope);
    if (options.jurisdiction == Jurisdiction::UnitedKingdom)
        options.timeZone = QTimeZone(QByteArrayLiteral("Europe/London"));
    else
        options.methodByYear.insert(2024, CostBasisMethod::Hifo); // a change of method too
    options.captureFinalState = true;
    options.checkpointsAt = {midnight(QDate(2024, 1, 1), options.timeZone),
                             midnight(QDate(2024, 7, 1), options.timeZone),
                             midnight(QDate(2025, 2, 1), options.timeZone)};

    const Result<TaxResult> full = TaxEngine::run(rows, options);
    QVERIFY2(full.ok(), qPrintable(full.error()));
    QCOMPARE(full->checkpoints().size(), 3);
    QVERIFY(full->disposalCount() > 500);

    for (const LotState& state : full->checkpoints()) {
        QVERIFY(state.isValid());
        QVERIFY(!state.lots.isEmpty());
        TaxOptions again = options;
        again.checkpointsAt.clear();
        const Result<TaxResult> resumed = TaxEngine::run(from(rows, state.at), again, &state);
        QVERIFY2(resumed.ok(), qPrintable(resumed.error()));

        QList<Disposal> expected;
        for (int i = 0; i < full->disposalCount(); ++i) {
            const Disposal d = full->disposal(i);
            if (d.dateSold >= state.reportFrom)
                expected.append(d);
        }
        QVERIFY(!expected.isEmpty());
        QCOMPARE(resumed->disposalCount(), int(expected.size()));
        for (int i = 0; i < expected.size(); ++i) {
            const Disposal got = resumed->disposal(i);
            QVERIFY2(
                got == expected[i],
                qPrintable(QStringLiteral("row %1 from %2: %3\nexpected %4")
                               .arg(i)
                               .arg(state.at.toString(), describe(got), describe(expected[i]))));
        }

        const QDate since = state.at.dateIn(options.timeZone);
        QList<IncomeLine> income;
        for (const IncomeLine& line : full->incomeLines()) {
            if (line.date >= since)
                income.append(line);
        }
        QCOMPARE(resumed->incomeLines(), income);
        QStringList fullWarnings;
        QStringList resumedWarnings;
        for (const TaxWarning& w : full->warnings()) {
            if (w.date >= since)
                fullWarnings << toString(w.code) + w.transactionId + w.amount.toString();
        }
        for (const TaxWarning& w : resumed->warnings()) {
            if (w.date >= since)
                resumedWarnings << toString(w.code) + w.transactionId + w.amount.toString();
        }
        QCOMPARE(resumedWarnings, fullWarnings);
        QCOMPARE(resumed->holdings(), full->holdings());
        QCOMPARE(resumed->safeHarborAllocation(), full->safeHarborAllocation());
        QCOMPARE(resumed->finalState(), full->finalState());
    }
}

void TestTaxCheckpoint::canResumeFor() {
    LotState state;
    state.at = Timestamp::parse(QStringLiteral("2024-07-01T00:00:00Z")).value();
    const qint64 day = 24 * 3600;
    QVERIFY(
        state.canResumeFor(Timestamp::parse(QStringLiteral("2024-07-02T00:00:00Z")).value(), day));
    QVERIFY(
        !state.canResumeFor(Timestamp::parse(QStringLiteral("2024-07-01T23:59:59Z")).value(), day));
    QVERIFY(!LotState().canResumeFor(state.at, 0));
}

void TestTaxCheckpoint::resumeRefusesWhatDoesNotFit() {
    LotState uk;
    uk.jurisdiction = Jurisdiction::UnitedKingdom;
    uk.at = Timestamp::parse(QStringLiteral("2024-07-01T00:00:00Z")).value();
    TaxEngine us{TaxOptions()};
    QVERIFY(!us.resume(uk).ok());

    LotState state;
    state.at = uk.at;
    TaxEngine engine{TaxOptions()};
    QVERIFY2(engine.resume(state).ok(), "an empty state is a valid start");
    TaxTransaction early;
    early.id = QStringLiteral("early");
    early.timestamp = Timestamp::parse(QStringLiteral("2024-06-30T23:59:59Z")).value();
    early.transactionType = TransactionType::Buy;
    early.assetInSymbol = QStringLiteral("BTC");
    early.assetInAmount = Decimal::fromInt(1);
    const Status added = engine.add(early);
    QVERIFY(!added.ok());
    QVERIFY2(added.error().contains(QLatin1String("early")), qPrintable(added.error()));
    QVERIFY(!engine.finish().ok());
}

QTEST_GUILESS_MAIN(TestTaxCheckpoint)
#include "TestTaxCheckpoint.moc"
