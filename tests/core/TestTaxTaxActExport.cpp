// TaxAct's capital gains CSV: one line per printed row, with category and term.

#include "tax/TaxEngine.h"
#include "tax/export/TaxActWriter.h"

#include <QBuffer>
#include <QtTest>

#include "TaxTestLedgers.h"

using namespace llamadesk;
using namespace llamadesk::tax;
using namespace testsupport;

namespace {

QList<QStringList> written(const TaxResult& r, const ExportOptions& options = ExportOptions()) {
    return writtenCsv<TaxActWriter>(r, options);
}

} // namespace

class TestTaxTaxActExport : public QObject {
    Q_OBJECT

private slots:
    void lines();
    void refusesUk();
};

void TestTaxTaxActExport::lines() {
    const QList<QStringList> rows = written(usExportReport());
    QCOMPARE(rows.size(), 4);
    QCOMPARE(rows[0], strs({"Description", "Date Acquired", "Date Sold", "Sales Proceeds",
                            "Cost or Other Basis", "Reporting Category", "Long/Short"}));
    QCOMPARE(rows[1],
             strs({"1 BTC", "03/10/2024", "02/15/2025", "59990.00", "40000.00", "I", "Short"}));
    QCOMPARE(rows[2],
             strs({"0.5 BTC", "02/10/2024", "02/15/2025", "29995.00", "25000.00", "L", "Long"}));
    QCOMPARE(rows[3],
             strs({"1 BTC", "Various", "06/01/2025", "20000.00", "40005.00", "L", "Long"}));
}

void TestTaxTaxActExport::refusesUk() {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(!TaxActWriter::write(ukExportReport(), &buffer).ok());
}

QTEST_GUILESS_MAIN(TestTaxTaxActExport)
#include "TestTaxTaxActExport.moc"
