#include "mainwindow/MainWindow.h"

#include <QApplication>

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("LlamaDesk"));
    QApplication::setApplicationVersion(QStringLiteral(LLAMADESK_VERSION_STRING));
    llamadesk::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
