#include "LocalDataEraser.h"

#include "vault/KeyFile.h"

#include <QFile>
#include <QFileInfo>

namespace llamadesk::app {

QStringList LocalDataEraser::filesOf(const QString& databasePath) {
    return {databasePath, databasePath + QStringLiteral("-wal"),
            databasePath + QStringLiteral("-shm"), databasePath + QStringLiteral("-journal"),
            vault::KeyFile::sidecarPath(databasePath)};
}

Status LocalDataEraser::erase(const QString& databasePath, vault::SecretStore& secrets) {
    QStringList problems;
    const QString sidecar = vault::KeyFile::sidecarPath(databasePath);
    if (QFileInfo::exists(sidecar)) {
        const Result<vault::KeyFile> keys = vault::KeyFile::load(sidecar);
        if (keys && keys.value().hasKeychain()) {
            QString detail;
            if (secrets.remove(keys.value().keychainAccount(), &detail) !=
                vault::SecretStore::Error::None) {
                problems.append(
                    tr("The key could not be removed from the system keychain: %1").arg(detail));
            }
        }
    }
    for (const QString& file : filesOf(databasePath)) {
        if (QFileInfo::exists(file) && !QFile::remove(file))
            problems.append(tr("Cannot delete %1.").arg(file));
    }
    if (!problems.isEmpty())
        return Status::failure(problems.join(QLatin1Char(' ')));
    return Status::success();
}

} // namespace llamadesk::app
