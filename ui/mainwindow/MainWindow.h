#pragma once

#include <QMainWindow>

class QListWidget;
class QStackedWidget;
class QLabel;

namespace llamadesk::ui {

// The application's main window: a sidebar of views and a status bar with the vault state.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    void setVaultDescription(const QString& text);

private:
    QListWidget* m_sidebar = nullptr;
    QStackedWidget* m_pages = nullptr;
    QLabel* m_vaultState = nullptr;
};

} // namespace llamadesk::ui
