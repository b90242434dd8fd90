#include "store/TaxInputRecord.h"

#include <QtTest>

#include <array>
#include <vector>

using namespace llamadesk;
using namespace llamadesk::store;

namespace {

using Column = TaxInputRecord::Column;

// A NULL column in the test data.
const QString kNull = QStringLiteral("<null>");

// A row's stored column texts, in the function's argument order: a swap with every column set.
QStringList fullRow() {
    return {QStringLiteral("5b6c7d8e-9f0a-4b1c-8d3e-4f5a6b7c8d9e"),
            QStringLiteral("6a1f0d4e-5b7c-4d2e-9f3a-1c8b7e6d5a40"),
            QStringLiteral("ledger"),
            QStringLiteral("0x9f2c4b1e7a3d5c8e0f6a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e"),
            QStringLiteral("2023-05-01T09:30:00.000001Z"),
            QStringLiteral("swap"),
            QStringLiteral("USDC"),
            QStringLiteral("1500.000000000000000001"),
            QStringLiteral("1.00000001"),
            QStringLiteral("1500.01"),
            QStringLiteral("ETH"),
            QStringLiteral("0.5"),
            QStringLiteral("3000.5"),
            QStringLiteral("1500.02"),
            QStringLiteral("0.00042"),
            QStringLiteral("ETH"),
            QStringLiteral("0.77"),
            QStringLiteral("99999999999999999.99"),
            QStringLiteral("2024-07-05T00:00:00.000000Z")};
}

QStringList with(QStringList row, Column column, const QString& text) {
    row[column] = text;
    return row;
}

int encode(const QStringList& row, std::vector<char>* record) {
    std::vector<QByteArray> utf8;
    utf8.reserve(size_t(row.size()));
    TaxInputRecord::Columns columns;
    for (int i = 0; i < TaxInputRecord::kColumnCount; ++i) {
        utf8.push_back(row[i].toUtf8());
        if (row[i] != kNull)
            columns[size_t(i)] = QByteArrayView(utf8.back());
    }
    std::string out = "left over from an earlier record";
    TaxInputRecord::encode(columns, &out);
    record->assign(out.begin(), out.end());
    return int(out.size());
}

std::optional<Decimal> decimalOf(const QString& text) {
    if (text == kNull)
        return std::nullopt;
    return Decimal::parse(QStringView(text)).value();
}

std::optional<QString> textOf(const QString& text) {
    return text == kNull ? std::nullopt : std::optional<QString>(text);
}

} // namespace

class TestTaxInputRecord : public QObject {
    Q_OBJECT

private slots:
    void readsBackAsTheColumns_data();
    void readsBackAsTheColumns();
    void badValuesFailOnRead_data();
    void badValuesFailOnRead();
    void damagedRecordsFail_data();
    void damagedRecordsFail();
    void decodedRowKeepsNoEarlierValue();
};

void TestTaxInputRecord::readsBackAsTheColumns_data() {
    QTest::addColumn<QStringList>("row");
    QTest::addColumn<int>("maxBytes"); // the record's size at most (the full row: 270 bytes)
    const QStringList full = fullRow();
    QTest::newRow("every column") << full << 280;
    QStringList nulls = full;
    for (const Column c :
         {Column::AssetInSymbol, Column::AssetInAmount, Column::AssetInPriceUsd,
          Column::AssetInValueUsd, Column::AssetOutSymbol, Column::AssetOutAmount,
          Column::AssetOutPriceUsd, Column::AssetOutValueUsd, Column::FeeAmount, Column::FeeSymbol,
          Column::FeeValueUsd, Column::CostBasisUsd, Column::DeletedAt})
        nulls[c] = kNull;
    QTest::newRow("every nullable column NULL") << nulls << 175;
    // Prices count only where the side has no value.
    QTest::newRow("prices without values")
        << with(with(full, Column::AssetInValueUsd, kNull), Column::AssetOutValueUsd, kNull) << 280;
    QTest::newRow("largest amount")
        << with(full, Column::AssetInAmount,
                QStringLiteral("99999999999999999999.999999999999999999"))
        << 280;
    QTest::newRow("smallest amount")
        << with(full, Column::AssetInAmount,
                QStringLiteral("-99999999999999999999.999999999999999999"))
        << 280;
    QTest::newRow("one unit") << with(full, Column::FeeAmount,
                                      QStringLiteral("0.000000000000000001"))
                              << 280;
    QTest::newRow("zero") << with(full, Column::FeeAmount, QStringLiteral("0")) << 280;
    QTest::newRow("negative") << with(full, Column::CostBasisUsd, QStringLiteral("-0.5")) << 280;
    QTest::newRow("trailing zeros")
        << with(full, Column::AssetOutAmount, QStringLiteral("2.500")) << 280;
    // The largest 64-bit mantissa, and one more (16 bytes of units instead).
    QTest::newRow("mantissa at the limit")
        << with(full, Column::AssetInAmount, QStringLiteral("9.223372036854775807")) << 280;
    QTest::newRow("mantissa past the limit")
        << with(full, Column::AssetInAmount, QStringLiteral("9.223372036854775808")) << 280;
    QTest::newRow("negative mantissa past the limit")
        << with(full, Column::AssetInAmount, QStringLiteral("-9.223372036854775809")) << 280;
    QTest::newRow("integer digits only")
        << with(full, Column::AssetInAmount, QStringLiteral("12345678901234567890")) << 280;
    QTest::newRow("non-ASCII wallet")
        << with(full, Column::Wallet, QStringLiteral("Kältespeicher")) << 300;
    QTest::newRow("empty wallet") << with(full, Column::Wallet, QString()) << 280;
    // Lengths below 253 bytes take one byte, longer ones three.
    QTest::newRow("text of 252 bytes")
        << with(full, Column::Wallet, QString(252, QLatin1Char('w'))) << 540;
    QTest::newRow("text of 253 bytes")
        << with(full, Column::Wallet, QString(253, QLatin1Char('w'))) << 540;
    QTest::newRow("longest wallet the schema allows, not ASCII")
        << with(full, Column::Wallet, QString(255, QChar(0x00e4))) << 800;
    QTest::newRow("longest text") << with(full, Column::Wallet, QString(65535, QLatin1Char('w')))
                                  << 65850;
    QTest::newRow("first instant")
        << with(full, Column::Timestamp, QStringLiteral("0001-01-01T00:00:00.000000Z")) << 280;
    QTest::newRow("last instant") << with(full, Column::Timestamp,
                                          QStringLiteral("9999-12-31T23:59:59.999999Z"))
                                  << 280;
    for (const TransactionType type : allTransactionTypes())
        QTest::newRow(qPrintable(QStringLiteral("type ") + toString(type)))
            << with(full, Column::TransactionType, toString(type)) << 280;
}

void TestTaxInputRecord::readsBackAsTheColumns() {
    QFETCH(QStringList, row);
    QFETCH(int, maxBytes);
    std::vector<char> record;
    const int size = encode(row, &record);
    QVERIFY(size > 0);
    QVERIFY2(size <= maxBytes, qPrintable(QString::number(size)));

    TaxTransaction t;
    QByteArrayView userId;
    QString error;
    TaxInputDecoder decoder;
    QVERIFY2(decoder.decode(QByteArrayView(record.data(), size), &t, &userId, &error),
             qPrintable(error));

    QCOMPARE(t.id, row[Column::Id]);
    QCOMPARE(QString::fromUtf8(userId), row[Column::UserId]);
    QVERIFY(t.userId.isEmpty()); // not a tax input: left at its default
    QCOMPARE(t.wallet, row[Column::Wallet]);
    QCOMPARE(t.transactionHash, row[Column::TransactionHash]);
    QCOMPARE(t.timestamp, Timestamp::parse(QStringView(row[Column::Timestamp])).value());
    QCOMPARE(toString(t.transactionType), row[Column::TransactionType]);
    QCOMPARE(t.assetInSymbol, textOf(row[Column::AssetInSymbol]));
    QCOMPARE(t.assetOutSymbol, textOf(row[Column::AssetOutSymbol]));
    QCOMPARE(t.feeSymbol, textOf(row[Column::FeeSymbol]));
    QCOMPARE(t.assetInAmount, decimalOf(row[Column::AssetInAmount]));
    QCOMPARE(t.assetInValueUsd, decimalOf(row[Column::AssetInValueUsd]));
    QCOMPARE(t.assetOutAmount, decimalOf(row[Column::AssetOutAmount]));
    QCOMPARE(t.assetOutValueUsd, decimalOf(row[Column::AssetOutValueUsd]));
    QCOMPARE(t.feeAmount, decimalOf(row[Column::FeeAmount]));
    QCOMPARE(t.feeValueUsd, decimalOf(row[Column::FeeValueUsd]));
    QCOMPARE(t.costBasisUsd, decimalOf(row[Column::CostBasisUsd]));
    const auto priceKept = [&](Column price, Column value) {
        return row[value] == kNull ? decimalOf(row[price]) : std::nullopt;
    };
    QCOMPARE(t.assetInPriceUsd, priceKept(Column::AssetInPriceUsd, Column::AssetInValueUsd));
    QCOMPARE(t.assetOutPriceUsd, priceKept(Column::AssetOutPriceUsd, Column::AssetOutValueUsd));
    if (row[Column::DeletedAt] == kNull)
        QVERIFY(!t.deletedAt);
    else
        QCOMPARE(t.deletedAt, Timestamp::parse(QStringView(row[Column::DeletedAt])).value());
}

void TestTaxInputRecord::badValuesFailOnRead_data() {
    QTest::addColumn<QStringList>("row");
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("reason");
    const QStringList full = fullRow();
    QTest::newRow("two points") << with(full, Column::AssetInAmount, QStringLiteral("1.2.3"))
                                << QStringLiteral("asset_in_amount")
                                << QStringLiteral("not an exact decimal");
    QTest::newRow("exponent") << with(full, Column::FeeValueUsd, QStringLiteral("1e3"))
                              << QStringLiteral("fee_value_usd")
                              << QStringLiteral("not an exact decimal");
    QTest::newRow("19 fractional digits")
        << with(full, Column::CostBasisUsd, QStringLiteral("0.0000000000000000001"))
        << QStringLiteral("cost_basis_usd") << QStringLiteral("not an exact decimal");
    QTest::newRow("21 integer digits")
        << with(full, Column::AssetOutAmount, QStringLiteral("100000000000000000000"))
        << QStringLiteral("asset_out_amount") << QStringLiteral("not an exact decimal");
    QTest::newRow("price") << with(full, Column::AssetInPriceUsd, QStringLiteral("cheap"))
                           << QStringLiteral("asset_in_price_usd")
                           << QStringLiteral("not an exact decimal");
    QTest::newRow("time") << with(full, Column::Timestamp, QStringLiteral("yesterday"))
                          << QStringLiteral("timestamp") << QStringLiteral("not a timestamp");
    QTest::newRow("impossible day")
        << with(full, Column::Timestamp, QStringLiteral("2023-02-29T00:00:00.000000Z"))
        << QStringLiteral("timestamp") << QStringLiteral("not a timestamp");
    QTest::newRow("deleted_at") << with(full, Column::DeletedAt, QStringLiteral("2024"))
                                << QStringLiteral("deleted_at")
                                << QStringLiteral("not a timestamp");
    QTest::newRow("type") << with(full, Column::TransactionType, QStringLiteral("trade"))
                          << QStringLiteral("transaction_type")
                          << QStringLiteral("not one of the allowed values");
    QTest::newRow("NULL type") << with(full, Column::TransactionType, kNull)
                               << QStringLiteral("transaction_type")
                               << QStringLiteral("not one of the allowed values");
    QTest::newRow("text too long")
        << with(full, Column::Wallet, QString(65536, QLatin1Char('w'))) << QStringLiteral("wallet")
        << QStringLiteral("longer than 65535 bytes");
    QTest::newRow("NULL id") << with(full, Column::Id, kNull) << QStringLiteral("id")
                             << QStringLiteral("missing value");
    QTest::newRow("NULL user") << with(full, Column::UserId, kNull) << QStringLiteral("user_id")
                               << QStringLiteral("missing value");
    QTest::newRow("NULL hash") << with(full, Column::TransactionHash, kNull)
                               << QStringLiteral("transaction_hash")
                               << QStringLiteral("missing value");
    QTest::newRow("NULL time") << with(full, Column::Timestamp, kNull)
                               << QStringLiteral("timestamp") << QStringLiteral("missing value");
}

void TestTaxInputRecord::badValuesFailOnRead() {
    // Writing never fails (a trigger must not refuse a row the schema accepts); reading says
    // which column of which row and why, never the value.
    QFETCH(QStringList, row);
    QFETCH(QString, column);
    QFETCH(QString, reason);
    std::vector<char> record;
    const int size = encode(row, &record);
    TaxTransaction t;
    QByteArrayView userId;
    QString error;
    TaxInputDecoder decoder;
    QVERIFY(!decoder.decode(QByteArrayView(record.data(), size), &t, &userId, &error));
    QVERIFY2(error.contains(QStringLiteral("column ") + column + QStringLiteral(": ") + reason),
             qPrintable(error));
    if (row[Column::Id] != kNull)
        QVERIFY2(error.contains(row[Column::Id]), qPrintable(error));
    for (const QString& value : row) {
        if (value.size() > 3 && value != kNull && value != row[Column::Id] &&
            value != QLatin1String("swap"))
            QVERIFY2(!error.contains(value), qPrintable(error));
    }
}

void TestTaxInputRecord::damagedRecordsFail_data() {
    QTest::addColumn<QByteArray>("record");
    QTest::addColumn<QString>("reason");
    std::vector<char> full;
    // A wallet long enough for a three-byte length, so a cut can fall inside one.
    const int size = encode(with(fullRow(), Column::Wallet, QString(300, QLatin1Char('w'))), &full);
    const QByteArray good(full.data(), size);
    // Cut short anywhere: every prefix, the empty one included.
    for (int n = 0; n < size; ++n)
        QTest::newRow(qPrintable(QStringLiteral("first %1 bytes").arg(n)))
            << good.left(n) << QString();
    // The three-byte length of the wallet (after the version, the type, the id and the user).
    const int wallet = 2 + 37 + 37;
    QCOMPARE(quint8(good[wallet]), TaxInputRecord::kLongText);
    QByteArray longer = good;
    longer[wallet + 1] = char(0x2d); // 301 bytes: one more than there are
    QTest::newRow("text length past its bytes") << longer << QString();
    QTest::newRow("a byte too many") << good + '\0' << QStringLiteral("damaged record");
    QByteArray version = good;
    version[0] = char(2);
    QTest::newRow("another version") << version << QStringLiteral("not a tax input record");
    QByteArray type = good;
    type[1] = char(12);
    QTest::newRow("type past the last") << type << QStringLiteral("not one of the allowed values");

    // One decimal made by hand: a record of every column NULL but the required ones, and one
    // decimal (asset_in_amount) with the given tag and bytes.
    const auto withDecimal = [](quint8 tag, const QByteArray& bytes) -> QByteArray {
        QStringList row = fullRow();
        for (int c = Column::AssetInSymbol; c <= Column::DeletedAt; ++c)
            row[c] = kNull;
        std::vector<char> record;
        const int n = encode(row, &record);
        QByteArray r(record.data(), n);
        // The decimals are the last 9 bytes (one NULL tag each); asset_in_amount is the first.
        const int at = n - 9;
        return r.left(at) + char(tag) + bytes + r.mid(at + 1);
    };
    QTest::newRow("scale past 18")
        << withDecimal(19 + 1, QByteArray(8, '\0')) << QStringLiteral("damaged record");
    QTest::newRow("units past the largest value")
        << withDecimal(TaxInputRecord::kUnits, QByteArray(15, '\xff') + '\x7f')
        << QStringLiteral("not an exact decimal");
    QTest::newRow("units of the invalid value")
        << withDecimal(TaxInputRecord::kUnits, QByteArray(15, '\0') + '\x80')
        << QStringLiteral("not an exact decimal");
    QTest::newRow("units cut short") << withDecimal(TaxInputRecord::kUnits, QByteArray(15, '\0'))
                                     << QStringLiteral("ends early");
}

void TestTaxInputRecord::damagedRecordsFail() {
    QFETCH(QByteArray, record);
    QFETCH(QString, reason);
    TaxTransaction t;
    QByteArrayView userId;
    QString error;
    TaxInputDecoder decoder;
    QVERIFY(!decoder.decode(QByteArrayView(record), &t, &userId, &error));
    QVERIFY(error.startsWith(QStringLiteral("tax_transactions row ")));
    if (!reason.isEmpty())
        QVERIFY2(error.contains(reason), qPrintable(error));
}

void TestTaxInputRecord::decodedRowKeepsNoEarlierValue() {
    // Readers refill the same rows: nothing of the row read before may stay behind.
    TaxTransaction t;
    t.userId = QStringLiteral("someone");
    t.notes = QStringLiteral("a note");
    t.taxCategory = QStringLiteral("trading");
    t.blockNumber = 7;
    t.chainId = 137;
    t.capitalGainUsd = Decimal::fromInt(5);
    t.holdingPeriodDays = 3;
    t.isLongTerm = true;
    t.isTaxable = false;
    t.rowVersion = 9;
    t.createdAt = Timestamp::now();
    t.updatedAt = Timestamp::now();
    t.costBasisMethod = CostBasisMethod::Hifo;
    TaxInputDecoder decoder;
    std::vector<char> record;
    QStringList row = fullRow();
    for (int pass = 0; pass < 2; ++pass) {
        const int size = encode(row, &record);
        QByteArrayView userId;
        QString error;
        QVERIFY2(decoder.decode(QByteArrayView(record.data(), size), &t, &userId, &error),
                 qPrintable(error));
        // The second pass: every nullable column NULL over a row that had them all.
        for (int c = Column::AssetInSymbol; c <= Column::DeletedAt; ++c)
            row[c] = kNull;
    }
    TaxTransaction expected;
    expected.id = t.id;
    expected.wallet = t.wallet;
    expected.transactionHash = t.transactionHash;
    expected.timestamp = t.timestamp;
    expected.transactionType = t.transactionType;
    QCOMPARE(t, expected);
}

QTEST_GUILESS_MAIN(TestTaxInputRecord)
#include "TestTaxInputRecord.moc"
