// OccurrenceCounter: the count before each take, for short sequences with repeats, key 0 and
// keys that collide in the table, and against std::unordered_map over enough keys to grow the
// table many times.

#include "import/OccurrenceCounter.h"

#include <QRandomGenerator>
#include <QtTest>

#include <unordered_map>

using llamadesk::import::OccurrenceCounter;

class TestOccurrenceCounter : public QObject {
    Q_OBJECT

private slots:
    void countsBeforeEachTake_data();
    void countsBeforeEachTake();
    void agreesWithAHashMap();
    void clearForgetsEverything();
};

void TestOccurrenceCounter::countsBeforeEachTake_data() {
    QTest::addColumn<QList<quint64>>("keys");
    QTest::addColumn<QList<quint32>>("expected");
    QTest::addColumn<int>("distinct");
    QTest::newRow("all different") << QList<quint64>{1, 2, 3} << QList<quint32>{0, 0, 0} << 3;
    QTest::newRow("one key again and again")
        << QList<quint64>{7, 7, 7, 7} << QList<quint32>{0, 1, 2, 3} << 1;
    QTest::newRow("interleaved repeats")
        << QList<quint64>{5, 9, 5, 9, 5} << QList<quint32>{0, 0, 1, 1, 2} << 2;
    QTest::newRow("key 0 is a key like any other")
        << QList<quint64>{0, 1, 0, 0} << QList<quint32>{0, 0, 1, 2} << 2;
    QTest::newRow("largest key") << QList<quint64>{~0ULL, ~0ULL, 1} << QList<quint32>{0, 1, 0} << 2;
    // Keys that differ only above the bits a small table looks at land in the same slot.
    QTest::newRow("same low bits")
        << QList<quint64>{1ULL << 40, 2ULL << 40, 3ULL << 40, 1ULL << 40, 2ULL << 40}
        << QList<quint32>{0, 0, 0, 1, 1} << 3;
}

void TestOccurrenceCounter::countsBeforeEachTake() {
    QFETCH(QList<quint64>, keys);
    QFETCH(QList<quint32>, expected);
    QFETCH(int, distinct);
    OccurrenceCounter counter;
    for (qsizetype i = 0; i < keys.size(); ++i)
        QCOMPARE(counter.take(keys[i]), expected[i]);
    QCOMPARE(counter.size(), qsizetype(distinct));
}

void TestOccurrenceCounter::agreesWithAHashMap() {
    // 300,000 takes over 100,000 possible keys: many repeats, and growth from the first table
    // (1,024 slots) to 262,144.
    QRandomGenerator rng(2024);
    OccurrenceCounter counter;
    std::unordered_map<quint64, quint32> reference;
    for (int i = 0; i < 300000; ++i) {
        const quint64 key = rng.bounded(100000) * 0x10001ULL; // structured keys on purpose
        const quint32 before = reference[key]++;
        const quint32 got = counter.take(key);
        if (got != before)
            QFAIL(qPrintable(QStringLiteral("take %1 of key %2: %3, expected %4")
                                 .arg(i)
                                 .arg(key)
                                 .arg(got)
                                 .arg(before)));
    }
    QCOMPARE(counter.size(), qsizetype(reference.size()));
}

void TestOccurrenceCounter::clearForgetsEverything() {
    OccurrenceCounter counter;
    for (quint64 k = 0; k < 5000; ++k)
        QCOMPARE(counter.take(k), 0u);
    QCOMPARE(counter.take(4321), 1u);
    counter.clear();
    QCOMPARE(counter.size(), qsizetype(0));
    QCOMPARE(counter.take(4321), 0u);
    QCOMPARE(counter.take(0), 0u);
}

QTEST_GUILESS_MAIN(TestOccurrenceCounter)
#include "TestOccurrenceCounter.moc"
