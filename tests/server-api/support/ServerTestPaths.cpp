#include "ServerTestPaths.h"

namespace servertest {

QString sourcePath(const QString& relative) {
    return QStringLiteral(LLAMADESK_SOURCE_DIR) + QLatin1Char('/') + relative;
}

QString serverBinary() {
    return QStringLiteral(LLAMADESK_SERVER_PATH);
}

} // namespace servertest
