// The Schedule D lines the report fills, from the Form 8949 box totals.

#include "tax/TaxEngine.h"
#include "tax/export/ScheduleDWriter.h"

#include <QBuffer>
#include <QtTest>

#include "TaxTestLedgers.h"

using namespace llamadesk;
using namespace llamadesk::tax;
using namespace testsupport;

namespace {

QList<QStringList> written(const TaxResult& r, const ExportOptions& options = ExportOptions()) {
    return writtenCsv<ScheduleDWriter>(r, options);
}

} // namespace

class TestTaxScheduleDExport : public QObject {
    Q_OBJECT

private slots:
    void lines_data();
    void lines();
    void refusesUk();
};

void TestTaxScheduleDExport::lines_data() {
    QTest::addColumn<QString>("shortBox");
    QTest::addColumn<QString>("longBox");
    QTest::addColumn<QString>("shortLine");
    QTest::addColumn<QString>("longLine");
    QTest::newRow("no 1099-DA") << QStringLiteral("I") << QStringLiteral("L") << QStringLiteral("3")
                                << QStringLiteral("10");
    QTest::newRow("1099-DA with basis") << QStringLiteral("G") << QStringLiteral("J")
                                        << QStringLiteral("1b") << QStringLiteral("8b");
    QTest::newRow("1099-DA without basis")
        << QStringLiteral("H") << QStringLiteral("K") << QStringLiteral("2") << QStringLiteral("9");
}

void TestTaxScheduleDExport::lines() {
    QFETCH(QString, shortBox);
    QFETCH(QString, longBox);
    QFETCH(QString, shortLine);
    QFETCH(QString, longLine);
    ExportOptions options;
    options.shortTermBox = shortBox[0];
    options.longTermBox = longBox[0];
    const QList<QStringList> rows = written(usExportReport(), options);
    QCOMPARE(rows.size(), 6);
    QCOMPARE(rows[0], ScheduleDWriter::header());
    QCOMPARE(rows[1][0], shortLine);
    QCOMPARE(rows[1].mid(2), strs({"59990.00", "40000.00", "0.00", "19990.00"}));
    QCOMPARE(rows[2][0], QStringLiteral("7"));
    QCOMPARE(rows[2][5], QStringLiteral("19990.00"));
    QCOMPARE(rows[3][0], longLine);
    QCOMPARE(rows[3].mid(2), strs({"49995.00", "65005.00", "0.00", "-15010.00"}));
    QCOMPARE(rows[4][0], QStringLiteral("15"));
    QCOMPARE(rows[4][5], QStringLiteral("-15010.00"));
    QCOMPARE(rows[5][0], QStringLiteral("16"));
    QCOMPARE(rows[5][5], usExportReport().summary().netCapitalGains.toString(2));
    QCOMPARE(rows[5][5], QStringLiteral("4980.00"));
}

void TestTaxScheduleDExport::refusesUk() {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(!ScheduleDWriter::write(ukExportReport(), &buffer).ok());
}

QTEST_GUILESS_MAIN(TestTaxScheduleDExport)
#include "TestTaxScheduleDExport.moc"
