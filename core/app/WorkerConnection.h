#pragma once

#include <QSqlDatabase>
#include <QString>

namespace llamadesk::vault {
class Vault;
}

namespace llamadesk::app {

// A vault connection of its own for work on another thread: opened on construction in the
// calling thread under a unique name, closed when it goes out of scope in that same thread.
class WorkerConnection {
public:
    explicit WorkerConnection(const vault::Vault& vault);
    ~WorkerConnection();
    WorkerConnection(const WorkerConnection&) = delete;
    WorkerConnection& operator=(const WorkerConnection&) = delete;

    bool isOpen() const { return m_db.isOpen(); }
    QSqlDatabase database() const { return m_db; }
    QString error() const { return m_error; }

private:
    QString m_name;
    QSqlDatabase m_db;
    QString m_error;
};

} // namespace llamadesk::app
