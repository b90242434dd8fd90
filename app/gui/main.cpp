#include "GuiOptions.h"
#include "mainwindow/MainWindow.h"
#include "vault/KeychainSecretStore.h"
#include "vault/Vault.h"

#include <QApplication>
#include <QFile>
#include <QFileInfo>
#include <QInputDialog>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>

using namespace llamadesk;

namespace {

// Asks for the passphrase until it unlocks the vault or the user gives up.
std::unique_ptr<vault::Vault> unlockInteractively(const QString& path, vault::SecretStore& secrets,
                                                  QString* message) {
    QString error;
    for (;;) {
        bool accepted = false;
        QString label =
            QApplication::translate("main", "Passphrase for %1:").arg(QFileInfo(path).fileName());
        if (!error.isEmpty())
            label = error + QLatin1Char('\n') + label;
        QString passphrase =
            QInputDialog::getText(nullptr, QApplication::translate("main", "Unlock LlamaDesk"),
                                  label, QLineEdit::Password, QString(), &accepted);
        if (!accepted) {
            *message = QApplication::translate("main", "The vault stays locked.");
            return nullptr;
        }
        vault::VaultError code = vault::VaultError::None;
        auto opened = vault::Vault::open(path, vault::UnlockRequest::passphrase(passphrase),
                                         secrets, &code, &error);
        vault::wipe(passphrase);
        if (opened || code != vault::VaultError::WrongPassphrase) {
            *message = error;
            return opened;
        }
    }
}

} // namespace

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    // Progress chatter (migrations applied, vault created) is for logs, not for the terminal;
    // QT_LOGGING_RULES still overrides this.
    QLoggingCategory::setFilterRules(QStringLiteral("llamadesk.*.info=false"));
    QApplication::setOrganizationName(QStringLiteral("LlamaDesk"));
    QApplication::setApplicationName(QStringLiteral("LlamaDesk"));
    QApplication::setApplicationDisplayName(QStringLiteral("LlamaDesk"));
    QApplication::setApplicationVersion(QStringLiteral(LLAMADESK_VERSION_STRING));

    const auto options = gui::parseOptions(QApplication::arguments());
    if (!options) {
        std::fprintf(stderr, "llamadesk: %s\n", qPrintable(options.error()));
        return 2;
    }
    if (options->exitCode >= 0)
        return options->exitCode;

    vault::KeychainSecretStore secrets;
    QString message;
    vault::VaultError code = vault::VaultError::None;
    std::unique_ptr<vault::Vault> opened;
    if (!options->passphrase.isEmpty()) {
        opened = vault::Vault::open(options->databasePath,
                                    vault::UnlockRequest::passphrase(options->passphrase), secrets,
                                    &code, &message);
    } else if (QFileInfo::exists(options->databasePath)) {
        opened = vault::Vault::open(options->databasePath, vault::UnlockRequest::keychain(),
                                    secrets, &code, &message);
        if (!opened &&
            (code == vault::VaultError::KeychainUnavailable ||
             code == vault::VaultError::KeychainEntryMissing ||
             code == vault::VaultError::MethodNotConfigured) &&
            options->screenshotPath.isEmpty())
            opened = unlockInteractively(options->databasePath, secrets, &message);
    } else {
        message = vault::describe(vault::VaultError::NotFound);
    }

    ui::MainWindow window;
    if (opened) {
        const vault::VaultInfo info = opened->info();
        window.setVaultDescription(
            QApplication::translate("main",
                                    "Vault unlocked: %1 · encrypted (SQLCipher %2) · schema v%3")
                .arg(QFileInfo(info.path).fileName(), info.cipherVersion)
                .arg(info.schemaVersion));
    } else {
        window.setVaultDescription(QApplication::translate("main", "Vault locked"));
        if (options->screenshotPath.isEmpty())
            QMessageBox::warning(&window, QApplication::translate("main", "LlamaDesk"), message);
        else
            std::fprintf(stderr, "llamadesk: %s\n", qPrintable(message));
    }
    window.show();

    if (!options->screenshotPath.isEmpty()) {
        // Render after the first event loop pass so layouts are final.
        QTimer::singleShot(200, &window, [&window, &options, ok = bool(opened)] {
            const bool saved = window.grab().save(options->screenshotPath, "PNG");
            if (!saved)
                std::fprintf(stderr, "llamadesk: cannot write %s\n",
                             qPrintable(options->screenshotPath));
            QApplication::exit(saved && ok ? 0 : 1);
        });
    }
    return QApplication::exec();
}
