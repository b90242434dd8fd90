#include "LocalUser.h"

#include "domain/Uuid.h"

#include <QSqlError>
#include <QSqlQuery>

namespace llamadesk::store {

QString LocalUser::placeholderEmail() {
    return QStringLiteral("local-profile@llamadesk.invalid");
}

Result<std::optional<QString>> LocalUser::find(const QSqlDatabase& db) {
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(QStringLiteral(
            "SELECT id FROM users WHERE deleted_at IS NULL ORDER BY created_at, id LIMIT 2")) ||
        !query.exec())
        return Result<std::optional<QString>>::failure(
            tr("LocalUser.find: cannot read the users table: %1").arg(query.lastError().text()));
    std::optional<QString> id;
    while (query.next()) {
        if (id)
            return Result<std::optional<QString>>::failure(
                tr("LocalUser.find: the vault holds more than one user profile; it must belong to "
                   "one person"));
        id = query.value(0).toString();
    }
    return id;
}

Result<QString> LocalUser::ensure(const QSqlDatabase& db) {
    const auto existing = find(db);
    if (!existing)
        return Result<QString>::failure(existing.error());
    if (existing.value())
        return *existing.value();

    // BEGIN IMMEDIATE takes the write lock first, so two processes creating the profile at the
    // same moment cannot both insert one: the second sees the first's row after waiting.
    QSqlDatabase connection = db;
    if (!connection.transaction())
        return Result<QString>::failure(tr("LocalUser.ensure: cannot start a transaction: %1")
                                            .arg(connection.lastError().text()));
    const auto again = find(db);
    if (!again) {
        connection.rollback();
        return Result<QString>::failure(again.error());
    }
    if (again.value()) {
        connection.rollback();
        return *again.value();
    }
    const QString id = newUuid();
    QSqlQuery insert(db);
    if (!insert.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)"))) {
        connection.rollback();
        return Result<QString>::failure(
            tr("LocalUser.ensure: cannot prepare the profile insert: %1")
                .arg(insert.lastError().text()));
    }
    insert.addBindValue(id);
    insert.addBindValue(placeholderEmail());
    if (!insert.exec()) {
        const QString why = insert.lastError().text();
        connection.rollback();
        return Result<QString>::failure(
            tr("LocalUser.ensure: cannot create the local profile: %1").arg(why));
    }
    if (!connection.commit())
        return Result<QString>::failure(tr("LocalUser.ensure: cannot commit the local profile: %1")
                                            .arg(connection.lastError().text()));
    return id;
}

} // namespace llamadesk::store
