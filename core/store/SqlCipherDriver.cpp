#include "store/SqlCipherDriver.h"

#include "Logging.h"
#include "store/CachedCryptoProvider.h"
#include "store/SqlCipherResult.h"
#include "store/TaxInputRecord.h"

#include <QFile>
#include <QSqlError>
#include <QSqlField>
#include <QSqlIndex>
#include <QSqlRecord>
#include <QStringList>

#include <sodium.h>
#include <sqlite3.h>

#include <map>
#include <vector>

namespace llamadesk::store {

namespace {

// llamadesk_tax_input(id, user_id, ...): the tax_inputs record of a row (TaxInputRecord).
void taxInputFunction(sqlite3_context* context, int argc, sqlite3_value** argv) {
    if (argc != TaxInputRecord::kColumnCount) {
        sqlite3_result_error(context, "llamadesk_tax_input: wrong number of arguments", -1);
        return;
    }
    TaxInputRecord::Columns columns;
    for (int i = 0; i < argc; ++i) {
        // Pointer first, then length (the documented order).
        const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[i]));
        if (!text) {
            if (sqlite3_value_type(argv[i]) != SQLITE_NULL) {
                sqlite3_result_error_nomem(context);
                return;
            }
            continue;
        }
        columns[size_t(i)] = QByteArrayView(text, sqlite3_value_bytes(argv[i]));
    }
    // One buffer per thread, reused: no allocation per row written.
    thread_local std::string record;
    TaxInputRecord::encode(columns, &record);
    sqlite3_result_blob(context, record.data(), int(record.size()), SQLITE_TRANSIENT);
}

constexpr char kSqliteHeader[] = "SQLite format 3"; // followed by a NUL: 16 bytes in all

struct SqlOutcome {
    int code = SQLITE_OK;
    QString message;    // sqlite3_errmsg when code is not SQLITE_OK
    QString firstValue; // first column of the first row, if any
};

// Runs one internal statement to completion. Only for fixed SQL without values.
SqlOutcome runSql(sqlite3* db, const char* sql) {
    SqlOutcome outcome;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
    if (rc == SQLITE_OK && stmt) {
        bool first = true;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            if (first && sqlite3_column_count(stmt) > 0) {
                const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
                outcome.firstValue = QString::fromUtf8(text, sqlite3_column_bytes(stmt, 0));
            }
            first = false;
        }
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    if (rc != SQLITE_OK)
        outcome.message = QString::fromUtf8(sqlite3_errmsg(db));
    outcome.code = rc;
    sqlite3_finalize(stmt);
    return outcome;
}

SqlCipherDriver::OpenFailure classify(int code) {
    switch (code & 0xff) {
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
        return SqlCipherDriver::OpenFailure::CannotOpenFile;
    case SQLITE_NOTADB:
        return SqlCipherDriver::OpenFailure::NotADatabaseOrWrongKey;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return SqlCipherDriver::OpenFailure::Busy;
    default:
        return SqlCipherDriver::OpenFailure::Other;
    }
}

int majorVersion(const QString& version) {
    const qsizetype dot = version.indexOf(QLatin1Char('.'));
    bool ok = false;
    const int major = version.left(dot < 0 ? version.size() : dot).trimmed().toInt(&ok);
    return ok ? major : 0;
}

bool fileStartsWithPlainHeader(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = file.read(sizeof(kSqliteHeader));
    return head == QByteArray(kSqliteHeader, sizeof(kSqliteHeader));
}

struct OpenOptions {
    bool readOnly = false;
    bool create = true;
    int busyTimeoutMs = SqlCipherDriver::kDefaultBusyTimeoutMs;
    int cacheMb = SqlCipherDriver::kDefaultCacheMb;
};

bool parseOptions(const QString& text, OpenOptions* options, QString* bad) {
    const QStringList parts = text.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString& raw : parts) {
        const QString part = raw.trimmed();
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        const QString name = (eq < 0 ? part : part.left(eq)).trimmed().toUpper();
        const QString value = eq < 0 ? QString() : part.mid(eq + 1).trimmed();
        bool ok = true;
        if (name == QLatin1String("READONLY") && eq < 0) {
            options->readOnly = true;
        } else if (name == QLatin1String("CREATE") &&
                   (value == QLatin1String("0") || value == QLatin1String("1"))) {
            options->create = value == QLatin1String("1");
        } else if (name == QLatin1String("BUSY_TIMEOUT")) {
            options->busyTimeoutMs = value.toInt(&ok);
            ok = ok && options->busyTimeoutMs >= 0;
        } else if (name == QLatin1String("CACHE_MB")) {
            options->cacheMb = value.toInt(&ok);
            ok = ok && options->cacheMb >= 1 && options->cacheMb <= SqlCipherDriver::kMaxCacheMb;
        } else {
            ok = false;
        }
        if (!ok) {
            *bad = part;
            return false;
        }
    }
    return true;
}

QMetaType metaTypeForDeclared(const QString& declared) {
    // SQLite's own affinity rules, in its order, mapped onto the types the driver returns.
    const QString upper = declared.toUpper();
    if (upper.contains(QLatin1String("INT")))
        return QMetaType::fromType<qlonglong>();
    if (upper.contains(QLatin1String("CHAR")) || upper.contains(QLatin1String("CLOB")) ||
        upper.contains(QLatin1String("TEXT")))
        return QMetaType::fromType<QString>();
    if (upper.contains(QLatin1String("BLOB")))
        return QMetaType::fromType<QByteArray>();
    if (upper.contains(QLatin1String("REAL")) || upper.contains(QLatin1String("FLOA")) ||
        upper.contains(QLatin1String("DOUB")))
        return QMetaType::fromType<double>();
    return QMetaType::fromType<QString>();
}

// Splits "schema.table" when the name is not quoted; PRAGMA takes the schema in front.
void splitTableName(const QString& tableName, QString* schema, QString* table) {
    const qsizetype dot = tableName.indexOf(QLatin1Char('.'));
    if (dot > 0 && !tableName.startsWith(QLatin1Char('"')) &&
        tableName.indexOf(QLatin1Char('.'), dot + 1) < 0) {
        *schema = tableName.left(dot);
        *table = tableName.mid(dot + 1);
    } else {
        schema->clear();
        *table = tableName;
    }
}

struct ColumnInfo {
    QString name;
    QString declaredType;
    bool notNull = false;
    QVariant defaultValue;
    int primaryKeyPosition = 0;
};

QList<ColumnInfo> tableColumns(sqlite3* db, const SqlCipherDriver& driver,
                               const QString& tableName) {
    QList<ColumnInfo> columns;
    if (!db || tableName.isEmpty())
        return columns;
    QString schema;
    QString table;
    splitTableName(tableName, &schema, &table);
    // Identifiers cannot be bound and this SQLite predates the pragma table functions: the name is
    // quoted by escapeIdentifier instead.
    QString sql = QStringLiteral("PRAGMA ");
    if (!schema.isEmpty())
        sql += driver.escapeIdentifier(schema, QSqlDriver::TableName) + QLatin1Char('.');
    sql += QStringLiteral("table_info(") + driver.escapeIdentifier(table, QSqlDriver::FieldName) +
           QLatin1Char(')');
    const QByteArray utf8 = sql.toUtf8();
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, utf8.constData(), int(utf8.size()) + 1, &stmt, nullptr) !=
        SQLITE_OK) {
        sqlite3_finalize(stmt);
        return columns;
    }
    const auto text = [stmt](int column) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
        return QString::fromUtf8(p, sqlite3_column_bytes(stmt, column));
    };
    // Columns: cid, name, type, notnull, dflt_value, pk
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        ColumnInfo info;
        info.name = text(1);
        info.declaredType = text(2);
        info.notNull = sqlite3_column_int(stmt, 3) != 0;
        if (sqlite3_column_type(stmt, 4) != SQLITE_NULL)
            info.defaultValue = text(4);
        info.primaryKeyPosition = sqlite3_column_int(stmt, 5);
        columns.append(info);
    }
    sqlite3_finalize(stmt);
    return columns;
}

} // namespace

SqlCipherDriver::SqlCipherDriver(QObject* parent)
    : QSqlDriver(parent) {}

SqlCipherDriver::~SqlCipherDriver() {
    close();
    wipeKey();
}

void SqlCipherDriver::wipeKey() {
    if (!m_key.isEmpty())
        sodium_memzero(m_key.data(), size_t(m_key.size()));
    m_key.clear();
    m_keyAvailable = false;
}

void SqlCipherDriver::setRawKey(const QByteArray& key) {
    wipeKey();
    // A deep copy, so that wiping ours never touches (or is defeated by) a shared buffer.
    m_key = QByteArray(key.constData(), key.size());
    m_keyMode = key.isEmpty() ? KeyMode::Plain : KeyMode::Encrypted;
    m_keyAvailable = true;
}

bool SqlCipherDriver::failOpen(OpenFailure failure, const QString& reason, sqlite3* handle,
                               int code) {
    QString databaseText;
    if (code != SQLITE_OK)
        databaseText = handle ? QString::fromUtf8(sqlite3_errmsg(handle))
                              : QString::fromUtf8(sqlite3_errstr(code));
    if (handle)
        sqlite3_close_v2(handle);
    m_openFailure = failure;
    // printf form: the streaming form needs a variadic macro with no arguments, which pedantic
    // C++17 compilers reject.
    if (code != SQLITE_OK)
        qCWarning(lcStore, "SqlCipherDriver::open failed: %s - %s (code %d)",
                  qUtf8Printable(reason), qUtf8Printable(databaseText), code);
    else
        qCWarning(lcStore, "SqlCipherDriver::open failed: %s", qUtf8Printable(reason));
    setLastError(QSqlError(reason, databaseText, QSqlError::ConnectionError,
                           code == SQLITE_OK ? QString() : QString::number(code)));
    setOpenError(true);
    return false;
}

bool SqlCipherDriver::open(const QString& db, const QString& user, const QString& password,
                           const QString& host, int port, const QString& connOpts) {
    Q_UNUSED(user)
    Q_UNUSED(password)
    Q_UNUSED(host)
    Q_UNUSED(port)
    if (isOpen())
        close();
    m_openFailure = OpenFailure::None;
    m_encrypted = false;

    // The key must not outlive this call, whatever the outcome.
    struct KeyWipe {
        SqlCipherDriver* driver;
        ~KeyWipe() { driver->wipeKey(); }
    } keyWipe{this};

    OpenOptions options;
    QString badOption;
    if (!parseOptions(connOpts, &options, &badOption))
        return failOpen(
            OpenFailure::Other,
            tr("Cannot open the database: unknown connect option \"%1\"").arg(badOption), nullptr,
            SQLITE_OK);
    if (m_keyMode == KeyMode::NotSet)
        return failOpen(
            OpenFailure::CipherSetupFailed,
            tr("Cannot open the database: no key was set (an empty key means a plain file)"),
            nullptr, SQLITE_OK);
    if (m_keyMode == KeyMode::Encrypted && !m_keyAvailable)
        return failOpen(
            OpenFailure::CipherSetupFailed,
            tr("Cannot open the database: the key was wiped after the previous open, set it again"),
            nullptr, SQLITE_OK);
    const bool encrypted = m_keyMode == KeyMode::Encrypted;
    if (encrypted && m_key.size() != kRawKeySize)
        return failOpen(OpenFailure::CipherSetupFailed,
                        tr("Cannot open the database: the key must be %1 bytes").arg(kRawKeySize),
                        nullptr, SQLITE_OK);

    int flags = SQLITE_OPEN_NOMUTEX; // a Qt connection is used by one thread only
    flags |= options.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (options.create && !options.readOnly)
        flags |= SQLITE_OPEN_CREATE;
    sqlite3* handle = nullptr;
    const QByteArray path = db.toUtf8();
    int rc = sqlite3_open_v2(path.constData(), &handle, flags, nullptr);
    if (rc != SQLITE_OK) {
        const OpenFailure failure =
            classify(rc) == OpenFailure::Other ? OpenFailure::CannotOpenFile : classify(rc);
        return failOpen(failure, tr("Cannot open the database file %1").arg(db), handle, rc);
    }
    sqlite3_extended_result_codes(handle, 1);
    // Set before the first read so that a writer in another process makes us wait, not fail.
    sqlite3_busy_timeout(handle, options.busyTimeoutMs);
    // The function the tax_inputs triggers call (migration 007): every connection that writes
    // tax_transactions must have it, or its writes fail.
    rc = sqlite3_create_function_v2(
        handle, TaxInputRecord::kFunctionName, TaxInputRecord::kColumnCount,
        SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, &taxInputFunction, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return failOpen(classify(rc), tr("Cannot register the database functions"), handle, rc);

    const QString version = runSql(handle, "PRAGMA cipher_version").firstValue;
    if (encrypted) {
        // "x'<64 hex digits>'" makes SQLCipher use the bytes as the key itself, without a KDF.
        static constexpr char kHex[] = "0123456789abcdef";
        char spec[2 + 2 * kRawKeySize + 1];
        spec[0] = 'x';
        spec[1] = '\'';
        for (int i = 0; i < kRawKeySize; ++i) {
            const auto byte = static_cast<unsigned char>(m_key.at(i));
            spec[2 + 2 * i] = kHex[byte >> 4];
            spec[3 + 2 * i] = kHex[byte & 0x0f];
        }
        spec[sizeof(spec) - 1] = '\'';
        // SQLCipher copies its registered provider into the connection when it is keyed.
        CachedCryptoProvider::ensureInstalled();
        rc = sqlite3_key(handle, spec, int(sizeof(spec)));
        sodium_memzero(spec, sizeof(spec));
        if (rc != SQLITE_OK)
            return failOpen(OpenFailure::CipherSetupFailed, tr("Cannot set the database key"),
                            handle, rc);

        // Every parameter explicit, so that SQLCipher 3.4 and 4.x agree on the file format.
        std::vector<const char*> pragmas = {"PRAGMA cipher_page_size = 4096",
                                            "PRAGMA kdf_iter = 64000",
                                            "PRAGMA cipher_use_hmac = ON"};
        if (majorVersion(version) >= 4) {
            pragmas.push_back("PRAGMA cipher_hmac_algorithm = HMAC_SHA1");
            pragmas.push_back("PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA1");
        }
        for (const char* pragma : pragmas) {
            const SqlOutcome outcome = runSql(handle, pragma);
            if (outcome.code != SQLITE_OK)
                return failOpen(
                    OpenFailure::CipherSetupFailed,
                    tr("Cannot configure the cipher (%1)").arg(QString::fromLatin1(pragma)), handle,
                    outcome.code);
        }
        const SqlOutcome pageSize = runSql(handle, "PRAGMA cipher_page_size");
        if (pageSize.code != SQLITE_OK || pageSize.firstValue.toInt() != kPageSize)
            return failOpen(OpenFailure::CipherSetupFailed,
                            tr("Cannot configure the cipher: page size not applied"), handle,
                            pageSize.code);
    } else {
        // Same page size as the encrypted files, so that comparisons are fair. No effect on an
        // existing file.
        const SqlOutcome outcome = runSql(handle, "PRAGMA page_size = 4096");
        if (outcome.code != SQLITE_OK)
            return failOpen(classify(outcome.code), tr("Cannot set the page size"), handle,
                            outcome.code);
    }

    // A wrong key only shows at the first read.
    const SqlOutcome check = runSql(handle, "SELECT count(*) FROM sqlite_master");
    if (check.code != SQLITE_OK) {
        const OpenFailure failure = classify(check.code);
        QString reason;
        if (failure == OpenFailure::NotADatabaseOrWrongKey) {
            if (encrypted && fileStartsWithPlainHeader(db))
                reason = tr("The file %1 is an unencrypted database, not a vault").arg(db);
            else if (encrypted)
                reason = tr("Wrong key, or the file %1 is not a database").arg(db);
            else
                reason = tr("The file %1 is encrypted or is not a database").arg(db);
        } else {
            reason = tr("Cannot read the database file %1").arg(db);
        }
        return failOpen(failure, reason, handle, check.code);
    }

    const bool inMemory = db.isEmpty() || db == QLatin1String(":memory:");
    if (!options.readOnly) {
        const SqlOutcome journal = runSql(handle, "PRAGMA journal_mode = WAL");
        if (journal.code != SQLITE_OK)
            return failOpen(classify(journal.code), tr("Cannot switch the database to WAL mode"),
                            handle, journal.code);
        if (!inMemory && journal.firstValue.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
            return failOpen(
                OpenFailure::Other,
                tr("Cannot switch the database to WAL mode (got \"%1\")").arg(journal.firstValue),
                handle, SQLITE_OK);
    }

    struct Setting {
        const char* set;
        const char* query;
        int expected;
    };
    // synchronous=FULL: a committed transaction survives a power loss, also in WAL mode.
    // temp_store=MEMORY: sorts and temporary tables never reach disk in plaintext.
    static constexpr Setting kSettings[] = {
        {"PRAGMA foreign_keys = ON", "PRAGMA foreign_keys", 1},
        {"PRAGMA synchronous = FULL", "PRAGMA synchronous", 2},
        {"PRAGMA temp_store = MEMORY", "PRAGMA temp_store", 2},
    };
    for (const Setting& setting : kSettings) {
        SqlOutcome outcome = runSql(handle, setting.set);
        if (outcome.code == SQLITE_OK)
            outcome = runSql(handle, setting.query);
        if (outcome.code != SQLITE_OK || outcome.firstValue.toInt() != setting.expected)
            return failOpen(classify(outcome.code),
                            tr("Cannot apply the connection setting (%1)")
                                .arg(QString::fromLatin1(setting.set)),
                            handle, outcome.code);
    }

    // The page cache holds decrypted pages: with SQLCipher every miss costs a decryption and every
    // dirty page leaving it an encryption. SQLite allocates it as pages are used, up to this
    // bound; bulk writers raise it (growPageCache). See the vault section of docs/benchmarks.md.
    const QByteArray cacheSql =
        "PRAGMA cache_size = -" + QByteArray::number(options.cacheMb * 1024);
    if (const SqlOutcome cache = runSql(handle, cacheSql.constData()); cache.code != SQLITE_OK)
        return failOpen(classify(cache.code), tr("Cannot set the page cache size"), handle,
                        cache.code);

    m_db = handle;
    m_encrypted = encrypted;
    m_cipherVersion = version;
    setOpen(true);
    setOpenError(false);
    return true;
}

void SqlCipherDriver::close() {
    // Finalize every statement first: sqlite3_close refuses while statements are alive.
    const QSet<SqlCipherResult*> results = m_results;
    for (SqlCipherResult* result : results)
        result->detachFromConnection();
    if (m_db) {
        if (sqlite3_close(m_db) != SQLITE_OK) {
            qCWarning(lcStore, "SqlCipherDriver::close: statements still open, closing lazily");
            sqlite3_close_v2(m_db);
        }
        m_db = nullptr;
    }
    m_encrypted = false;
    if (isOpen())
        setOpen(false);
    setOpenError(false);
}

bool SqlCipherDriver::hasFeature(DriverFeature feature) const {
    switch (feature) {
    case Transactions:
    case BLOB:
    case Unicode:
    case PreparedQueries:
    case PositionalPlaceholders:
    case LastInsertId:
    case LowPrecisionNumbers:
    case FinishQuery:
    case SimpleLocking:
        return true;
    // Not NamedPlaceholders: Qt then rewrites :name to ? and maps the names itself.
    case NamedPlaceholders:
    case QuerySize:
    case BatchOperations:
    case EventNotifications:
    case MultipleResultSets:
    case CancelQuery:
        return false;
    }
    return false;
}

QSqlResult* SqlCipherDriver::createResult() const {
    return new SqlCipherResult(this);
}

void SqlCipherDriver::registerResult(SqlCipherResult* result) const {
    m_results.insert(result);
}

void SqlCipherDriver::unregisterResult(SqlCipherResult* result) const {
    m_results.remove(result);
}

bool SqlCipherDriver::runTransactionStatement(const char* sql, const QString& what) {
    if (!m_db) {
        setLastError(QSqlError(what, tr("The database is not open"), QSqlError::TransactionError));
        return false;
    }
    const SqlOutcome outcome = runSql(m_db, sql);
    if (outcome.code != SQLITE_OK) {
        setLastError(QSqlError(what, outcome.message, QSqlError::TransactionError,
                               QString::number(outcome.code)));
        return false;
    }
    return true;
}

bool SqlCipherDriver::beginTransaction() {
    return runTransactionStatement("BEGIN IMMEDIATE", tr("Unable to begin transaction"));
}

bool SqlCipherDriver::commitTransaction() {
    return runTransactionStatement("COMMIT", tr("Unable to commit transaction"));
}

bool SqlCipherDriver::rollbackTransaction() {
    return runTransactionStatement("ROLLBACK", tr("Unable to roll back transaction"));
}

QStringList SqlCipherDriver::tables(QSql::TableType type) const {
    QStringList names;
    if (!m_db)
        return names;
    const auto collect = [this, &names](const char* sql) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(m_db, sql, -1, &stmt, nullptr) == SQLITE_OK) {
            while (sqlite3_step(stmt) == SQLITE_ROW) {
                const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
                names.append(QString::fromUtf8(p, sqlite3_column_bytes(stmt, 0)));
            }
        }
        sqlite3_finalize(stmt);
    };
    if (type & QSql::Tables)
        collect("SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
    if (type & QSql::Views)
        collect("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name");
    if (type & QSql::SystemTables) {
        names.append(QStringLiteral("sqlite_master"));
        collect("SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
    }
    return names;
}

QSqlRecord SqlCipherDriver::record(const QString& tableName) const {
    QSqlRecord rec;
    const QList<ColumnInfo> columns = tableColumns(m_db, *this, tableName);
    for (const ColumnInfo& column : columns) {
        QSqlField field(column.name, metaTypeForDeclared(column.declaredType), tableName);
        field.setRequiredStatus(column.notNull ? QSqlField::Required : QSqlField::Optional);
        if (column.defaultValue.isValid())
            field.setDefaultValue(column.defaultValue);
        // INTEGER PRIMARY KEY is the rowid: SQLite fills it in.
        if (column.primaryKeyPosition > 0 &&
            column.declaredType.compare(QLatin1String("INTEGER"), Qt::CaseInsensitive) == 0)
            field.setAutoValue(true);
        rec.append(field);
    }
    return rec;
}

QSqlIndex SqlCipherDriver::primaryIndex(const QString& tableName) const {
    QSqlIndex index(tableName);
    const QList<ColumnInfo> columns = tableColumns(m_db, *this, tableName);
    std::map<int, const ColumnInfo*> byPosition;
    for (const ColumnInfo& column : columns) {
        if (column.primaryKeyPosition > 0)
            byPosition[column.primaryKeyPosition] = &column;
    }
    for (const auto& entry : byPosition)
        index.append(QSqlField(entry.second->name, metaTypeForDeclared(entry.second->declaredType),
                               tableName));
    return index;
}

QString SqlCipherDriver::escapeIdentifier(const QString& identifier, IdentifierType type) const {
    if (identifier.isEmpty() || isIdentifierEscaped(identifier, type))
        return identifier;
    QString escaped = identifier;
    escaped.replace(QLatin1Char('"'), QLatin1String("\"\""));
    if (type == TableName)
        escaped.replace(QLatin1Char('.'), QLatin1String("\".\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

QVariant SqlCipherDriver::handle() const {
    return QVariant::fromValue(m_db);
}

int SqlCipherDriver::pageCacheMb() const {
    if (!m_db)
        return 0;
    const SqlOutcome outcome = runSql(m_db, "PRAGMA cache_size");
    bool ok = false;
    const qint64 value = outcome.firstValue.toLongLong(&ok);
    if (outcome.code != SQLITE_OK || !ok)
        return 0;
    // Negative: KiB; positive: pages.
    const qint64 kib = value < 0 ? -value : value * kPageSize / 1024;
    return int(kib / 1024);
}

Status SqlCipherDriver::growPageCache(int megabytes) {
    if (!m_db)
        return Status::failure(tr("Cannot resize the page cache: the database is not open"));
    if (megabytes < 1 || megabytes > kMaxCacheMb)
        return Status::failure(tr("Cannot resize the page cache to %1 MB: allowed are 1 to %2")
                                   .arg(megabytes)
                                   .arg(kMaxCacheMb));
    if (pageCacheMb() >= megabytes)
        return Status::success();
    const QByteArray sql = "PRAGMA cache_size = -" + QByteArray::number(qint64(megabytes) * 1024);
    const SqlOutcome outcome = runSql(m_db, sql.constData());
    if (outcome.code != SQLITE_OK)
        return Status::failure(
            tr("Cannot resize the page cache to %1 MB: %2").arg(megabytes).arg(outcome.message));
    return Status::success();
}

Status SqlCipherDriver::executeScript(const QString& sql) {
    if (!m_db)
        return Status::failure(tr("Cannot run the script: the database is not open"));
    const QByteArray utf8 = sql.toUtf8();
    const char* cursor = utf8.constData();
    const char* const end = cursor + utf8.size();
    int number = 0;
    // How a failing statement is named: its number and its start, whitespace folded.
    const auto excerpt = [](const char* from, const char* to) {
        QString text = QString::fromUtf8(from, qsizetype(to - from)).simplified();
        const qsizetype semicolon = text.indexOf(QLatin1Char(';'));
        if (semicolon >= 0)
            text.truncate(semicolon);
        if (text.size() > 80)
            text = text.left(77) + QLatin1String("...");
        return text;
    };
    while (cursor < end) {
        sqlite3_stmt* stmt = nullptr;
        const char* tail = nullptr;
        int rc = sqlite3_prepare_v2(m_db, cursor, int(end - cursor), &stmt, &tail);
        if (rc != SQLITE_OK) {
            const QString message = QString::fromUtf8(sqlite3_errmsg(m_db));
            sqlite3_finalize(stmt);
            const QString error = tr("Script statement %1 (%2) failed: %3")
                                      .arg(number + 1)
                                      .arg(excerpt(cursor, end), message);
            qCWarning(lcStore, "%s", qUtf8Printable(error));
            return Status::failure(error);
        }
        if (!stmt) { // only whitespace or comments left
            cursor = tail ? tail : end;
            if (!tail)
                break;
            continue;
        }
        ++number;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        }
        if (rc != SQLITE_DONE) {
            const QString message = QString::fromUtf8(sqlite3_errmsg(m_db));
            sqlite3_finalize(stmt);
            const QString error = tr("Script statement %1 (%2) failed: %3")
                                      .arg(number)
                                      .arg(excerpt(cursor, tail), message);
            qCWarning(lcStore, "%s", qUtf8Printable(error));
            return Status::failure(error);
        }
        sqlite3_finalize(stmt);
        cursor = tail;
    }
    return Status::success();
}

QString SqlCipherDriver::cipherVersion() const {
    if (m_db)
        return m_cipherVersion;
    sqlite3* probe = nullptr;
    QString version;
    if (sqlite3_open_v2(":memory:", &probe, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) ==
        SQLITE_OK)
        version = runSql(probe, "PRAGMA cipher_version").firstValue;
    sqlite3_close(probe);
    return version;
}

QString SqlCipherDriver::sqliteVersion() {
    return QString::fromLatin1(sqlite3_libversion());
}

QSqlDatabase SqlCipherDriver::openDatabase(const QString& connectionName, const QString& path,
                                           const QByteArray& rawKey, const QString& connectOptions,
                                           SqlCipherDriver::OpenFailure* failure, QString* error) {
    const auto fail = [&](OpenFailure why, const QString& message) {
        if (failure)
            *failure = why;
        if (error)
            *error = message;
        return QSqlDatabase();
    };
    if (QSqlDatabase::contains(connectionName))
        return fail(OpenFailure::Other,
                    tr("Cannot open the database: the connection name \"%1\" is already in use")
                        .arg(connectionName));
    auto* driver = new SqlCipherDriver;
    driver->setRawKey(rawKey);
    OpenFailure why = OpenFailure::None;
    QString message;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(driver, connectionName); // takes ownership
        db.setDatabaseName(path);
        db.setConnectOptions(connectOptions);
        if (db.open()) {
            if (failure)
                *failure = OpenFailure::None;
            if (error)
                error->clear();
            return db;
        }
        why = driver->openFailure();
        message = db.lastError().text();
    }
    QSqlDatabase::removeDatabase(connectionName);
    return fail(why, message);
}

} // namespace llamadesk::store
