#include "ImportCommand.h"

#include "CliApplication.h"

#include <QCoreApplication>

namespace llamadesk::cli {

void ImportCommand::addOptions(CliApplication& app, QCommandLineParser& parser) {
    app.addDatabaseOptions(parser);
}

int ImportCommand::run(QCommandLineParser& parser) {
    Q_UNUSED(parser);
    return m_app.fail(
        QCoreApplication::translate("llamadesk::cli::ImportCommand", "not implemented yet"));
}

} // namespace llamadesk::cli
