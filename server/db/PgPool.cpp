#include "PgPool.h"

#include <QDateTime>
#include <QDeadlineTimer>

namespace llamadesk::server {
namespace {

// A connection idle longer than this is checked with a round trip before it is lent: the
// database, a bouncer or a firewall may have dropped it meanwhile.
constexpr qint64 kRecheckAfterMs = 30000;

qint64 nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

PgPool::PgPool(QByteArray conninfo, int size, bool preparing, int connectTimeoutSeconds)
    : m_conninfo(std::move(conninfo))
    , m_size(size < 1 ? 1 : size)
    , m_preparing(preparing)
    , m_connectTimeoutSeconds(connectTimeoutSeconds) {}

PgPool::~PgPool() = default;

int PgPool::openConnections() const {
    QMutexLocker lock(&m_mutex);
    return m_open;
}

int PgPool::idleConnections() const {
    QMutexLocker lock(&m_mutex);
    return static_cast<int>(m_idle.size());
}

std::unique_ptr<PgConnection> PgPool::connectNew(QString* error) {
    std::unique_ptr<PgConnection> connection =
        PgConnection::open(m_conninfo, error, m_connectTimeoutSeconds);
    if (connection)
        connection->setPreparing(m_preparing);
    return connection;
}

PgPool::Lease PgPool::acquire(int timeoutMs, QString* error) {
    QDeadlineTimer deadline(timeoutMs);
    std::unique_ptr<PgConnection> connection;
    bool mustOpen = false;
    {
        QMutexLocker lock(&m_mutex);
        while (m_idle.empty() && m_open >= m_size) {
            if (!m_available.wait(&m_mutex, deadline)) {
                *error = tr("all %1 database connections are busy").arg(m_size);
                return {};
            }
        }
        if (!m_idle.empty()) {
            connection = std::move(m_idle.back());
            m_idle.pop_back();
        } else {
            ++m_open; // reserve the slot, open outside the lock
            mustOpen = true;
        }
    }
    if (!mustOpen && nowMs() - connection->lastCheckedMs > kRecheckAfterMs) {
        if (!connection->isHealthy() || !connection->exec("SELECT 1").ok()) {
            connection.reset();
            mustOpen = true;
        }
    }
    if (mustOpen) {
        connection = connectNew(error);
        if (!connection) {
            QMutexLocker lock(&m_mutex);
            --m_open;
            m_available.wakeOne();
            return {};
        }
    }
    connection->lastCheckedMs = nowMs();
    return Lease(this, std::move(connection));
}

void PgPool::giveBack(std::unique_ptr<PgConnection> connection) {
    // A connection must come back clean: outside any transaction and alive.
    if (connection && connection->isHealthy() && connection->inTransaction()) {
        if (!connection->exec("ROLLBACK").ok())
            connection.reset();
    }
    if (connection && !connection->isHealthy())
        connection.reset();
    QMutexLocker lock(&m_mutex);
    if (connection)
        m_idle.push_back(std::move(connection));
    else
        --m_open;
    m_available.wakeOne();
}

PgPool::Lease::Lease(PgPool* pool, std::unique_ptr<PgConnection> connection)
    : m_pool(pool)
    , m_connection(std::move(connection)) {}

PgPool::Lease::Lease(Lease&& other) noexcept
    : m_pool(other.m_pool)
    , m_connection(std::move(other.m_connection)) {
    other.m_pool = nullptr;
}

PgPool::Lease& PgPool::Lease::operator=(Lease&& other) noexcept {
    if (this != &other) {
        release();
        m_pool = other.m_pool;
        m_connection = std::move(other.m_connection);
        other.m_pool = nullptr;
    }
    return *this;
}

PgPool::Lease::~Lease() {
    release();
}

void PgPool::Lease::release() {
    if (m_pool && m_connection)
        m_pool->giveBack(std::move(m_connection));
    m_pool = nullptr;
}

bool PgPool::Lease::reconnect(QString* error) {
    if (!m_pool)
        return false;
    m_connection.reset();
    m_connection = m_pool->connectNew(error);
    if (!m_connection) {
        // Give the slot back so the pool can try again later.
        QMutexLocker lock(&m_pool->m_mutex);
        --m_pool->m_open;
        m_pool->m_available.wakeOne();
        m_pool = nullptr;
        return false;
    }
    m_connection->lastCheckedMs = QDateTime::currentMSecsSinceEpoch();
    return true;
}

} // namespace llamadesk::server
