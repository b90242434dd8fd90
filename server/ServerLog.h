#pragma once

#include <QJsonObject>
#include <QString>

namespace llamadesk::server {

// Structured logs: one JSON object per line on standard output, safe to call from any
// thread. Callers pass only what may be logged: never keys, passwords, tokens, second-factor
// codes or request bodies.
class ServerLog {
public:
    static void write(const QString& level, const QString& event, QJsonObject fields = {});
    static void info(const QString& event, QJsonObject fields = {}) {
        write(QStringLiteral("info"), event, std::move(fields));
    }
    static void warning(const QString& event, QJsonObject fields = {}) {
        write(QStringLiteral("warning"), event, std::move(fields));
    }
    static void error(const QString& event, QJsonObject fields = {}) {
        write(QStringLiteral("error"), event, std::move(fields));
    }
};

} // namespace llamadesk::server
