#include "TaxTestLedgers.h"

#include "tax/TaxEngine.h"

using namespace llamadesk;
using namespace llamadesk::tax;

namespace testsupport {

Decimal dec(const char* text) {
    return Decimal::parse(QByteArrayView(text)).value();
}

Decimal dec(const QString& text) {
    return Decimal::parse(QStringView(text)).value();
}

QStringList strs(std::initializer_list<const char*> items) {
    QStringList list;
    for (const char* s : items)
        list << QString::fromUtf8(s);
    return list;
}

TaxTransaction trade(const char* id, const char* when, bool buying, const char* amount,
                     const char* usd, const char* feeUsd) {
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

TaxResult usExportReport() {
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

TaxResult ukExportReport() {
    TaxOptions options = TaxOptions::forTaxYear(Jurisdiction::UnitedKingdom, 2024);
    const Result<TaxResult> r =
        TaxEngine::run({trade("u1", "2024-05-01T10:00:00Z", true, "1", "100"),
                        trade("u2", "2024-06-01T10:00:00Z", false, "1", "150")},
                       options);
    if (!r)
        qFatal("%s", qPrintable(r.error()));
    return r.value();
}

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

} // namespace testsupport
