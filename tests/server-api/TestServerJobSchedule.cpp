#include "jobs/JobScheduler.h"

#include <QtTest>

using llamadesk::server::JobScheduler;

// The server's copy of the pg_cron schedule of migration 0011 (UTC).
class TestServerJobSchedule : public QObject {
    Q_OBJECT

private slots:
    void due_data();
    void due();
};

void TestServerJobSchedule::due_data() {
    QTest::addColumn<QString>("time");
    QTest::addColumn<bool>("timescale");
    QTest::addColumn<QStringList>("jobs");
    QTest::newRow("midnight") << QStringLiteral("2025-03-01T00:00:00Z") << false
                              << QStringList{QStringLiteral("reset-alert-counts"),
                                             QStringLiteral("llamadesk-portfolio-summary")};
    QTest::newRow("a quarter past")
        << QStringLiteral("2025-03-01T10:15:00Z") << false
        << QStringList{QStringLiteral("llamadesk-portfolio-summary"),
                       QStringLiteral("llamadesk-partition-maintenance")};
    QTest::newRow("under timescale") << QStringLiteral("2025-03-01T10:15:00Z") << true
                                     << QStringList{QStringLiteral("llamadesk-portfolio-summary")};
    QTest::newRow("five past") << QStringLiteral("2025-03-01T10:05:00Z") << false
                               << QStringList{QStringLiteral("llamadesk-portfolio-summary"),
                                              QStringLiteral("llamadesk-gas-price-hourly")};
    QTest::newRow("seven past") << QStringLiteral("2025-03-01T10:07:00Z") << false
                                << QStringList{QStringLiteral("llamadesk-traders-leaderboard")};
    QTest::newRow("prune") << QStringLiteral("2025-03-01T03:30:00Z") << false
                           << QStringList{QStringLiteral("llamadesk-portfolio-summary"),
                                          QStringLiteral("llamadesk-sync-prune")};
    QTest::newRow("not at 13:30") << QStringLiteral("2025-03-01T13:30:00Z") << false
                                  << QStringList{QStringLiteral("llamadesk-portfolio-summary")};
    QTest::newRow("auth prune") << QStringLiteral("2025-03-01T03:45:00Z") << false
                                << QStringList{QStringLiteral("llamadesk-portfolio-summary"),
                                               QStringLiteral("llamadesk-auth-prune")};
    QTest::newRow("nothing") << QStringLiteral("2025-03-01T10:01:00Z") << false << QStringList{};
    QTest::newRow("local time is converted")
        << QStringLiteral("2025-03-01T01:00:00+01:00") << false
        << QStringList{QStringLiteral("reset-alert-counts"),
                       QStringLiteral("llamadesk-portfolio-summary")};
}

void TestServerJobSchedule::due() {
    QFETCH(QString, time);
    QFETCH(bool, timescale);
    QFETCH(QStringList, jobs);
    QStringList names;
    for (const JobScheduler::Job& j :
         JobScheduler::dueAt(QDateTime::fromString(time, Qt::ISODate), timescale))
        names.append(j.name);
    QCOMPARE(names, jobs);
}

QTEST_GUILESS_MAIN(TestServerJobSchedule)
#include "TestServerJobSchedule.moc"
