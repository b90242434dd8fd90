#include "ServerApplication.h"

#include "ServerLog.h"
#include "api/ApiService.h"
#include "api/PublicApi.h"
#include "db/Migrator.h"
#include "db/PgPool.h"
#include "http/HttpServer.h"
#include "jobs/JobScheduler.h"

#include <QCommandLineParser>
#include <QFile>
#include <QSocketNotifier>
#include <QSslCertificate>
#include <QSslKey>
#include <QThreadPool>

#include <sodium.h>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace llamadesk::server {
namespace {

const QString kEmbeddedMigrations = QStringLiteral(":/sql/server");

void printLine(FILE* stream, const QString& text) {
    const QByteArray bytes = text.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stream);
    std::fflush(stream);
}

#ifdef Q_OS_UNIX
// SIGTERM/SIGINT end the event loop through a socket pair: a signal handler may only write.
int g_signalFds[2] = {-1, -1};

void onSignal(int) {
    const char byte = 1;
    const ssize_t ignored = ::write(g_signalFds[1], &byte, 1);
    (void)ignored;
}

void installSignalHandlers(QObject* parent) {
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
        return;
    auto* notifier = new QSocketNotifier(g_signalFds[0], QSocketNotifier::Read, parent);
    QObject::connect(notifier, &QSocketNotifier::activated, parent, [notifier] {
        notifier->setEnabled(false);
        char byte = 0;
        const ssize_t ignored = ::read(g_signalFds[0], &byte, 1);
        (void)ignored;
        ServerLog::info(QStringLiteral("shutdown"));
        QCoreApplication::quit();
    });
    struct sigaction action {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}
#else
void installSignalHandlers(QObject*) {}
#endif

Result<QSslConfiguration> tlsConfiguration(const ServerConfig& config) {
    using R = Result<QSslConfiguration>;
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(config.tlsCertFile, QSsl::Pem);
    if (chain.isEmpty())
        return R::failure(
            ServerApplication::tr("%1 holds no PEM certificate").arg(config.tlsCertFile));
    QFile keyFile(config.tlsKeyFile);
    if (!keyFile.open(QIODevice::ReadOnly))
        return R::failure(ServerApplication::tr("cannot read %1: %2")
                              .arg(config.tlsKeyFile, keyFile.errorString()));
    const QByteArray pem = keyFile.readAll();
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        return R::failure(ServerApplication::tr("%1 holds no unencrypted PEM RSA or EC private key")
                              .arg(config.tlsKeyFile));
    QSslConfiguration ssl;
    ssl.setLocalCertificateChain(chain);
    ssl.setPrivateKey(key);
    ssl.setProtocol(QSsl::TlsV1_2OrLater);
    ssl.setPeerVerifyMode(QSslSocket::VerifyNone); // clients authenticate with API keys
    ssl.setAllowedNextProtocols({QSslConfiguration::NextProtocolHttp1_1});
    return ssl;
}

} // namespace

int ServerApplication::run(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("LlamaDesk sync and account server.\n\nCommands:\n  serve     run the HTTPS API (the "
           "default)\n"
           "  migrate   apply the database migrations and exit\n"
           "  jobs      run the scheduled jobs once (as llamadesk_jobs) and exit"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"), tr("serve, migrate or jobs"),
                                 QStringLiteral("[command]"));
    const QCommandLineOption configOption(QStringLiteral("config"), tr("JSON configuration file."),
                                          tr("file"));
    const QCommandLineOption databaseOption(
        QStringLiteral("database"),
        tr("libpq connection string or URL (else LLAMADESK_DATABASE_URL)."), tr("url"));
    const QCommandLineOption listenOption(QStringLiteral("listen"), tr("Address to listen on."),
                                          tr("address"));
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        tr("Port to listen on (0: any free port)."), tr("port"));
    const QCommandLineOption insecureOption(
        QStringLiteral("insecure-loopback"),
        tr("Serve plain HTTP; only allowed on a loopback address."));
    const QCommandLineOption setupOption(
        QStringLiteral("setup"),
        tr("migrate: first create the cluster roles and optional extensions "
           "(needs a role allowed to do that)."));
    const QCommandLineOption dirOption(
        QStringLiteral("dir"),
        tr("migrate: read migrations from this folder instead of the built-in ones."),
        tr("folder"));
    const QCommandLineOption jobOption(QStringLiteral("job"),
                                       tr("jobs: run only this job (repeatable)."), tr("name"));
    parser.addOptions({configOption, databaseOption, listenOption, portOption, insecureOption,
                       setupOption, dirOption, jobOption});
    if (!parser.parse(arguments)) {
        printLine(stderr, QStringLiteral("llamadesk-server: ") + parser.errorText());
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        printLine(stdout, parser.helpText());
        return 0;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        printLine(stdout,
                  QStringLiteral("llamadesk-server ") + QCoreApplication::applicationVersion());
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    const QString command = positional.isEmpty() ? QStringLiteral("serve") : positional.first();
    if (positional.size() > 1 ||
        (command != QLatin1String("serve") && command != QLatin1String("migrate") &&
         command != QLatin1String("jobs"))) {
        printLine(stderr, tr("llamadesk-server: unknown command '%1' (serve, migrate or jobs)")
                              .arg(positional.join(QLatin1Char(' '))));
        return 2;
    }
    if (sodium_init() < 0) {
        printLine(stderr, tr("llamadesk-server: libsodium failed to initialise"));
        return 1;
    }

    Result<ServerConfig> loaded =
        ServerConfig::load(parser.value(configOption), QProcessEnvironment::systemEnvironment());
    if (!loaded) {
        printLine(stderr, QStringLiteral("llamadesk-server: ") + loaded.error());
        return 2;
    }
    ServerConfig config = loaded.value();
    if (parser.isSet(databaseOption))
        config.databaseUrl = parser.value(databaseOption).toUtf8();

    if (command == QLatin1String("migrate")) {
        if (config.databaseUrl.isEmpty()) {
            printLine(
                stderr,
                tr("llamadesk-server migrate: give --database URL or set LLAMADESK_DATABASE_URL"));
            return 2;
        }
        return migrate(config.databaseUrl, parser.isSet(setupOption),
                       parser.isSet(dirOption) ? parser.value(dirOption) : kEmbeddedMigrations);
    }
    if (command == QLatin1String("jobs")) {
        const QByteArray url =
            parser.isSet(databaseOption) ? config.databaseUrl : config.jobsDatabaseUrl;
        if (url.isEmpty()) {
            printLine(stderr,
                      tr("llamadesk-server jobs: give --database URL (as llamadesk_jobs) or set "
                         "LLAMADESK_JOBS_DATABASE_URL"));
            return 2;
        }
        return jobs(url, parser.values(jobOption));
    }
    if (parser.isSet(listenOption))
        config.listenAddress = parser.value(listenOption);
    if (parser.isSet(portOption)) {
        bool ok = false;
        const int port = parser.value(portOption).toInt(&ok);
        if (!ok || port < 0 || port > 65535) {
            printLine(stderr, tr("llamadesk-server: --port must be 0 to 65535"));
            return 2;
        }
        config.port = port;
    }
    config.insecureLoopback = parser.isSet(insecureOption);
    const Status valid = config.validateForServing();
    if (!valid) {
        printLine(stderr, QStringLiteral("llamadesk-server: ") + valid.error());
        return 2;
    }
    return serve(config);
}

int ServerApplication::migrate(const QByteArray& databaseUrl, bool setup,
                               const QString& directory) {
    QString error;
    std::unique_ptr<PgConnection> connection = PgConnection::open(databaseUrl, &error);
    if (!connection) {
        printLine(stderr, QStringLiteral("llamadesk-server migrate: ") + error);
        return 1;
    }
    connection->setNoticeHandler([](const QString& notice) { printLine(stderr, notice); });
    const auto progress = [](const QString& message) {
        printLine(stdout, message);
    };
    if (setup) {
        const Status s = Migrator::runSetup(*connection, directory, progress);
        if (!s) {
            printLine(stderr, QStringLiteral("llamadesk-server migrate: ") + s.error());
            return 1;
        }
    }
    const Result<QList<Migrator::Migration>> migrations = Migrator::load(directory);
    if (!migrations) {
        printLine(stderr, QStringLiteral("llamadesk-server migrate: ") + migrations.error());
        return 1;
    }
    const Result<Migrator::Outcome> outcome =
        Migrator::migrate(*connection, migrations.value(), progress);
    if (!outcome) {
        printLine(stderr, QStringLiteral("llamadesk-server migrate: ") + outcome.error());
        return 1;
    }
    printLine(stdout,
              QStringLiteral("applied=%1 skipped=%2").arg(outcome->applied).arg(outcome->skipped));
    return 0;
}

int ServerApplication::jobs(const QByteArray& databaseUrl, const QStringList& names) {
    QString error;
    std::unique_ptr<PgConnection> connection = PgConnection::open(databaseUrl, &error);
    if (!connection) {
        printLine(stderr, QStringLiteral("llamadesk-server jobs: ") + error);
        return 1;
    }
    const Status s = JobScheduler::run(*connection, names, [](const QString& job, qint64 ms) {
        printLine(stdout, tr("ran %1 (%2 ms)").arg(job).arg(ms));
    });
    if (!s) {
        printLine(stderr, QStringLiteral("llamadesk-server jobs: ") + s.error());
        return 1;
    }
    return 0;
}

int ServerApplication::serve(const ServerConfig& config) {
    HttpServer::Options options;
    options.address = config.address();
    options.port = static_cast<quint16>(config.port);
    options.tls = !config.insecureLoopback;
    if (options.tls) {
        Result<QSslConfiguration> ssl = tlsConfiguration(config);
        if (!ssl) {
            printLine(stderr, QStringLiteral("llamadesk-server: ") + ssl.error());
            return 2;
        }
        options.ssl = ssl.value();
    }
    options.handshakeTimeoutMs = config.handshakeTimeoutMs;
    options.maxConnections = config.maxConnections;
    options.limits.maxBodyBytes = config.maxBodyBytes;
    options.limits.maxHeaderBytes = config.maxHeaderBytes;
    options.timeouts.headerMs = config.headerTimeoutMs;
    options.timeouts.bodyMs = config.bodyTimeoutMs;
    options.timeouts.idleMs = config.idleTimeoutMs;
    options.timeouts.writeMs = config.writeTimeoutMs;

    PgPool pool(config.databaseUrl, config.poolSize, config.preparedStatements);
    QString error;
    SyncCatalog catalog;
    {
        PgPool::Lease lease = pool.acquire(config.poolAcquireTimeoutMs, &error);
        if (!lease) {
            printLine(stderr, QStringLiteral("llamadesk-server: ") + error);
            return 1;
        }
        // Refuse to serve a schema older than this build expects.
        const Result<QList<Migrator::Migration>> embedded = Migrator::load(kEmbeddedMigrations);
        const PgResult version =
            lease->exec("SELECT COALESCE(max(version), 0) FROM schema_migrations");
        if (!version) {
            printLine(stderr, tr("llamadesk-server: cannot read schema_migrations (%1): run "
                                 "'llamadesk-server migrate' first")
                                  .arg(version.error().message));
            return 1;
        }
        const qint64 have = version.int64(0, 0);
        const qint64 want = embedded ? embedded->last().version : 0;
        if (have < want) {
            printLine(
                stderr,
                tr("llamadesk-server: the database schema is at version %1, this server needs %2: "
                   "run 'llamadesk-server migrate'")
                    .arg(have)
                    .arg(want));
            return 1;
        }
        Result<SyncCatalog> loaded = SyncCatalog::load(*lease, PublicApi::referenceTables());
        if (!loaded) {
            printLine(stderr, QStringLiteral("llamadesk-server: ") + loaded.error());
            return 1;
        }
        catalog = loaded.value();
    }

    ApiService api(config, pool, catalog);
    HttpServer http;
    http.setHandler([&api](HttpRequest request, HttpServer::Responder responder) {
        api.handle(std::move(request), std::move(responder));
    });
    http.setRefusalObserver([&api](const HttpRequest& request, const HttpResponse& response) {
        api.logRefusal(request, response);
    });
    if (!http.listen(options, &error)) {
        printLine(stderr, QStringLiteral("llamadesk-server: ") + error);
        return 1;
    }
    installSignalHandlers(&http);
    std::unique_ptr<JobRunner> jobRunner;
    if (!config.jobsDatabaseUrl.isEmpty()) {
        std::unique_ptr<PgConnection> jobsConnection =
            PgConnection::open(config.jobsDatabaseUrl, &error);
        const Result<QPair<bool, bool>> kind = jobsConnection
                                                   ? JobScheduler::cronAndTimescale(*jobsConnection)
                                                   : Result<QPair<bool, bool>>::failure(error);
        if (!kind) {
            printLine(stderr,
                      QStringLiteral("llamadesk-server: jobs_database_url: ") + kind.error());
            return 1;
        }
        QJsonObject f;
        f.insert(QStringLiteral("scheduler"),
                 kind->first ? QStringLiteral("pg_cron") : QStringLiteral("server"));
        ServerLog::info(QStringLiteral("jobs"), f);
        if (!kind->first) {
            jobRunner = std::make_unique<JobRunner>(config.jobsDatabaseUrl, kind->second);
            jobRunner->start();
        }
    }
    QJsonObject fields;
    fields.insert(QStringLiteral("address"), config.listenAddress);
    fields.insert(QStringLiteral("port"), http.port());
    fields.insert(QStringLiteral("tls"), options.tls);
    fields.insert(QStringLiteral("pool_size"), config.poolSize);
    ServerLog::info(QStringLiteral("listening"), fields);
    const int rc = QCoreApplication::exec();
    http.stopListening();
    api.drain();
    QThreadPool::globalInstance()->waitForDone(); // a job in progress finishes first
    jobRunner.reset();
    return rc;
}

} // namespace llamadesk::server
