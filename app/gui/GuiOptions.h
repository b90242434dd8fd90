#pragma once

#include "Result.h"

#include <QString>
#include <QStringList>

namespace llamadesk::gui {

struct GuiOptions {
    QString databasePath;
    QString passphrase; // from --passphrase-file or LLAMADESK_PASSPHRASE; wiped after use
    bool databaseGiven = false;
    QString screenshotPath; // --screenshot FILE: render the main window to FILE and exit
    QString screenshotsDir; // --screenshots DIR: render every screen to DIR and exit
    int exitCode = -1;      // >= 0: exit right away with this code (--help, --version)
};

Result<GuiOptions> parseOptions(const QStringList& arguments);

} // namespace llamadesk::gui
