#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

struct pg_result;

namespace llamadesk::server {

// What PostgreSQL said when a statement failed. sqlState is the five-character SQLSTATE
// ("23505" unique violation, "LD001" the schema's resync-required...).
struct PgError {
    QString message;
    QByteArray sqlState;
    QString constraint;
    QString detail;
    bool connectionLost = false;

    bool isUniqueViolation() const { return sqlState == "23505"; }
    bool isConstraintViolation() const { return sqlState.startsWith("23"); }
};

// The result of one statement, text format. Owns the libpq result.
class PgResult {
public:
    PgResult() = default;
    explicit PgResult(pg_result* result);
    static PgResult failure(PgError error);

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const PgError& error() const { return m_error; }

    int rows() const;
    int columns() const;
    bool isNull(int row, int column) const;
    QByteArray bytes(int row, int column) const;
    QString text(int row, int column) const;
    qint64 int64(int row, int column) const;
    bool boolean(int row, int column) const;
    // Rows affected by INSERT/UPDATE/DELETE.
    qint64 affected() const;

private:
    struct Deleter {
        void operator()(pg_result* r) const;
    };
    std::shared_ptr<pg_result> m_result;
    bool m_ok = false;
    PgError m_error;
};

} // namespace llamadesk::server
