#include "ServerFixture.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTcpServer>
#include <QUuid>
#include <QtTest>

#include <csignal>
#include <unistd.h>

using servertest::ApiClient;
using servertest::ServerFixture;

// The server behind PgBouncer in transaction pooling mode: many server-side sessions for
// few database connections, so every request must carry its user in its own transaction
// (SET LOCAL) and nothing may depend on session state or named prepared statements.
class TestServerPgBouncer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void usersStayApartUnderConcurrency();
    void syncWorksThroughTheBouncer();
    void cleanupTestCase();

private:
    bool startBouncer(QString* error);
    // Sends all requests at once and waits for every answer.
    QList<QPair<int, QJsonObject>> concurrently(const QList<QPair<QString, QString>>& keyAndPath);

    ServerFixture m_fx;
    QProcess m_bouncer;
    QString m_bouncerDir;
    int m_bouncerPort = 0;
    QString m_keyA;
    QString m_keyB;
    QString m_idA;
    QString m_idB;
};

bool TestServerPgBouncer::startBouncer(QString* error) {
    if (QStandardPaths::findExecutable(QStringLiteral("pgbouncer")).isEmpty() &&
        !QFile::exists(QStringLiteral("/usr/sbin/pgbouncer"))) {
        *error = QStringLiteral("pgbouncer is not installed (Debian: pgbouncer)");
        return false;
    }
    // Its folder must be the postgres user's when running as root (it refuses root), and
    // reachable by that user: the build folder may sit inside a folder private to root.
    m_bouncerDir = QDir::tempPath() + QStringLiteral("/llamadesk-bouncer-") +
                   QString::number(QCoreApplication::applicationPid());
    QDir().mkpath(m_bouncerDir);
    const bool root = ::geteuid() == 0;
    for (int attempt = 0; attempt < 10; ++attempt) {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        m_bouncerPort = probe.serverPort();
        probe.close();
        QFile ini(m_bouncerDir + QStringLiteral("/pgbouncer.ini"));
        if (!ini.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            *error = ini.errorString();
            return false;
        }
        ini.write(QStringLiteral("[databases]\n"
                                 "llamadesk = host=127.0.0.1 port=%1 dbname=%2 user=llamadesk_app\n"
                                 "[pgbouncer]\n"
                                 "listen_addr = 127.0.0.1\n"
                                 "listen_port = %3\n"
                                 "unix_socket_dir =\n"
                                 "auth_type = any\n"
                                 "pool_mode = transaction\n"
                                 "default_pool_size = 2\n"
                                 "max_db_connections = 2\n"
                                 "max_client_conn = 200\n"
                                 "pidfile = %4/pgbouncer.pid\n"
                                 "logfile = %4/pgbouncer.log\n")
                      .arg(m_fx.pg.port())
                      .arg(QLatin1String(ServerFixture::kDatabase))
                      .arg(m_bouncerPort)
                      .arg(m_bouncerDir)
                      .toUtf8());
        ini.close();
        if (root) {
            QProcess::execute(QStringLiteral("chown"),
                              {QStringLiteral("-R"), QStringLiteral("postgres"), m_bouncerDir});
            // The test's folder may be private to root; pgbouncer must not need to enter it.
            m_bouncer.setWorkingDirectory(QStringLiteral("/"));
            m_bouncer.start(QStringLiteral("runuser"),
                            {QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"),
                             QStringLiteral("pgbouncer"), ini.fileName()});
        } else {
            m_bouncer.start(QStringLiteral("pgbouncer"), {ini.fileName()});
        }
        if (!m_bouncer.waitForStarted(5000)) {
            *error = m_bouncer.errorString();
            return false;
        }
        // Ready when it accepts connections.
        for (int i = 0; i < 50; ++i) {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(m_bouncerPort));
            if (s.waitForConnected(200))
                return true;
            if (m_bouncer.state() == QProcess::NotRunning)
                break;
            QTest::qWait(100);
        }
        m_bouncer.kill();
        m_bouncer.waitForFinished(3000);
    }
    QFile log(m_bouncerDir + QStringLiteral("/pgbouncer.log"));
    log.open(QIODevice::ReadOnly);
    *error = QStringLiteral("pgbouncer did not start: ") + QString::fromUtf8(log.readAll()) +
             QString::fromUtf8(m_bouncer.readAllStandardError());
    return false;
}

void TestServerPgBouncer::initTestCase() {
    QString error;
    QVERIFY2(m_fx.prepare(&error), qPrintable(error));
    QVERIFY2(startBouncer(&error), qPrintable(error));
    // More server connections than the bouncer has for the database: they must share.
    QJsonObject overrides;
    overrides.insert(QStringLiteral("pool_size"), 8);
    // PgBouncer 1.18 in transaction mode cannot keep named statements.
    overrides.insert(QStringLiteral("prepared_statements"), false);
    QVERIFY2(
        m_fx.startServer(
            overrides, &error,
            QStringLiteral("postgresql://llamadesk_app@127.0.0.1:%1/llamadesk").arg(m_bouncerPort)),
        qPrintable(error));
    const QStringList all = {QStringLiteral("read"), QStringLiteral("write"),
                             QStringLiteral("admin")};
    m_keyA = m_fx.newUser(QStringLiteral("a@bouncer.example"),
                          QStringLiteral("a long enough password"), all, &error, &m_idA);
    QVERIFY2(!m_keyA.isEmpty(), qPrintable(error));
    m_keyB = m_fx.newUser(QStringLiteral("b@bouncer.example"),
                          QStringLiteral("a long enough password"), all, &error, &m_idB);
    QVERIFY2(!m_keyB.isEmpty(), qPrintable(error));
}

void TestServerPgBouncer::cleanupTestCase() {
    m_fx.server.stop();
    QFile pidFile(m_bouncerDir + QStringLiteral("/pgbouncer.pid"));
    if (pidFile.open(QIODevice::ReadOnly)) {
        const pid_t pid = static_cast<pid_t>(pidFile.readAll().trimmed().toLongLong());
        if (pid > 0)
            ::kill(pid, SIGTERM);
    }
    if (!m_bouncer.waitForFinished(5000)) {
        m_bouncer.kill();
        m_bouncer.waitForFinished(3000);
    }
    // Never QDir("").removeRecursively(): that is the working folder.
    if (!m_bouncerDir.isEmpty())
        QDir(m_bouncerDir).removeRecursively();
}

QList<QPair<int, QJsonObject>>
TestServerPgBouncer::concurrently(const QList<QPair<QString, QString>>& keyAndPath) {
    QNetworkAccessManager nam;
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setCaCertificates({m_fx.ca.caCertificate()});
    QList<QNetworkReply*> replies;
    for (const auto& kp : keyAndPath) {
        QNetworkRequest request(
            QUrl(QStringLiteral("https://127.0.0.1:%1").arg(m_fx.server.port()) + kp.second));
        request.setSslConfiguration(ssl);
        request.setRawHeader("Authorization", "Bearer " + kp.first.toUtf8());
        replies.append(nam.get(request));
    }
    QList<QPair<int, QJsonObject>> out;
    for (QNetworkReply* reply : replies) {
        if (!reply->isFinished()) {
            QSignalSpy done(reply, &QNetworkReply::finished);
            done.wait(30000);
        }
        out.append({reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                    QJsonDocument::fromJson(reply->readAll()).object()});
        reply->deleteLater();
    }
    return out;
}

void TestServerPgBouncer::usersStayApartUnderConcurrency() {
    QList<QPair<QString, QString>> requests;
    for (int i = 0; i < 40; ++i)
        requests.append({i % 2 ? m_keyB : m_keyA, QStringLiteral("/v1/account")});
    const QList<QPair<int, QJsonObject>> answers = concurrently(requests);
    for (int i = 0; i < answers.size(); ++i) {
        QCOMPARE(answers.at(i).first, 200);
        QCOMPARE(answers.at(i)
                     .second.value(QStringLiteral("account"))
                     .toObject()
                     .value(QStringLiteral("id"))
                     .toString(),
                 i % 2 ? m_idB : m_idA);
    }
    // The database saw at most the bouncer's two connections of the application role.
    const int backends =
        m_fx.sql(QStringLiteral(
                     "SELECT count(*) FROM pg_stat_activity WHERE usename = 'llamadesk_app'"))
            .toInt();
    QVERIFY2(backends >= 1 && backends <= 2, qPrintable(QString::number(backends)));
}

void TestServerPgBouncer::syncWorksThroughTheBouncer() {
    auto a = m_fx.client();
    a->setKey(m_keyA);
    const QString clientA = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString row = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QJsonObject fields;
    fields.insert(QStringLiteral("name"), QStringLiteral("through the bouncer"));
    fields.insert(QStringLiteral("alert_type"), QStringLiteral("gas_price"));
    fields.insert(QStringLiteral("target_type"), QStringLiteral("chain"));
    fields.insert(QStringLiteral("target_id"), QStringLiteral("1"));
    fields.insert(QStringLiteral("condition_operator"), QStringLiteral("<"));
    fields.insert(QStringLiteral("threshold_value"), QStringLiteral("12.5"));
    QJsonArray mutations;
    for (int i = 0; i < 30; ++i) {
        QJsonObject m;
        m.insert(QStringLiteral("mutation_id"), i + 1);
        m.insert(QStringLiteral("table"), QStringLiteral("alert_rules"));
        m.insert(QStringLiteral("row_id"),
                 i == 0 ? row : QUuid::createUuid().toString(QUuid::WithoutBraces));
        m.insert(QStringLiteral("op"), QStringLiteral("insert"));
        m.insert(QStringLiteral("fields"), fields);
        mutations.append(m);
    }
    QJsonObject body;
    body.insert(QStringLiteral("client_id"), clientA);
    body.insert(QStringLiteral("mutations"), mutations);
    ApiClient::Reply r = a->post(QStringLiteral("/v1/sync/push"), body);
    QVERIFY2(r.status == 200, r.describe().constData());
    QCOMPARE(r.json.value(QStringLiteral("last_mutation_id")).toInt(), 30);
    // The same push again: stored answers, through whichever server connection.
    const ApiClient::Reply again = a->post(QStringLiteral("/v1/sync/push"), body);
    QCOMPARE(again.json.value(QStringLiteral("results")), r.json.value(QStringLiteral("results")));

    // Pulls of both users at once: each sees only its own rows.
    const QString clientB = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QList<QPair<QString, QString>> pulls;
    for (int i = 0; i < 20; ++i)
        pulls.append({i % 2 ? m_keyB : m_keyA,
                      QStringLiteral("/v1/sync/pull?limit=1000&client_id=") +
                          (i % 2 ? clientB : QUuid::createUuid().toString(QUuid::WithoutBraces))});
    const QList<QPair<int, QJsonObject>> answers = concurrently(pulls);
    for (int i = 0; i < answers.size(); ++i) {
        QCOMPARE(answers.at(i).first, 200);
        const QByteArray changes =
            QJsonDocument(answers.at(i).second.value(QStringLiteral("changes")).toArray()).toJson();
        QCOMPARE(changes.contains(row.toUtf8()), i % 2 == 0);
        QVERIFY(!changes.contains((i % 2 ? m_idA : m_idB).toUtf8()));
    }
    QCOMPARE(
        m_fx.sql(
            QStringLiteral("SELECT count(*) FROM alert_rules WHERE user_id = '%1'").arg(m_idA)),
        QStringLiteral("30"));
}

QTEST_GUILESS_MAIN(TestServerPgBouncer)
#include "TestServerPgBouncer.moc"
