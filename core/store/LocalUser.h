#pragma once

#include "Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace llamadesk::store {

// The vault's owner: the one `users` row that every user-owned row references (user_id). A
// vault used before any sign-in gets a local profile with a random id and a placeholder address
// under the reserved ".invalid" domain; signing in to a sync server later decides how that
// profile meets the server's account (docs/local-schema.md).
class LocalUser {
    Q_DECLARE_TR_FUNCTIONS(LocalUser)

public:
    // The placeholder e-mail address of a local profile.
    static QString placeholderEmail();

    // The owner's id, or nullopt when the vault has no user row yet. More than one live user
    // row is reported as an error: a vault belongs to one person.
    static Result<std::optional<QString>> find(const QSqlDatabase& db);

    // The owner's id, creating the local profile in its own transaction when there is none.
    static Result<QString> ensure(const QSqlDatabase& db);
};

} // namespace llamadesk::store
