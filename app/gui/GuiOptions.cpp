#include "GuiOptions.h"

#include "vault/SecureBytes.h"
#include "vault/Vault.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

#include <cstdio>

namespace llamadesk::gui {

Result<GuiOptions> parseOptions(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "LlamaDesk: local-first portfolio, tax and PnL."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption db(QStringLiteral("db"),
                                QCoreApplication::translate("main", "The vault file (default: %1).")
                                    .arg(vault::Vault::defaultPath()),
                                QCoreApplication::translate("main", "PATH"));
    const QCommandLineOption passphraseFile(
        QStringLiteral("passphrase-file"),
        QCoreApplication::translate("main", "Read the passphrase from FILE."),
        QCoreApplication::translate("main", "FILE"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QCoreApplication::translate("main", "Render the main window to a PNG FILE and exit."),
        QCoreApplication::translate("main", "FILE"));
    const QCommandLineOption screenshots(
        QStringLiteral("screenshots"),
        QCoreApplication::translate("main",
                                    "Render every screen to PNG files in DIR and exit (with "
                                    "sample data in a temporary vault unless --db is given)."),
        QCoreApplication::translate("main", "DIR"));
    parser.addOptions({db, passphraseFile, screenshot, screenshots});
    if (!parser.parse(arguments))
        return Result<GuiOptions>::failure(parser.errorText());
    GuiOptions options;
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        options.exitCode = 0;
        return options;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("llamadesk %s\n", qPrintable(QCoreApplication::applicationVersion()));
        options.exitCode = 0;
        return options;
    }
    options.databasePath = parser.isSet(db) ? QFileInfo(parser.value(db)).absoluteFilePath()
                                            : vault::Vault::defaultPath();
    options.databaseGiven = parser.isSet(db);
    options.screenshotPath = parser.value(screenshot);
    options.screenshotsDir = parser.value(screenshots);
    if (parser.isSet(passphraseFile)) {
        QFile file(parser.value(passphraseFile));
        if (!file.open(QIODevice::ReadOnly))
            return Result<GuiOptions>::failure(
                QCoreApplication::translate("main", "cannot read %1: %2")
                    .arg(file.fileName(), file.errorString()));
        QByteArray line = file.readLine(64 * 1024);
        while (line.endsWith('\n') || line.endsWith('\r'))
            line.chop(1);
        options.passphrase = QString::fromUtf8(line);
        vault::wipe(line);
    } else if (qEnvironmentVariableIsSet("LLAMADESK_PASSPHRASE")) {
        options.passphrase = qEnvironmentVariable("LLAMADESK_PASSPHRASE");
    }
    return options;
}

} // namespace llamadesk::gui
