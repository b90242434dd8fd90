#include "ServerFixture.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSslSocket>
#include <QtTest>

using servertest::ApiClient;
using servertest::RawClient;
using servertest::ServerFixture;
using servertest::ServerProcess;

// TLS: only a client that trusts the server's CA gets in, with TLS 1.2 or later; plain HTTP
// exists only on loopback behind an explicit flag.
class TestServerTls : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void trustedClient();
    void untrustedClientFails();
    void plainHttpOnTheTlsPortFails();
    void oldTlsVersionsAreRefused();
    void insecureLoopback();
    void refusedSettings_data();
    void refusedSettings();
    void cleanupTestCase();

private:
    ServerFixture m_fx;
};

void TestServerTls::initTestCase() {
    QString error;
    QVERIFY2(m_fx.setUp({}, &error), qPrintable(error));
}

void TestServerTls::cleanupTestCase() {
    m_fx.server.stop();
}

void TestServerTls::trustedClient() {
    auto c = m_fx.client();
    const ApiClient::Reply r = c->get(QStringLiteral("/health"));
    QVERIFY2(r.status == 200, r.describe().constData());
    QCOMPARE(r.json.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    QVERIFY(r.header("strict-transport-security").startsWith("max-age="));

    QSslSocket socket;
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setCaCertificates({m_fx.ca.caCertificate()});
    socket.setSslConfiguration(ssl);
    socket.connectToHostEncrypted(QStringLiteral("localhost"), m_fx.server.port());
    QVERIFY2(socket.waitForEncrypted(10000), qPrintable(socket.errorString()));
    const QSsl::SslProtocol protocol = socket.sessionProtocol();
    QVERIFY(protocol == QSsl::TlsV1_2 || protocol == QSsl::TlsV1_3);
    QCOMPARE(socket.peerCertificate().subjectInfo(QSslCertificate::CommonName).value(0),
             QStringLiteral("localhost"));
}

void TestServerTls::untrustedClientFails() {
    // The system's trust store only: the test CA is not in it.
    QNetworkAccessManager nam;
    QNetworkRequest request(
        QUrl(QStringLiteral("https://127.0.0.1:%1/health").arg(m_fx.server.port())));
    QNetworkReply* reply = nam.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(15000));
    QCOMPARE(reply->error(), QNetworkReply::SslHandshakeFailedError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 0);
    QVERIFY(reply->readAll().isEmpty());
    reply->deleteLater();
}

void TestServerTls::plainHttpOnTheTlsPortFails() {
    bool closed = false;
    const QByteArray answer =
        RawClient::exchange(m_fx.server.port(), QSslCertificate(),
                            {"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"}, 0, 3000, &closed);
    QVERIFY2(!answer.contains("HTTP/1.1 200"), answer.constData());
    QVERIFY(closed);
}

void TestServerTls::oldTlsVersionsAreRefused() {
    // openssl's client, allowed to offer TLS 1.1 (its own default security level forbids it).
    auto handshake = [&](const QString& version) {
        QProcess p;
        p.start(QStringLiteral("openssl"),
                {QStringLiteral("s_client"), QStringLiteral("-connect"),
                 QStringLiteral("127.0.0.1:%1").arg(m_fx.server.port()), version,
                 QStringLiteral("-cipher"), QStringLiteral("DEFAULT@SECLEVEL=0"),
                 QStringLiteral("-CAfile"), m_fx.ca.caCertFile()});
        p.closeWriteChannel();
        p.waitForFinished(15000);
        return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
    };
    const QString modern = handshake(QStringLiteral("-tls1_2"));
    QVERIFY2(modern.contains(QStringLiteral("Verify return code: 0 (ok)")) &&
                 !modern.contains(QStringLiteral("no peer certificate available")),
             qPrintable(modern));
    const QString old = handshake(QStringLiteral("-tls1_1"));
    QVERIFY2(old.contains(QStringLiteral("no peer certificate available")), qPrintable(old));
}

void TestServerTls::insecureLoopback() {
    ServerProcess plain;
    QString error;
    QVERIFY2(plain.start({QStringLiteral("--insecure-loopback"), QStringLiteral("--port"),
                          QStringLiteral("0"), QStringLiteral("--database"), m_fx.appUrl()},
                         {{QStringLiteral("LLAMADESK_ENCRYPTION_KEY"),
                           QLatin1String(ServerFixture::kEncryptionKey)}},
                         &error),
             qPrintable(error));
    ApiClient c(plain.port(), QSslCertificate());
    const ApiClient::Reply r = c.get(QStringLiteral("/health"));
    QVERIFY2(r.status == 200, r.describe().constData());
    QVERIFY(r.header("strict-transport-security").isEmpty());
    QVERIFY(plain.output().contains(QStringLiteral("\"tls\":false")));
    QCOMPARE(plain.stop(), 0); // SIGTERM: a clean exit
}

void TestServerTls::refusedSettings_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("plain on every address")
        << QStringList{QStringLiteral("--insecure-loopback"), QStringLiteral("--listen"),
                       QStringLiteral("0.0.0.0")}
        << QStringLiteral("loopback");
    QTest::newRow("no certificate") << QStringList{} << QStringLiteral("tls_cert_file");
    QTest::newRow("unknown command")
        << QStringList{QStringLiteral("frobnicate")} << QStringLiteral("unknown command");
    QTest::newRow("unknown option")
        << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
}

void TestServerTls::refusedSettings() {
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const ServerProcess::Run run =
        ServerProcess::runOnce(args + QStringList{QStringLiteral("--database"), m_fx.appUrl()},
                               {{QStringLiteral("LLAMADESK_ENCRYPTION_KEY"),
                                 QLatin1String(ServerFixture::kEncryptionKey)}},
                               30000);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(mentions), qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TestServerTls)
#include "TestServerTls.moc"
