// TurboTax's crypto gains CSV: one line per lot, adding up to the printed rows.

#include "tax/TaxEngine.h"
#include "tax/export/TurboTaxWriter.h"

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
    const Status s = TurboTaxWriter::write(r, &buffer, options);
    if (!s)
        qFatal("%s", qPrintable(s.error()));
    if (!buffer.data().endsWith("\r\n"))
        qFatal("lines must end with CRLF");
    return parseCsv(buffer.data());
}

} // namespace

class TestTaxTurboTaxExport : public QObject {
    Q_OBJECT

private slots:
    void oneLinePerLot();
    void refusesUk();
};

void TestTaxTurboTaxExport::oneLinePerLot() {
    const QList<QStringList> rows = written(usReport());
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
    QCOMPARE(gain, usReport().summary().netCapitalGains);
}

void TestTaxTurboTaxExport::refusesUk() {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(!TurboTaxWriter::write(ukReport(), &buffer).ok());
}

QTEST_GUILESS_MAIN(TestTaxTurboTaxExport)
#include "TestTaxTurboTaxExport.moc"
