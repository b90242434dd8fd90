#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QSpinBox;

namespace llamadesk::ui {

class AppController;

// Settings built so far: appearance (theme) and security (auto-lock, lock now), plus what the
// vault is and how it is unlocked. The rest of the settings come with their features.
class SettingsView : public QWidget {
    Q_OBJECT
public:
    explicit SettingsView(AppController* controller, QWidget* parent = nullptr);

    QComboBox* themeBox() const { return m_theme; }
    QSpinBox* autoLockBox() const { return m_autoLock; }

signals:
    void themeChanged();

private:
    void refreshVault();

    AppController* m_controller;
    QComboBox* m_theme = nullptr;
    QSpinBox* m_autoLock = nullptr;
    QLabel* m_vault = nullptr;
};

} // namespace llamadesk::ui
