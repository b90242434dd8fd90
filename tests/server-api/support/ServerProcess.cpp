#include "ServerProcess.h"

#include "ServerTestPaths.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>

namespace servertest {
namespace {

QProcessEnvironment environmentWith(const QMap<QString, QString>& env) {
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    // Nothing from the caller's environment may configure the server under test.
    for (const QString& key : e.keys()) {
        if (key.startsWith(QLatin1String("LLAMADESK_")))
            e.remove(key);
    }
    for (auto it = env.begin(); it != env.end(); ++it)
        e.insert(it.key(), it.value());
    return e;
}

} // namespace

ServerProcess::~ServerProcess() {
    stop();
}

bool ServerProcess::start(const QStringList& args, const QMap<QString, QString>& env,
                          QString* error) {
    m_process.setProcessEnvironment(environmentWith(env));
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(serverBinary(), args);
    if (!m_process.waitForStarted(10000)) {
        *error = QStringLiteral("cannot start the server: ") + m_process.errorString();
        return false;
    }
    QDeadlineTimer deadline(30000);
    while (!deadline.hasExpired()) {
        if (m_process.state() == QProcess::NotRunning) {
            m_output += QString::fromUtf8(m_process.readAll());
            *error = QStringLiteral("the server exited: ") + m_output;
            return false;
        }
        m_process.waitForReadyRead(200);
        m_output += QString::fromUtf8(m_process.readAll());
        for (const QString& line : m_output.split(QLatin1Char('\n'))) {
            const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
            if (o.value(QStringLiteral("event")).toString() == QLatin1String("listening")) {
                m_port = static_cast<quint16>(o.value(QStringLiteral("port")).toInt());
                return true;
            }
        }
    }
    *error = QStringLiteral("the server did not report listening: ") + m_output;
    return false;
}

int ServerProcess::stop() {
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitCode();
    m_process.terminate();
    if (!m_process.waitForFinished(15000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
        m_output += QString::fromUtf8(m_process.readAll());
        return -1;
    }
    m_output += QString::fromUtf8(m_process.readAll());
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

QString ServerProcess::output() {
    if (m_process.state() != QProcess::NotRunning)
        m_output += QString::fromUtf8(m_process.readAll());
    return m_output;
}

ServerProcess::Run ServerProcess::runOnce(const QStringList& args,
                                          const QMap<QString, QString>& env, int timeoutMs) {
    QProcess p;
    p.setProcessEnvironment(environmentWith(env));
    p.start(serverBinary(), args);
    Run run;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return run;
    }
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = QString::fromUtf8(p.readAllStandardOutput());
    run.err = QString::fromUtf8(p.readAllStandardError());
    return run;
}

} // namespace servertest
