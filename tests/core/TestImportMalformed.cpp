// Every malformed input gives a precise problem (line, column, reason code) and imports nothing:
// the rows of a real encrypted vault are counted before and after each attempt.

#include "import/Importer.h"
#include "store/Migrator.h"
#include "store/SqlCipherDriver.h"
#include "store/TransactionRepository.h"

#include "TestSupport.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

#include <memory>

using namespace llamadesk;
using namespace llamadesk::import;

namespace {

const QString kUser = QStringLiteral("1b4e28ba-2fa1-4d3b-8a5c-0b3f9d1e7c42");
const QByteArray kHeader = "timestamp,transaction_type,asset_in_symbol,asset_in_amount,"
                           "asset_out_symbol,asset_out_amount,asset_out_value_usd,notes\n";
const QByteArray kGood = "2024-01-05T14:30:00Z,buy,BTC,0.5,USD,20000,20000,first\n";

} // namespace

class TestImportMalformed : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void refusedWithPreciseProblem_data();
    void refusedWithPreciseProblem();
    void everyBadRowIsListed();
    void problemsAreCapped();

private:
    qint64 rowCount();
    QString writeFile(const QString& name, const QByteArray& bytes);

    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QSqlDatabase m_db;
};

void TestImportMalformed::initTestCase() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    QByteArray key(store::SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    QString error;
    m_db = store::SqlCipherDriver::openDatabase(QStringLiteral("import-malformed"),
                                                m_dir->filePath(QStringLiteral("vault.db")), key,
                                                {}, nullptr, &error);
    QVERIFY2(m_db.isOpen(), qPrintable(error));
    const Status migrated = store::Migrator(m_db).migrate();
    QVERIFY2(migrated.ok(), qPrintable(migrated.error()));
    QSqlQuery q(m_db);
    QVERIFY(q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)")));
    q.addBindValue(kUser);
    q.addBindValue(QStringLiteral("import@example.org"));
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));

    // One row already there, so "nothing imported" is also "nothing lost".
    Importer importer(m_db, kUser);
    const auto done = importer.run({writeFile(QStringLiteral("seed.csv"), kHeader + kGood)}, {});
    QVERIFY2(done.ok(), qPrintable(done.error()));
    QVERIFY(done->committed);
    QCOMPARE(rowCount(), qint64(1));
}

void TestImportMalformed::cleanupTestCase() {
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("import-malformed"));
}

qint64 TestImportMalformed::rowCount() {
    store::TransactionRepository repo(m_db);
    const Result<qint64> n = repo.count({});
    return n.ok() ? *n : -1;
}

QString TestImportMalformed::writeFile(const QString& name, const QByteArray& bytes) {
    const QString path = m_dir->filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QString();
    f.write(bytes);
    return path;
}

void TestImportMalformed::refusedWithPreciseProblem_data() {
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<qint64>("line");
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("code");

    const auto row = [](const char* text) -> QByteArray {
        return QByteArray(text) + '\n';
    };
    const QByteArray h = kHeader;
    const QByteArray g = kGood;

    // Header problems.
    QTest::newRow("empty file") << QByteArray() << qint64(0) << QString() << "empty_file";
    QTest::newRow("only a BOM") << QByteArray("\xEF\xBB\xBF") << qint64(0) << QString()
                                << "empty_file";
    QTest::newRow("header only") << h << qint64(0) << QString() << "no_rows";
    QTest::newRow("unrecognized header")
        << QByteArray("Foo,Bar\n1,2\n") << qint64(1) << QString() << "unrecognized_format";
    QTest::newRow("missing transaction_type column")
        << QByteArray("timestamp,asset_in_symbol,asset_in_amount\n2024-01-05T00:00:00Z,BTC,1\n")
        << qint64(1) << "transaction_type"
        << "missing_column";
    QTest::newRow("missing timestamp column")
        << QByteArray("transaction_type,asset_in_symbol,asset_in_amount\nbuy,BTC,1\n") << qint64(1)
        << "timestamp"
        << "missing_column";
    QTest::newRow("duplicate header column")
        << QByteArray(QByteArray("timestamp,transaction_type,asset_in_amount,asset_in_amount\n") +
                      g)
        << qint64(1) << "asset_in_amount"
        << "duplicate_column";
    QTest::newRow("misspelt column")
        << QByteArray("timestamp,transaction_type,asset_in_symbol,asset_in_ammount\n"
                      "2024-01-05T00:00:00Z,airdrop,ARB,1\n")
        << qint64(1) << "asset_in_ammount"
        << "unknown_column";
    QTest::newRow("bad UTF-8 in header") << QByteArray("timestamp,transaction_type,not\xFF"
                                                       "es\n")
                                         << qint64(1) << QString() << "bad_utf8";
    QTest::newRow("CoinTracker without Tag")
        << QByteArray("Date,Received Quantity,Received Currency,Sent Quantity,Sent Currency,Fee "
                      "Amount,Fee Currency\n01/05/2024 14:30:00,1,ETH,,,,\n")
        << qint64(1) << "Tag"
        << "missing_column";

    // Numbers.
    QTest::newRow("thousands separator")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,BTC,\"1,000\",USD,5,5,")) << qint64(3)
        << "asset_in_amount"
        << "bad_number";
    QTest::newRow("exponent") << QByteArray(h + g +
                                            row("2024-01-06T00:00:00Z,buy,BTC,1e5,USD,5,5,"))
                              << qint64(3) << "asset_in_amount"
                              << "bad_number";
    QTest::newRow("NaN") << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,BTC,NaN,USD,5,5,"))
                         << qint64(3) << "asset_in_amount"
                         << "bad_number";
    QTest::newRow("Infinity") << QByteArray(h + g +
                                            row("2024-01-06T00:00:00Z,buy,BTC,1,USD,5,inf,"))
                              << qint64(3) << "asset_out_value_usd"
                              << "bad_number";
    QTest::newRow("space inside") << QByteArray(h + g +
                                                row("2024-01-06T00:00:00Z,buy,BTC,1 000,USD,5,5,"))
                                  << qint64(3) << "asset_in_amount"
                                  << "bad_number";
    QTest::newRow("leading point")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,BTC,.5,USD,5,5,")) << qint64(3)
        << "asset_in_amount"
        << "bad_number";
    QTest::newRow("currency sign")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,BTC,1,USD,$5,5,")) << qint64(3)
        << "asset_out_amount"
        << "bad_number";
    QTest::newRow("19 decimals")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,BTC,0.1234567890123456789,USD,5,5,"))
        << qint64(3) << "asset_in_amount"
        << "number_out_of_range";
    QTest::newRow("overflow")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,BTC,123456789012345678901,USD,5,5,"))
        << qint64(3) << "asset_in_amount"
        << "number_out_of_range";
    QTest::newRow("too big for DECIMAL(30,18)")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,BTC,1234567890123,USD,5,5,"))
        << qint64(3) << "asset_in_amount"
        << "number_out_of_range";
    QTest::newRow("value with 3 decimals")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,BTC,1,USD,5,5.125,")) << qint64(3)
        << "asset_out_value_usd"
        << "number_out_of_range";
    QTest::newRow("negative amount")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,BTC,-0.5,USD,5,5,")) << qint64(3)
        << "asset_in_amount"
        << "negative_amount";
    QTest::newRow("negative value")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,BTC,0.5,USD,5,-5,")) << qint64(3)
        << "asset_out_value_usd"
        << "negative_amount";

    // Dates.
    QTest::newRow("impossible date")
        << QByteArray(h + g + row("2024-02-30T00:00:00Z,buy,BTC,1,USD,5,5,")) << qint64(3)
        << "timestamp"
        << "bad_timestamp";
    QTest::newRow("month 13") << QByteArray(h + g + row("2024-13-01T00:00:00Z,buy,BTC,1,USD,5,5,"))
                              << qint64(3) << "timestamp"
                              << "bad_timestamp";
    QTest::newRow("not a date") << QByteArray(h + g + row("yesterday,buy,BTC,1,USD,5,5,"))
                                << qint64(3) << "timestamp"
                                << "bad_timestamp";
    QTest::newRow("US date") << QByteArray(h + g + row("01/05/2024 10:00,buy,BTC,1,USD,5,5,"))
                             << qint64(3) << "timestamp"
                             << "bad_timestamp";
    QTest::newRow("naive date-time")
        << QByteArray(h + g + row("2024-01-06 10:00:00,buy,BTC,1,USD,5,5,")) << qint64(3)
        << "timestamp"
        << "naive_timestamp";
    QTest::newRow("naive T date-time")
        << QByteArray(h + g + row("2024-01-06T10:00:00.5,buy,BTC,1,USD,5,5,")) << qint64(3)
        << "timestamp"
        << "naive_timestamp";
    QTest::newRow("date only") << QByteArray(h + g + row("2024-01-06,buy,BTC,1,USD,5,5,"))
                               << qint64(3) << "timestamp"
                               << "naive_timestamp";
    QTest::newRow("empty timestamp")
        << QByteArray(h + g + row(",buy,BTC,1,USD,5,5,")) << qint64(3) << "timestamp"
        << "missing_value";

    // Types and what they need.
    QTest::newRow("unknown type") << QByteArray(h + g +
                                                row("2024-01-06T00:00:00Z,purchase,BTC,1,USD,5,5,"))
                                  << qint64(3) << "transaction_type"
                                  << "unknown_type";
    QTest::newRow("type in capitals")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,BUY,BTC,1,USD,5,5,")) << qint64(3)
        << "transaction_type"
        << "unknown_type";
    QTest::newRow("empty type") << QByteArray(h + g + row("2024-01-06T00:00:00Z,,BTC,1,USD,5,5,"))
                                << qint64(3) << "transaction_type"
                                << "missing_value";
    QTest::newRow("buy without asset received")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,,,USD,5,5,")) << qint64(3)
        << "asset_in_amount"
        << "missing_value";
    QTest::newRow("buy without price paid")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,BTC,1,,,,")) << qint64(3)
        << "asset_out_value_usd"
        << "missing_value";
    QTest::newRow("symbol without amount")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,BTC,,USD,5,5,")) << qint64(3)
        << "asset_in_amount"
        << "missing_value";
    QTest::newRow("amount without symbol")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,,1,USD,5,5,")) << qint64(3)
        << "asset_in_symbol"
        << "missing_value";
    QTest::newRow("sell without asset given")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,sell,USD,5,,,,")) << qint64(3)
        << "asset_out_amount"
        << "missing_value";
    QTest::newRow("swap of one asset")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,swap,BTC,1,BTC,1,,")) << qint64(3)
        << QString() << "invalid_row";
    QTest::newRow("symbol too long")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,ABCDEFGHIJKLMNOPQRSTU,1,USD,5,5,"))
        << qint64(3) << "asset_in_symbol"
        << "invalid_value";
    QTest::newRow("fee without symbol")
        << QByteArray(QByteArray("timestamp,transaction_type,fee_amount,fee_symbol\n") +
                      row("2024-01-06T00:00:00Z,fee,0.1,"))
        << qint64(2) << "fee_symbol"
        << "missing_value";
    QTest::newRow("chain id 0")
        << QByteArray(
               QByteArray("timestamp,transaction_type,asset_in_symbol,asset_in_amount,chain_id\n") +
               row("2024-01-06T00:00:00Z,airdrop,ARB,1,0"))
        << qint64(2) << "chain_id"
        << "invalid_value";
    QTest::newRow("bad boolean")
        << QByteArray(
               QByteArray(
                   "timestamp,transaction_type,asset_in_symbol,asset_in_amount,is_taxable\n") +
               row("2024-01-06T00:00:00Z,airdrop,ARB,1,yes"))
        << qint64(2) << "is_taxable"
        << "invalid_value";

    // CSV structure.
    QTest::newRow("BOM then a bad row")
        << QByteArray(QByteArray("\xEF\xBB\xBF") + h +
                      row("2024-01-06T00:00:00Z,buy,BTC,x,USD,5,5,"))
        << qint64(2) << "asset_in_amount"
        << "bad_number";
    QTest::newRow("CRLF line numbers")
        << QByteArray(QByteArray(h).replace("\n", "\r\n") + QByteArray(g).replace("\n", "\r\n") +
                      "2024-01-06T00:00:00Z,buy,BTC,-1,USD,5,5,\r\n")
        << qint64(3) << "asset_in_amount"
        << "negative_amount";
    QTest::newRow("after quoted commas and newlines")
        << QByteArray(h + row("2024-01-05T14:30:00Z,buy,BTC,0.5,USD,20000,20000,\"a, b\nc\"") +
                      row("2024-01-06T00:00:00Z,buy,BTC,1e3,USD,5,5,"))
        << qint64(4) << "asset_in_amount"
        << "bad_number";
    QTest::newRow("too few fields") << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,BTC,1"))
                                    << qint64(3) << QString() << "field_count";
    QTest::newRow("too many fields")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,BTC,1,USD,5,5,,extra")) << qint64(3)
        << QString() << "field_count";
    QTest::newRow("bad UTF-8 in notes")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,BTC,1,USD,5,5,caf\xE9")) << qint64(3)
        << "notes"
        << "bad_utf8";
    QTest::newRow("unterminated quote")
        << QByteArray(h + g + row("2024-01-06T00:00:00Z,buy,\"BTC,1,USD,5,5,") + g) << qint64(3)
        << QString() << "unterminated_quote";
    QTest::newRow("stray quote") << QByteArray(h + g +
                                               row("2024-01-06T00:00:00Z,buy,BT\"C,1,USD,5,5,"))
                                 << qint64(3) << "asset_in_symbol"
                                 << "stray_quote";

    // Third-party layouts.
    QTest::newRow("Koinly unknown label")
        << QByteArray("Date,Sent Amount,Sent Currency,Received Amount,Received Currency,Label\n"
                      "2024-01-05 10:00 UTC,1,ETH,,,lost\n")
        << qint64(2) << "Label"
        << "unknown_type";
    QTest::newRow("Koinly net worth in another currency")
        << QByteArray("Date,Sent Amount,Sent Currency,Received Amount,Received Currency,Net Worth "
                      "Amount,Net Worth Currency\n2024-01-05 10:00 UTC,,,1,ETH,2000,EUR\n")
        << qint64(2) << "Net Worth Currency"
        << "invalid_value";
    QTest::newRow("Koinly negative sent amount")
        << QByteArray("Date,Sent Amount,Sent Currency,Received Amount,Received Currency\n"
                      "2024-01-05 10:00 UTC,-1,ETH,,\n")
        << qint64(2) << "Sent Amount"
        << "negative_amount";
    QTest::newRow("CoinTracker impossible date")
        << QByteArray("Date,Received Quantity,Received Currency,Sent Quantity,Sent Currency,Fee "
                      "Amount,Fee Currency,Tag\n02/30/2024 10:00:00,1,ETH,2000,USD,,,\n")
        << qint64(2) << "Date"
        << "bad_timestamp";
    QTest::newRow("CoinTracker fiat for fiat")
        << QByteArray("Date,Received Quantity,Received Currency,Sent Quantity,Sent Currency,Fee "
                      "Amount,Fee Currency,Tag\n02/03/2024 10:00:00,100,EUR,110,USD,,,\n")
        << qint64(2) << QString() << "invalid_row";
}

void TestImportMalformed::refusedWithPreciseProblem() {
    QFETCH(QByteArray, csv);
    QFETCH(qint64, line);
    QFETCH(QString, column);
    QFETCH(QString, code);

    const qint64 before = rowCount();
    const QString path = writeFile(QStringLiteral("bad.csv"), csv);
    Importer importer(m_db, kUser);
    const Result<ImportSummary> result = importer.run({path}, {});
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QVERIFY(!result->committed);
    QCOMPARE(result->imported, qint64(0));
    QVERIFY(result->problemCount >= 1);

    bool found = false;
    QStringList seen;
    for (const ImportProblem& p : result->problems) {
        seen.append(p.toString());
        QCOMPARE(p.file, path);
        QVERIFY(!p.message.isEmpty());
        if (p.line == line && p.column == column && toString(p.code) == code)
            found = true;
    }
    QVERIFY2(found, qPrintable(seen.join(QLatin1Char('\n'))));
    QCOMPARE(rowCount(), before);
}

void TestImportMalformed::everyBadRowIsListed() {
    QByteArray csv = kHeader + kGood;
    csv += "2024-01-06T00:00:00Z,buy,BTC,1e3,USD,5,5,\n";   // line 3
    csv += "2024-01-07T00:00:00Z,buy,BTC,1,USD,5,5,fine\n"; // line 4, good
    csv += "2024-01-08T00:00:00Z,sale,BTC,1,USD,5,5,\n";    // line 5
    csv += "2024-01-09 00:00:00,buy,BTC,-1,USD,5,5,\n";     // line 6: two problems
    const qint64 before = rowCount();
    Importer importer(m_db, kUser);
    const auto result = importer.run({writeFile(QStringLiteral("many.csv"), csv)}, {});
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QVERIFY(!result->committed);
    QCOMPARE(result->recordsRead, qint64(5));
    QCOMPARE(result->badRecords, qint64(3));
    QCOMPARE(result->problemCount, qint64(4));
    QList<std::pair<qint64, QString>> got;
    for (const ImportProblem& p : result->problems)
        got.append({p.line, toString(p.code)});
    const QList<std::pair<qint64, QString>> expected = {
        {3, QStringLiteral("bad_number")},
        {5, QStringLiteral("unknown_type")},
        {6, QStringLiteral("naive_timestamp")},
        {6, QStringLiteral("negative_amount")},
    };
    QCOMPARE(got, expected);
    QCOMPARE(rowCount(), before);
}

void TestImportMalformed::problemsAreCapped() {
    QByteArray csv = kHeader;
    for (int i = 0; i < 50; ++i)
        csv += "2024-01-06T00:00:00Z,buy,BTC,bad,USD,5,5,\n";
    ImportOptions options;
    options.read.maxProblems = 10;
    Importer importer(m_db, kUser);
    const auto result = importer.run({writeFile(QStringLiteral("capped.csv"), csv)}, options);
    QVERIFY2(result.ok(), qPrintable(result.error()));
    QCOMPARE(result->problems.size(), 10);
    QCOMPARE(result->problemCount, qint64(50));
    QCOMPARE(result->badRecords, qint64(50));
}

QTEST_GUILESS_MAIN(TestImportMalformed)
#include "TestImportMalformed.moc"
