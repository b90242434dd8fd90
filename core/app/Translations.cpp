#include "app/Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace llamadesk::app {

namespace {

const QString kDirectory = QStringLiteral(":/i18n");

// A translator loaded for locale from directory, installed on app; false (and nothing
// installed) when there is no such file.
bool installOne(QCoreApplication* app, const QLocale& locale, const QString& name,
                const QString& directory) {
    auto* translator = new QTranslator(app);
    if (translator->load(locale, name, QStringLiteral("_"), directory) &&
        QCoreApplication::installTranslator(translator))
        return true;
    delete translator;
    return false;
}

} // namespace

int Translations::install(QCoreApplication* app, const QLocale& locale) {
    int installed = 0;
    if (installOne(app, locale, QStringLiteral("llamadesk"), kDirectory) ||
        installOne(app, QLocale(QLocale::English), QStringLiteral("llamadesk"), kDirectory))
        ++installed;
    // Qt's own texts (standard buttons, dialogs), where the system has them.
    if (installOne(app, locale, QStringLiteral("qtbase"),
                   QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        ++installed;
    return installed;
}

} // namespace llamadesk::app
