#pragma once

#include "Result.h"

#include <QByteArray>
#include <QMetaType>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QString>

struct sqlite3;

namespace llamadesk::store {

class SqlCipherResult;

// A Qt Sql driver over the SQLCipher C API, registered per connection with
// QSqlDatabase::addDatabase(QSqlDriver*, name). Everything above it uses plain QSqlQuery.
// Qt's own QSQLITE plugin must never be loaded in the same process: it links the system SQLite,
// which exports the same symbols.
//
// Encrypted files use a random 256-bit data key as a raw key (no key derivation on open) and set
// every cipher parameter explicitly (4096-byte pages, HMAC-SHA1, PBKDF2-HMAC-SHA1 64000) so that
// SQLCipher 3.4 and 4.x read the same file. Every connection runs in WAL mode with foreign keys on,
// synchronous=FULL, a busy timeout, in-memory temporary storage and a page cache of
// kDefaultCacheMb unless told otherwise. (SQLCipher turns memory-mapped I/O off for encrypted
// files, so reads always go through that cache.)
class SqlCipherDriver : public QSqlDriver {
    Q_OBJECT
public:
    enum class OpenFailure {
        None,
        CannotOpenFile,
        NotADatabaseOrWrongKey,
        Busy,
        CipherSetupFailed,
        Other
    };
    Q_ENUM(OpenFailure)

    static constexpr int kRawKeySize = 32;
    static constexpr int kDefaultBusyTimeoutMs = 5000;
    static constexpr int kPageSize = 4096;
    // Page cache per connection, in MiB (connect option CACHE_MB). Chosen by measurement: see
    // the vault section of docs/benchmarks.md.
    static constexpr int kDefaultCacheMb = 8;
    static constexpr int kMaxCacheMb = 4096;

    explicit SqlCipherDriver(QObject* parent = nullptr);
    ~SqlCipherDriver() override;

    // Must be called before open(). A 32-byte key is used as a raw key (no KDF); an EMPTY key opens
    // a plain unencrypted SQLite file (only for tests and benchmarks comparing with plain). The
    // driver keeps its copy only until open() returns, then wipes it: to reopen after close(), set
    // the key again. open() without a key ever set fails, so a vault is never created in plain by
    // mistake.
    void setRawKey(const QByteArray& key);

    // db is the file path. connOpts is a ';'-separated list of: READONLY, CREATE=0 (fail when the
    // file does not exist), CREATE=1 (default), BUSY_TIMEOUT=<ms> (default 5000), CACHE_MB=<n>
    // (page cache bound, 1 to kMaxCacheMb, default kDefaultCacheMb). User, password, host and
    // port are ignored.
    bool open(const QString& db, const QString& user = QString(),
              const QString& password = QString(), const QString& host = QString(), int port = -1,
              const QString& connOpts = QString()) override;
    void close() override;
    bool hasFeature(DriverFeature feature) const override;
    QSqlResult* createResult() const override;

    // beginTransaction() takes the write lock at once (BEGIN IMMEDIATE): a writer that would lose
    // the race fails at BEGIN, not halfway through its work.
    bool beginTransaction() override;
    bool commitTransaction() override;
    bool rollbackTransaction() override;

    QStringList tables(QSql::TableType type) const override;
    QSqlRecord record(const QString& tableName) const override;
    QSqlIndex primaryIndex(const QString& tableName) const override;
    QString escapeIdentifier(const QString& identifier, IdentifierType type) const override;
    QVariant handle() const override; // holds a sqlite3*

    // Why the last open() failed (None after a successful open).
    OpenFailure openFailure() const { return m_openFailure; }

    // Raises this connection's page cache bound to at least `megabytes` (never lowers it), for
    // bulk writes: see kDefaultCacheMb. Pages are only allocated when used.
    Status growPageCache(int megabytes);
    // The page cache bound of this connection in MiB (0 when closed).
    int pageCacheMb() const;

    // Runs a multi-statement script (migrations), statement by statement, stopping at the first
    // failure; the error names the failing statement by number and start. The script is not wrapped
    // in a transaction: callers that need all-or-nothing open one first.
    Status executeScript(const QString& sql);

    // SQLCipher version ("3.4.1", "4.5.4 community") and the SQLite version underneath.
    QString cipherVersion() const;
    static QString sqliteVersion();
    // True when the open connection uses a key.
    bool isEncrypted() const { return isOpen() && m_encrypted; }
    // The native connection, null when closed. For code that needs the C API directly.
    sqlite3* nativeHandle() const { return m_db; }

    // Creates the driver, sets the key, registers it as connectionName and opens path. On failure
    // the connection is removed again and an invalid QSqlDatabase is returned; failure and error
    // (when given) say why.
    static QSqlDatabase openDatabase(const QString& connectionName, const QString& path,
                                     const QByteArray& rawKey, const QString& connectOptions = {},
                                     SqlCipherDriver::OpenFailure* failure = nullptr,
                                     QString* error = nullptr);

private:
    friend class SqlCipherResult;
    enum class KeyMode { NotSet, Plain, Encrypted };

    void wipeKey();
    bool failOpen(OpenFailure failure, const QString& reason, sqlite3* handle, int code);
    bool runTransactionStatement(const char* sql, const QString& what);
    void registerResult(SqlCipherResult* result) const;
    void unregisterResult(SqlCipherResult* result) const;

    sqlite3* m_db = nullptr;
    QByteArray m_key;
    KeyMode m_keyMode = KeyMode::NotSet;
    bool m_keyAvailable = false;
    bool m_encrypted = false;
    OpenFailure m_openFailure = OpenFailure::None;
    QString m_cipherVersion;
    // Live results: their statements must be finalized before the connection closes.
    mutable QSet<SqlCipherResult*> m_results;
};

} // namespace llamadesk::store

Q_DECLARE_OPAQUE_POINTER(sqlite3*)
Q_DECLARE_METATYPE(sqlite3*)
