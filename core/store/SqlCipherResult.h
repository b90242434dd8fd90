#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QSqlRecord>
#include <QSqlResult>
#include <QString>
#include <QStringEncoder>
#include <QVariant>

#include "store/RepeatedTexts.h"

#include <cstddef>
#include <optional>
#include <vector>

class QSqlQuery;
struct sqlite3;
struct sqlite3_stmt;

namespace llamadesk::store {

class SqlCipherDriver;

// One prepared SQLCipher statement behind a QSqlQuery.
//
// Forward-only queries read values straight from the statement (no row cache). Scrollable queries
// (QSqlQueryModel seeks to arbitrary rows) keep a window of recently read rows; seeking before the
// window re-runs the statement from the start, which takes a fresh snapshot of the database.
// Re-executing a prepared query with new bound values resets the statement without re-preparing.
//
// Text values are turned into QString only when data() asks for that column. Values that repeat
// down a column (a user id, a wallet, an asset symbol, a type) come back as one shared QString
// instead of a new allocation per row; a column whose values do not repeat stops being looked
// up after a few rows.
class SqlCipherResult : public QSqlResult {
    Q_DECLARE_TR_FUNCTIONS(SqlCipherResult)
public:
    static constexpr int kWindowRows = 256;

    explicit SqlCipherResult(const SqlCipherDriver* driver);
    ~SqlCipherResult() override;

    QVariant handle() const override; // holds a sqlite3_stmt*

    // Called by the driver before the connection closes: a live statement keeps it from closing.
    void detachFromConnection();

    // The current row's value of column `field` as stored (UTF-8 bytes), without building a
    // QString: for readers that parse decimals and timestamps out of text. nullopt unless the
    // query runs on this driver, is forward-only, sits on a row and the value is text. The
    // bytes are valid until the query moves or reads that column through value().
    static std::optional<QByteArrayView> storedText(const QSqlQuery& query, int field);

    // The current row of a query, for readers that take many columns of many rows: the checks
    // storedText makes on every call are made once per row. Valid while the query stays on the
    // row it was on; invalid (every call answers nullopt or false) under storedText's conditions.
    class StoredRow {
    public:
        explicit StoredRow(const QSqlQuery& query);
        bool isValid() const { return m_result != nullptr; }
        // Whether the column holds NULL; true for a column that does not exist (as
        // QSqlQuery::isNull) and when invalid.
        bool isNull(int field) const;
        // As storedText.
        std::optional<QByteArrayView> text(int field) const;
        // The value's text as SQLite converts it (a number becomes its text form), or nullopt
        // for NULL: one call into SQLite fewer than text(), for readers of many text columns.
        // Also nullopt when SQLite could not convert the value (out of memory): check with
        // isNull() before taking nullopt for NULL.
        // With `null`: whether a nullopt is NULL (else SQLite could not convert the value),
        // from the same lookup of the value.
        std::optional<QByteArrayView> textOrNull(int field, bool* null = nullptr) const;
        // A BLOB column's bytes; nullopt for any other type (NULL included).
        std::optional<QByteArrayView> blob(int field) const;
        // The string of `stored`, this column's text on this row, from the column's cache of
        // repeated values.
        QString cachedString(int field, QByteArrayView stored) const;

    private:
        bool inRange(int field) const { return m_result && field >= 0 && field < m_columns; }
        SqlCipherResult* m_result = nullptr;
        int m_columns = 0;
    };

protected:
    using QSqlResult::bindValue;
    // Fast path for re-binding a position that is already known: Qt's version formats a
    // placeholder name and hashes it on every call, which dominates bulk inserts.
    void bindValue(int index, const QVariant& value, QSql::ParamType type) override;
    bool prepare(const QString& query) override;
    bool exec() override;
    bool reset(const QString& query) override;
    QVariant data(int field) override;
    bool isNull(int field) override;
    bool fetch(int row) override;
    bool fetchNext() override;
    bool fetchFirst() override;
    bool fetchLast() override;
    int size() override;
    int numRowsAffected() override;
    QSqlRecord record() const override;
    QVariant lastInsertId() const override;
    void detachFromResultSet() override;

private:
    // Ring of the most recent rows, contiguous: rows [first, first + count).
    class RowWindow {
    public:
        void configure(int capacity, int columns);
        void clear() {
            m_first = 0;
            m_count = 0;
        }
        bool contains(int row) const {
            return m_count > 0 && row >= m_first && row < m_first + m_count;
        }
        int capacity() const { return m_capacity; }
        const QVariant* row(int index) const;
        // Slot for row, which must follow the last row held (otherwise the window starts over).
        QVariant* append(int row);

    private:
        std::vector<QVariant> m_cells;
        int m_capacity = 0;
        int m_columns = 0;
        int m_first = 0;
        int m_count = 0;
    };

    const SqlCipherDriver* cipherDriver() const;
    bool onStatementRow() const { return m_forwardOnly && !m_stmtDone && at() == m_stmtRow; }
    // setAt(row), and remembers onStatementRow() for data() and isNull(): QSqlResult::at() is a
    // call into Qt, and they are called for every value read. QSqlQuery moves at() by itself
    // only to before the first or after the last row, where it calls neither.
    void moveTo(int row);
    void finalizeStatement();
    void resetRowState();
    bool restartStatement();
    bool stepStatement();
    void materializeCurrentRow();
    // The current row's sqlite3_value* of `column` (void*: its declaration differs between
    // SQLite versions). Inline, as it is called for every value read; see locateRowValues().
    void* rowValue(int column) {
        if (m_rowValues || locateRowValues())
            return m_rowValues + column * m_valueStride;
        return askForValue(column);
    }
    bool locateRowValues();
    void* askForValue(int column) const;
    QVariant columnValue(int column);
    bool bindAll();
    bool bindOne(int index, const QVariant& value, const QString& converted, char** arenaCursor);
    void setStatementError(const QString& what, int code);

    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    int m_columnCount = 0;
    int m_paramCount = 0;
    int m_stmtRow = -1;            // row the statement is on; -1 before the first step
    bool m_atStatementRow = false; // see moveTo()
    bool m_stmtDone = false;       // no current row: finished or failed
    int m_knownRowCount = -1;      // set once the end was reached
    bool m_forwardOnly = true;     // captured at exec
    bool m_watchSteps = false;     // captured at exec: on the GUI thread of a GUI application
    QSql::NumericalPrecisionPolicy m_precision = QSql::LowPrecisionDouble;
    int m_rowsAffected = -1;
    qint64 m_lastInsertId = 0;
    std::vector<QVariant> m_nullValues; // typed null per column, from the declared type
    std::vector<RepeatedTexts> m_texts; // per column, kept until the statement is finalized
    // See rowValue(): the current row's first value (null until located) and the distance in
    // bytes between a row's values (0 until checked, -1 when every column must be asked for).
    char* m_rowValues = nullptr;
    std::ptrdiff_t m_valueStride = 0;
    RowWindow m_window;
    mutable QSqlRecord m_record;
    mutable bool m_recordValid = false;

    // Bound text is encoded into one reusable buffer and bound without a copy (SQLITE_STATIC);
    // blobs are kept alive by holding a reference. Both stay valid until the next exec.
    QByteArray m_arena;
    std::vector<QByteArray> m_keptBlobs;
    std::vector<QString> m_converted;
    QStringEncoder m_encoder{QStringEncoder::Utf8, QStringConverter::Flag::Stateless};
};

} // namespace llamadesk::store

Q_DECLARE_OPAQUE_POINTER(sqlite3_stmt*)
Q_DECLARE_METATYPE(sqlite3_stmt*)
