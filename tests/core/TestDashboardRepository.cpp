#include "TestSupport.h"

#include "domain/Uuid.h"
#include "store/DashboardRepository.h"
#include "store/Migrator.h"
#include "store/SqlCipherDriver.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

#include <algorithm>
#include <memory>

Q_DECLARE_METATYPE(llamadesk::Dashboard)

using namespace llamadesk;
using namespace llamadesk::store;

namespace {

const QString kUser = QStringLiteral("55555555-2222-4333-8444-555555555555");

Timestamp ts(const char* text) {
    Result<Timestamp> t = Timestamp::parse(QStringView(QString::fromLatin1(text)));
    if (!t)
        qFatal("bad timestamp in test data: %s", text);
    return *t;
}

Dashboard board(const char* name, const char* created = "2025-01-01T00:00:00.000000Z") {
    Dashboard d;
    d.id = newUuid();
    d.userId = kUser;
    d.name = QLatin1String(name);
    d.createdAt = ts(created);
    d.updatedAt = ts(created);
    return d;
}

QStringList idsOf(const QList<Dashboard>& list) {
    QStringList ids;
    for (const Dashboard& d : list)
        ids << d.id;
    return ids;
}

} // namespace

class TestDashboardRepository : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void roundTrip_data();
    void roundTrip();
    void validation_data();
    void validation();
    void update();
    void onlyOneDefault();
    void viewCountAndSoftDelete();
    void shareTokenIsUnique();

private:
    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QSqlDatabase m_db;
    std::unique_ptr<DashboardRepository> m_repo;
};

void TestDashboardRepository::initTestCase() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    QByteArray key(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    QString error;
    m_db = SqlCipherDriver::openDatabase(QStringLiteral("dashboard-repo"),
                                         m_dir->filePath(QStringLiteral("vault.db")), key, {},
                                         nullptr, &error);
    QVERIFY2(m_db.isOpen(), qPrintable(error));
    const Status migrated = Migrator(m_db).migrate();
    QVERIFY2(migrated.ok(), qPrintable(migrated.error()));
    QSqlQuery q(m_db);
    QVERIFY(q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)")));
    q.addBindValue(kUser);
    q.addBindValue(QStringLiteral("boards@example.org"));
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    m_repo = std::make_unique<DashboardRepository>(m_db);
}

void TestDashboardRepository::cleanupTestCase() {
    m_repo.reset();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("dashboard-repo"));
}

void TestDashboardRepository::init() {
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("DELETE FROM dashboards")));
}

void TestDashboardRepository::roundTrip_data() {
    QTest::addColumn<Dashboard>("dashboard");
    QTest::newRow("defaults, optionals NULL") << board("Main");

    Dashboard full = board("Taxes 2025 — Übersicht");
    full.description = QStringLiteral("Everything for the accountant");
    full.isDefault = true;
    full.isPublic = true;
    // Numbers inside the JSON keep their exact spelling (no reparse through double).
    full.layout = QStringLiteral("{\"columns\":12,\"rows\":[{\"h\":4,\"w\":6,\"x\":0,\"y\":0}],"
                                 "\"ratio\":0.1000000000000000055511}");
    full.widgets = QStringLiteral(
        "[{\"type\":\"pnl\",\"asset\":\"ETH\",\"threshold\":123456789012345678.123456789}]");
    full.shareToken = QStringLiteral("tok_") + QString(60, QLatin1Char('z'));
    full.viewCount = 2147483647;
    full.deletedAt = ts("2025-09-09T09:09:09.090909Z");
    QTest::newRow("every field") << full;
}

void TestDashboardRepository::roundTrip() {
    QFETCH(Dashboard, dashboard);
    QVERIFY2(dashboard.validate().isEmpty(),
             qPrintable(dashboard.validate().join(QLatin1Char('\n'))));
    const Status s = m_repo->insert(dashboard);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    Result<std::optional<Dashboard>> back = m_repo->get(dashboard.id);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QVERIFY(back->has_value());
    QCOMPARE((*back)->layout, dashboard.layout);
    QCOMPARE((*back)->widgets, dashboard.widgets);
    QCOMPARE((*back)->shareToken, dashboard.shareToken);
    QVERIFY(**back == dashboard);
}

void TestDashboardRepository::validation_data() {
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("expected");
    QTest::newRow("name empty") << "name"
                                << "name";
    QTest::newRow("layout not JSON") << "layout"
                                     << "layout";
    QTest::newRow("layout a bare number") << "layoutScalar"
                                          << "layout";
    QTest::newRow("widgets empty") << "widgets"
                                   << "widgets";
    QTest::newRow("share token on a private board") << "token"
                                                    << "share_token";
    QTest::newRow("share token 256 chars") << "tokenLong"
                                           << "share_token";
    QTest::newRow("view count negative") << "views"
                                         << "view_count";
    QTest::newRow("user not a UUID") << "user"
                                     << "user_id";
}

void TestDashboardRepository::validation() {
    QFETCH(QString, change);
    QFETCH(QString, expected);
    Dashboard d = board("Main");
    QVERIFY(d.validate().isEmpty());
    if (change == QLatin1String("name"))
        d.name.clear();
    else if (change == QLatin1String("layout"))
        d.layout = QStringLiteral("{\"columns\":12,");
    else if (change == QLatin1String("layoutScalar"))
        d.layout = QStringLiteral("12");
    else if (change == QLatin1String("widgets"))
        d.widgets.clear();
    else if (change == QLatin1String("token"))
        d.shareToken = QStringLiteral("abc");
    else if (change == QLatin1String("tokenLong")) {
        d.isPublic = true;
        d.shareToken = QString(256, QLatin1Char('t'));
    } else if (change == QLatin1String("views"))
        d.viewCount = -1;
    else if (change == QLatin1String("user"))
        d.userId = QStringLiteral("me");
    else
        QFAIL("unknown change");
    const QStringList errors = d.validate();
    QVERIFY2(!errors.isEmpty(), "the change must be refused");
    QVERIFY2(std::any_of(errors.begin(), errors.end(),
                         [&](const QString& e) { return e.contains(expected); }),
             qPrintable(errors.join(QLatin1Char('\n'))));
    QVERIFY(!m_repo->insert(d).ok());
}

void TestDashboardRepository::update() {
    Dashboard d = board("Main");
    QVERIFY(m_repo->insert(d).ok());
    d.name = QStringLiteral("Renamed");
    d.widgets = QStringLiteral("[{\"type\":\"chart\"}]");
    d.isPublic = true;
    d.shareToken = QStringLiteral("share-1");
    d.isDefault = true; // ignored: setDefault() decides
    QVERIFY(m_repo->update(d).ok());
    const Dashboard back = m_repo->get(d.id).value().value();
    QCOMPARE(back.name, d.name);
    QCOMPARE(back.widgets, d.widgets);
    QCOMPARE(back.shareToken, d.shareToken);
    QVERIFY(!back.isDefault);
    d.layout = QStringLiteral("not json");
    const Status bad = m_repo->update(d);
    QVERIFY(!bad.ok());
    QVERIFY2(bad.error().contains(QLatin1String("layout")), qPrintable(bad.error()));
}

void TestDashboardRepository::onlyOneDefault() {
    Dashboard a = board("A", "2025-01-01T00:00:00.000000Z");
    a.isDefault = true;
    Dashboard b = board("B", "2025-01-02T00:00:00.000000Z");
    Dashboard c = board("C", "2025-01-03T00:00:00.000000Z");
    c.isDefault = true; // takes the role from A
    for (const Dashboard& d : {a, b, c})
        QVERIFY(m_repo->insert(d).ok());
    QCOMPARE(idsOf(m_repo->list(kUser).value()), (QStringList{c.id, a.id, b.id}));
    QVERIFY(!m_repo->get(a.id).value()->isDefault);

    QVERIFY(m_repo->setDefault(kUser, b.id).ok());
    const QList<Dashboard> all = m_repo->list(kUser).value();
    QCOMPARE(idsOf(all), (QStringList{b.id, a.id, c.id}));
    QCOMPARE(
        int(std::count_if(all.begin(), all.end(), [](const Dashboard& d) { return d.isDefault; })),
        1);
    // Unknown id: refused, and the current default stays.
    QVERIFY(!m_repo->setDefault(kUser, newUuid()).ok());
    QVERIFY(m_repo->get(b.id).value()->isDefault);
}

void TestDashboardRepository::viewCountAndSoftDelete() {
    const Dashboard d = board("Main");
    QVERIFY(m_repo->insert(d).ok());
    for (int i = 0; i < 3; ++i)
        QVERIFY(m_repo->incrementViewCount(d.id).ok());
    QCOMPARE(m_repo->get(d.id).value()->viewCount, 3LL);
    QVERIFY(m_repo->softDelete(d.id).ok());
    QVERIFY(m_repo->list(kUser).value().isEmpty());
    QVERIFY(!m_repo->incrementViewCount(d.id).ok());
    QVERIFY(!m_repo->softDelete(d.id).ok());
}

void TestDashboardRepository::shareTokenIsUnique() {
    Dashboard a = board("A");
    a.isPublic = true;
    a.shareToken = QStringLiteral("same");
    Dashboard b = board("B");
    b.isPublic = true;
    b.shareToken = QStringLiteral("same");
    QVERIFY(m_repo->insert(a).ok());
    const Status s = m_repo->insert(b);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().contains(QLatin1String("share_token")), qPrintable(s.error()));
    QVERIFY2(!s.error().contains(QLatin1String("\"same\"")), "the value must not be quoted");
}

QTEST_GUILESS_MAIN(TestDashboardRepository)
#include "TestDashboardRepository.moc"
