#pragma once

#include "Result.h"
#include "vault/SecretStore.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace llamadesk::app {

// "Delete all local data": the vault database, its write-ahead log and shared-memory files, a
// rollback journal if one was left, its key file, and the key kept in the system keychain. The
// vault must be closed first (no open connection may hold the files).
class LocalDataEraser {
    Q_DECLARE_TR_FUNCTIONS(LocalDataEraser)

public:
    // Every file that belongs to the vault at `databasePath`, whether it exists or not.
    static QStringList filesOf(const QString& databasePath);
    // Forgets the keychain entry named by the key file (if any), then removes every file. Goes
    // on after a keychain failure (the files matter most) and reports it.
    static Status erase(const QString& databasePath, vault::SecretStore& secrets);
};

} // namespace llamadesk::app
