#include "TestSupport.h"

#include <QCoreApplication>
#include <QDir>

namespace testsupport {

QString binaryDir() {
    return QCoreApplication::applicationDirPath();
}

ScratchDir::ScratchDir()
    : m_dir(QDir::tempPath() + QStringLiteral("/llamadesk-test-XXXXXX")) {}

} // namespace testsupport
