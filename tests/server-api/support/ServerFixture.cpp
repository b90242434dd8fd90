#include "ServerFixture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace servertest {

QJsonObject ServerFixture::testConfig() {
    QJsonObject c;
    c.insert(QStringLiteral("listen_address"), QStringLiteral("127.0.0.1"));
    c.insert(QStringLiteral("port"), 0);
    c.insert(QStringLiteral("pool_size"), 4);
    // Cheap hashes keep the tests fast; production uses libsodium's interactive cost.
    c.insert(QStringLiteral("argon2_ops_limit"), 1);
    c.insert(QStringLiteral("argon2_mem_limit_kib"), 1024);
    c.insert(QStringLiteral("max_body_bytes"), 262144);
    c.insert(QStringLiteral("header_timeout_ms"), 3000);
    c.insert(QStringLiteral("body_timeout_ms"), 3000);
    c.insert(QStringLiteral("idle_timeout_ms"), 20000);
    return c;
}

bool ServerFixture::setUp(const QJsonObject& configOverrides, QString* error) {
    return prepare(error) && startServer(configOverrides, error);
}

bool ServerFixture::prepare(QString* error) {
    if (!dir.isValid()) {
        *error = QStringLiteral("no scratch folder");
        return false;
    }
    if (!pg.start(error) || !pg.createDatabase(QLatin1String(kDatabase), error) ||
        !ca.create(dir.path(), error))
        return false;
    const ServerProcess::Run migrate =
        ServerProcess::runOnce({QStringLiteral("migrate"), QStringLiteral("--setup"),
                                QStringLiteral("--database"), superUrl()});
    if (migrate.exitCode != 0) {
        *error = QStringLiteral("migrate failed: ") + migrate.out + migrate.err;
        return false;
    }
    return true;
}

bool ServerFixture::startServer(const QJsonObject& configOverrides, QString* error,
                                const QString& databaseUrl) {
    QJsonObject config = testConfig();
    config.insert(QStringLiteral("tls_cert_file"), ca.serverCertFile());
    config.insert(QStringLiteral("tls_key_file"), ca.serverKeyFile());
    for (auto it = configOverrides.begin(); it != configOverrides.end(); ++it)
        config.insert(it.key(), it.value());
    const QString file = dir.filePath(QStringLiteral("server.json"));
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = f.errorString();
        return false;
    }
    f.write(QJsonDocument(config).toJson());
    f.close();
    return server.start(
        {QStringLiteral("--config"), file, QStringLiteral("--database"),
         databaseUrl.isEmpty() ? appUrl() : databaseUrl},
        {{QStringLiteral("LLAMADESK_ENCRYPTION_KEY"), QLatin1String(kEncryptionKey)}}, error);
}

bool ServerFixture::restart(const QJsonObject& configOverrides, QString* error) {
    server.stop();
    return startServer(configOverrides, error);
}

std::unique_ptr<ApiClient> ServerFixture::client() const {
    return std::make_unique<ApiClient>(server.port(), ca.caCertificate());
}

QString ServerFixture::sql(const QString& statement) const {
    QString out;
    QString err;
    if (!pg.psql(QLatin1String(kDatabase), statement, &out, &err))
        return QStringLiteral("ERROR: ") + err;
    return out;
}

QString ServerFixture::newUser(const QString& email, const QString& password,
                               const QStringList& scopes, QString* error, QString* userId) {
    auto c = client();
    QJsonObject up;
    up.insert(QStringLiteral("email"), email);
    up.insert(QStringLiteral("password"), password);
    const ApiClient::Reply r = c->post(QStringLiteral("/v1/auth/sign-up"), up);
    if (r.status != 201) {
        *error = QString::fromUtf8(r.describe());
        return {};
    }
    QJsonObject in = up;
    in.insert(QStringLiteral("scopes"), QJsonArray::fromStringList(scopes));
    const ApiClient::Reply s = c->post(QStringLiteral("/v1/auth/sign-in"), in);
    if (s.status != 200) {
        *error = QString::fromUtf8(s.describe());
        return {};
    }
    if (userId)
        *userId = s.json.value(QStringLiteral("user_id")).toString();
    return s.json.value(QStringLiteral("api_key")).toString();
}

} // namespace servertest
