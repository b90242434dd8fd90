// Form 8949 (2025) as CSV: parts, digital-asset boxes, VARIOUS, totals that go to Schedule D.

#include "tax/TaxEngine.h"
#include "tax/export/Form8949Writer.h"

#include <QBuffer>
#include <QtTest>

#include "TaxTestLedgers.h"

using namespace llamadesk;
using namespace llamadesk::tax;
using namespace testsupport;

namespace {

QList<QStringList> written(const TaxResult& r, const ExportOptions& options = ExportOptions()) {
    return writtenCsv<Form8949Writer>(r, options);
}

} // namespace

class TestTaxForm8949Export : public QObject {
    Q_OBJECT

private slots:
    void rowsAndTotals();
    void otherBoxes_data();
    void otherBoxes();
    void refusesWhatIsNotAUsForm();
};

void TestTaxForm8949Export::rowsAndTotals() {
    const QList<QStringList> rows = written(usExportReport());
    QCOMPARE(rows.size(), 6);
    QCOMPARE(rows[0], Form8949Writer::header());
    QCOMPARE(rows[1], strs({"I", "I", "1 BTC", "03/10/2024", "02/15/2025", "59990.00", "40000.00",
                            "", "", "19990.00"}));
    QCOMPARE(rows[2], strs({"I", "I", "Totals (line 2)", "", "", "59990.00", "40000.00", "", "",
                            "19990.00"}));
    QCOMPARE(rows[3], strs({"II", "L", "0.5 BTC", "02/10/2024", "02/15/2025", "29995.00",
                            "25000.00", "", "", "4995.00"}));
    QCOMPARE(rows[4], strs({"II", "L", "1 BTC", "VARIOUS", "06/01/2025", "20000.00", "40005.00", "",
                            "", "-20005.00"}));
    QCOMPARE(rows[5], strs({"II", "L", "Totals (line 2)", "", "", "49995.00", "65005.00", "", "",
                            "-15010.00"}));
    // The totals are the summary's.
    const TaxSummary s = usExportReport().summary();
    QCOMPARE(rows[2][9], s.shortTermGains.toString(2));
    QCOMPARE(rows[5][9], s.longTermGains.toString(2));
}

void TestTaxForm8949Export::otherBoxes_data() {
    QTest::addColumn<QString>("shortBox");
    QTest::addColumn<QString>("longBox");
    QTest::newRow("1099-DA with basis") << QStringLiteral("G") << QStringLiteral("J");
    QTest::newRow("1099-DA without basis") << QStringLiteral("H") << QStringLiteral("K");
}

void TestTaxForm8949Export::otherBoxes() {
    QFETCH(QString, shortBox);
    QFETCH(QString, longBox);
    ExportOptions options;
    options.shortTermBox = shortBox[0];
    options.longTermBox = longBox[0];
    const QList<QStringList> rows = written(usExportReport(), options);
    QCOMPARE(rows[1][1], shortBox);
    QCOMPARE(rows[3][1], longBox);
}

void TestTaxForm8949Export::refusesWhatIsNotAUsForm() {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const Status uk = Form8949Writer::write(ukExportReport(), &buffer);
    QVERIFY(!uk.ok());
    QVERIFY2(uk.error().contains(QLatin1String("uk")), qPrintable(uk.error()));
    ExportOptions wrong;
    wrong.shortTermBox = QLatin1Char('A'); // a securities box, not a digital-asset one
    QVERIFY(!Form8949Writer::write(usExportReport(), &buffer, wrong).ok());
    QCOMPARE(buffer.size(), qint64(0));
}

QTEST_GUILESS_MAIN(TestTaxForm8949Export)
#include "TestTaxForm8949Export.moc"
