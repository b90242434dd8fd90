#include "CliApplication.h"
#include "app/Translations.h"

#include <QCoreApplication>
#include <QLoggingCategory>

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    // Progress chatter (migrations applied, vault created) and debug lines are for logs, not for
    // the terminal; QT_LOGGING_RULES still overrides this.
    QLoggingCategory::setFilterRules(
        QStringLiteral("llamadesk.*.debug=false\nllamadesk.*.info=false"));
    QCoreApplication::setOrganizationName(QStringLiteral("LlamaDesk"));
    QCoreApplication::setApplicationName(QStringLiteral("LlamaDesk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LLAMADESK_VERSION_STRING));
    llamadesk::app::Translations::install(&app);
    return llamadesk::cli::CliApplication().run(QCoreApplication::arguments());
}
