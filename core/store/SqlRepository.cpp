#include "SqlRepository.h"

#include "Logging.h"
#include "store/SqlCipherDriver.h"
#include "store/SqlCipherResult.h"
#include "text/AsciiText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLatin1String>
#include <QSqlError>
#include <QSqlRecord>

#include <sqlite3.h>

#include <atomic>
#include <iterator>

namespace llamadesk::store {

namespace {

// Dynamic filters produce a bounded set of SQL texts; the cap only guards against a caller
// that builds unbounded variants.
constexpr std::size_t kMaxCachedStatements = 64;

std::atomic<quint64> g_savepointCounter{0};

bool inTransaction(const QSqlDatabase& db) {
    // Only our driver is used; its handle tells whether a transaction is open.
    const auto* driver = qobject_cast<const SqlCipherDriver*>(db.driver());
    if (driver == nullptr || driver->nativeHandle() == nullptr)
        return false;
    return sqlite3_get_autocommit(driver->nativeHandle()) == 0;
}

QString sqlErrorText(const QSqlError& error) {
    QString text = error.driverText();
    if (text.isEmpty())
        text = error.databaseText();
    else if (!error.databaseText().isEmpty() && error.databaseText() != text)
        text += QStringLiteral(": ") + error.databaseText();
    return text;
}

Status runControl(QSqlDatabase& db, const QString& sql, const QString& where) {
    QSqlQuery q(db);
    if (!q.prepare(sql) || !q.exec()) {
        return Status::failure(
            SqlRepository::tr("%1: %2 failed: %3")
                .arg(where, sql.section(QLatin1Char(' '), 0, 0), sqlErrorText(q.lastError())));
    }
    return Status::success();
}

} // namespace

SqlRepository::Transaction::Transaction(QSqlDatabase db)
    : m_db(std::move(db)) {}

SqlRepository::Transaction::~Transaction() {
    if (m_active)
        rollback();
}

Status SqlRepository::Transaction::begin(const QString& where) {
    m_where = where;
    if (inTransaction(m_db)) {
        m_savepoint = QStringLiteral("llamadesk_sp_%1").arg(++g_savepointCounter);
        const Status s = runControl(m_db, QStringLiteral("SAVEPOINT ") + m_savepoint, where);
        if (!s)
            return s;
    } else {
        m_savepoint.clear();
        if (!m_db.transaction()) {
            return Status::failure(tr("%1: could not start a transaction: %2")
                                       .arg(where, sqlErrorText(m_db.lastError())));
        }
    }
    m_active = true;
    return Status::success();
}

Status SqlRepository::Transaction::commit() {
    if (!m_active)
        return Status::failure(tr("%1: no transaction to commit").arg(m_where));
    if (!m_savepoint.isEmpty()) {
        const Status s = runControl(m_db, QStringLiteral("RELEASE ") + m_savepoint, m_where);
        if (!s) {
            rollback();
            return s;
        }
    } else if (!m_db.commit()) {
        const QString why = sqlErrorText(m_db.lastError());
        rollback();
        return Status::failure(tr("%1: could not commit: %2").arg(m_where, why));
    }
    m_active = false;
    return Status::success();
}

void SqlRepository::Transaction::rollback() {
    if (!m_active)
        return;
    m_active = false;
    if (!m_savepoint.isEmpty()) {
        // ROLLBACK TO keeps the savepoint open; RELEASE closes it.
        const Status a = runControl(m_db, QStringLiteral("ROLLBACK TO ") + m_savepoint, m_where);
        const Status b = runControl(m_db, QStringLiteral("RELEASE ") + m_savepoint, m_where);
        if (!a || !b)
            qCWarning(lcStore) << "rollback to savepoint failed:" << (a ? b.error() : a.error());
    } else if (inTransaction(m_db) && !m_db.rollback()) {
        qCWarning(lcStore) << m_where << "rollback failed:" << sqlErrorText(m_db.lastError());
    }
}

SqlRepository::SqlRepository(QSqlDatabase db, const char* name)
    : m_db(std::move(db))
    , m_name(name) {}

SqlRepository::~SqlRepository() = default;

Result<QSqlQuery*> SqlRepository::prepareInto(std::map<QString, std::unique_ptr<QSqlQuery>>& cache,
                                              const QString& sql, const QString& what) {
    auto query = std::make_unique<QSqlQuery>(m_db);
    query->setForwardOnly(true);
    if (!query->prepare(sql))
        return Result<QSqlQuery*>::failure(failure(what, query->lastError()));
    QSqlQuery* raw = query.get();
    cache.emplace(sql, std::move(query));
    return raw;
}

Result<QSqlQuery*> SqlRepository::statement(const QString& sql, const QString& what) {
    auto it = m_statements.find(sql);
    if (it != m_statements.end())
        return it->second.get();
    return prepareInto(m_statements, sql, what);
}

Result<QSqlQuery*> SqlRepository::dynamicStatement(const QString& sql, const QString& what) {
    auto it = m_dynamicStatements.find(sql);
    if (it != m_dynamicStatements.end())
        return it->second.get();
    if (m_dynamicStatements.size() >= kMaxCachedStatements) {
        // A statement still being read (a forEach in progress) must survive.
        for (auto i = m_dynamicStatements.begin(); i != m_dynamicStatements.end();) {
            if (i->second->isActive())
                ++i;
            else
                i = m_dynamicStatements.erase(i);
        }
    }
    return prepareInto(m_dynamicStatements, sql, what);
}

Status SqlRepository::execute(QSqlQuery& query, const QString& what) {
    if (!query.exec())
        return Status::failure(failure(what, query.lastError()));
    return Status::success();
}

Status SqlRepository::executeOne(QSqlQuery& query, const QString& what, const QString& subject,
                                 const QString& notFound) {
    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, subject)); !s)
        return s;
    if (Status s = execute(query, what); !s)
        return s;
    if (query.numRowsAffected() != 1)
        return Status::failure(failure(what, notFound)); // tx rolls back
    return tx.commit();
}

QString SqlRepository::failure(const QString& what, const QString& why) const {
    return tr("%1.%2: %3").arg(QLatin1String(m_name), what, why);
}

QString SqlRepository::failure(const QString& what, const QSqlError& error) const {
    return failure(what, sqlErrorText(error));
}

QString SqlRepository::describe(const QSqlError& error) {
    return sqlErrorText(error);
}

QVariant SqlRepository::text(const QString& v) {
    // A null QString would be bound as NULL by some drivers; a required column gets "".
    return v.isNull() ? QVariant(QStringLiteral("")) : QVariant(v);
}

QVariant SqlRepository::text(const std::optional<QString>& v) {
    return v ? text(*v) : QVariant();
}

QVariant SqlRepository::decimal(const std::optional<Decimal>& v) {
    return v ? QVariant(v->toString()) : QVariant();
}

QVariant SqlRepository::timestamp(const std::optional<Timestamp>& v) {
    return v ? QVariant(v->toString()) : QVariant();
}

QVariant SqlRepository::boolean(const std::optional<bool>& v) {
    return v ? QVariant(*v ? 1 : 0) : QVariant();
}

QVariant SqlRepository::integer(const std::optional<qint64>& v) {
    return v ? QVariant(*v) : QVariant();
}

QVariant SqlRepository::stringList(const QStringList& v) {
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(v)).toJson(QJsonDocument::Compact));
}

void SqlRepository::Row::fail(int column, const QString& why) {
    if (!m_error.isEmpty())
        return;
    m_error = tr("column %1: %2").arg(m_query.record().fieldName(column), why);
}

SqlRepository::Row::Cell SqlRepository::Row::cell(int column, QByteArrayView* text) {
    if (!m_stored.isValid())
        return m_query.isNull(column) ? Cell::Null : Cell::Other;
    bool null = false;
    if (const std::optional<QByteArrayView> stored = m_stored.textOrNull(column, &null)) {
        *text = *stored;
        return Cell::Text;
    }
    return null ? Cell::Null : Cell::Other;
}

QString SqlRepository::Row::text(int column) {
    QByteArrayView stored;
    if (cell(column, &stored) == Cell::Text)
        return m_stored.cachedString(column, stored);
    return m_query.value(column).toString();
}

void SqlRepository::Row::textInto(int column, QString* out) {
    QByteArrayView stored;
    if (cell(column, &stored) == Cell::Text)
        text::AsciiText::assignUtf8(out, stored);
    else
        *out = m_query.value(column).toString();
}

std::optional<QString> SqlRepository::Row::optText(int column) {
    QByteArrayView stored;
    switch (cell(column, &stored)) {
    case Cell::Null:
        return std::nullopt;
    case Cell::Text:
        return m_stored.cachedString(column, stored);
    case Cell::Other:
        break;
    }
    return m_query.value(column).toString();
}

QStringView SqlRepository::Row::widen(QByteArrayView stored) {
    const qsizetype n = stored.size();
    if (n > qsizetype(std::size(m_wide)) || !text::AsciiText::isAscii(stored.data(), n))
        return QStringView(); // too long, or not ASCII: let QString decode it
    text::AsciiText::widen(stored.data(), n, m_wide);
    return QStringView(m_wide, n);
}

QStringView SqlRepository::Row::parseView(int column) {
    if (const std::optional<QByteArrayView> stored = m_stored.textOrNull(column)) {
        const QStringView wide = widen(*stored);
        if (!wide.isNull())
            return wide;
    }
    m_text = m_query.value(column).toString();
    return QStringView(m_text);
}

bool SqlRepository::Row::missing(int column) {
    fail(column, tr("NULL where a value is required"));
    return true;
}

qint64 SqlRepository::Row::integer(int column, std::optional<qint64> ifNull) {
    if (isNull(column)) {
        if (ifNull)
            return *ifNull;
        missing(column);
        return 0;
    }
    bool ok = false;
    const qint64 v = m_query.value(column).toLongLong(&ok);
    if (!ok)
        fail(column, tr("not an integer"));
    return v;
}

std::optional<qint64> SqlRepository::Row::optInteger(int column) {
    if (isNull(column))
        return std::nullopt;
    return integer(column);
}

bool SqlRepository::Row::boolean(int column, std::optional<bool> ifNull) {
    if (isNull(column)) {
        if (ifNull)
            return *ifNull;
        missing(column);
        return false;
    }
    const qint64 v = integer(column);
    if (v != 0 && v != 1)
        fail(column, tr("not a boolean (0 or 1)"));
    return v == 1;
}

std::optional<bool> SqlRepository::Row::optBoolean(int column) {
    if (isNull(column))
        return std::nullopt;
    return boolean(column);
}

Decimal SqlRepository::Row::parseDecimal(int column, Cell cell, QByteArrayView stored) {
    // Straight from the stored UTF-8 when the driver offers it: no QString per amount.
    Result<Decimal> d = cell == Cell::Text ? Decimal::parse(stored)
                                           : Decimal::parse(QStringView(parseView(column)));
    if (!d) {
        fail(column, tr("not an exact decimal"));
        return Decimal();
    }
    return *d;
}

Decimal SqlRepository::Row::decimal(int column, std::optional<Decimal> ifNull) {
    QByteArrayView stored;
    const Cell c = cell(column, &stored);
    if (c == Cell::Null) {
        if (ifNull)
            return *ifNull;
        missing(column);
        return Decimal();
    }
    return parseDecimal(column, c, stored);
}

std::optional<Decimal> SqlRepository::Row::optDecimal(int column) {
    QByteArrayView stored;
    const Cell c = cell(column, &stored);
    if (c == Cell::Null)
        return std::nullopt;
    return parseDecimal(column, c, stored);
}

Timestamp SqlRepository::Row::timestamp(int column) {
    QByteArrayView stored;
    const Cell c = cell(column, &stored);
    if (c == Cell::Null) {
        missing(column);
        return Timestamp();
    }
    const QStringView wide = c == Cell::Text ? widen(stored) : QStringView();
    Result<Timestamp> t = Timestamp::parse(wide.isNull() ? parseView(column) : wide);
    if (!t) {
        fail(column, tr("not a timestamp"));
        return Timestamp();
    }
    return *t;
}

std::optional<Timestamp> SqlRepository::Row::optTimestamp(int column) {
    if (isNull(column))
        return std::nullopt;
    return timestamp(column);
}

QStringList SqlRepository::Row::stringList(int column, const QStringList& ifNull) {
    if (isNull(column))
        return ifNull;
    QJsonParseError error{};
    const QJsonDocument doc =
        QJsonDocument::fromJson(m_query.value(column).toString().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray()) {
        fail(column, tr("not a JSON array"));
        return {};
    }
    QStringList out;
    for (const QJsonValue& v : doc.array()) {
        if (!v.isString()) {
            fail(column, tr("not a JSON array of strings"));
            return {};
        }
        out.append(v.toString());
    }
    return out;
}

} // namespace llamadesk::store
