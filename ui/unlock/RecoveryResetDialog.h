#pragma once

#include <QDialog>

class QLabel;
class QPushButton;
class QStackedWidget;

namespace llamadesk::ui {

class AppController;
class PassphraseForm;
class RecoveryCodePanel;

// After unlocking with the recovery code: choose a new passphrase, then save the new recovery
// code (the old one has been used and is replaced).
class RecoveryResetDialog : public QDialog {
    Q_OBJECT
public:
    explicit RecoveryResetDialog(AppController* controller, QWidget* parent = nullptr);

    PassphraseForm* form() const { return m_form; }
    RecoveryCodePanel* panel() const { return m_panel; }
    // Sets the passphrase and makes the new recovery code (off the GUI thread).
    void apply();

    void reject() override;

private:
    AppController* m_controller;
    QStackedWidget* m_pages = nullptr;
    PassphraseForm* m_form = nullptr;
    RecoveryCodePanel* m_panel = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_next = nullptr;
    bool m_working = false;
};

} // namespace llamadesk::ui
