#include "AppShell.h"

#include "AppController.h"
#include "mainwindow/MainWindow.h"
#include "onboarding/FirstRunWizard.h"
#include "transactions/TransactionsView.h"

#include <QSettings>

namespace llamadesk::ui {

AppShell::AppShell(vault::SecretStore& secrets, const QString& vaultPath, QObject* parent)
    : QObject(parent) {
    m_controller = new AppController(secrets, this);
    m_controller->setVaultPath(vaultPath);
    m_window = new MainWindow(m_controller);
    m_window->setAttribute(Qt::WA_DeleteOnClose, false);
    connect(m_controller, &AppController::stateChanged, this, [this](AppController::State state) {
        if (state == AppController::State::FirstRun && !m_wizard)
            showWizard();
    });
}

AppShell::~AppShell() {
    delete m_wizard;
    delete m_window;
}

void AppShell::start() {
    m_controller->start();
    if (m_controller->state() != AppController::State::FirstRun)
        m_window->show();
}

void AppShell::showWizard() {
    m_wizard = new FirstRunWizard(m_controller);
    m_wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_wizard, &QDialog::finished, this, [this] {
        if (m_controller->isUnlocked()) {
            m_window->showView(MainWindow::Transactions);
            m_window->show();
            // "Import transactions from a CSV file" was chosen: go straight to the import.
            if (QSettings().value(FirstRunWizard::dataChoiceSettingsKey()).toString() ==
                QLatin1String("import"))
                m_window->transactionsView()->openImportWizard();
        } else {
            emit setupAbandoned();
        }
    });
    m_wizard->show();
}

} // namespace llamadesk::ui
