#include <QCoreApplication>

#include <cstdio>

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("llamadesk-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LLAMADESK_VERSION_STRING));
    std::puts("llamadesk-cli " LLAMADESK_VERSION_STRING);
    return 0;
}
