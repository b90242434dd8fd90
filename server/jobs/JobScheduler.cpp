#include "JobScheduler.h"

#include "ServerLog.h"
#include "db/PgConnection.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QThreadPool>

namespace llamadesk::server {

const QList<JobScheduler::Job>& JobScheduler::jobs() {
    // As migration 0011 schedules them with pg_cron.
    static const QList<Job> list = {
        {QStringLiteral("reset-alert-counts"), "SELECT reset_daily_trigger_count()", 0, 0, 0,
         false},
        {QStringLiteral("llamadesk-portfolio-summary"), "SELECT refresh_user_portfolio_summary()",
         -1, 5, -1, false},
        {QStringLiteral("llamadesk-traders-leaderboard"),
         "SELECT refresh_top_traders_leaderboard()", 7, 0, -1, false},
        {QStringLiteral("llamadesk-gas-price-hourly"), "SELECT refresh_gas_price_hourly()", 5, 0,
         -1, true},
        {QStringLiteral("llamadesk-partition-maintenance"), "SELECT maintain_time_partitions()", 15,
         0, -1, true},
        {QStringLiteral("llamadesk-sync-prune"), "SELECT sync_prune()", 30, 0, 3, false},
        {QStringLiteral("llamadesk-auth-prune"), "SELECT prune_auth_records()", 45, 0, 3, false},
    };
    return list;
}

QList<JobScheduler::Job> JobScheduler::dueAt(const QDateTime& minuteUtc, bool timescale) {
    const QTime t = minuteUtc.toUTC().time();
    QList<Job> due;
    for (const Job& j : jobs()) {
        if (timescale && j.notWithTimescale)
            continue;
        if (j.hour >= 0 && t.hour() != j.hour)
            continue;
        const bool minuteMatches =
            j.minuteStep > 0 ? t.minute() % j.minuteStep == 0 : t.minute() == j.minute;
        if (minuteMatches)
            due.append(j);
    }
    return due;
}

Result<QPair<bool, bool>> JobScheduler::cronAndTimescale(PgConnection& connection) {
    const PgResult r = connection.exec(
        "SELECT extension_installed('pg_cron'), extension_installed('timescaledb')");
    if (!r)
        return Result<QPair<bool, bool>>::failure(
            tr("cannot check the database's extensions: %1").arg(r.error().message));
    return QPair<bool, bool>(r.boolean(0, 0), r.boolean(0, 1));
}

Status JobScheduler::run(PgConnection& connection, const QStringList& names,
                         const Progress& progress) {
    for (const QString& name : names) {
        bool known = false;
        for (const Job& j : jobs())
            known = known || j.name == name;
        if (!known)
            return Status::failure(tr("there is no job %1").arg(name));
    }
    for (const Job& j : jobs()) {
        if (!names.isEmpty() && !names.contains(j.name))
            continue;
        QElapsedTimer clock;
        clock.start();
        const PgResult r = connection.exec(j.sql);
        if (!r)
            return Status::failure(tr("job %1 failed: %2").arg(j.name, r.error().message));
        if (progress)
            progress(j.name, clock.elapsed());
    }
    return Status::success();
}

JobRunner::JobRunner(QByteArray databaseUrl, bool timescale, QObject* parent)
    : QObject(parent)
    , m_databaseUrl(std::move(databaseUrl))
    , m_timescale(timescale) {
    connect(&m_timer, &QTimer::timeout, this, &JobRunner::tick);
}

JobRunner::~JobRunner() {
    m_timer.stop();
}

void JobRunner::start() {
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_lastMinute = now.addSecs(-now.time().second());
    m_timer.start(15000);
}

void JobRunner::tick() {
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime minute = now.addSecs(-now.time().second()).addMSecs(-now.time().msec());
    if (m_running || minute <= m_lastMinute)
        return;
    // Every minute passed since the last tick (a busy machine may skip one).
    QList<JobScheduler::Job> due;
    for (QDateTime m = m_lastMinute.addSecs(60); m <= minute; m = m.addSecs(60)) {
        for (const JobScheduler::Job& j : JobScheduler::dueAt(m, m_timescale)) {
            bool already = false;
            for (const JobScheduler::Job& d : std::as_const(due))
                already = already || d.name == j.name;
            if (!already)
                due.append(j);
        }
    }
    m_lastMinute = minute;
    if (due.isEmpty())
        return;
    QStringList names;
    for (const JobScheduler::Job& j : std::as_const(due))
        names.append(j.name);
    m_running = true;
    // Jobs can take a while: off the HTTP thread, on their own connection.
    QThreadPool::globalInstance()->start([this, names, url = m_databaseUrl] {
        QString error;
        std::unique_ptr<PgConnection> connection = PgConnection::open(url, &error);
        Status s = connection ? JobScheduler::run(*connection, names,
                                                  [](const QString& job, qint64 ms) {
                                                      QJsonObject f;
                                                      f.insert(QStringLiteral("job"), job);
                                                      f.insert(QStringLiteral("duration_ms"), ms);
                                                      ServerLog::info(QStringLiteral("job"), f);
                                                  })
                              : Status::failure(error);
        if (!s) {
            QJsonObject f;
            f.insert(QStringLiteral("message"), s.error());
            ServerLog::error(QStringLiteral("job_failed"), f);
        }
        QMetaObject::invokeMethod(
            this, [this] { m_running = false; }, Qt::QueuedConnection);
    });
}

} // namespace llamadesk::server
