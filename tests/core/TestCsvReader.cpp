// The RFC 4180 reader on its own: field splitting, quoting, line ends, physical line numbers,
// encoding checks and the limits that keep a hostile file from exhausting memory.

#include "import/CsvReader.h"

#include <QBuffer>
#include <QtTest>

using namespace llamadesk::import;

Q_DECLARE_METATYPE(llamadesk::import::CsvError)

namespace {

struct Read {
    QList<QStringList> records;
    QList<qint64> lines;
    QList<CsvError> errors;
    QList<int> errorFields;
    CsvError fatal = CsvError::None;
    qint64 fatalLine = 0;
};

Read readAll(const QByteArray& bytes, CsvLimits limits = {}) {
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(&buffer, limits);
    Read r;
    CsvRecord record;
    while (reader.next(&record)) {
        r.records.append(record.fields);
        r.lines.append(record.line);
        r.errors.append(record.error);
        r.errorFields.append(record.errorField);
    }
    r.fatal = reader.fatalError();
    if (r.fatal != CsvError::None)
        r.fatalLine = record.line;
    return r;
}

QStringList fields(std::initializer_list<const char*> list) {
    QStringList out;
    for (const char* s : list)
        out.append(QString::fromUtf8(s));
    return out;
}

} // namespace

class TestCsvReader : public QObject {
    Q_OBJECT

private slots:
    void splits_data();
    void splits();
    void recordErrors_data();
    void recordErrors();
    void unterminatedQuoteIsFatalWithItsLine();
    void limitsBoundMemory();
    void bigInputStreams();
    void utf8Validation_data();
    void utf8Validation();
};

void TestCsvReader::splits_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<QStringList>>("records");
    QTest::addColumn<QList<qint64>>("lines");

    QTest::newRow("plain LF") << QByteArray("a,b\nc,d\n")
                              << QList<QStringList>{fields({"a", "b"}), fields({"c", "d"})}
                              << QList<qint64>{1, 2};
    QTest::newRow("CRLF") << QByteArray("a,b\r\nc,d\r\n")
                          << QList<QStringList>{fields({"a", "b"}), fields({"c", "d"})}
                          << QList<qint64>{1, 2};
    QTest::newRow("CR only") << QByteArray("a,b\rc,d\r")
                             << QList<QStringList>{fields({"a", "b"}), fields({"c", "d"})}
                             << QList<qint64>{1, 2};
    QTest::newRow("no final line end")
        << QByteArray("a,b\nc,d") << QList<QStringList>{fields({"a", "b"}), fields({"c", "d"})}
        << QList<qint64>{1, 2};
    QTest::newRow("BOM stripped") << QByteArray("\xEF\xBB\xBFtimestamp,x\n1,2\n")
                                  << QList<QStringList>{fields({"timestamp", "x"}),
                                                        fields({"1", "2"})}
                                  << QList<qint64>{1, 2};
    QTest::newRow("quoted comma") << QByteArray("\"a,b\",c\n")
                                  << QList<QStringList>{fields({"a,b", "c"})} << QList<qint64>{1};
    QTest::newRow("escaped quote")
        << QByteArray("\"say \"\"hi\"\"\",x\n") << QList<QStringList>{fields({"say \"hi\"", "x"})}
        << QList<qint64>{1};
    QTest::newRow("newline inside quotes counts lines")
        << QByteArray("h1,h2\n\"line one\nline two\",x\nnext,y\n")
        << QList<QStringList>{fields({"h1", "h2"}), fields({"line one\nline two", "x"}),
                              fields({"next", "y"})}
        << QList<qint64>{1, 2, 4};
    QTest::newRow("CRLF inside quotes kept")
        << QByteArray("\"a\r\nb\",c\r\nd,e\r\n")
        << QList<QStringList>{fields({"a\r\nb", "c"}), fields({"d", "e"})} << QList<qint64>{1, 3};
    QTest::newRow("empty fields") << QByteArray(",,\n\"\",x,\n")
                                  << QList<QStringList>{fields({"", "", ""}), fields({"", "x", ""})}
                                  << QList<qint64>{1, 2};
    QTest::newRow("blank lines skipped, numbers kept")
        << QByteArray("a\n\n\r\nb\n") << QList<QStringList>{fields({"a"}), fields({"b"})}
        << QList<qint64>{1, 4};
    QTest::newRow("empty input") << QByteArray() << QList<QStringList>{} << QList<qint64>{};
    QTest::newRow("only a BOM") << QByteArray("\xEF\xBB\xBF") << QList<QStringList>{}
                                << QList<qint64>{};
    QTest::newRow("UTF-8 kept") << QByteArray("\xC3\xA9t\xC3\xA9,\xE2\x82\xAC\n")
                                << QList<QStringList>{QStringList{
                                       QString::fromUtf8("\xC3\xA9t\xC3\xA9"),
                                       QString::fromUtf8("\xE2\x82\xAC")}}
                                << QList<qint64>{1};
}

void TestCsvReader::splits() {
    QFETCH(QByteArray, input);
    QFETCH(QList<QStringList>, records);
    QFETCH(QList<qint64>, lines);
    const Read r = readAll(input);
    QCOMPARE(r.fatal, CsvError::None);
    QCOMPARE(r.records, records);
    QCOMPARE(r.lines, lines);
    for (CsvError e : r.errors)
        QCOMPARE(e, CsvError::None);
}

void TestCsvReader::recordErrors_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("record"); // index of the record with the error
    QTest::addColumn<qint64>("line");
    QTest::addColumn<CsvError>("error");
    QTest::addColumn<int>("field");
    QTest::addColumn<int>("recordCount"); // reading goes on after the bad record

    QTest::newRow("quote inside unquoted field")
        << QByteArray("a,b\nx,y\"z\nc,d\n") << 1 << qint64(2) << CsvError::StrayQuote << 1 << 3;
    QTest::newRow("text after closing quote")
        << QByteArray("a,b\n\"x\"y,z\nc,d\n") << 1 << qint64(2) << CsvError::StrayQuote << 0 << 3;
    QTest::newRow("bad UTF-8 in second field")
        << QByteArray("a,b\nx,\xC3\x28\nc,d\n") << 1 << qint64(2) << CsvError::BadUtf8 << 1 << 3;
    QTest::newRow("bad UTF-8 after a quoted newline")
        << QByteArray("a,b\n\"1\n2\",ok\nz,\xFF\n") << 2 << qint64(4) << CsvError::BadUtf8 << 1
        << 3;
}

void TestCsvReader::recordErrors() {
    QFETCH(QByteArray, input);
    QFETCH(int, record);
    QFETCH(qint64, line);
    QFETCH(CsvError, error);
    QFETCH(int, field);
    QFETCH(int, recordCount);
    const Read r = readAll(input);
    QCOMPARE(r.fatal, CsvError::None);
    QCOMPARE(r.records.size(), recordCount);
    QCOMPARE(r.lines.at(record), line);
    QCOMPARE(r.errors.at(record), error);
    QCOMPARE(r.errorFields.at(record), field);
    for (int i = 0; i < r.errors.size(); ++i) {
        if (i != record)
            QCOMPARE(r.errors.at(i), CsvError::None);
    }
}

void TestCsvReader::unterminatedQuoteIsFatalWithItsLine() {
    const Read r = readAll("a,b\nc,d\ne,\"never closed\nmore\nlines\n");
    QCOMPARE(r.records.size(), 2);
    QCOMPARE(r.fatal, CsvError::UnterminatedQuote);
    QCOMPARE(r.fatalLine, qint64(3));
}

void TestCsvReader::limitsBoundMemory() {
    CsvLimits limits;
    limits.maxFieldBytes = 16;
    limits.maxRecordBytes = 64;
    // A long field is refused, the record still ends where it should and reading goes on.
    Read r = readAll("a,b\n" + QByteArray(100, 'x') + ",y\nc,d\n", limits);
    QCOMPARE(r.records.size(), 3);
    QCOMPARE(r.errors.at(1), CsvError::FieldTooLong);
    QCOMPARE(r.errorFields.at(1), 0);
    QCOMPARE(r.lines.at(2), qint64(3));
    // A long quoted field with line breaks inside: the same, with its lines counted.
    r = readAll("a\n\"" + QByteArray(50, 'x') + "\n" + QByteArray(50, 'y') + "\"\nz\n", limits);
    QCOMPARE(r.errors.at(1), CsvError::FieldTooLong);
    QCOMPARE(r.lines.at(2), qint64(4));
    // Many short fields make a long record.
    r = readAll("a\n" + QByteArray(200, ',') + "\nz\n", limits);
    QCOMPARE(r.errors.at(1), CsvError::RecordTooLong);
    QVERIFY(r.records.at(1).isEmpty()); // nothing of it is kept
    QCOMPARE(r.records.at(2), QStringList{QStringLiteral("z")});
}

void TestCsvReader::bigInputStreams() {
    // Far more than one read block, with records that straddle block boundaries.
    QByteArray input = "h1,h2\n";
    const int rows = 50000;
    for (int i = 0; i < rows; ++i)
        input += "\"row " + QByteArray::number(i) + ", quoted\"," + QByteArray::number(i) + "\r\n";
    QBuffer buffer(&input);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    CsvReader reader(&buffer);
    CsvRecord record;
    QVERIFY(reader.next(&record));
    for (int i = 0; i < rows; ++i) {
        QVERIFY(reader.next(&record));
        QCOMPARE(record.line, qint64(i + 2));
        QCOMPARE(record.fields.at(1), QString::number(i));
    }
    QVERIFY(!reader.next(&record));
    QCOMPARE(reader.bytesRead(), qint64(input.size()));
}

void TestCsvReader::utf8Validation_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ascii") << QByteArray("abc") << true;
    QTest::newRow("two bytes") << QByteArray("\xC3\xA9") << true;
    QTest::newRow("three bytes") << QByteArray("\xE2\x82\xAC") << true;
    QTest::newRow("four bytes") << QByteArray("\xF0\x9F\x98\x80") << true;
    QTest::newRow("lone continuation") << QByteArray("\x80") << false;
    QTest::newRow("overlong two") << QByteArray("\xC0\xAF") << false;
    QTest::newRow("overlong three") << QByteArray("\xE0\x80\xAF") << false;
    QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << false;
    QTest::newRow("beyond U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << false;
    QTest::newRow("truncated") << QByteArray("\xE2\x82") << false;
    QTest::newRow("latin-1 byte") << QByteArray("caf\xE9") << false;
}

void TestCsvReader::utf8Validation() {
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(isValidUtf8(bytes.constData(), bytes.size()), valid);
}

QTEST_GUILESS_MAIN(TestCsvReader)
#include "TestCsvReader.moc"
