#include "app/DecimalText.h"

#include <QtTest>

using namespace llamadesk;

// Display text for exact amounts: separators put into the decimal's own digits.
class TestDecimalText : public QObject {
    Q_OBJECT

private slots:
    void format_data();
    void format();
};

void TestDecimalText::format_data() {
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("minFraction");
    QTest::addColumn<QString>("group");
    QTest::addColumn<QString>("point");
    QTest::addColumn<QString>("expected");
    const QString comma = QStringLiteral(",");
    const QString dot = QStringLiteral(".");
    QTest::newRow("zero") << QStringLiteral("0") << 0 << comma << dot << QStringLiteral("0");
    QTest::newRow("cents") << QStringLiteral("1234567.5") << 2 << comma << dot
                           << QStringLiteral("1,234,567.50");
    QTest::newRow("negative") << QStringLiteral("-1000") << 2 << comma << dot
                              << QStringLiteral("-1,000.00");
    QTest::newRow("18 digits kept") << QStringLiteral("1234.123456789012345678") << 0 << comma
                                    << dot << QStringLiteral("1,234.123456789012345678");
    QTest::newRow("three digits") << QStringLiteral("999") << 0 << comma << dot
                                  << QStringLiteral("999");
    QTest::newRow("german") << QStringLiteral("1234567.25") << 2 << QStringLiteral(".")
                            << QStringLiteral(",") << QStringLiteral("1.234.567,25");
    QTest::newRow("no grouping") << QStringLiteral("1234567") << 0 << QString() << dot
                                 << QStringLiteral("1234567");
    QTest::newRow("largest") << QStringLiteral("99999999999999999999.999999999999999999") << 0
                             << comma << dot
                             << QStringLiteral("99,999,999,999,999,999,999.999999999999999999");
}

void TestDecimalText::format() {
    QFETCH(QString, value);
    QFETCH(int, minFraction);
    QFETCH(QString, group);
    QFETCH(QString, point);
    QFETCH(QString, expected);
    const Result<Decimal> d = Decimal::parse(QStringView(value));
    QVERIFY(d.ok());
    QCOMPARE(app::DecimalText::format(*d, minFraction, group.isEmpty() ? QChar() : group.at(0),
                                      point.at(0)),
             expected);
}

QTEST_APPLESS_MAIN(TestDecimalText)
#include "TestDecimalText.moc"
