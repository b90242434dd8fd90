#pragma once

#include "store/SqlCipherDriver.h"

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>
#include <QTemporaryDir>

namespace testsupport {

// Path of the directory that holds the test executables (helper processes live there too).
QString binaryDir();

// A fresh temporary folder that is removed when the object goes away.
class ScratchDir {
public:
    ScratchDir();
    bool isValid() const { return m_dir.isValid(); }
    QString path() const { return m_dir.path(); }
    QString filePath(const QString& name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
};

// One named connection to a vault file through SqlCipherDriver::openDatabase, removed again when
// it goes out of scope. An empty key opens a plain file.
class VaultConnection {
public:
    VaultConnection(const QString& name, const QString& path, const QByteArray& key,
                    const QString& options = QString());
    ~VaultConnection();
    VaultConnection(const VaultConnection&) = delete;
    VaultConnection& operator=(const VaultConnection&) = delete;

    llamadesk::store::SqlCipherDriver* driver() const {
        return static_cast<llamadesk::store::SqlCipherDriver*>(db.driver());
    }

    QSqlDatabase db;
    llamadesk::store::SqlCipherDriver::OpenFailure failure =
        llamadesk::store::SqlCipherDriver::OpenFailure::Other;
    QString error;

private:
    QString m_name;
};

} // namespace testsupport
