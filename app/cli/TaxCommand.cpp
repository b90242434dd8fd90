#include "TaxCommand.h"

#include "CliApplication.h"

#include <QCoreApplication>

namespace llamadesk::cli {

void TaxCommand::addOptions(CliApplication& app, QCommandLineParser& parser) {
    app.addDatabaseOptions(parser);
}

int TaxCommand::run(QCommandLineParser& parser) {
    Q_UNUSED(parser);
    return m_app.fail(
        QCoreApplication::translate("llamadesk::cli::TaxCommand", "not implemented yet"));
}

} // namespace llamadesk::cli
