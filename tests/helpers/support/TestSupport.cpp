#include "TestSupport.h"

#include <QCoreApplication>
#include <QDir>

namespace testsupport {

QString binaryDir() {
    return QCoreApplication::applicationDirPath();
}

ScratchDir::ScratchDir()
    : m_dir(QDir::tempPath() + QStringLiteral("/llamadesk-test-XXXXXX")) {}

VaultConnection::VaultConnection(const QString& name, const QString& path, const QByteArray& key,
                                 const QString& options)
    : m_name(name) {
    db =
        llamadesk::store::SqlCipherDriver::openDatabase(name, path, key, options, &failure, &error);
}

VaultConnection::~VaultConnection() {
    db = QSqlDatabase();
    if (QSqlDatabase::contains(m_name))
        QSqlDatabase::removeDatabase(m_name);
}

} // namespace testsupport
