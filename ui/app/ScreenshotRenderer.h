#pragma once

#include "Result.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace llamadesk::ui {

// `llamadesk --screenshots DIR`: walks through the app as a new user would (the first-run
// wizard creating a vault with sample data in a temporary folder, or an existing vault) and
// writes a PNG of every screen built so far, in the light and the dark theme. Works offscreen.
class ScreenshotRenderer {
    Q_DECLARE_TR_FUNCTIONS(ScreenshotRenderer)

public:
    struct Options {
        QString directory;
        QString vaultPath;  // empty: a temporary vault with sample data
        QString passphrase; // for an existing vault (else the keychain is tried)
        qint64 sampleRows = 2000;
    };

    // The files written, or why it stopped.
    static Result<QStringList> run(const Options& options);
};

} // namespace llamadesk::ui
