#pragma once

#include "Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>

namespace llamadesk::server {

class PgConnection;

// The schema's periodic jobs (sql/server/0011_scheduled_jobs.sql) for databases without
// pg_cron: the same functions on the same UTC schedule, called through a connection as
// llamadesk_jobs (the application role may not call them). "llamadesk-server jobs" runs
// them once, for an operator's cron; the serving process runs them on schedule when
// jobs_database_url is set.
class JobScheduler {
    Q_DECLARE_TR_FUNCTIONS(JobScheduler)

public:
    struct Job {
        QString name;
        const char* sql;
        int minute;     // minute of the hour it runs at, or -1 with minuteStep
        int minuteStep; // every n minutes (0: only at `minute`)
        int hour;       // hour of the day (UTC), -1: every hour
        bool notWithTimescale;
    };
    using Progress = std::function<void(const QString& job, qint64 milliseconds)>;

    static const QList<Job>& jobs();
    // The jobs due in the minute that starts at minuteUtc.
    static QList<Job> dueAt(const QDateTime& minuteUtc, bool timescale);
    // Runs the named jobs (all when empty) now, one transaction each; stops at the first failure.
    static Status run(PgConnection& connection, const QStringList& names, const Progress& progress);
    // Which scheduler applies: pg_cron in the database means the server must not run them.
    static Result<QPair<bool, bool>> cronAndTimescale(PgConnection& connection);
};

// Runs the due jobs every minute on its own thread and connection.
class JobRunner : public QObject {
    Q_OBJECT

public:
    JobRunner(QByteArray databaseUrl, bool timescale, QObject* parent = nullptr);
    ~JobRunner() override;
    void start();

private:
    void tick();

    QByteArray m_databaseUrl;
    bool m_timescale;
    QTimer m_timer;
    QDateTime m_lastMinute;
    bool m_running = false;
};

} // namespace llamadesk::server
