#include "PgResult.h"

#include <libpq-fe.h>

namespace llamadesk::server {

void PgResult::Deleter::operator()(pg_result* r) const {
    PQclear(r);
}

PgResult::PgResult(pg_result* result)
    : m_result(result, Deleter()) {
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    m_ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    if (!m_ok && result) {
        m_error.message = QString::fromUtf8(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
        if (m_error.message.isEmpty())
            m_error.message = QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
        m_error.sqlState = QByteArray(PQresultErrorField(result, PG_DIAG_SQLSTATE));
        m_error.constraint = QString::fromUtf8(PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME));
        m_error.detail = QString::fromUtf8(PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL));
    }
}

PgResult PgResult::failure(PgError error) {
    PgResult r;
    r.m_ok = false;
    r.m_error = std::move(error);
    return r;
}

int PgResult::rows() const {
    return m_result ? PQntuples(m_result.get()) : 0;
}

int PgResult::columns() const {
    return m_result ? PQnfields(m_result.get()) : 0;
}

bool PgResult::isNull(int row, int column) const {
    return !m_result || PQgetisnull(m_result.get(), row, column) != 0;
}

QByteArray PgResult::bytes(int row, int column) const {
    if (isNull(row, column))
        return {};
    return QByteArray(PQgetvalue(m_result.get(), row, column),
                      PQgetlength(m_result.get(), row, column));
}

QString PgResult::text(int row, int column) const {
    if (isNull(row, column))
        return {};
    return QString::fromUtf8(PQgetvalue(m_result.get(), row, column),
                             PQgetlength(m_result.get(), row, column));
}

qint64 PgResult::int64(int row, int column) const {
    return bytes(row, column).toLongLong();
}

bool PgResult::boolean(int row, int column) const {
    const QByteArray v = bytes(row, column);
    return v == "t" || v == "true";
}

qint64 PgResult::affected() const {
    if (!m_result)
        return 0;
    return QByteArray(PQcmdTuples(m_result.get())).toLongLong();
}

} // namespace llamadesk::server
