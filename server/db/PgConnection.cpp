#include "PgConnection.h"

#include <libpq-fe.h>

#include <vector>

namespace llamadesk::server {

PgConnection::PgConnection(pg_conn* conn)
    : m_conn(conn) {
    PQsetNoticeProcessor(m_conn, &PgConnection::noticeThunk, this);
}

PgConnection::~PgConnection() {
    PQfinish(m_conn);
}

std::unique_ptr<PgConnection> PgConnection::open(const QByteArray& conninfo, QString* error,
                                                 int connectTimeoutSeconds) {
    // expand_dbname lets the URL (or key=value string) in "dbname" set everything; the
    // keywords after it only fill in what the URL does not say.
    const QByteArray timeout = QByteArray::number(connectTimeoutSeconds);
    const char* keywords[] = {"dbname", "connect_timeout", "application_name", nullptr};
    const char* values[] = {conninfo.constData(), timeout.constData(), "llamadesk-server", nullptr};
    pg_conn* conn = PQconnectdbParams(keywords, values, 1);
    if (!conn) {
        *error = tr("out of memory while connecting to PostgreSQL");
        return nullptr;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        // libpq's message names host and user, never the password.
        *error = tr("cannot connect to PostgreSQL: %1")
                     .arg(QString::fromUtf8(PQerrorMessage(conn)).trimmed());
        PQfinish(conn);
        return nullptr;
    }
    return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgResult PgConnection::wrap(pg_result* result) {
    PgResult r(result);
    if (!r.ok() && PQstatus(m_conn) != CONNECTION_OK) {
        PgError e = r.error();
        e.connectionLost = true;
        if (e.message.isEmpty())
            e.message = QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
        return PgResult::failure(e);
    }
    if (!result) {
        PgError e;
        e.message = QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
        e.connectionLost = PQstatus(m_conn) != CONNECTION_OK;
        return PgResult::failure(e);
    }
    return r;
}

PgResult PgConnection::exec(const char* sql, const QList<PgParam>& params) {
    std::vector<const char*> values(static_cast<size_t>(params.size()));
    std::vector<int> lengths(static_cast<size_t>(params.size()));
    for (qsizetype i = 0; i < params.size(); ++i) {
        const PgParam& p = params.at(i);
        values[static_cast<size_t>(i)] = p.null ? nullptr : p.value.constData();
        lengths[static_cast<size_t>(i)] = static_cast<int>(p.value.size());
    }
    const int count = static_cast<int>(params.size());
    pg_result* result = m_preparing ? execPrepared(sql, count, values.data(), lengths.data(), false)
                                    : PQexecParams(m_conn, sql, count, nullptr, values.data(),
                                                   lengths.data(), nullptr, 0);
    return wrap(result);
}

pg_result* PgConnection::execPrepared(const char* sql, int count, const char* const* values,
                                      const int* lengths, bool again) {
    const QByteArray text = QByteArray::fromRawData(sql, static_cast<qsizetype>(qstrlen(sql)));
    auto it = m_prepared.constFind(text);
    if (it == m_prepared.constEnd()) {
        if (m_prepared.size() >= kMaxPrepared)
            return PQexecParams(m_conn, sql, count, nullptr, values, lengths, nullptr, 0);
        const QByteArray name = "ld" + QByteArray::number(++m_statementsNamed);
        pg_result* prepared = PQprepare(m_conn, name.constData(), sql, count, nullptr);
        if (PQresultStatus(prepared) != PGRES_COMMAND_OK)
            return prepared; // the statement's own error (or a failed transaction's)
        PQclear(prepared);
        it = m_prepared.insert(QByteArray(sql), name);
    }
    pg_result* result =
        PQexecPrepared(m_conn, it.value().constData(), count, values, lengths, nullptr, 0);
    // Gone (DEALLOCATE, DISCARD ALL: 26000) or its result type changed under it after a
    // migration (0A000, which can also be a statement's own error): forget it, so the next
    // use prepares it afresh. A statement that was gone never ran: outside a transaction
    // block, run it again at once; inside one the block has failed and the error stands.
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const bool gone = state && qstrcmp(state, "26000") == 0;
    if (gone || (state && qstrcmp(state, "0A000") == 0)) {
        m_prepared.erase(it);
        if (gone && !again && PQtransactionStatus(m_conn) == PQTRANS_IDLE) {
            PQclear(result);
            return execPrepared(sql, count, values, lengths, true);
        }
    }
    return result;
}

PgResult PgConnection::execScript(const QByteArray& sql) {
    return wrap(PQexec(m_conn, sql.constData()));
}

bool PgConnection::isHealthy() const {
    return PQstatus(m_conn) == CONNECTION_OK;
}

bool PgConnection::inTransaction() const {
    const PGTransactionStatusType s = PQtransactionStatus(m_conn);
    return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

void PgConnection::setNoticeHandler(std::function<void(const QString&)> handler) {
    m_noticeHandler = std::move(handler);
}

void PgConnection::noticeThunk(void* arg, const char* message) {
    auto* self = static_cast<PgConnection*>(arg);
    if (self->m_noticeHandler)
        self->m_noticeHandler(QString::fromUtf8(message).trimmed());
}

} // namespace llamadesk::server
