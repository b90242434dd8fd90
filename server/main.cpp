#include "ServerApplication.h"

#include <QCoreApplication>

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("llamadesk-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LLAMADESK_VERSION_STRING));
    return llamadesk::server::ServerApplication::run(QCoreApplication::arguments());
}
