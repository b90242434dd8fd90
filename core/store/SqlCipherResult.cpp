#include "store/SqlCipherResult.h"

#include "Logging.h"
#include "store/SqlCipherDriver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

#include <QSqlError>
#include <QSqlField>
#include <QSqlQuery>

#include <sqlite3.h>

#include <cstring>
#include <limits>

namespace llamadesk::store {

namespace {

// The type a NULL reads back as, from the column's declared type (SQLite affinity rules).
QVariant typedNull(const char* declared) {
    if (!declared)
        return QVariant();
    const QByteArray upper = QByteArray(declared).toUpper();
    if (upper.contains("INT"))
        return QVariant(QMetaType::fromType<qlonglong>());
    if (upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT"))
        return QVariant(QMetaType::fromType<QString>());
    if (upper.contains("BLOB"))
        return QVariant(QMetaType::fromType<QByteArray>());
    if (upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB"))
        return QVariant(QMetaType::fromType<double>());
    return QVariant(QMetaType::fromType<QString>());
}

QMetaType typeOfStorageClass(int storageClass) {
    switch (storageClass) {
    case SQLITE_INTEGER:
        return QMetaType::fromType<qlonglong>();
    case SQLITE_FLOAT:
        return QMetaType::fromType<double>();
    case SQLITE_BLOB:
        return QMetaType::fromType<QByteArray>();
    case SQLITE_TEXT:
        return QMetaType::fromType<QString>();
    default:
        return QMetaType();
    }
}

// True when text holds nothing but whitespace, semicolons and comments.
bool onlyTrailingNoise(sqlite3* db, const char* text, const char* end) {
    while (text < end) {
        const char c = *text;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '\0') {
            ++text;
            continue;
        }
        // Comments prepare to no statement; anything else is a second statement.
        sqlite3_stmt* extra = nullptr;
        const char* tail = nullptr;
        const int rc = sqlite3_prepare_v2(db, text, int(end - text), &extra, &tail);
        const bool statement = rc != SQLITE_OK || extra != nullptr;
        sqlite3_finalize(extra);
        if (statement || !tail || tail <= text)
            return !statement && tail == end;
        text = tail;
    }
    return true;
}

// Values bound as text through QVariant::toString(): anything not handled natively that converts,
// such as the project's Decimal type. Dates are refused on purpose (see bindOne).
bool needsTextConversion(const QVariant& value) {
    switch (value.typeId()) {
    case QMetaType::UnknownType:
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::Short:
    case QMetaType::Char:
    case QMetaType::SChar:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::UShort:
    case QMetaType::UChar:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
    case QMetaType::Float:
    case QMetaType::QString:
    case QMetaType::QByteArray:
    case QMetaType::QDateTime:
    case QMetaType::QDate:
    case QMetaType::QTime:
        return false;
    default:
        return !value.isNull() && value.canConvert<QString>();
    }
}

} // namespace

void SqlCipherResult::RowWindow::configure(int capacity, int columns) {
    if (capacity != m_capacity || columns != m_columns) {
        m_capacity = capacity;
        m_columns = columns;
        m_cells.assign(size_t(capacity) * size_t(columns), QVariant());
    }
    clear();
}

const QVariant* SqlCipherResult::RowWindow::row(int index) const {
    if (!contains(index))
        return nullptr;
    return m_cells.data() + size_t(index % m_capacity) * size_t(m_columns);
}

QVariant* SqlCipherResult::RowWindow::append(int row) {
    if (m_count > 0 && row != m_first + m_count)
        clear();
    if (m_count == 0)
        m_first = row;
    if (m_count == m_capacity)
        ++m_first; // the oldest row shares the slot of the new one
    else
        ++m_count;
    return m_cells.data() + size_t(row % m_capacity) * size_t(m_columns);
}

SqlCipherResult::SqlCipherResult(const SqlCipherDriver* driver)
    : QSqlResult(driver) {
    driver->registerResult(this);
}

SqlCipherResult::~SqlCipherResult() {
    finalizeStatement();
    if (const SqlCipherDriver* owner = cipherDriver())
        owner->unregisterResult(this);
}

const SqlCipherDriver* SqlCipherResult::cipherDriver() const {
    return static_cast<const SqlCipherDriver*>(driver());
}

QVariant SqlCipherResult::handle() const {
    return QVariant::fromValue(m_stmt);
}

void SqlCipherResult::detachFromConnection() {
    finalizeStatement();
    m_db = nullptr;
    setActive(false);
    setAt(QSql::BeforeFirstRow);
}

void SqlCipherResult::finalizeStatement() {
    if (m_stmt) {
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }
    m_columnCount = 0;
    m_paramCount = 0;
    m_nullValues.clear();
    m_texts.clear();
    m_valueStride = 0;
    m_recordValid = false;
    m_record.clear();
    resetRowState();
}

void SqlCipherResult::resetRowState() {
    m_stmtRow = -1;
    m_stmtDone = false;
    m_knownRowCount = -1;
    m_rowsAffected = -1;
    m_lastInsertId = 0;
    m_rowValues = nullptr;
    m_atStatementRow = false;
    m_window.clear();
}

void SqlCipherResult::setStatementError(const QString& what, int code) {
    const QString message =
        m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QString::fromUtf8(sqlite3_errstr(code));
    setLastError(QSqlError(what, message, QSqlError::StatementError, QString::number(code)));
}

bool SqlCipherResult::prepare(const QString& query) {
    finalizeStatement();
    const SqlCipherDriver* owner = cipherDriver();
    m_db = owner ? owner->nativeHandle() : nullptr;
    if (!m_db) {
        setLastError(QSqlError(tr("Unable to prepare statement"), tr("The database is not open"),
                               QSqlError::ConnectionError));
        return false;
    }
    const QByteArray utf8 = query.toUtf8();
    const char* tail = nullptr;
    // Passing the length including the terminating NUL spares SQLite a copy.
    const int rc = sqlite3_prepare_v2(m_db, utf8.constData(), int(utf8.size()) + 1, &m_stmt, &tail);
    if (rc != SQLITE_OK) {
        setStatementError(tr("Unable to prepare statement"), rc);
        finalizeStatement();
        return false;
    }
    if (!m_stmt) {
        setLastError(QSqlError(tr("Unable to prepare statement"), tr("The statement is empty"),
                               QSqlError::StatementError));
        return false;
    }
    if (tail && !onlyTrailingNoise(m_db, tail, utf8.constData() + utf8.size())) {
        setLastError(QSqlError(tr("Unable to prepare statement"),
                               tr("Only one statement per query; run scripts with executeScript"),
                               QSqlError::StatementError));
        finalizeStatement();
        return false;
    }
    m_columnCount = sqlite3_column_count(m_stmt);
    m_paramCount = sqlite3_bind_parameter_count(m_stmt);
    m_nullValues.resize(size_t(m_columnCount));
    for (int i = 0; i < m_columnCount; ++i)
        m_nullValues[size_t(i)] = typedNull(sqlite3_column_decltype(m_stmt, i));
    m_texts.resize(size_t(m_columnCount));
    return true;
}

void SqlCipherResult::bindValue(int index, const QVariant& value, QSql::ParamType type) {
    QList<QVariant>& values = boundValues();
    if (type == QSql::In && bindingSyntax() == PositionalBinding && index >= 0 &&
        index < values.size() && values.at(index).isValid()) {
        values[index] = value;
        return;
    }
    QSqlResult::bindValue(index, value, type);
}

bool SqlCipherResult::reset(const QString& query) {
    return prepare(query) && exec();
}

bool SqlCipherResult::exec() {
    if (!m_stmt) {
        setLastError(QSqlError(tr("Unable to execute statement"), tr("No statement is prepared"),
                               QSqlError::StatementError));
        return false;
    }
    setActive(false);
    setAt(QSql::BeforeFirstRow);
    // Re-execution without re-preparing: rewind and forget the old values.
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    resetRowState();
    if (!bindAll())
        return false;

    m_forwardOnly = isForwardOnly();
    m_precision = numericalPrecisionPolicy();
    // Only an application with windows has a GUI thread to freeze: the command line and the
    // benchmarks run their queries on their main thread on purpose. Decided once per execution,
    // not per row.
    const QCoreApplication* app = QCoreApplication::instance();
    m_watchSteps = app != nullptr && QThread::currentThread() == app->thread() &&
                   app->inherits("QGuiApplication");
    m_window.configure(m_forwardOnly ? 1 : kWindowRows, m_columnCount);

    // Step once: runs a statement without rows, surfaces errors now and leaves a SELECT on its
    // first row (at() stays before it until the first fetch).
    if (!stepStatement() && m_knownRowCount < 0) {
        sqlite3_reset(m_stmt);
        return false;
    }
    if (m_columnCount > 0) {
        setSelect(true);
        if (!m_forwardOnly && !m_stmtDone)
            materializeCurrentRow();
    } else {
        setSelect(false);
        m_rowsAffected = sqlite3_changes(m_db);
        m_lastInsertId = sqlite3_last_insert_rowid(m_db);
    }
    setActive(true);
    return true;
}

bool SqlCipherResult::bindAll() {
    const QList<QVariant>& values = boundValues();
    if (values.size() != m_paramCount) {
        setLastError(QSqlError(tr("Unable to bind values"),
                               tr("The statement has %1 parameters but %2 values were bound")
                                   .arg(m_paramCount)
                                   .arg(values.size()),
                               QSqlError::StatementError));
        return false;
    }
    if (m_paramCount == 0)
        return true;

    // Pass 1: room for all text in one buffer. Types that only convert to text are converted here.
    if (m_converted.size() < size_t(m_paramCount))
        m_converted.resize(size_t(m_paramCount));
    if (m_keptBlobs.size() < size_t(m_paramCount))
        m_keptBlobs.resize(size_t(m_paramCount));
    qsizetype needed = 0;
    bool anyConverted = false;
    for (int i = 0; i < m_paramCount; ++i) {
        const QVariant& value = values.at(i);
        if (value.typeId() == QMetaType::QString) {
            needed +=
                m_encoder.requiredSpace(static_cast<const QString*>(value.constData())->size());
        } else if (needsTextConversion(value)) {
            m_converted[size_t(i)] = value.toString();
            needed += m_encoder.requiredSpace(m_converted[size_t(i)].size());
            anyConverted = true;
        }
    }
    // The old text is no longer bound (bindings were cleared), so the buffer may move.
    constexpr qsizetype kShrinkAbove = 1 << 20;
    if (m_arena.size() < needed || (m_arena.size() > kShrinkAbove && needed < kShrinkAbove / 16))
        m_arena =
            QByteArray(needed + needed / 2, Qt::Uninitialized); // headroom: sizes vary per row
    char* cursor = needed > 0 ? m_arena.data() : nullptr;

    // Pass 2: bind.
    bool ok = true;
    for (int i = 0; i < m_paramCount && ok; ++i)
        ok = bindOne(i + 1, values.at(i), m_converted[size_t(i)], &cursor);
    if (anyConverted) {
        for (int i = 0; i < m_paramCount; ++i)
            m_converted[size_t(i)] = QString();
    }
    return ok;
}

bool SqlCipherResult::bindOne(int index, const QVariant& value, const QString& converted,
                              char** arenaCursor) {
    int rc = SQLITE_OK;
    const auto bindText = [&](const QString& text) {
        if (text.isNull())
            return sqlite3_bind_null(m_stmt, index);
        char* start = *arenaCursor;
        if (text.isEmpty())
            return sqlite3_bind_text(m_stmt, index, "", 0, SQLITE_STATIC);
        char* end = m_encoder.appendToBuffer(start, text);
        *arenaCursor = end;
        return sqlite3_bind_text64(m_stmt, index, start, sqlite3_uint64(end - start), SQLITE_STATIC,
                                   SQLITE_UTF8);
    };
    const auto refuse = [&](const QString& why) {
        // Only the position and the type: the value itself may be a secret.
        setLastError(
            QSqlError(tr("Unable to bind value %1").arg(index), why, QSqlError::StatementError));
        return false;
    };

    if (!value.isValid() || value.isNull())
        return sqlite3_bind_null(m_stmt, index) == SQLITE_OK ||
               refuse(QString::fromUtf8(sqlite3_errmsg(m_db)));

    switch (value.typeId()) {
    case QMetaType::Bool:
        rc = sqlite3_bind_int64(m_stmt, index, value.toBool() ? 1 : 0);
        break;
    case QMetaType::Int:
    case QMetaType::Short:
    case QMetaType::Char:
    case QMetaType::SChar:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::UShort:
    case QMetaType::UChar:
        rc = sqlite3_bind_int64(m_stmt, index, value.toLongLong());
        break;
    case QMetaType::ULong:
    case QMetaType::ULongLong: {
        const qulonglong unsignedValue = value.toULongLong();
        if (unsignedValue > qulonglong(std::numeric_limits<qint64>::max()))
            return refuse(tr("Unsigned integer too large for a 64-bit signed column"));
        rc = sqlite3_bind_int64(m_stmt, index, qint64(unsignedValue));
        break;
    }
    case QMetaType::Double:
    case QMetaType::Float:
        rc = sqlite3_bind_double(m_stmt, index, value.toDouble());
        break;
    case QMetaType::QString:
        rc = bindText(*static_cast<const QString*>(value.constData()));
        break;
    case QMetaType::QByteArray: {
        const auto* bytes = static_cast<const QByteArray*>(value.constData());
        if (bytes->isNull()) {
            rc = sqlite3_bind_null(m_stmt, index);
        } else {
            m_keptBlobs[size_t(index - 1)] = *bytes; // shares the data: keeps it alive
            const char* data = bytes->isEmpty() ? "" : bytes->constData();
            rc = sqlite3_bind_blob64(m_stmt, index, data, sqlite3_uint64(bytes->size()),
                                     SQLITE_STATIC);
        }
        break;
    }
    case QMetaType::QDateTime:
    case QMetaType::QDate:
    case QMetaType::QTime:
        return refuse(tr("Date and time values are not accepted: store timestamps as text "
                         "formatted by the caller"));
    default:
        if (needsTextConversion(value)) {
            rc = bindText(converted);
            break;
        }
        return refuse(tr("Values of type %1 are not supported")
                          .arg(QString::fromLatin1(value.metaType().name())));
    }
    if (rc != SQLITE_OK)
        return refuse(QString::fromUtf8(sqlite3_errmsg(m_db)));
    return true;
}

bool SqlCipherResult::stepStatement() {
    // A step that keeps the GUI thread this long freezes the window: say which statement (its
    // text has placeholders only, never values).
    constexpr qint64 kSlowGuiStepMs = 50;
    QElapsedTimer timer;
    if (m_watchSteps)
        timer.start();
    const int rc = sqlite3_step(m_stmt);
    if (m_watchSteps && timer.elapsed() >= kSlowGuiStepMs)
        qCWarning(lcStore).noquote() << "a query step took" << timer.elapsed()
                                     << "ms on the GUI thread:" << sqlite3_sql(m_stmt);
    m_rowValues = nullptr;
    m_atStatementRow = false; // the statement moved; moveTo() says whether at() follows
    if (rc == SQLITE_ROW) {
        ++m_stmtRow;
        return true;
    }
    m_stmtDone = true;
    if (rc == SQLITE_DONE) {
        m_knownRowCount = m_stmtRow + 1;
        return false;
    }
    setStatementError(tr("Unable to execute statement"), rc);
    return false;
}

bool SqlCipherResult::restartStatement() {
    sqlite3_reset(m_stmt); // keeps the bound values
    m_stmtRow = -1;
    m_stmtDone = false;
    m_knownRowCount = -1;
    m_rowValues = nullptr;
    m_atStatementRow = false;
    m_window.clear();
    return true;
}

// A row's values are the elements of one array in SQLite: sqlite3_column_value(i) is element i
// of the statement's result row. Asking once per row and indexing (rowValue()) saves the call per
// column with its checks (about 55 instructions each, a tenth of a full read of the
// transactions). The indexing is an observation, not a documented promise, so it is checked:
// against every column on the statement's first row, and against the last column on every row.
// On any difference the statement goes back to asking SQLite for every column.
bool SqlCipherResult::locateRowValues() {
    if (m_valueStride < 0 || m_columnCount < 2)
        return false;
    const auto valueOf = [this](int column) {
        return reinterpret_cast<char*>(sqlite3_column_value(m_stmt, column));
    };
    char* first = valueOf(0);
    const int lastColumn = m_columnCount - 1;
    char* last = valueOf(lastColumn);
    if (m_valueStride == 0) {
        const std::ptrdiff_t stride = (last - first) / lastColumn;
        bool indexed = stride > 0;
        for (int i = 1; indexed && i < m_columnCount; ++i)
            indexed = valueOf(i) == first + i * stride;
        m_valueStride = indexed ? stride : -1;
    } else if (last != first + lastColumn * m_valueStride) {
        m_valueStride = -1;
    }
    if (m_valueStride < 0)
        return false;
    m_rowValues = first;
    return true;
}

void* SqlCipherResult::askForValue(int column) const {
    return sqlite3_column_value(m_stmt, column);
}

// Inlined into data(), which calls it for every value a query reads: 2% fewer instructions in a
// full read of the transactions. MSVC inlines on its own judgement.
#if defined(__GNUC__)
#define LLAMADESK_ALWAYS_INLINE __attribute__((always_inline)) inline
#else
#define LLAMADESK_ALWAYS_INLINE inline
#endif
LLAMADESK_ALWAYS_INLINE QVariant SqlCipherResult::columnValue(int column) {
    // The column's value (rowValue()), then the value API: each sqlite3_column_* call would look
    // the column up again. The value is only read here, on the connection's own thread (the
    // "unprotected" value of sqlite3_column_value is a matter of thread safety only).
    auto* value = static_cast<sqlite3_value*>(rowValue(column));
    switch (sqlite3_value_type(value)) {
    case SQLITE_INTEGER:
        if (m_precision == QSql::LowPrecisionInt32)
            return QVariant(sqlite3_value_int(value));
        return QVariant(qlonglong(sqlite3_value_int64(value)));
    case SQLITE_FLOAT:
        if (m_precision == QSql::LowPrecisionInt32)
            return QVariant(sqlite3_value_int(value));
        if (m_precision == QSql::LowPrecisionInt64)
            return QVariant(qlonglong(sqlite3_value_int64(value)));
        return QVariant(sqlite3_value_double(value));
    case SQLITE_TEXT: {
        // Pointer first, then length (the documented order).
        const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
        return QVariant(m_texts[size_t(column)].text(text, sqlite3_value_bytes(value)));
    }
    case SQLITE_BLOB: {
        const auto* data = static_cast<const char*>(sqlite3_value_blob(value));
        const int bytes = sqlite3_value_bytes(value);
        // An empty blob comes back as a null pointer: keep it empty, not null.
        return QVariant(data ? QByteArray(data, bytes) : QByteArray(""));
    }
    default:
        return m_nullValues[size_t(column)];
    }
}

void SqlCipherResult::materializeCurrentRow() {
    if (m_stmtDone || m_stmtRow < 0 || m_window.contains(m_stmtRow))
        return;
    QVariant* cells = m_window.append(m_stmtRow);
    for (int i = 0; i < m_columnCount; ++i)
        cells[i] = columnValue(i);
}

void SqlCipherResult::moveTo(int row) {
    setAt(row);
    m_atStatementRow = onStatementRow();
}

QVariant SqlCipherResult::data(int field) {
    // Without a statement there are no columns (finalizeStatement()).
    if (unsigned(field) >= unsigned(m_columnCount))
        return QVariant();
    Q_ASSERT(!m_atStatementRow || onStatementRow());
    if (m_atStatementRow)
        return columnValue(field);
    if (const QVariant* cells = m_window.row(at()))
        return cells[field];
    return QVariant();
}

bool SqlCipherResult::isNull(int field) {
    if (unsigned(field) >= unsigned(m_columnCount))
        return true;
    Q_ASSERT(!m_atStatementRow || onStatementRow());
    if (m_atStatementRow)
        return sqlite3_value_type(static_cast<sqlite3_value*>(rowValue(field))) == SQLITE_NULL;
    if (const QVariant* cells = m_window.row(at()))
        return cells[field].isNull();
    return true;
}

bool SqlCipherResult::fetch(int row) {
    if (!m_stmt || row < 0 || !isSelect())
        return false;

    if (m_forwardOnly) {
        if (m_window.contains(row)) { // the row fetchLast kept
            moveTo(row);
            return true;
        }
        if (m_stmtDone || row < m_stmtRow)
            return false;
        while (m_stmtRow < row) {
            if (!stepStatement())
                return false;
        }
        moveTo(row);
        return true;
    }

    if (m_window.contains(row)) {
        moveTo(row);
        return true;
    }
    if (m_knownRowCount >= 0 && row >= m_knownRowCount)
        return false;
    int keepFrom = row - m_window.capacity() + 1;
    if (row < m_stmtRow || m_stmtDone) {
        // Before the window: run the statement again from the start. Leave the target in the
        // last quarter of the window so that scrolling further back stays cached for a while.
        restartStatement();
        keepFrom = row - (m_window.capacity() * 3) / 4;
    }
    while (m_stmtRow < row) {
        if (!stepStatement())
            return false;
        if (m_stmtRow >= keepFrom)
            materializeCurrentRow();
    }
    moveTo(row);
    return true;
}

bool SqlCipherResult::fetchNext() {
    return fetch(at() + 1);
}

bool SqlCipherResult::fetchFirst() {
    return fetch(0);
}

bool SqlCipherResult::fetchLast() {
    if (!m_stmt || !isSelect())
        return false;
    if (m_knownRowCount >= 0 && m_window.contains(m_knownRowCount - 1)) {
        moveTo(m_knownRowCount - 1);
        return true;
    }
    if (!m_forwardOnly && m_knownRowCount >= 0)
        return m_knownRowCount > 0 && fetch(m_knownRowCount - 1);
    if (m_stmtDone) // forward-only and the end was passed without keeping the last row
        return false;
    // Step to the end keeping the newest rows: only at the end do we know which one was last.
    materializeCurrentRow();
    while (stepStatement())
        materializeCurrentRow();
    if (m_knownRowCount <= 0 || !m_window.contains(m_knownRowCount - 1))
        return false;
    moveTo(m_knownRowCount - 1);
    return true;
}

SqlCipherResult::StoredRow::StoredRow(const QSqlQuery& query) {
    // Only our driver creates SqlCipherResult objects, so its driver identifies the result type.
    const QSqlResult* base = query.result();
    if (!base || !qobject_cast<const SqlCipherDriver*>(query.driver()))
        return;
    // The cache of repeated values and the located row values are the result's own bookkeeping.
    auto* self = const_cast<SqlCipherResult*>(static_cast<const SqlCipherResult*>(base));
    if (!self->m_stmt || !self->onStatementRow())
        return;
    m_result = self;
    m_columns = self->m_columnCount;
}

bool SqlCipherResult::StoredRow::isNull(int field) const {
    return !inRange(field) ||
           sqlite3_value_type(static_cast<sqlite3_value*>(m_result->rowValue(field))) ==
               SQLITE_NULL;
}

std::optional<QByteArrayView> SqlCipherResult::StoredRow::text(int field) const {
    if (!inRange(field))
        return std::nullopt;
    auto* value = static_cast<sqlite3_value*>(m_result->rowValue(field)); // see columnValue()
    if (sqlite3_value_type(value) != SQLITE_TEXT)
        return std::nullopt;
    // Pointer first, then length (the documented order).
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
    return QByteArrayView(text, sqlite3_value_bytes(value));
}

std::optional<QByteArrayView> SqlCipherResult::StoredRow::textOrNull(int field, bool* null) const {
    if (!inRange(field)) {
        if (null)
            *null = true; // as isNull()
        return std::nullopt;
    }
    auto* value = static_cast<sqlite3_value*>(m_result->rowValue(field)); // see columnValue()
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
    if (null)
        *null = !text && sqlite3_value_type(value) == SQLITE_NULL;
    if (!text)
        return std::nullopt;
    return QByteArrayView(text, sqlite3_value_bytes(value));
}

std::optional<QByteArrayView> SqlCipherResult::StoredRow::blob(int field) const {
    if (!inRange(field))
        return std::nullopt;
    auto* value = static_cast<sqlite3_value*>(m_result->rowValue(field)); // see columnValue()
    if (sqlite3_value_type(value) != SQLITE_BLOB)
        return std::nullopt;
    const auto* bytes = static_cast<const char*>(sqlite3_value_blob(value));
    return QByteArrayView(bytes, sqlite3_value_bytes(value));
}

QString SqlCipherResult::StoredRow::cachedString(int field, QByteArrayView stored) const {
    return m_result->m_texts[size_t(field)].text(stored.data(), int(stored.size()));
}

std::optional<QByteArrayView> SqlCipherResult::storedText(const QSqlQuery& query, int field) {
    return StoredRow(query).text(field);
}

int SqlCipherResult::size() {
    return -1; // would need a second pass over the result
}

int SqlCipherResult::numRowsAffected() {
    return m_rowsAffected;
}

QVariant SqlCipherResult::lastInsertId() const {
    if (isSelect() || m_lastInsertId == 0)
        return QVariant();
    return QVariant(qlonglong(m_lastInsertId));
}

QSqlRecord SqlCipherResult::record() const {
    if (!m_stmt || m_columnCount == 0)
        return QSqlRecord();
    if (!m_recordValid) {
        m_record.clear();
        const bool onRow = !m_stmtDone && m_stmtRow >= 0;
        for (int i = 0; i < m_columnCount; ++i) {
            const QString name = QString::fromUtf8(sqlite3_column_name(m_stmt, i));
            QMetaType type = m_nullValues[size_t(i)].metaType();
            // Expressions have no declared type: use what the current row holds.
            if (!type.isValid() && onRow)
                type = typeOfStorageClass(sqlite3_column_type(m_stmt, i));
            m_record.append(QSqlField(name, type));
        }
        m_recordValid = true;
    }
    return m_record;
}

void SqlCipherResult::detachFromResultSet() {
    // finish(): end the read so that the snapshot and its locks are released.
    if (m_stmt)
        sqlite3_reset(m_stmt);
    m_stmtRow = -1;
    m_stmtDone = false;
    m_knownRowCount = -1;
    m_atStatementRow = false;
    m_window.clear();
}

} // namespace llamadesk::store
