// PgConnection against a real PostgreSQL: with preparing on, each statement text is prepared
// once and then executed by name, with the same results and errors as unnamed statements; a
// statement the server dropped is prepared again (at once outside a transaction block); the
// number of named statements is bounded; the pool hands out preparing connections when told.
#include "PgCluster.h"
#include "db/PgConnection.h"
#include "db/PgPool.h"

#include <QTest>

using llamadesk::server::PgConnection;
using llamadesk::server::PgParam;
using llamadesk::server::PgPool;
using llamadesk::server::PgResult;
using servertest::PgCluster;

class TestServerPgConnection : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void sameResultsEitherWay_data();
    void sameResultsEitherWay();
    void preparesEachTextOnce();
    void errorsAreTheStatements();
    void droppedStatementOutsideTransaction();
    void droppedStatementInsideTransaction();
    void boundedNumberOfNames();
    void poolPassesTheChoiceOn();

private:
    std::unique_ptr<PgConnection> connect(bool preparing);
    PgCluster m_pg;
    QByteArray m_url;
};

void TestServerPgConnection::initTestCase() {
    QString error;
    QVERIFY2(m_pg.start(&error), qPrintable(error));
    m_url = m_pg.url(QStringLiteral("postgres")).toUtf8();
}

std::unique_ptr<PgConnection> TestServerPgConnection::connect(bool preparing) {
    QString error;
    std::unique_ptr<PgConnection> c = PgConnection::open(m_url, &error);
    if (c)
        c->setPreparing(preparing);
    else
        qWarning("%s", qPrintable(error));
    return c;
}

void TestServerPgConnection::sameResultsEitherWay_data() {
    QTest::addColumn<bool>("preparing");
    QTest::newRow("unnamed") << false;
    QTest::newRow("prepared") << true;
}

void TestServerPgConnection::sameResultsEitherWay() {
    QFETCH(bool, preparing);
    auto c = connect(preparing);
    QVERIFY(c);
    const char* sql = "SELECT $1::numeric(30,18) * 2, $2::text IS NULL, length($3::text)";
    for (int round = 0; round < 3; ++round) {
        const PgResult r = c->exec(
            sql, {PgParam("0.000000000000000001"), PgParam(), PgParam(QStringLiteral("grüße"))});
        QVERIFY2(r.ok(), qPrintable(r.error().message));
        QCOMPARE(r.text(0, 0), QStringLiteral("0.000000000000000002"));
        QCOMPARE(r.boolean(0, 1), true);
        QCOMPARE(r.int64(0, 2), 5);
    }
    QCOMPARE(c->preparedCount(), preparing ? 1 : 0);
}

void TestServerPgConnection::preparesEachTextOnce() {
    auto c = connect(true);
    QVERIFY(c);
    for (int i = 0; i < 5; ++i) {
        QVERIFY(c->exec("SELECT $1::int + 1", {PgParam(i)}).ok());
        QVERIFY(c->exec("SELECT $1::int + 2", {PgParam(i)}).ok());
    }
    QCOMPARE(c->preparedCount(), 2);
    // The server holds exactly those two, with the texts given.
    const PgResult r = c->exec("SELECT string_agg(statement, ' | ' ORDER BY statement) FROM "
                               "pg_prepared_statements WHERE statement LIKE 'SELECT $1::int + %'");
    QVERIFY(r.ok());
    QCOMPARE(r.text(0, 0), QStringLiteral("SELECT $1::int + 1 | SELECT $1::int + 2"));
}

void TestServerPgConnection::errorsAreTheStatements() {
    auto c = connect(true);
    QVERIFY(c);
    PgResult r = c->exec("SELEKT 1");
    QVERIFY(!r.ok());
    QCOMPARE(r.error().sqlState, QByteArray("42601"));
    QCOMPARE(c->preparedCount(), 0); // a text that cannot be prepared is not kept
    r = c->exec("SELECT 1 / $1::int", {PgParam(0)});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().sqlState, QByteArray("22012"));
    r = c->exec("SELECT 1 / $1::int", {PgParam(4)});
    QVERIFY(r.ok());
    QCOMPARE(r.int64(0, 0), 0);
    QCOMPARE(c->preparedCount(), 1);
    QVERIFY(!c->inTransaction());
}

void TestServerPgConnection::droppedStatementOutsideTransaction() {
    auto c = connect(true);
    QVERIFY(c);
    QCOMPARE(c->exec("SELECT $1::int * 3", {PgParam(2)}).int64(0, 0), 6);
    QVERIFY(c->exec("DEALLOCATE ALL").ok());
    // Gone on the server: prepared again and run, without an error.
    const PgResult r = c->exec("SELECT $1::int * 3", {PgParam(5)});
    QVERIFY2(r.ok(), qPrintable(r.error().message));
    QCOMPARE(r.int64(0, 0), 15);
}

void TestServerPgConnection::droppedStatementInsideTransaction() {
    auto c = connect(true);
    QVERIFY(c);
    QCOMPARE(c->exec("SELECT $1::int * 4", {PgParam(2)}).int64(0, 0), 8);
    QVERIFY(c->exec("DEALLOCATE ALL").ok());
    QVERIFY(c->exec("BEGIN").ok());
    // Inside a block the failure stands (the block is aborted) ...
    PgResult r = c->exec("SELECT $1::int * 4", {PgParam(3)});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().sqlState, QByteArray("26000"));
    QVERIFY(c->exec("ROLLBACK").ok());
    // ... and the next use prepares it again.
    r = c->exec("SELECT $1::int * 4", {PgParam(3)});
    QVERIFY2(r.ok(), qPrintable(r.error().message));
    QCOMPARE(r.int64(0, 0), 12);
}

void TestServerPgConnection::boundedNumberOfNames() {
    auto c = connect(true);
    QVERIFY(c);
    for (int i = 0; i < PgConnection::kMaxPrepared + 20; ++i) {
        const QByteArray sql = "SELECT " + QByteArray::number(i) + " + $1::int";
        const PgResult r = c->exec(sql.constData(), {PgParam(1)});
        QVERIFY(r.ok());
        QCOMPARE(r.int64(0, 0), i + 1);
    }
    QCOMPARE(c->preparedCount(), PgConnection::kMaxPrepared);
    const PgResult r = c->exec("SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql");
    QVERIFY(r.ok());
    QCOMPARE(r.int64(0, 0), PgConnection::kMaxPrepared);
}

void TestServerPgConnection::poolPassesTheChoiceOn() {
    for (const bool preparing : {false, true}) {
        PgPool pool(m_url, 2, preparing);
        QString error;
        PgPool::Lease lease = pool.acquire(5000, &error);
        QVERIFY2(lease, qPrintable(error));
        QCOMPARE(lease->isPreparing(), preparing);
        QVERIFY(lease->exec("SELECT $1::int", {PgParam(7)}).ok());
        QCOMPARE(lease->preparedCount(), preparing ? 1 : 0);
    }
}

QTEST_GUILESS_MAIN(TestServerPgConnection)
#include "TestServerPgConnection.moc"
