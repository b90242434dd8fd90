// Form 8949 (2025) as CSV: parts, digital-asset boxes, VARIOUS, totals that go to Schedule D.

#include "tax/TaxEngine.h"
#include "tax/export/Form8949Writer.h"

#include <QBuffer>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::tax;

namespace {

Decimal dec(const char* s) {
    return Decimal::parse(QByteArrayView(s)).value();
}

TaxTransaction trade(const char* id, const char* when, bool buying, const char* amount,
                     const char* usd, const char* feeUsd = nullptr) {
    TaxTransaction t;
    t.id = QLatin1String(id);
    t.timestamp = Timestamp::parse(QString::fromLatin1(when)).value();
    t.transactionType = buying ? TransactionType::Buy : TransactionType::Sell;
    (buying ? t.assetInSymbol : t.assetOutSymbol) = QStringLiteral("BTC");
    (buying ? t.assetInAmount : t.assetOutAmount) = dec(amount);
    (buying ? t.assetOutSymbol : t.assetInSymbol) = QStringLiteral("USD");
    (buying ? t.assetOutAmount : t.assetInAmount) = dec(usd);
    if (feeUsd) {
        t.feeSymbol = QStringLiteral("USD");
        t.feeAmount = dec(feeUsd);
    }
    return t;
}

// LIFO, tax year 2025: a short row (19990 gain), a long row (4995) and a long row with lots
// from two dates (VARIOUS, a 20005 loss).
TaxResult usReport() {
    TaxOptions options = TaxOptions::forTaxYear(Jurisdiction::UnitedStates, 2025);
    options.method = CostBasisMethod::Lifo;
    const Result<TaxResult> r =
        TaxEngine::run({trade("a1", "2024-01-10T15:00:00Z", true, "1", "30000", "10"),
                        trade("a2", "2024-02-10T15:00:00Z", true, "1", "50000"),
                        trade("a3", "2024-03-10T15:00:00Z", true, "1", "40000"),
                        trade("a4", "2025-02-15T15:00:00Z", false, "1.5", "90000", "15"),
                        trade("a5", "2025-06-01T15:00:00Z", false, "1", "20000")},
                       options);
    if (!r)
        qFatal("%s", qPrintable(r.error()));
    return r.value();
}

TaxResult ukReport() {
    TaxOptions options = TaxOptions::forTaxYear(Jurisdiction::UnitedKingdom, 2024);
    const Result<TaxResult> r =
        TaxEngine::run({trade("u1", "2024-05-01T10:00:00Z", true, "1", "100"),
                        trade("u2", "2024-06-01T10:00:00Z", false, "1", "150")},
                       options);
    if (!r)
        qFatal("%s", qPrintable(r.error()));
    return r.value();
}

QStringList strs(std::initializer_list<const char*> items) {
    QStringList list;
    for (const char* s : items)
        list << QString::fromUtf8(s);
    return list;
}

// RFC 4180 parsing for the tests: quoted fields, doubled quotes, CRLF line ends.
QList<QStringList> parseCsv(const QByteArray& bytes) {
    const QString text = QString::fromUtf8(bytes);
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                field += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
        } else if (c == QLatin1Char('\r') && i + 1 < text.size() &&
                   text[i + 1] == QLatin1Char('\n')) {
            row << field;
            rows << row;
            row.clear();
            field.clear();
            ++i;
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty()) {
        row << field;
        rows << row;
    }
    return rows;
}

QList<QStringList> written(const TaxResult& r, const ExportOptions& options = ExportOptions()) {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const Status s = Form8949Writer::write(r, &buffer, options);
    if (!s)
        qFatal("%s", qPrintable(s.error()));
    if (!buffer.data().endsWith("\r\n"))
        qFatal("lines must end with CRLF");
    return parseCsv(buffer.data());
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
    const QList<QStringList> rows = written(usReport());
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
    const TaxSummary s = usReport().summary();
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
    const QList<QStringList> rows = written(usReport(), options);
    QCOMPARE(rows[1][1], shortBox);
    QCOMPARE(rows[3][1], longBox);
}

void TestTaxForm8949Export::refusesWhatIsNotAUsForm() {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const Status uk = Form8949Writer::write(ukReport(), &buffer);
    QVERIFY(!uk.ok());
    QVERIFY2(uk.error().contains(QLatin1String("uk")), qPrintable(uk.error()));
    ExportOptions wrong;
    wrong.shortTermBox = QLatin1Char('A'); // a securities box, not a digital-asset one
    QVERIFY(!Form8949Writer::write(usReport(), &buffer, wrong).ok());
    QCOMPARE(buffer.size(), qint64(0));
}

QTEST_GUILESS_MAIN(TestTaxForm8949Export)
#include "TestTaxForm8949Export.moc"
