// NameTable: dense ids by name, the same id for the same characters whatever buffer holds them,
// and correct ids when names collide in its cache.

#include "tax/NameTable.h"

#include <QtTest>

using namespace llamadesk::tax;

class TestTaxNameTable : public QObject {
    Q_OBJECT

private slots:
    void denseIdsInFirstSeenOrder_data();
    void denseIdsInFirstSeenOrder();
    void manyNamesKeepTheirIds();
    void lookupSharesNothing();
};

void TestTaxNameTable::denseIdsInFirstSeenOrder_data() {
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QList<quint32>>("ids");
    QTest::newRow("one") << QStringList{QStringLiteral("ETH")} << QList<quint32>{0};
    QTest::newRow("repeats") << QStringList{QStringLiteral("ETH"), QStringLiteral("BTC"),
                                            QStringLiteral("ETH"), QStringLiteral("BTC"),
                                            QStringLiteral("USDC")}
                             << QList<quint32>{0, 1, 0, 1, 2};
    QTest::newRow("case matters") << QStringList{QStringLiteral("eth"), QStringLiteral("ETH")}
                                  << QList<quint32>{0, 1};
    QTest::newRow("empty name") << QStringList{QString(), QStringLiteral("A"), QString()}
                                << QList<quint32>{0, 1, 0};
}

void TestTaxNameTable::denseIdsInFirstSeenOrder() {
    QFETCH(QStringList, names);
    QFETCH(QList<quint32>, ids);
    NameTable table;
    for (qsizetype i = 0; i < names.size(); ++i)
        QCOMPARE(table.intern(names.at(i)), ids.at(i));
    for (qsizetype i = 0; i < names.size(); ++i) {
        QCOMPARE(table.name(ids.at(i)), names.at(i));
        QCOMPARE(table.find(names.at(i)), qint64(ids.at(i)));
    }
    QCOMPARE(table.find(QStringLiteral("never seen")), qint64(-1));
}

void TestTaxNameTable::manyNamesKeepTheirIds() {
    // More names than cache slots: collisions must fall back to the full table.
    NameTable table;
    constexpr int kNames = 2000;
    for (int i = 0; i < kNames; ++i)
        QCOMPARE(table.intern(QStringLiteral("asset-%1").arg(i)), quint32(i));
    for (int round = 0; round < 2; ++round) {
        for (int i = kNames - 1; i >= 0; --i)
            QCOMPARE(table.intern(QStringLiteral("asset-%1").arg(i)), quint32(i));
    }
    QCOMPARE(table.size(), qsizetype(kNames));
}

void TestTaxNameTable::lookupSharesNothing() {
    NameTable table;
    QString name = QStringLiteral("WBTC");
    name.detach();
    table.intern(name);
    // The table keeps its own copy: the caller's string stays unshared, so refilling it (as a
    // reader thread does) needs no copy.
    QString again = QStringLiteral("WBTC");
    again.detach();
    QCOMPARE(table.intern(again), quint32(0));
    QVERIFY(again.isDetached());
    QVERIFY(table.name(0).constData() != again.constData());
}

QTEST_APPLESS_MAIN(TestTaxNameTable)
#include "TestTaxNameTable.moc"
