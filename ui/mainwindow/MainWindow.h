#pragma once

#include <QMainWindow>

class QAction;
class QLabel;
class QListWidget;
class QStackedWidget;

namespace llamadesk::ui {

class AlertsView;
class AppController;
class DashboardView;
class PortfolioView;
class SettingsView;
class TaxView;
class TransactionsView;
class UnlockScreen;

// The application's main window: the unlock screen while locked; otherwise a sidebar of views,
// the menus and shortcuts, and a status bar with the vault's state. Remembers its geometry.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum View { Dashboard, Portfolio, Transactions, Tax, Alerts, Settings, ViewCount };

    explicit MainWindow(AppController* controller, QWidget* parent = nullptr);
    ~MainWindow() override;

    void showView(View view);
    View currentView() const;
    static QString viewKey(View view); // "dashboard", "transactions", ... (file names)
    QString viewTitle(View view) const;

    UnlockScreen* unlockScreen() const { return m_unlock; }
    DashboardView* dashboardView() const { return m_dashboard; }
    PortfolioView* portfolioView() const { return m_portfolio; }
    TransactionsView* transactionsView() const { return m_transactions; }
    TaxView* taxView() const { return m_tax; }
    AlertsView* alertsView() const { return m_alerts; }
    SettingsView* settingsView() const { return m_settings; }
    QAction* lockAction() const { return m_lockAction; }
    QString vaultStateText() const;
    bool isShowingUnlockScreen() const;
    // Redraws the icons and the sidebar in the current theme's colours.
    void refreshIcons();

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void buildMenus();
    void refreshState();
    void afterRecovery();

    AppController* m_controller;
    QStackedWidget* m_root = nullptr;
    UnlockScreen* m_unlock = nullptr;
    QWidget* m_content = nullptr;
    QListWidget* m_sidebar = nullptr;
    QStackedWidget* m_pages = nullptr;
    DashboardView* m_dashboard = nullptr;
    PortfolioView* m_portfolio = nullptr;
    TransactionsView* m_transactions = nullptr;
    TaxView* m_tax = nullptr;
    AlertsView* m_alerts = nullptr;
    SettingsView* m_settings = nullptr;
    QLabel* m_stateIcon = nullptr;
    QLabel* m_stateText = nullptr;
    QAction* m_lockAction = nullptr;
    QList<QAction*> m_viewActions;
};

} // namespace llamadesk::ui
