#pragma once

#include "Result.h"
#include "domain/Timestamp.h"
#include "money/Decimal.h"
#include "store/SqlCipherResult.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <map>
#include <memory>
#include <optional>

namespace llamadesk::store {

// What the typed repositories share: a cache of prepared statements, transactions that nest,
// conversions between domain values and their stored text, and error messages that say which
// operation failed and why without ever quoting a bound value.
//
// A repository works on one connection (QSqlDatabase) on one thread. Destroy it before removing
// the connection: its cached statements belong to the connection.
class SqlRepository {
    Q_DECLARE_TR_FUNCTIONS(SqlRepository)

public:
    QSqlDatabase database() const { return m_db; }

    // A write transaction that nests. The outermost one is BEGIN IMMEDIATE (the write lock is
    // taken at once, so a competing writer waits at BEGIN instead of failing halfway); one opened
    // while another transaction is active becomes a savepoint, so a repository call can be part
    // of a larger unit of work. Rolls back unless commit() succeeded.
    class Transaction {
    public:
        explicit Transaction(QSqlDatabase db);
        ~Transaction();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;

        Status begin(const QString& where);
        Status commit();
        void rollback();

    private:
        QSqlDatabase m_db;
        QString m_where;
        QString m_savepoint; // empty for the outermost transaction
        bool m_active = false;
    };

protected:
    explicit SqlRepository(QSqlDatabase db, const char* name);
    ~SqlRepository();
    SqlRepository(const SqlRepository&) = delete;
    SqlRepository& operator=(const SqlRepository&) = delete;

    // The statement for this SQL text, prepared on first use, then reused: re-executing resets
    // it and binds the new values without preparing again. Forward-only. `what` names the
    // operation for the error message. For the repository's fixed SQL: kept for its lifetime.
    Result<QSqlQuery*> statement(const QString& sql, const QString& what);
    // The same for SQL built from filters: a bounded cache that drops idle statements when full,
    // so the pointer is only good until the next dynamicStatement() call.
    Result<QSqlQuery*> dynamicStatement(const QString& sql, const QString& what);
    // Executes a statement prepared by statement() after its values were bound.
    Status execute(QSqlQuery& query, const QString& what);

    // Runs a bound UPDATE that must change exactly one row, in its own transaction (a savepoint
    // inside the caller's). `subject` names the row in a failure to begin; `notFound` is the
    // reason given when no row (or more than one) changed, and nothing is kept then.
    Status executeOne(QSqlQuery& query, const QString& what, const QString& subject,
                      const QString& notFound);

    // Fills one domain value from the current row; false with the reason (see Row) otherwise.
    template <typename T> using RowReader = bool (*)(const QSqlQuery&, T*, QString*);
    // Executes a bound SELECT and reads every row with `read`, or only the first one; the query
    // is finished either way, so its snapshot is released.
    template <typename T>
    Result<QList<T>> readAll(QSqlQuery& query, RowReader<T> read, const QString& what);
    template <typename T>
    Result<std::optional<T>> readFirst(QSqlQuery& query, RowReader<T> read, const QString& what);
    // The driver's and the database's text of an error (never a bound value).
    static QString describe(const QSqlError& error);
    // "<Repository>.<what>: <why>"
    QString failure(const QString& what, const QString& why) const;
    QString failure(const QString& what, const QSqlError& error) const;

    // Stored forms (see docs/local-schema.md): decimals and timestamps as exact text, booleans
    // as 0/1, JSON as text, a nullopt as SQL NULL.
    static QVariant text(const QString& v);
    static QVariant text(const std::optional<QString>& v);
    static QVariant decimal(const Decimal& v) { return v.toString(); }
    static QVariant decimal(const std::optional<Decimal>& v);
    static QVariant timestamp(const Timestamp& v) { return v.toString(); }
    static QVariant timestamp(const std::optional<Timestamp>& v);
    static QVariant boolean(bool v) { return v ? 1 : 0; }
    static QVariant boolean(const std::optional<bool>& v);
    static QVariant integer(qint64 v) { return v; }
    static QVariant integer(const std::optional<qint64>& v);
    static QVariant stringList(const QStringList& v); // JSON array of strings

    // Reads one row of a query column by column, converting stored text back to domain values.
    // The first conversion failure is kept (column name and why, never the value).
    class Row {
        Q_DECLARE_TR_FUNCTIONS(SqlRepository)

    public:
        explicit Row(const QSqlQuery& query)
            : m_query(query)
            , m_stored(query) {}

        // The plain readers take the value a NULL stands for: the schema's default for columns
        // that are nullable on the server but have a default. Without one, NULL is an error.
        QString text(int column);
        std::optional<QString> optText(int column);
        // The same as *out = text(column), but into out's own buffer when it has one: a reader
        // that refills the same rows allocates nothing for text that never repeats (ids,
        // hashes).
        void textInto(int column, QString* out);
        qint64 integer(int column, std::optional<qint64> ifNull = std::nullopt);
        std::optional<qint64> optInteger(int column);
        bool boolean(int column, std::optional<bool> ifNull = std::nullopt);
        std::optional<bool> optBoolean(int column);
        Decimal decimal(int column, std::optional<Decimal> ifNull = std::nullopt);
        std::optional<Decimal> optDecimal(int column);
        Timestamp timestamp(int column);
        std::optional<Timestamp> optTimestamp(int column);
        QStringList stringList(int column, const QStringList& ifNull = {});
        template <typename E>
        E enumeration(int column, std::optional<E> (*parse)(QStringView), E ifNull) {
            QByteArrayView stored;
            const Cell c = cell(column, &stored);
            if (c == Cell::Null)
                return ifNull;
            const QStringView wide = c == Cell::Text ? widen(stored) : QStringView();
            if (const std::optional<E> e = parse(wide.isNull() ? parseView(column) : wide))
                return *e;
            fail(column, tr("not one of the allowed values"));
            return ifNull;
        }
        template <typename E>
        std::optional<E> optEnumeration(int column, std::optional<E> (*parse)(QStringView)) {
            if (isNull(column))
                return std::nullopt;
            std::optional<E> e = parse(parseView(column));
            if (!e)
                fail(column, tr("not one of the allowed values"));
            return e;
        }

        bool ok() const { return m_error.isEmpty(); }
        const QString& error() const { return m_error; }

    private:
        void fail(int column, const QString& why);
        bool missing(int column); // NULL in a column that must have a value
        // What a column holds: NULL, text (with its stored UTF-8), or something to read through
        // QSqlQuery::value() (another driver, a scrollable query, a value SQLite could not turn
        // into text). One or two calls into SQLite, where separate isNull() and text lookups
        // take four or five.
        enum class Cell { Null, Text, Other };
        Cell cell(int column, QByteArrayView* text);
        Decimal parseDecimal(int column, Cell cell, QByteArrayView stored);
        bool isNull(int column) const {
            return m_stored.isValid() ? m_stored.isNull(column) : m_query.isNull(column);
        }
        // A non-NULL column's text for a parser. Short ASCII text (timestamps, enum names) is
        // widened from the driver's stored bytes into m_wide, without a QString; anything else
        // goes through value(). Valid until the next call.
        QStringView parseView(int column);
        // Short ASCII text widened into m_wide; a null view when it is too long or not ASCII.
        QStringView widen(QByteArrayView stored);

        const QSqlQuery& m_query;
        const SqlCipherResult::StoredRow m_stored;
        QString m_error;
        QString m_text;
        char16_t m_wide[40];
    };

    QSqlDatabase m_db;

private:
    const char* m_name;
    Result<QSqlQuery*> prepareInto(std::map<QString, std::unique_ptr<QSqlQuery>>& cache,
                                   const QString& sql, const QString& what);
    std::map<QString, std::unique_ptr<QSqlQuery>> m_statements;
    std::map<QString, std::unique_ptr<QSqlQuery>> m_dynamicStatements;
};

template <typename T>
Result<QList<T>> SqlRepository::readAll(QSqlQuery& query, RowReader<T> read, const QString& what) {
    using R = Result<QList<T>>;
    if (Status s = execute(query, what); !s)
        return R::failure(s.error());
    QList<T> rows;
    QString error;
    while (query.next()) {
        T row;
        if (!read(query, &row, &error)) {
            query.finish();
            return R::failure(failure(what, error));
        }
        rows.append(std::move(row));
    }
    const QSqlError sqlError = query.lastError();
    query.finish();
    if (sqlError.isValid())
        return R::failure(failure(what, sqlError));
    return rows;
}

template <typename T>
Result<std::optional<T>> SqlRepository::readFirst(QSqlQuery& query, RowReader<T> read,
                                                  const QString& what) {
    using R = Result<std::optional<T>>;
    if (Status s = execute(query, what); !s)
        return R::failure(s.error());
    std::optional<T> found;
    if (query.next()) {
        T row;
        QString error;
        if (!read(query, &row, &error)) {
            query.finish();
            return R::failure(failure(what, error));
        }
        found = std::move(row);
    }
    const QSqlError sqlError = query.lastError();
    query.finish();
    if (sqlError.isValid())
        return R::failure(failure(what, sqlError));
    return found;
}

} // namespace llamadesk::store
