#include "config/ServerConfig.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using llamadesk::server::ServerConfig;

// Configuration: defaults, the JSON file, the environment (which wins), and the checks made
// before serving.
class TestServerConfig : public QObject {
    Q_OBJECT

private slots:
    void defaults();
    void fileThenEnvironment();
    void badFiles_data();
    void badFiles();
    void serving_data();
    void serving();

private:
    QString write(const QByteArray& json);
    QTemporaryDir m_dir{QDir::tempPath() + QStringLiteral("/llamadesk-config-test-XXXXXX")};
    int m_files = 0;
};

QString TestServerConfig::write(const QByteArray& json) {
    const QString path = m_dir.filePath(QStringLiteral("c%1.json").arg(++m_files));
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(json);
    return path;
}

void TestServerConfig::defaults() {
    const Result<ServerConfig> c = ServerConfig::load({}, QProcessEnvironment());
    QVERIFY(c.ok());
    QCOMPARE(c->listenAddress, QStringLiteral("127.0.0.1"));
    QCOMPARE(c->poolSize, 8);
    QCOMPARE(c->keyRatePerHour, 1000);
    QCOMPARE(c->keyRatePerDay, 10000);
    QVERIFY(c->databaseUrl.isEmpty());
}

void TestServerConfig::fileThenEnvironment() {
    const QString file = write(R"({"pool_size": 3, "port": 9443, "log_requests": false,
                                   "database_url": "postgresql://a@h/db", "max_body_bytes": "2048"})");
    QProcessEnvironment env;
    env.insert(QStringLiteral("LLAMADESK_SERVER_POOL_SIZE"), QStringLiteral("5"));
    env.insert(QStringLiteral("LLAMADESK_DATABASE_URL"), QStringLiteral("postgresql://b@h/db"));
    env.insert(QStringLiteral("LLAMADESK_ENCRYPTION_KEY"), QStringLiteral("k"));
    const Result<ServerConfig> c = ServerConfig::load(file, env);
    QVERIFY2(c.ok(), qPrintable(c.error()));
    QCOMPARE(c->poolSize, 5); // the environment wins over the file
    QCOMPARE(c->port, 9443);
    QCOMPARE(c->maxBodyBytes, 2048);
    QCOMPARE(c->logRequests, false);
    QCOMPARE(c->databaseUrl, QByteArray("postgresql://b@h/db"));
    QCOMPARE(c->encryptionKey, QByteArray("k"));
}

void TestServerConfig::badFiles_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("not json") << QByteArray("{") << QStringLiteral("not a JSON object");
    QTest::newRow("array") << QByteArray("[]") << QStringLiteral("not a JSON object");
    QTest::newRow("unknown option")
        << QByteArray(R"({"pool_sise": 3})") << QStringLiteral("pool_sise");
    QTest::newRow("out of range") << QByteArray(R"({"pool_size": 0})")
                                  << QStringLiteral("pool_size");
    QTest::newRow("fraction") << QByteArray(R"({"port": 1.5})") << QStringLiteral("whole number");
    QTest::newRow("bad bool") << QByteArray(R"({"log_requests": "maybe"})")
                              << QStringLiteral("true or false");
    QTest::newRow("object value") << QByteArray(R"({"port": {}})") << QStringLiteral("port");
    QTest::newRow("pull limits") << QByteArray(
                                        R"({"default_pull_limit": 600, "max_pull_limit": 500})")
                                 << QStringLiteral("default_pull_limit");
}

void TestServerConfig::badFiles() {
    QFETCH(QByteArray, json);
    QFETCH(QString, mentions);
    const Result<ServerConfig> c = ServerConfig::load(write(json), QProcessEnvironment());
    QVERIFY(!c.ok());
    QVERIFY2(c.error().contains(mentions), qPrintable(c.error()));
}

void TestServerConfig::serving_data() {
    QTest::addColumn<QString>("listen");
    QTest::addColumn<bool>("insecure");
    QTest::addColumn<bool>("tlsFiles");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QString>("mentions"); // empty: valid
    const QByteArray key(40, 'k');
    QTest::newRow("tls") << QStringLiteral("0.0.0.0") << false << true << key << QString();
    QTest::newRow("loopback plain")
        << QStringLiteral("127.0.0.1") << true << false << key << QString();
    QTest::newRow("ipv6 loopback plain")
        << QStringLiteral("::1") << true << false << key << QString();
    QTest::newRow("plain on a public address")
        << QStringLiteral("0.0.0.0") << true << false << key << QStringLiteral("loopback");
    QTest::newRow("no tls files") << QStringLiteral("127.0.0.1") << false << false << key
                                  << QStringLiteral("tls_cert_file");
    QTest::newRow("no encryption key") << QStringLiteral("127.0.0.1") << true << false
                                       << QByteArray() << QStringLiteral("encryption key");
    QTest::newRow("not an address") << QStringLiteral("example.com") << true << false << key
                                    << QStringLiteral("not an IP address");
}

void TestServerConfig::serving() {
    QFETCH(QString, listen);
    QFETCH(bool, insecure);
    QFETCH(bool, tlsFiles);
    QFETCH(QByteArray, key);
    QFETCH(QString, mentions);
    ServerConfig c;
    c.databaseUrl = "postgresql://a@h/db";
    c.listenAddress = listen;
    c.insecureLoopback = insecure;
    c.encryptionKey = key;
    if (tlsFiles) {
        c.tlsCertFile = write("cert");
        c.tlsKeyFile = write("key");
    }
    const Status s = c.validateForServing();
    if (mentions.isEmpty()) {
        QVERIFY2(s.ok(), qPrintable(s.error()));
    } else {
        QVERIFY(!s.ok());
        QVERIFY2(s.error().contains(mentions), qPrintable(s.error()));
    }
}

QTEST_GUILESS_MAIN(TestServerConfig)
#include "TestServerConfig.moc"
