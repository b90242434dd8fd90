// The PDF report: a well-formed PDF (header, objects where the cross-reference table says,
// trailer), the pages the report needs, and the report's printed figures on them.

#include "tax/LedgerGenerator.h"
#include "tax/TaxEngine.h"
#include "tax/export/PdfDocument.h"
#include "tax/export/PdfReportWriter.h"

#include <QBuffer>
#include <QRegularExpression>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::tax;

namespace {

QByteArray pdfOf(const TaxResult& r) {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const Status s = PdfReportWriter::write(r, &buffer);
    if (!s)
        qFatal("%s", qPrintable(s.error()));
    return buffer.data();
}

// Checks the structure a PDF reader relies on; returns the page count (-1 when broken).
int checkStructure(const QByteArray& pdf, QString* why) {
    if (!pdf.startsWith("%PDF-1.4\n") || !pdf.endsWith("%%EOF\n")) {
        *why = QStringLiteral("header or end marker missing");
        return -1;
    }
    const qsizetype start = pdf.lastIndexOf("startxref\n");
    const qint64 xref =
        pdf.mid(start + 10, pdf.indexOf('\n', start + 10) - start - 10).toLongLong();
    if (pdf.mid(xref, 5) != "xref\n") {
        *why = QStringLiteral("startxref does not point at the table");
        return -1;
    }
    const QList<QByteArray> lines = pdf.mid(xref).split('\n');
    const int count = lines[1].split(' ')[1].toInt();
    for (int object = 1; object < count; ++object) {
        const QByteArray entry = lines[2 + object];
        const qint64 offset = entry.left(10).toLongLong();
        const QByteArray expected = QByteArray::number(object) + " 0 obj";
        if (pdf.mid(offset, expected.size()) != expected) {
            *why = QStringLiteral("object %1 is not at its offset").arg(object);
            return -1;
        }
    }
    const QRegularExpression pages(
        QStringLiteral("/Type /Pages /Kids \\[[^\\]]*\\] /Count (\\d+)"));
    const QRegularExpressionMatch m = pages.match(QString::fromLatin1(pdf));
    if (!m.hasMatch()) {
        *why = QStringLiteral("no page tree");
        return -1;
    }
    const int declared = m.captured(1).toInt();
    if (pdf.count("/Type /Page ") != declared) {
        *why = QStringLiteral("page count mismatch");
        return -1;
    }
    return declared;
}

} // namespace

class TestTaxPdfExport : public QObject {
    Q_OBJECT

private slots:
    void reportPages_data();
    void reportPages();
    void textIsEncodedForTheStandardFonts();
};

void TestTaxPdfExport::reportPages_data() {
    QTest::addColumn<int>("jurisdiction");
    QTest::addColumn<int>("transactions");
    QTest::addColumn<QString>("mediaBox");
    QTest::newRow("US, small") << int(Jurisdiction::UnitedStates) << 40
                               << QStringLiteral("[0 0 612.00 792.00]");
    QTest::newRow("US, many pages")
        << int(Jurisdiction::UnitedStates) << 3000 << QStringLiteral("[0 0 612.00 792.00]");
    QTest::newRow("UK, A4") << int(Jurisdiction::UnitedKingdom) << 800
                            << QStringLiteral("[0 0 595.28 841.89]");
}

void TestTaxPdfExport::reportPages() {
    QFETCH(int, jurisdiction);
    QFETCH(int, transactions);
    QFETCH(QString, mediaBox);
    LedgerGeneratorOptions g;
    g.transactions = transactions;
    g.start = QDate(2024, 1, 1);
    g.days = 360;
    const Result<TaxResult> run = TaxEngine::run(
        LedgerGenerator::generate(g), TaxOptions::forTaxYear(Jurisdiction(jurisdiction), 2024));
    QVERIFY2(run.ok(), qPrintable(run.error()));
    const QByteArray pdf = pdfOf(run.value());
    QString why;
    const int pages = checkStructure(pdf, &why);
    QVERIFY2(pages > 0, qPrintable(why));
    QVERIFY(pdf.contains(mediaBox.toLatin1()));
    // Summary, disposals (two parts for the US), income, warnings at least.
    QVERIFY(pages >= 4);
    if (transactions > 1000)
        QVERIFY(pages > 10);
    const TaxSummary s = run->summary();
    QVERIFY(pdf.contains(PdfDocument::literal(s.netCapitalGains.toString(2))));
    QVERIFY(pdf.contains(PdfDocument::literal(s.totalIncome.toString(2))));
    if (run->disposalCount() > 0) {
        const Disposal first = run->printedDisposal(0);
        QVERIFY(pdf.contains(PdfDocument::literal(first.description())));
        QVERIFY(pdf.contains(PdfDocument::literal(first.proceeds.toString(2))));
    }
}

void TestTaxPdfExport::textIsEncodedForTheStandardFonts() {
    QCOMPARE(PdfDocument::literal(QStringLiteral("a(b)c\\d")), QByteArray("(a\\(b\\)c\\\\d)"));
    QCOMPARE(PdfDocument::literal(QString::fromUtf8("\xe2\x82\xac 5 \xc3\xa9")),
             QByteArray("(\x80 5 \xe9)"));
    QCOMPARE(PdfDocument::literal(QString::fromUtf8("\xe4\xb8\xad")), QByteArray("(?)"));
    QCOMPARE(PdfDocument::monoWidth(QStringLiteral("12345"), 10), 30.0);
}

QTEST_GUILESS_MAIN(TestTaxPdfExport)
#include "TestTaxPdfExport.moc"
