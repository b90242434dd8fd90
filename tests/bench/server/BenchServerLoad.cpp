// Load generator for llamadesk-server on loopback. It starts its own throwaway PostgreSQL
// cluster and the real server over TLS, then measures, bounded in time and count:
//   1. a pull with nothing new: server time and bytes on the wire;
//   2. mixed load: many concurrent devices pulling (3 of 4 requests) and pushing small
//      batches; requests per second, p50/p95/p99 latency (client side and server time);
//   3. the change feed: changes per second a reader receives while a writer pushes;
//   4. a 1,000-mutation push;
//   5. the server's memory (VmRSS / VmHWM) and the CPU used by the server and by
//      PostgreSQL, which says where the limit comes from.
// Usage: BenchServerLoad [--clients N,N,...] [--seconds S] [--pool N] [--prepared on|off]
#include "ServerFixture.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <unistd.h>

using servertest::ApiClient;
using servertest::ServerFixture;

namespace {

void print(const QString& line) {
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

struct Samples {
    QList<double> clientMs;
    QList<double> serverMs;
    qint64 errors = 0;

    static double percentile(QList<double> v, double p) {
        if (v.isEmpty())
            return 0;
        std::sort(v.begin(), v.end());
        const auto i = static_cast<qsizetype>(p * static_cast<double>(v.size() - 1) + 0.5);
        return v.at(std::min(i, v.size() - 1));
    }
    QString summary() const {
        return QStringLiteral(
                   "n=%1 p50=%2 p95=%3 p99=%4 ms (server p50=%5 p95=%6 p99=%7 ms) errors=%8")
            .arg(clientMs.size())
            .arg(percentile(clientMs, 0.50), 0, 'f', 2)
            .arg(percentile(clientMs, 0.95), 0, 'f', 2)
            .arg(percentile(clientMs, 0.99), 0, 'f', 2)
            .arg(percentile(serverMs, 0.50), 0, 'f', 2)
            .arg(percentile(serverMs, 0.95), 0, 'f', 2)
            .arg(percentile(serverMs, 0.99), 0, 'f', 2)
            .arg(errors);
    }
};

double serverTiming(QNetworkReply* reply) {
    const QByteArray h = reply->rawHeader("Server-Timing");
    const qsizetype i = h.indexOf("dur=");
    return i < 0 ? 0 : h.mid(i + 4).toDouble();
}

QJsonObject alertFields(int n) {
    QJsonObject f;
    f.insert(QStringLiteral("name"), QStringLiteral("load %1").arg(n));
    f.insert(QStringLiteral("alert_type"), QStringLiteral("price_change"));
    f.insert(QStringLiteral("target_type"), QStringLiteral("token"));
    f.insert(QStringLiteral("target_id"), QStringLiteral("eth"));
    f.insert(QStringLiteral("condition_operator"), QStringLiteral(">"));
    f.insert(QStringLiteral("threshold_value"), QStringLiteral("%1.25").arg(1000 + n));
    return f;
}

// CPU seconds (user + system) of a process, and of a PostgreSQL postmaster with its children.
double cpuSeconds(qint64 pid) {
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = f.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    return (fields.value(11).toDouble() + fields.value(12).toDouble() +
            fields.value(13).toDouble() + fields.value(14).toDouble()) /
           ticks; // utime, stime, cutime, cstime
}

double postgresCpuSeconds(const QString& clusterDir) {
    QFile pidFile(clusterDir + QStringLiteral("/data/postmaster.pid"));
    if (!pidFile.open(QIODevice::ReadOnly))
        return 0;
    const qint64 postmaster = pidFile.readLine().trimmed().toLongLong();
    double total = cpuSeconds(postmaster);
    for (const QString& entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        if (!ok || pid == postmaster)
            continue;
        QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = f.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.value(1).toLongLong() == postmaster)
            total += cpuSeconds(pid);
    }
    return total;
}

QString memoryOf(qint64 pid) {
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList out;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS") || line.startsWith("VmHWM"))
            out.append(QString::fromLatin1(line.simplified()));
    }
    return out.join(QStringLiteral(", "));
}

// One device of one user: its own connection, pulling and pushing in a loop.
class Device : public QObject {
public:
    Device(quint16 port, const QSslCertificate& ca, QString key, Samples* pulls, Samples* pushes,
           qint64* changesSeen)
        : m_port(port)
        , m_key(std::move(key))
        , m_pulls(pulls)
        , m_pushes(pushes)
        , m_changesSeen(changesSeen) {
        m_ssl = QSslConfiguration::defaultConfiguration();
        m_ssl.setCaCertificates({ca});
    }

    void start(const QDateTime& until) {
        m_until = until;
        next();
    }
    bool done() const { return m_done; }

private:
    QNetworkRequest request(const QString& path) const {
        QNetworkRequest r(QUrl(QStringLiteral("https://127.0.0.1:%1").arg(m_port) + path));
        r.setSslConfiguration(m_ssl);
        r.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        r.setRawHeader("Authorization", "Bearer " + m_key.toUtf8());
        return r;
    }

    void next() {
        if (QDateTime::currentDateTimeUtc() >= m_until) {
            m_done = true;
            return;
        }
        ++m_iteration;
        m_clock.start();
        if (m_iteration % 4 == 0) {
            QJsonArray mutations;
            const int n = m_rows.size();
            mutations.append(QJsonObject{
                {QStringLiteral("mutation_id"), m_nextMutation},
                {QStringLiteral("table"), QStringLiteral("alert_rules")},
                {QStringLiteral("row_id"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
                {QStringLiteral("op"), QStringLiteral("insert")},
                {QStringLiteral("fields"), alertFields(n)}});
            m_pendingInserts.append(
                mutations.last().toObject().value(QStringLiteral("row_id")).toString());
            qint64 id = m_nextMutation + 1;
            for (int k = 0; k < std::min(2, n); ++k) {
                const int which = (m_iteration + k) % n;
                QJsonObject base{{QStringLiteral("name"), m_names.at(which)}};
                const QString newName = QStringLiteral("renamed %1").arg(m_iteration);
                mutations.append(QJsonObject{
                    {QStringLiteral("mutation_id"), id++},
                    {QStringLiteral("table"), QStringLiteral("alert_rules")},
                    {QStringLiteral("row_id"), m_rows.at(which)},
                    {QStringLiteral("op"), QStringLiteral("update")},
                    {QStringLiteral("base_row_version"), m_versions.at(which)},
                    {QStringLiteral("fields"), QJsonObject{{QStringLiteral("name"), newName}}},
                    {QStringLiteral("base"), base}});
                m_names[which] = newName;
                m_updated.append(which);
            }
            QJsonObject body{{QStringLiteral("client_id"), m_clientId},
                             {QStringLiteral("mutations"), mutations}};
            QNetworkRequest r = request(QStringLiteral("/v1/sync/push"));
            r.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
            QNetworkReply* reply =
                m_nam.post(r, QJsonDocument(body).toJson(QJsonDocument::Compact));
            connect(reply, &QNetworkReply::finished, this, [this, reply] { pushed(reply); });
        } else {
            QNetworkReply* reply =
                m_nam.get(request(QStringLiteral("/v1/sync/pull?client_id=%1&after=%2&limit=500")
                                      .arg(m_clientId, m_position)));
            connect(reply, &QNetworkReply::finished, this, [this, reply] { pulled(reply); });
        }
    }

    void pulled(QNetworkReply* reply) {
        const double ms = static_cast<double>(m_clock.nsecsElapsed()) / 1e6;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 200) {
            const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
            m_position = o.value(QStringLiteral("position")).toString();
            *m_changesSeen += o.value(QStringLiteral("changes")).toArray().size();
            m_pulls->clientMs.append(ms);
            m_pulls->serverMs.append(serverTiming(reply));
        } else {
            ++m_pulls->errors;
        }
        reply->deleteLater();
        next();
    }

    void pushed(QNetworkReply* reply) {
        const double ms = static_cast<double>(m_clock.nsecsElapsed()) / 1e6;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 200) {
            const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
            const QJsonArray results = o.value(QStringLiteral("results")).toArray();
            m_nextMutation = o.value(QStringLiteral("last_mutation_id")).toInteger() + 1;
            // Learn the new versions (the insert first, then the updates).
            for (qsizetype i = 0; i < results.size(); ++i) {
                const qint64 v =
                    results.at(i).toObject().value(QStringLiteral("row_version")).toInteger();
                if (i == 0) {
                    m_rows.append(m_pendingInserts.last());
                    m_versions.append(v);
                    m_names.append(QStringLiteral("load %1").arg(m_rows.size() - 1));
                } else if (i - 1 < m_updated.size()) {
                    m_versions[m_updated.at(i - 1)] = v;
                }
            }
            m_pushes->clientMs.append(ms);
            m_pushes->serverMs.append(serverTiming(reply));
        } else {
            ++m_pushes->errors;
        }
        m_updated.clear();
        reply->deleteLater();
        next();
    }

    QNetworkAccessManager m_nam;
    QSslConfiguration m_ssl;
    quint16 m_port;
    QString m_key;
    QString m_clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QString m_position = QStringLiteral("0.0");
    qint64 m_nextMutation = 1;
    QStringList m_rows;
    QList<qint64> m_versions;
    QStringList m_names;
    QStringList m_pendingInserts;
    QList<int> m_updated;
    Samples* m_pulls;
    Samples* m_pushes;
    qint64* m_changesSeen;
    QElapsedTimer m_clock;
    QDateTime m_until;
    int m_iteration = 0;
    bool m_done = false;
};

void runUntilDone(const QList<std::shared_ptr<Device>>& devices) {
    while (true) {
        bool all = true;
        for (const auto& d : devices)
            all = all && d->done();
        if (all)
            return;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    }
}

QJsonArray inserts(qint64 firstId, int count, int salt) {
    QJsonArray a;
    for (int i = 0; i < count; ++i)
        a.append(QJsonObject{
            {QStringLiteral("mutation_id"), firstId + i},
            {QStringLiteral("table"), QStringLiteral("alert_rules")},
            {QStringLiteral("row_id"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
            {QStringLiteral("op"), QStringLiteral("insert")},
            {QStringLiteral("fields"), alertFields(salt + i)}});
    return a;
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QList<int> clientCounts = {10, 50};
    int seconds = 20;
    int pool = 8;
    bool prepared = true;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args.at(i) == QLatin1String("--clients")) {
            clientCounts.clear();
            for (const QString& n : args.at(i + 1).split(QLatin1Char(',')))
                clientCounts.append(n.toInt());
        } else if (args.at(i) == QLatin1String("--seconds")) {
            seconds = std::clamp(args.at(i + 1).toInt(), 1, 600);
        } else if (args.at(i) == QLatin1String("--pool")) {
            pool = std::clamp(args.at(i + 1).toInt(), 1, 100);
        } else if (args.at(i) == QLatin1String("--prepared")) {
            prepared = args.at(i + 1) != QLatin1String("off");
        }
    }
    const int maxClients =
        std::clamp(*std::max_element(clientCounts.begin(), clientCounts.end()), 1, 400);

    ServerFixture fx;
    QString error;
    QJsonObject config;
    config.insert(QStringLiteral("pool_size"), pool);
    config.insert(QStringLiteral("prepared_statements"), prepared);
    config.insert(QStringLiteral("log_requests"), false);
    config.insert(QStringLiteral("key_rate_limit_per_hour"), 100000000);
    config.insert(QStringLiteral("key_rate_limit_per_day"), 1000000000);
    config.insert(QStringLiteral("max_body_bytes"), 8 * 1024 * 1024);
    config.insert(QStringLiteral("max_queued_requests"), 2000);
    if (!fx.setUp(config, &error)) {
        print(QStringLiteral("setup failed: ") + error);
        return 1;
    }
    const qint64 serverPid = fx.server.pid();
    print(QStringLiteral("llamadesk-server load benchmark: loopback, TLS, pool_size=%1, "
                         "prepared_statements=%2, %3 s per level, %4 CPU cores")
              .arg(pool)
              .arg(prepared ? QStringLiteral("on") : QStringLiteral("off"))
              .arg(seconds)
              .arg(QThread::idealThreadCount()));

    QStringList keys;
    for (int u = 0; u < maxClients; ++u) {
        const QString key = fx.newUser(QStringLiteral("load%1@example.com").arg(u),
                                       QStringLiteral("a long enough password"),
                                       {QStringLiteral("read"), QStringLiteral("write")}, &error);
        if (key.isEmpty()) {
            print(QStringLiteral("sign-up failed: ") + error);
            return 1;
        }
        keys.append(key);
    }

    // 1. A pull with nothing new.
    {
        auto c = fx.client();
        c->setKey(keys.first());
        const QString client = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QString position = QStringLiteral("0.0");
        for (int i = 0; i < 100; ++i) { // catch up
            const ApiClient::Reply r =
                c->get(QStringLiteral("/v1/sync/pull?client_id=%1&after=%2&limit=5000")
                           .arg(client, position));
            position = r.json.value(QStringLiteral("position")).toString();
            if (!r.json.value(QStringLiteral("has_more")).toBool())
                break;
        }
        Samples empty;
        qsizetype wire = 0;
        for (int i = 0; i < 300; ++i) {
            QElapsedTimer t;
            t.start();
            const ApiClient::Reply r =
                c->get(QStringLiteral("/v1/sync/pull?client_id=%1&after=%2").arg(client, position));
            empty.clientMs.append(static_cast<double>(t.nsecsElapsed()) / 1e6);
            const QByteArray timing = r.header("server-timing");
            empty.serverMs.append(timing.mid(timing.indexOf("dur=") + 4).toDouble());
            if (r.json.value(QStringLiteral("changes")).toArray().size() != 0)
                ++empty.errors;
            wire = r.body.size();
            for (auto it = r.headers.begin(); it != r.headers.end(); ++it)
                wire += it.key().size() + it.value().size() + 4;
        }
        print(QStringLiteral("pull with nothing new (one device, sequential): %1; response %2 "
                             "bytes with headers")
                  .arg(empty.summary())
                  .arg(wire + 17)); // + status line
    }

    // 2. Mixed load.
    for (int clients : std::as_const(clientCounts)) {
        Samples pulls;
        Samples pushes;
        qint64 changes = 0;
        QList<std::shared_ptr<Device>> devices;
        for (int c = 0; c < clients; ++c)
            devices.append(std::make_shared<Device>(fx.server.port(), fx.ca.caCertificate(),
                                                    keys.at(c), &pulls, &pushes, &changes));
        const double serverCpu0 = cpuSeconds(serverPid);
        const double pgCpu0 = postgresCpuSeconds(fx.pg.dir());
        QElapsedTimer wall;
        wall.start();
        const QDateTime until = QDateTime::currentDateTimeUtc().addSecs(seconds);
        for (const auto& d : devices)
            d->start(until);
        runUntilDone(devices);
        const double elapsed = static_cast<double>(wall.elapsed()) / 1000.0;
        const double serverCpu = cpuSeconds(serverPid) - serverCpu0;
        const double pgCpu = postgresCpuSeconds(fx.pg.dir()) - pgCpu0;
        Samples all;
        all.clientMs = pulls.clientMs + pushes.clientMs;
        all.serverMs = pulls.serverMs + pushes.serverMs;
        all.errors = pulls.errors + pushes.errors;
        print(QStringLiteral("mixed load, %1 devices: %2 requests/s over %3 s; all: %4")
                  .arg(clients)
                  .arg(static_cast<double>(all.clientMs.size()) / elapsed, 0, 'f', 1)
                  .arg(elapsed, 0, 'f', 1)
                  .arg(all.summary()));
        print(QStringLiteral("  pulls:  ") + pulls.summary());
        print(QStringLiteral("  pushes: ") + pushes.summary() +
              QStringLiteral(" (1 insert + up to 2 updates each)"));
        print(QStringLiteral("  CPU: server %1 s (%2 cores), PostgreSQL %3 s (%4 cores), of %5 s "
                             "wall; changes pulled %6")
                  .arg(serverCpu, 0, 'f', 1)
                  .arg(serverCpu / elapsed, 0, 'f', 2)
                  .arg(pgCpu, 0, 'f', 1)
                  .arg(pgCpu / elapsed, 0, 'f', 2)
                  .arg(elapsed, 0, 'f', 1)
                  .arg(changes));
        print(QStringLiteral("  server memory: ") + memoryOf(serverPid));
    }

    // 3. The change feed: one device pushes batches of 500 while another pulls pages of 1,000.
    {
        auto writer = fx.client();
        writer->setKey(keys.at(1 % keys.size()));
        auto reader = fx.client();
        reader->setKey(keys.at(1 % keys.size()));
        const QString writerId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QString readerId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QString position = QStringLiteral("0.0");
        for (int i = 0; i < 100; ++i) { // catch up first
            const ApiClient::Reply r =
                reader->get(QStringLiteral("/v1/sync/pull?client_id=%1&after=%2&limit=5000")
                                .arg(readerId, position));
            position = r.json.value(QStringLiteral("position")).toString();
            if (!r.json.value(QStringLiteral("has_more")).toBool())
                break;
        }
        const int total = 20000;
        QElapsedTimer wall;
        wall.start();
        for (int b = 0; b < total / 500; ++b) {
            const ApiClient::Reply r = writer->post(
                QStringLiteral("/v1/sync/push"),
                QJsonObject{{QStringLiteral("client_id"), writerId},
                            {QStringLiteral("mutations"), inserts(b * 500 + 1, 500, b * 500)}});
            if (r.status != 200) {
                print(QStringLiteral("feed push failed: ") + QString::fromUtf8(r.describe()));
                return 1;
            }
        }
        const double writeSeconds = static_cast<double>(wall.elapsed()) / 1000.0;
        QElapsedTimer readClock;
        readClock.start();
        qint64 seen = 0;
        int pages = 0;
        while (seen < total && readClock.elapsed() < 120000) {
            const ApiClient::Reply r =
                reader->get(QStringLiteral("/v1/sync/pull?client_id=%1&after=%2&limit=1000")
                                .arg(readerId, position));
            ++pages;
            seen += r.json.value(QStringLiteral("changes")).toArray().size();
            position = r.json.value(QStringLiteral("position")).toString();
        }
        const double readSeconds = static_cast<double>(readClock.elapsed()) / 1000.0;
        print(QStringLiteral(
                  "change feed: %1 inserts pushed in batches of 500 at %2 changes/s (%3 s); "
                  "read back %4 changes in %5 pages at %6 changes/s")
                  .arg(total)
                  .arg(static_cast<double>(total) / writeSeconds, 0, 'f', 0)
                  .arg(writeSeconds, 0, 'f', 2)
                  .arg(seen)
                  .arg(pages)
                  .arg(static_cast<double>(seen) / readSeconds, 0, 'f', 0));
    }

    // 4. 1,000-mutation pushes (inserts), each in one request.
    {
        auto c = fx.client();
        c->setKey(keys.at(2 % keys.size()));
        QStringList figures;
        for (int round = 0; round < 3; ++round) {
            const QString client = QUuid::createUuid().toString(QUuid::WithoutBraces);
            QElapsedTimer t;
            t.start();
            const ApiClient::Reply r =
                c->post(QStringLiteral("/v1/sync/push"),
                        QJsonObject{{QStringLiteral("client_id"), client},
                                    {QStringLiteral("mutations"), inserts(1, 1000, round * 1000)}});
            figures.append(QStringLiteral("%1 ms (server %2)")
                               .arg(t.elapsed())
                               .arg(QString::fromLatin1(r.header("server-timing"))));
            if (r.json.value(QStringLiteral("results")).toArray().size() != 1000)
                figures.last() +=
                    QStringLiteral(" INCOMPLETE: ") + QString::fromUtf8(r.describe().left(200));
        }
        print(QStringLiteral("1,000-mutation push: ") + figures.join(QStringLiteral(", ")));
    }
    print(QStringLiteral("server memory at the end: ") + memoryOf(serverPid));
    fx.server.stop();
    return 0;
}
