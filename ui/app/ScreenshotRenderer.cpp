#include "ScreenshotRenderer.h"

#include "AppController.h"
#include "Theme.h"
#include "mainwindow/MainWindow.h"
#include "onboarding/FirstRunWizard.h"
#include "onboarding/RecoveryCodePanel.h"
#include "portfolio/PortfolioView.h"
#include "tax/TaxView.h"
#include "transactions/TransactionEditDialog.h"
#include "transactions/TransactionTableModel.h"
#include "transactions/TransactionsView.h"
#include "unlock/UnlockScreen.h"
#include "vault/KeychainSecretStore.h"
#include "vault/MemorySecretStore.h"
#include "widgets/PassphraseForm.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QRadioButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QThread>

#include <functional>

namespace llamadesk::ui {

namespace {

// Lets the event loop run until `done` or the timeout; true when done.
bool waitFor(const std::function<bool()>& done, int timeoutMs = 60000) {
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

void settle() {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 150)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

class Shooter {
public:
    explicit Shooter(QString directory)
        : m_dir(std::move(directory)) {}
    bool shoot(QWidget* widget, const QString& name) {
        settle();
        const QString path = QDir(m_dir).filePath(name + QStringLiteral(".png"));
        if (!widget->grab().save(path, "PNG")) {
            m_error = ScreenshotRenderer::tr("Cannot write %1.").arg(path);
            return false;
        }
        m_written << path;
        return true;
    }
    QStringList written() const { return m_written; }
    QString error() const { return m_error; }

private:
    QString m_dir;
    QStringList m_written;
    QString m_error;
};

} // namespace

Result<QStringList> ScreenshotRenderer::run(const Options& options) {
    if (!QDir().mkpath(options.directory))
        return Result<QStringList>::failure(tr("Cannot create %1.").arg(options.directory));
    Shooter shooter(options.directory);
    Theme::apply(Theme::Choice::Light);

    QTemporaryDir temporary;
    vault::MemorySecretStore memory;
    vault::KeychainSecretStore keychain;
    const bool sample = options.vaultPath.isEmpty();
    vault::SecretStore& secrets = sample ? static_cast<vault::SecretStore&>(memory) : keychain;
    AppController controller(secrets);
    controller.setVaultPath(sample ? temporary.filePath(QStringLiteral("sample.llamadesk"))
                                   : options.vaultPath);
    // A throwaway passphrase for the temporary vault (it is deleted at the end).
    const QString passphrase =
        sample ? QStringLiteral("correct horse battery staple 42") : options.passphrase;
    auto failed = [&](const QString& why) {
        return Result<QStringList>::failure(shooter.error().isEmpty() ? why : shooter.error());
    };

    if (sample) {
        if (!temporary.isValid())
            return failed(tr("Cannot create a temporary folder."));
        controller.start();
        FirstRunWizard wizard(&controller);
        wizard.setSampleSize(options.sampleRows);
        wizard.show();
        if (!shooter.shoot(&wizard, QStringLiteral("wizard-welcome")))
            return failed(QString());
        wizard.next();
        waitFor([&] { return wizard.keychainOption()->isEnabled(); }, 15000);
        wizard.passphraseOption()->setChecked(true);
        wizard.passphraseForm()->passphraseEdit()->setText(passphrase);
        wizard.passphraseForm()->confirmationEdit()->setText(passphrase);
        if (!shooter.shoot(&wizard, QStringLiteral("wizard-protection")))
            return failed(QString());
        wizard.next();
        if (!waitFor([&] { return wizard.currentId() == FirstRunWizard::RecoveryPage; }))
            return failed(tr("The vault was not created: %1").arg(controller.lastError()));
        if (!shooter.shoot(&wizard, QStringLiteral("wizard-recovery-code")))
            return failed(QString());
        wizard.recoveryPanel()->confirmation()->setChecked(true);
        wizard.next();
        if (!shooter.shoot(&wizard, QStringLiteral("wizard-sync")))
            return failed(QString());
        wizard.next();
        wizard.dataOption(FirstRunWizard::DataChoice::Sample)->setChecked(true);
        if (!shooter.shoot(&wizard, QStringLiteral("wizard-data")))
            return failed(QString());
        wizard.next();
        if (!waitFor([&] { return wizard.result() == QDialog::Accepted && !wizard.isVisible(); },
                     300000))
            return failed(tr("The sample data was not written."));
    }

    MainWindow window(&controller);
    window.resize(1280, 800);
    window.show();
    if (!sample)
        controller.start();
    else
        controller.lock();
    waitFor([&] { return controller.state() != AppController::State::Busy; }, 30000);
    if (!controller.isUnlocked()) {
        if (!shooter.shoot(&window, QStringLiteral("unlock")))
            return failed(QString());
        if (passphrase.isEmpty())
            return failed(tr("The vault is locked: give its passphrase with --passphrase-file."));
        // The error screen, for the record: a wrong passphrase first.
        if (sample) {
            controller.setRetryDelayBase(0);
            controller.unlockWithPassphrase(QStringLiteral("not the passphrase"));
            waitFor([&] { return controller.state() == AppController::State::Locked; });
            if (!shooter.shoot(&window, QStringLiteral("unlock-wrong-passphrase")))
                return failed(QString());
        }
        controller.unlockWithPassphrase(passphrase);
        if (!waitFor([&] { return controller.isUnlocked(); }) ||
            !waitFor([&] { return controller.state() != AppController::State::Busy; }))
            return failed(tr("Cannot unlock the vault: %1").arg(controller.lastError()));
    }
    if (!controller.isUnlocked())
        return failed(tr("Cannot unlock the vault: %1").arg(controller.lastError()));
    TransactionTableModel* model = window.transactionsView()->model();
    waitFor([&] { return !model->isLoading(); });
    // The tax view with a finished report for the current year's figures, as a user sees it.
    TaxView* tax = window.taxView();
    tax->run();
    waitFor([&] { return !tax->isRunning(); }, 180000);
    for (int v = 0; v < MainWindow::ViewCount; ++v) {
        window.showView(MainWindow::View(v));
        if (!shooter.shoot(&window, MainWindow::viewKey(MainWindow::View(v))))
            return failed(QString());
    }
    // The lower half of the portfolio page (allocation, monthly PnL and the risk metrics).
    window.showView(MainWindow::Portfolio);
    if (auto* scroll = window.portfolioView()->findChild<QScrollArea*>()) {
        scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum());
        if (!shooter.shoot(&window, QStringLiteral("portfolio-lower")))
            return failed(QString());
        scroll->verticalScrollBar()->setValue(0);
    }

    window.showView(MainWindow::Transactions);
    QTableView* table = window.transactionsView()->table();
    if (model->rowCount() > 0) {
        table->selectRow(0);
        const TaxTransaction* first = model->transactionAt(0);
        if (first != nullptr) {
            TransactionEditDialog edit(controller.database(), first->userId, *first, &window);
            edit.show();
            if (!shooter.shoot(&edit, QStringLiteral("transaction-edit")))
                return failed(QString());
            if (QLineEdit* amount = edit.lineEdit(QStringLiteral("asset_in_amount"))) {
                amount->setText(QStringLiteral("12.5.3"));
                edit.lineEdit(QStringLiteral("transaction_hash"))->clear();
                edit.save();
                if (!shooter.shoot(&edit, QStringLiteral("transaction-edit-invalid")))
                    return failed(QString());
            }
            edit.reject();
        }
    }

    Theme::apply(Theme::Choice::Dark);
    window.refreshIcons();
    for (const MainWindow::View v :
         {MainWindow::Dashboard, MainWindow::Portfolio, MainWindow::Transactions, MainWindow::Tax,
          MainWindow::Alerts, MainWindow::Settings}) {
        window.showView(v);
        if (!shooter.shoot(&window, MainWindow::viewKey(v) + QStringLiteral("-dark")))
            return failed(QString());
    }
    controller.lock();
    if (!shooter.shoot(&window, QStringLiteral("unlock-dark")))
        return failed(QString());
    Theme::apply(Theme::Choice::Light);
    window.close();
    return shooter.written();
}

} // namespace llamadesk::ui
