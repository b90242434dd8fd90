#pragma once

#include <QMap>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace servertest {

// The real llamadesk-server executable, started as a child process. start() waits for its
// "listening" log line and learns the port from it.
class ServerProcess {
public:
    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
    };

    ServerProcess() = default;
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    bool start(const QStringList& args, const QMap<QString, QString>& env, QString* error);
    // SIGTERM, then waits; returns the exit code (-1 when it had to be killed).
    int stop();
    bool running() const { return m_process.state() != QProcess::NotRunning; }
    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    // Everything the server wrote so far (stdout and stderr).
    QString output();

    // Runs llamadesk-server to completion (e.g. "migrate").
    static Run runOnce(const QStringList& args, const QMap<QString, QString>& env = {},
                       int timeoutMs = 120000);

private:
    QProcess m_process;
    QString m_output;
    quint16 m_port = 0;
};

} // namespace servertest
