#include "app/WorkerConnection.h"

#include "vault/Vault.h"

#include <QAtomicInteger>

namespace llamadesk::app {

namespace {
QAtomicInteger<quint64> g_serial;
}

WorkerConnection::WorkerConnection(const vault::Vault& vault)
    : m_name(QStringLiteral("llamadesk-worker-%1").arg(g_serial.fetchAndAddRelaxed(1))) {
    m_db = vault.openConnection(m_name, &m_error);
}

WorkerConnection::~WorkerConnection() {
    m_db = QSqlDatabase();
    vault::Vault::closeConnection(m_name);
}

} // namespace llamadesk::app
