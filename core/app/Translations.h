#pragma once

#include <QLocale>

class QCoreApplication;

namespace llamadesk::app {

// The app's translations (translations/*.ts, compiled into the core library as
// ":/i18n/llamadesk_<language>.qm") and Qt's own, installed for the user's language.
//
// English has a file too: it holds the singular and plural of every "%n item(s)" text, which
// Qt otherwise prints as written ("1 transaction(s)"). Where there is no file for the user's
// language the interface stays English, so the English file is installed then.
class Translations {
public:
    // Installs them on app (which owns the translators); returns how many were installed.
    static int install(QCoreApplication* app, const QLocale& locale = QLocale());
};

} // namespace llamadesk::app
