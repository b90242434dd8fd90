#include "ServerConfig.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <variant>

namespace llamadesk::server {
namespace {

struct IntOption {
    int ServerConfig::*member;
    qint64 min;
    qint64 max;
};
struct Int64Option {
    qint64 ServerConfig::*member;
    qint64 min;
    qint64 max;
};
struct StringOption {
    QString ServerConfig::*member;
};
struct BoolOption {
    bool ServerConfig::*member;
};
using Option = std::variant<IntOption, Int64Option, StringOption, BoolOption>;

struct Named {
    const char* name;
    Option option;
};

const QList<Named>& options() {
    static const QList<Named> list = {
        {"listen_address", StringOption{&ServerConfig::listenAddress}},
        {"port", IntOption{&ServerConfig::port, 0, 65535}},
        {"tls_cert_file", StringOption{&ServerConfig::tlsCertFile}},
        {"tls_key_file", StringOption{&ServerConfig::tlsKeyFile}},
        {"pool_size", IntOption{&ServerConfig::poolSize, 1, 1000}},
        {"pool_acquire_timeout_ms", IntOption{&ServerConfig::poolAcquireTimeoutMs, 1, 600000}},
        {"max_queued_requests", IntOption{&ServerConfig::maxQueuedRequests, 1, 100000}},
        {"request_timeout_ms", IntOption{&ServerConfig::requestTimeoutMs, 100, 600000}},
        {"prepared_statements", BoolOption{&ServerConfig::preparedStatements}},
        {"max_connections", IntOption{&ServerConfig::maxConnections, 1, 100000}},
        {"max_body_bytes", IntOption{&ServerConfig::maxBodyBytes, 1024, 256 * 1024 * 1024}},
        {"max_header_bytes", IntOption{&ServerConfig::maxHeaderBytes, 1024, 1024 * 1024}},
        {"header_timeout_ms", IntOption{&ServerConfig::headerTimeoutMs, 10, 600000}},
        {"body_timeout_ms", IntOption{&ServerConfig::bodyTimeoutMs, 10, 3600000}},
        {"idle_timeout_ms", IntOption{&ServerConfig::idleTimeoutMs, 10, 3600000}},
        {"write_timeout_ms", IntOption{&ServerConfig::writeTimeoutMs, 10, 3600000}},
        {"handshake_timeout_ms", IntOption{&ServerConfig::handshakeTimeoutMs, 10, 600000}},
        {"max_push_mutations", IntOption{&ServerConfig::maxPushMutations, 1, 100000}},
        {"default_pull_limit", IntOption{&ServerConfig::defaultPullLimit, 1, 10000}},
        {"max_pull_limit", IntOption{&ServerConfig::maxPullLimit, 1, 10000}},
        {"password_min_length", IntOption{&ServerConfig::passwordMinLength, 8, 128}},
        {"argon2_ops_limit", Int64Option{&ServerConfig::argon2OpsLimit, 1, 100}},
        {"argon2_mem_limit_kib", Int64Option{&ServerConfig::argon2MemLimitKiB, 8, 4 * 1024 * 1024}},
        {"key_rate_limit_per_hour", IntOption{&ServerConfig::keyRatePerHour, 1, 100000000}},
        {"key_rate_limit_per_day", IntOption{&ServerConfig::keyRatePerDay, 1, 1000000000}},
        {"key_lifetime_days", IntOption{&ServerConfig::keyLifetimeDays, 0, 3650}},
        {"login_free_failures", IntOption{&ServerConfig::loginFreeFailures, 1, 1000}},
        {"login_ip_free_failures", IntOption{&ServerConfig::loginIpFreeFailures, 1, 100000}},
        {"login_backoff_base_seconds", IntOption{&ServerConfig::loginBackoffBaseSeconds, 1, 3600}},
        {"login_backoff_max_seconds", IntOption{&ServerConfig::loginBackoffMaxSeconds, 1, 86400}},
        {"login_window_seconds", IntOption{&ServerConfig::loginWindowSeconds, 60, 86400}},
        {"encryption_key_file", StringOption{&ServerConfig::encryptionKeyFile}},
        {"log_requests", BoolOption{&ServerConfig::logRequests}},
    };
    return list;
}

// The database URLs are read too, but kept apart: they may hold a password.
constexpr const char* kDatabaseUrl = "database_url";
constexpr const char* kJobsDatabaseUrl = "jobs_database_url";

} // namespace

QStringList ServerConfig::optionNames() {
    QStringList names;
    for (const Named& n : options())
        names.append(QString::fromLatin1(n.name));
    names.append(QString::fromLatin1(kDatabaseUrl));
    names.append(QString::fromLatin1(kJobsDatabaseUrl));
    return names;
}

Status ServerConfig::set(const QString& name, const QString& value, const QString& source) {
    if (name == QLatin1String(kDatabaseUrl)) {
        databaseUrl = value.toUtf8();
        return Status::success();
    }
    if (name == QLatin1String(kJobsDatabaseUrl)) {
        jobsDatabaseUrl = value.toUtf8();
        return Status::success();
    }
    for (const Named& n : options()) {
        if (name != QLatin1String(n.name))
            continue;
        if (const auto* o = std::get_if<IntOption>(&n.option)) {
            bool ok = false;
            const qint64 v = value.trimmed().toLongLong(&ok);
            if (!ok || v < o->min || v > o->max)
                return Status::failure(tr("%1: %2 must be a whole number from %3 to %4")
                                           .arg(source, name)
                                           .arg(o->min)
                                           .arg(o->max));
            this->*(o->member) = static_cast<int>(v);
        } else if (const auto* o64 = std::get_if<Int64Option>(&n.option)) {
            bool ok = false;
            const qint64 v = value.trimmed().toLongLong(&ok);
            if (!ok || v < o64->min || v > o64->max)
                return Status::failure(tr("%1: %2 must be a whole number from %3 to %4")
                                           .arg(source, name)
                                           .arg(o64->min)
                                           .arg(o64->max));
            this->*(o64->member) = v;
        } else if (const auto* s = std::get_if<StringOption>(&n.option)) {
            this->*(s->member) = value;
        } else if (const auto* b = std::get_if<BoolOption>(&n.option)) {
            const QString v = value.trimmed().toLower();
            if (v == QLatin1String("true") || v == QLatin1String("1") || v == QLatin1String("yes"))
                this->*(b->member) = true;
            else if (v == QLatin1String("false") || v == QLatin1String("0") ||
                     v == QLatin1String("no"))
                this->*(b->member) = false;
            else
                return Status::failure(tr("%1: %2 must be true or false").arg(source, name));
        }
        return Status::success();
    }
    return Status::failure(tr("%1: unknown option %2").arg(source, name));
}

Result<ServerConfig> ServerConfig::load(const QString& configFile, const QProcessEnvironment& env) {
    using R = Result<ServerConfig>;
    ServerConfig config;
    if (!configFile.isEmpty()) {
        QFile file(configFile);
        if (!file.open(QIODevice::ReadOnly))
            return R::failure(tr("cannot read the configuration file %1: %2")
                                  .arg(configFile, file.errorString()));
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject())
            return R::failure(tr("%1 is not a JSON object: %2 at offset %3")
                                  .arg(configFile, parseError.errorString())
                                  .arg(parseError.offset));
        const QJsonObject o = doc.object();
        for (auto it = o.begin(); it != o.end(); ++it) {
            QString text;
            const QJsonValue v = it.value();
            if (v.isString())
                text = v.toString();
            else if (v.isBool())
                text = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
            else if (v.isDouble())
                text = QString::number(v.toDouble(), 'f', 0);
            else
                return R::failure(tr("%1: %2 must be a string, a number or true/false")
                                      .arg(configFile, it.key()));
            if (v.isDouble() &&
                v.toDouble() != static_cast<double>(static_cast<qint64>(v.toDouble())))
                return R::failure(tr("%1: %2 must be a whole number").arg(configFile, it.key()));
            const Status s = config.set(it.key(), text, configFile);
            if (!s)
                return R::failure(s.error());
        }
    }
    for (const QString& name : optionNames()) {
        const QString var = QStringLiteral("LLAMADESK_SERVER_") + name.toUpper();
        if (env.contains(var)) {
            const Status s = config.set(name, env.value(var), var);
            if (!s)
                return R::failure(s.error());
        }
    }
    if (env.contains(QStringLiteral("LLAMADESK_DATABASE_URL")))
        config.databaseUrl = env.value(QStringLiteral("LLAMADESK_DATABASE_URL")).toUtf8();
    if (env.contains(QStringLiteral("LLAMADESK_JOBS_DATABASE_URL")))
        config.jobsDatabaseUrl = env.value(QStringLiteral("LLAMADESK_JOBS_DATABASE_URL")).toUtf8();
    if (env.contains(QStringLiteral("LLAMADESK_ENCRYPTION_KEY")))
        config.encryptionKey = env.value(QStringLiteral("LLAMADESK_ENCRYPTION_KEY")).toUtf8();
    if (config.encryptionKey.isEmpty() && !config.encryptionKeyFile.isEmpty()) {
        QFile keyFile(config.encryptionKeyFile);
        if (!keyFile.open(QIODevice::ReadOnly))
            return R::failure(tr("cannot read the encryption key file %1: %2")
                                  .arg(config.encryptionKeyFile, keyFile.errorString()));
        config.encryptionKey = keyFile.readAll().trimmed();
    }
    if (config.defaultPullLimit > config.maxPullLimit)
        return R::failure(tr("default_pull_limit (%1) is larger than max_pull_limit (%2)")
                              .arg(config.defaultPullLimit)
                              .arg(config.maxPullLimit));
    return config;
}

Status ServerConfig::validateForServing() const {
    if (databaseUrl.isEmpty())
        return Status::failure(
            tr("no database: give --database URL or set LLAMADESK_DATABASE_URL"));
    const QHostAddress addr(listenAddress);
    if (addr.isNull())
        return Status::failure(tr("listen_address %1 is not an IP address").arg(listenAddress));
    if (insecureLoopback) {
        if (!addr.isLoopback())
            return Status::failure(
                tr("--insecure-loopback serves plain HTTP and is only allowed on a "
                   "loopback address, not %1")
                    .arg(listenAddress));
    } else {
        if (tlsCertFile.isEmpty() || tlsKeyFile.isEmpty())
            return Status::failure(
                tr("TLS needs tls_cert_file and tls_key_file (plain HTTP only with "
                   "--insecure-loopback on a loopback address)"));
        for (const QString& f : {tlsCertFile, tlsKeyFile}) {
            if (!QFileInfo(f).isReadable())
                return Status::failure(tr("cannot read %1").arg(f));
        }
    }
    if (encryptionKey.size() < 32)
        return Status::failure(
            tr("the encryption key for second-factor secrets is missing or shorter "
               "than 32 characters (LLAMADESK_ENCRYPTION_KEY or encryption_key_file)"));
    return Status::success();
}

} // namespace llamadesk::server
