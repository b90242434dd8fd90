#pragma once

#include "Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QHostAddress>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace llamadesk::server {

// Everything the server can be told. Sources, later ones win: built-in defaults, the JSON
// file given with --config, the environment (LLAMADESK_SERVER_<NAME> for every option, plus
// LLAMADESK_DATABASE_URL and LLAMADESK_ENCRYPTION_KEY), then command-line flags.
// docs/server.md lists every option.
struct ServerConfig {
    Q_DECLARE_TR_FUNCTIONS(ServerConfig)

public:
    // Listening
    QString listenAddress = QStringLiteral("127.0.0.1");
    int port = 8443;
    QString tlsCertFile;
    QString tlsKeyFile;
    bool insecureLoopback = false; // command line only

    // Database
    QByteArray databaseUrl;
    // As llamadesk_jobs, for the scheduled jobs when the database has no pg_cron (optional).
    QByteArray jobsDatabaseUrl;
    int poolSize = 8;
    int poolAcquireTimeoutMs = 5000;
    int maxQueuedRequests = 256;
    int requestTimeoutMs = 15000; // statement_timeout of each request's transaction
    // Named prepared statements per pooled connection. Turn off behind PgBouncer in
    // transaction pooling mode older than 1.21 (it cannot keep them).
    bool preparedStatements = true;

    // HTTP bounds
    int maxConnections = 512;
    int maxBodyBytes = 4 * 1024 * 1024;
    int maxHeaderBytes = 16 * 1024;
    int headerTimeoutMs = 10000;
    int bodyTimeoutMs = 30000;
    int idleTimeoutMs = 60000;
    int writeTimeoutMs = 30000;
    int handshakeTimeoutMs = 10000;

    // Sync
    int maxPushMutations = 2000;
    int defaultPullLimit = 500;
    int maxPullLimit = 5000;

    // Accounts
    int passwordMinLength = 10;
    qint64 argon2OpsLimit = 2;        // libsodium OPSLIMIT_INTERACTIVE
    qint64 argon2MemLimitKiB = 65536; // 64 MiB, MEMLIMIT_INTERACTIVE
    int keyRatePerHour = 1000;        // defaults for new API keys (the schema's)
    int keyRatePerDay = 10000;
    int keyLifetimeDays = 90;        // 0: keys do not expire
    int loginFreeFailures = 5;       // per email before delays start
    int loginIpFreeFailures = 50;    // per address
    int loginBackoffBaseSeconds = 2; // then 2, 4, 8 ... seconds
    int loginBackoffMaxSeconds = 900;
    int loginWindowSeconds = 900;
    QByteArray encryptionKey; // for two_factor_secret (pgcrypto); never logged
    QString encryptionKeyFile;

    bool logRequests = true;

    // Reads the file (if any), then the environment.
    static Result<ServerConfig> load(const QString& configFile, const QProcessEnvironment& env);

    // Checks what serving needs (TLS files, database URL, loopback rule...).
    Status validateForServing() const;
    QHostAddress address() const { return QHostAddress(listenAddress); }

    // Option names as they appear in the file (and, upper-cased, in the environment).
    static QStringList optionNames();

private:
    Status set(const QString& name, const QString& value, const QString& source);
};

} // namespace llamadesk::server
