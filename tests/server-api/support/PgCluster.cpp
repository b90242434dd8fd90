#include "PgCluster.h"

#include "ServerTestPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QRegularExpression>

namespace servertest {

PgCluster::~PgCluster() {
    stop();
}

bool PgCluster::start(QString* error) {
    // The cluster gets a private folder of its own under the system's temporary folder (the
    // script creates it with mode 700): the build tree may sit inside a folder that the
    // server's system user cannot enter.
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("sh"),
            {sourcePath(QStringLiteral("tests/server/pg-cluster.sh")), QStringLiteral("start")});
    if (!p.waitForFinished(120000) || p.exitCode() != 0) {
        *error = QStringLiteral("pg-cluster.sh start failed: ") +
                 QString::fromUtf8(p.readAllStandardError());
        return false;
    }
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    const QRegularExpressionMatch dir =
        QRegularExpression(QStringLiteral("LLAMADESK_PG_DIR=(\\S+)")).match(out);
    const QRegularExpressionMatch port =
        QRegularExpression(QStringLiteral("LLAMADESK_PG_PORT=(\\d+)")).match(out);
    if (!dir.hasMatch() || !port.hasMatch()) {
        *error = QStringLiteral("pg-cluster.sh printed no cluster: ") + out;
        return false;
    }
    m_dir = dir.captured(1);
    m_port = port.captured(1).toInt();
    return true;
}

void PgCluster::stop() {
    if (m_dir.isEmpty())
        return;
    QProcess p;
    p.start(QStringLiteral("sh"), {sourcePath(QStringLiteral("tests/server/pg-cluster.sh")),
                                   QStringLiteral("stop"), m_dir});
    p.waitForFinished(60000);
    m_dir.clear();
    m_port = 0;
}

QString PgCluster::url(const QString& database, const QString& user) const {
    return QStringLiteral("postgresql://%1@127.0.0.1:%2/%3").arg(user).arg(m_port).arg(database);
}

bool PgCluster::psql(const QString& database, const QString& sql, QString* output,
                     QString* error) const {
    QProcess p;
    p.start(QStringLiteral("psql"),
            {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"), QStringLiteral("-t"),
             QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-d"),
             url(database), QStringLiteral("-c"), sql});
    if (!p.waitForFinished(120000) || p.exitCode() != 0) {
        if (error)
            *error = QString::fromUtf8(p.readAllStandardError());
        return false;
    }
    if (output)
        *output = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    return true;
}

bool PgCluster::createDatabase(const QString& name, QString* error) {
    QProcess p;
    p.start(QStringLiteral("psql"),
            {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"),
             QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-d"),
             url(QStringLiteral("postgres")), QStringLiteral("-f"),
             sourcePath(QStringLiteral("sql/server/setup/roles.sql"))});
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        *error = QStringLiteral("roles.sql failed: ") + QString::fromUtf8(p.readAllStandardError());
        return false;
    }
    return psql(QStringLiteral("postgres"),
                QStringLiteral("CREATE DATABASE %1 OWNER llamadesk_owner").arg(name), nullptr,
                error);
}

} // namespace servertest
