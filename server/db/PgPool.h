#pragma once

#include "PgConnection.h"

#include <QCoreApplication>
#include <QMutex>
#include <QWaitCondition>

#include <memory>
#include <vector>

namespace llamadesk::server {

// A fixed-size pool of PostgreSQL connections shared by the worker threads. Connections are
// opened on demand up to the configured size, checked when they come back (a broken one, or
// one left inside a transaction that cannot be rolled back, is closed and replaced later),
// and re-checked with a trivial query when they sat idle for a while.
class PgPool {
    Q_DECLARE_TR_FUNCTIONS(PgPool)

public:
    // preparing: the connections prepare their statements (PgConnection::setPreparing).
    PgPool(QByteArray conninfo, int size, bool preparing = false, int connectTimeoutSeconds = 10);
    ~PgPool();
    PgPool(const PgPool&) = delete;
    PgPool& operator=(const PgPool&) = delete;

    // A connection on loan; goes back to the pool when destroyed.
    class Lease {
    public:
        Lease() = default;
        Lease(PgPool* pool, std::unique_ptr<PgConnection> connection);
        Lease(Lease&& other) noexcept;
        Lease& operator=(Lease&& other) noexcept;
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;

        explicit operator bool() const { return static_cast<bool>(m_connection); }
        PgConnection* operator->() const { return m_connection.get(); }
        PgConnection& operator*() const { return *m_connection; }
        // Replaces a connection found broken with a fresh one (same pool slot).
        bool reconnect(QString* error);

    private:
        void release();
        PgPool* m_pool = nullptr;
        std::unique_ptr<PgConnection> m_connection;
    };

    // Waits up to timeoutMs for a connection. On failure *error says why (pool exhausted, or
    // the database cannot be reached).
    Lease acquire(int timeoutMs, QString* error);

    int size() const { return m_size; }
    int openConnections() const;
    int idleConnections() const;

private:
    void giveBack(std::unique_ptr<PgConnection> connection);
    std::unique_ptr<PgConnection> connectNew(QString* error);

    QByteArray m_conninfo;
    int m_size;
    bool m_preparing;
    int m_connectTimeoutSeconds;
    mutable QMutex m_mutex;
    QWaitCondition m_available;
    std::vector<std::unique_ptr<PgConnection>> m_idle;
    int m_open = 0; // idle + lent + being opened
};

} // namespace llamadesk::server
