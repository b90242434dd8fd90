#pragma once

#include "PgResult.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>

#include <functional>
#include <memory>

struct pg_conn;

namespace llamadesk::server {

// One bound value of a parameterized statement: text, or SQL NULL.
struct PgParam {
    QByteArray value;
    bool null = false;

    PgParam()
        : null(true) {}
    PgParam(const QByteArray& v)
        : value(v) {} // NOLINT(google-explicit-constructor)
    PgParam(const QString& v)
        : value(v.toUtf8()) {} // NOLINT(google-explicit-constructor)
    PgParam(const char* v)
        : value(v) {} // NOLINT(google-explicit-constructor)
    PgParam(qint64 v)
        : value(QByteArray::number(v)) {} // NOLINT(google-explicit-constructor)
    PgParam(int v)
        : value(QByteArray::number(v)) {} // NOLINT(google-explicit-constructor)
    PgParam(bool v)
        : value(v ? "true" : "false") {} // NOLINT(google-explicit-constructor)
    static PgParam nullValue() { return PgParam(); }
    // NULL for a null QString, the text otherwise.
    static PgParam orNull(const QString& v) { return v.isNull() ? PgParam() : PgParam(v); }
};

// One libpq connection, used by one thread at a time. Statements with values go through
// exec(): PQexecParams with an unnamed statement, never SQL text built from values, and
// never a named prepared statement (PgBouncer in transaction pooling mode cannot keep those).
class PgConnection {
    Q_DECLARE_TR_FUNCTIONS(PgConnection)

public:
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // conninfo is a libpq URL or key=value string. Returns null and sets *error on failure;
    // the error never contains the password.
    static std::unique_ptr<PgConnection> open(const QByteArray& conninfo, QString* error,
                                              int connectTimeoutSeconds = 10);

    PgResult exec(const char* sql, const QList<PgParam>& params = {});
    // Several statements without parameters in one round trip (migrations only: the files
    // are embedded in the binary, never built from input).
    PgResult execScript(const QByteArray& sql);

    bool isHealthy() const;
    // True when a transaction block is open (or failed and not yet rolled back).
    bool inTransaction() const;
    // Receives server notices (RAISE NOTICE) instead of libpq printing them to stderr.
    void setNoticeHandler(std::function<void(const QString&)> handler);

    // For the pool: when this connection was last handed out or checked.
    qint64 lastCheckedMs = 0;

private:
    explicit PgConnection(pg_conn* conn);
    PgResult wrap(pg_result* result);
    static void noticeThunk(void* arg, const char* message);

    pg_conn* m_conn;
    std::function<void(const QString&)> m_noticeHandler;
};

} // namespace llamadesk::server
