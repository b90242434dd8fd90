#pragma once

#include "onboarding/FirstRunWizard.h"

#include <QObject>
#include <QPointer>

namespace llamadesk::vault {
class SecretStore;
}

namespace llamadesk::ui {

class AppController;
class MainWindow;

// Puts the app together: the controller, the main window, and the first-run wizard when there is
// no vault yet.
class AppShell : public QObject {
    Q_OBJECT
public:
    AppShell(vault::SecretStore& secrets, const QString& vaultPath, QObject* parent = nullptr);
    ~AppShell() override;

    AppController* controller() const { return m_controller; }
    MainWindow* window() const { return m_window; }
    FirstRunWizard* wizard() const { return m_wizard; }

    // First run: the wizard, then the window. Otherwise the window (unlocking or locked).
    void start();

signals:
    // The user left the first-run wizard without a vault.
    void setupAbandoned();

private:
    void showWizard();

    AppController* m_controller = nullptr;
    MainWindow* m_window = nullptr;
    QPointer<FirstRunWizard> m_wizard;
};

} // namespace llamadesk::ui
