#pragma once

#include <QString>
#include <QStringList>

namespace servertest {

// A throwaway PostgreSQL cluster made by tests/server/pg-cluster.sh (trust authentication on
// 127.0.0.1, a free port), stopped and removed when the object goes away.
class PgCluster {
public:
    PgCluster() = default;
    ~PgCluster();
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

    bool start(QString* error);
    void stop();
    bool running() const { return m_port > 0; }

    int port() const { return m_port; }
    QString dir() const { return m_dir; }
    // postgresql://<user>@127.0.0.1:<port>/<database>
    QString url(const QString& database, const QString& user = QStringLiteral("postgres")) const;

    // Cluster roles (sql/server/setup/roles.sql) and an empty database owned by llamadesk_owner.
    bool createDatabase(const QString& name, QString* error);
    // Runs SQL with psql as the superuser; *output gets psql's unaligned, tuples-only output.
    bool psql(const QString& database, const QString& sql, QString* output, QString* error) const;

private:
    QString m_dir;
    int m_port = 0;
};

} // namespace servertest
