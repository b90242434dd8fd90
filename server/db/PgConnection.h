#pragma once

#include "PgResult.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QHash>
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
// exec(), never SQL text built from values. With setPreparing(true) each distinct statement
// text is prepared once (a named statement of this connection) and then only bound and
// executed: parsing and analysing took about a quarter of PostgreSQL's time under load.
// Without it, every exec() sends an unnamed statement, which is what PgBouncer in transaction
// pooling mode (before 1.21) needs: it cannot keep a named statement on one server connection.
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
    // Prepared statements on (see the class comment). Off by default.
    void setPreparing(bool on) { m_preparing = on; }
    bool isPreparing() const { return m_preparing; }
    int preparedCount() const { return static_cast<int>(m_prepared.size()); }
    // Beyond this many distinct texts (generated SQL, say) statements go unnamed again.
    static constexpr int kMaxPrepared = 256;
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

    pg_result* execPrepared(const char* sql, int count, const char* const* values,
                            const int* lengths, bool again);

    pg_conn* m_conn;
    std::function<void(const QString&)> m_noticeHandler;
    bool m_preparing = false;
    QHash<QByteArray, QByteArray> m_prepared; // statement text -> name on this connection
    qint64 m_statementsNamed = 0;             // names are never reused
};

} // namespace llamadesk::server
