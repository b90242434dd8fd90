#include "GuiOptions.h"
#include "app/AppController.h"
#include "app/AppShell.h"
#include "app/ScreenshotRenderer.h"
#include "app/Theme.h"
#include "app/Translations.h"
#include "app/WorkerPool.h"
#include "mainwindow/MainWindow.h"
#include "transactions/TransactionTableModel.h"
#include "transactions/TransactionsView.h"
#include "vault/KeychainSecretStore.h"
#include "vault/SecureBytes.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <QSettings>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <cstdio>

using namespace llamadesk;

namespace {

// Renders the main window once the vault is open and the first rows are listed (or the unlock
// screen when it stays locked); exit code 0 only when the vault was unlocked.
int singleScreenshot(const gui::GuiOptions& options, vault::SecretStore& secrets) {
    ui::AppController controller(secrets);
    controller.setVaultPath(options.databasePath);
    ui::MainWindow window(&controller);
    window.show();
    if (!options.passphrase.isEmpty())
        controller.unlockWithPassphrase(options.passphrase);
    else
        controller.start();
    ui::TransactionTableModel* model = window.transactionsView()->model();
    QDeadlineTimer deadline(60000);
    while (!deadline.hasExpired() && (controller.state() == ui::AppController::State::Busy ||
                                      controller.state() == ui::AppController::State::Idle ||
                                      (controller.isUnlocked() && model->isLoading()))) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    if (!controller.isUnlocked())
        std::fprintf(stderr, "llamadesk: %s\n", qPrintable(controller.lastError()));
    // Let layouts settle before rendering.
    QDeadlineTimer settle(200);
    while (!settle.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    const bool saved = window.grab().save(options.screenshotPath, "PNG");
    if (!saved)
        std::fprintf(stderr, "llamadesk: cannot write %s\n", qPrintable(options.screenshotPath));
    return saved && controller.isUnlocked() ? 0 : 1;
}

} // namespace

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    // Progress chatter (migrations applied, vault created) and debug lines are for logs, not for
    // the terminal; QT_LOGGING_RULES still overrides this.
    QLoggingCategory::setFilterRules(
        QStringLiteral("llamadesk.*.debug=false\nllamadesk.*.info=false"));
    QApplication::setOrganizationName(QStringLiteral("LlamaDesk"));
    QApplication::setApplicationName(QStringLiteral("LlamaDesk"));
    QApplication::setApplicationDisplayName(QStringLiteral("LlamaDesk"));
    QApplication::setApplicationVersion(QStringLiteral(LLAMADESK_VERSION_STRING));
    llamadesk::app::Translations::install(&app);

    auto options = gui::parseOptions(QApplication::arguments());
    if (!options) {
        std::fprintf(stderr, "llamadesk: %s\n", qPrintable(options.error()));
        return 2;
    }
    if (options->exitCode >= 0)
        return options->exitCode;
    ui::Theme::captureSystemPalette();
    // Background jobs yield the CPU to the GUI thread on a busy machine.
    app::setBackgroundPriorityLowered(true);

    const bool rendering = !options->screenshotPath.isEmpty() || !options->screenshotsDir.isEmpty();
    QTemporaryDir settingsDir;
    if (rendering) {
        // Rendering must neither read nor change the user's settings (window size, theme).
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
    }

    if (!options->screenshotsDir.isEmpty()) {
        ui::ScreenshotRenderer::Options render;
        render.directory = options->screenshotsDir;
        render.vaultPath = options->databaseGiven ? options->databasePath : QString();
        render.passphrase = options->passphrase;
        const Result<QStringList> written = ui::ScreenshotRenderer::run(render);
        vault::wipe(options->passphrase);
        if (!written) {
            std::fprintf(stderr, "llamadesk: %s\n", qPrintable(written.error()));
            return 1;
        }
        for (const QString& file : written.value())
            std::printf("%s\n", qPrintable(file));
        return 0;
    }

    vault::KeychainSecretStore secrets;
    if (!options->screenshotPath.isEmpty()) {
        ui::Theme::applySaved();
        const int code = singleScreenshot(options.value(), secrets);
        vault::wipe(options->passphrase);
        return code;
    }

    ui::Theme::applySaved();
    ui::AppShell shell(secrets, options->databasePath);
    QObject::connect(&shell, &ui::AppShell::setupAbandoned, &app, &QApplication::quit);
    if (!options->passphrase.isEmpty()) {
        shell.window()->show();
        shell.controller()->unlockWithPassphrase(options->passphrase);
        vault::wipe(options->passphrase);
    } else {
        shell.start();
    }
    return QApplication::exec();
}
