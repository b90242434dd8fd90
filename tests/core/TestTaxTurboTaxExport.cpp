// TurboTax's crypto gains CSV: one line per lot, adding up to the printed rows.

#include "tax/TaxEngine.h"
#include "tax/export/TurboTaxWriter.h"

#include <QBuffer>
#include <QtTest>

#include "TaxTestLedgers.h"

using namespace llamadesk;
using namespace llamadesk::tax;
using namespace testsupport;

namespace {

QList<QStringList> written(const TaxResult& r, const ExportOptions& options = ExportOptions()) {
    return writtenCsv<TurboTaxWriter>(r, options);
}

} // namespace

class TestTaxTurboTaxExport : public QObject {
    Q_OBJECT

private slots:
    void oneLinePerLot();
    void neverANegativeNumber();
    void refusesUk();
};

void TestTaxTurboTaxExport::oneLinePerLot() {
    const QList<QStringList> rows = written(usExportReport());
    QCOMPARE(rows.size(), 5);
    QCOMPARE(rows[0],
             strs({"Currency Name", "Purchase Date", "Cost Basis", "Date Sold", "Proceeds"}));
    QCOMPARE(rows[1], strs({"BTC", "03/10/2024", "40000.00", "02/15/2025", "59990.00"}));
    QCOMPARE(rows[2], strs({"BTC", "02/10/2024", "25000.00", "02/15/2025", "29995.00"}));
    QCOMPARE(rows[3], strs({"BTC", "02/10/2024", "25000.00", "06/01/2025", "10000.00"}));
    QCOMPARE(rows[4], strs({"BTC", "01/10/2024", "15005.00", "06/01/2025", "10000.00"}));
    Decimal gain;
    for (int i = 1; i < rows.size(); ++i)
        gain += dec(rows[i][4].toLatin1().constData()) - dec(rows[i][2].toLatin1().constData());
    QCOMPARE(gain, usExportReport().summary().netCapitalGains);
}

void TestTaxTurboTaxExport::neverANegativeNumber() {
    // A sale for 5 with a fee of 10: proceeds -5. Intuit's import fails on negative numbers, so
    // the line shows 0 proceeds and a basis larger by 5: the same -105 loss.
    TaxOptions options = TaxOptions::forTaxYear(Jurisdiction::UnitedStates, 2025);
    const Result<TaxResult> r =
        TaxEngine::run({trade("n1", "2025-01-10T15:00:00Z", true, "1", "100"),
                        trade("n2", "2025-02-10T15:00:00Z", false, "1", "5", "10")},
                       options);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->summary().netCapitalGains, dec("-105"));
    const QList<QStringList> rows = written(r.value());
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[1], strs({"BTC", "01/10/2025", "105.00", "02/10/2025", "0.00"}));
}

void TestTaxTurboTaxExport::refusesUk() {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(!TurboTaxWriter::write(ukExportReport(), &buffer).ok());
}

QTEST_GUILESS_MAIN(TestTaxTurboTaxExport)
#include "TestTaxTurboTaxExport.moc"
