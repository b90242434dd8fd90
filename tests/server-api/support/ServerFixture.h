#pragma once

#include "ApiClient.h"
#include "PgCluster.h"
#include "ServerProcess.h"
#include "TestCa.h"

#include <QDir>
#include <QJsonObject>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace servertest {

// Everything an integration test needs: a throwaway cluster with a migrated database, a
// throwaway CA with a server certificate, and the real server running over TLS on a free
// port, connected as the application role (no BYPASSRLS).
class ServerFixture {
public:
    static constexpr const char* kDatabase = "llamadesk";
    static constexpr const char* kEncryptionKey = "test-only-encryption-key-0123456789abcdef";

    // Cluster, database, migrations, CA; then the server with the test defaults plus overrides.
    bool setUp(const QJsonObject& configOverrides, QString* error);
    // Cluster, database, migrations and CA only.
    bool prepare(QString* error);
    // Restarts the server with other settings (same database).
    bool restart(const QJsonObject& configOverrides, QString* error);
    bool startServer(const QJsonObject& configOverrides, QString* error,
                     const QString& databaseUrl = {});

    std::unique_ptr<ApiClient> client() const;
    QString appUrl() const {
        return pg.url(QLatin1String(kDatabase), QStringLiteral("llamadesk_app"));
    }
    QString superUrl() const { return pg.url(QLatin1String(kDatabase)); }
    QString sql(const QString& statement) const; // as superuser; empty on error

    // Sign-up + sign-in; returns the API key (empty on failure, with *error).
    QString newUser(const QString& email, const QString& password, const QStringList& scopes,
                    QString* error, QString* userId = nullptr);

    static QJsonObject testConfig();

    // Removed with the fixture. Not the shared test helpers' folder type: this library does
    // not link the desktop core.
    QTemporaryDir dir{QDir::tempPath() + QStringLiteral("/llamadesk-server-test-XXXXXX")};
    PgCluster pg;
    TestCa ca;
    ServerProcess server;
};

} // namespace servertest
