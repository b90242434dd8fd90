#include "MainWindow.h"

#include "alerts/AlertsView.h"
#include "app/AppController.h"
#include "app/Icons.h"
#include "app/Theme.h"
#include "dashboard/DashboardView.h"
#include "portfolio/PortfolioLoader.h"
#include "portfolio/PortfolioView.h"
#include "settings/SettingsView.h"
#include "tax/TaxView.h"
#include "transactions/TransactionsView.h"
#include "unlock/RecoveryResetDialog.h"
#include "unlock/UnlockScreen.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QUndoStack>

namespace llamadesk::ui {

namespace {

const char* const kIconNames[] = {"dashboard", "portfolio", "transactions",
                                  "tax",       "alerts",    "settings"};

} // namespace

MainWindow::MainWindow(AppController* controller, QWidget* parent)
    : QMainWindow(parent)
    , m_controller(controller) {
    setWindowTitle(tr("LlamaDesk"));
    setWindowIcon(Icons::icon(QStringLiteral("app"), QColor()));
    m_root = new QStackedWidget(this);
    m_unlock = new UnlockScreen(controller, m_root);
    m_root->addWidget(m_unlock);

    m_content = new QWidget(m_root);
    auto* layout = new QHBoxLayout(m_content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_sidebar = new QListWidget(m_content);
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setFixedWidth(196);
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setFocusPolicy(Qt::NoFocus);
    m_pages = new QStackedWidget(m_content);

    for (int v = 0; v < ViewCount; ++v) {
        auto* item = new QListWidgetItem(viewTitle(View(v)), m_sidebar);
        item->setSizeHint(QSize(0, 38));
    }
    // One loader for both views: unlocking reads the holdings and runs the tax engine once.
    auto* portfolioLoader = new PortfolioLoader(this);
    m_dashboard = new DashboardView(controller, portfolioLoader, m_pages);
    m_pages->addWidget(m_dashboard);
    m_portfolio = new PortfolioView(controller, portfolioLoader, m_pages);
    m_pages->addWidget(m_portfolio);
    m_transactions = new TransactionsView(controller, m_pages);
    m_pages->addWidget(m_transactions);
    m_tax = new TaxView(controller, m_pages);
    m_pages->addWidget(m_tax);
    m_alerts = new AlertsView(controller, m_pages);
    m_pages->addWidget(m_alerts);
    m_settings = new SettingsView(controller, m_pages);
    m_pages->addWidget(m_settings);
    connect(m_sidebar, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    layout->addWidget(m_sidebar);
    layout->addWidget(m_pages, 1);
    m_root->addWidget(m_content);
    setCentralWidget(m_root);

    m_stateIcon = new QLabel(this);
    m_stateText = new QLabel(this);
    m_stateText->setObjectName(QStringLiteral("vaultState"));
    statusBar()->addPermanentWidget(m_stateIcon);
    statusBar()->addPermanentWidget(m_stateText);
    const auto showMessage = [this](const QString& text) {
        statusBar()->showMessage(text, 6000);
    };
    connect(m_dashboard, &DashboardView::statusMessage, this, showMessage);
    connect(m_portfolio, &PortfolioView::statusMessage, this, showMessage);
    connect(m_transactions, &TransactionsView::statusMessage, this, showMessage);
    connect(m_tax, &TaxView::statusMessage, this, showMessage);
    connect(m_alerts, &AlertsView::statusMessage, this, showMessage);
    // A tax warning names its transaction: show it in the transactions table.
    connect(m_tax, &TaxView::transactionRequested, this, [this](const QString& id) {
        showView(Transactions);
        m_transactions->revealTransaction(id);
    });
    connect(m_settings, &SettingsView::themeChanged, this, &MainWindow::refreshIcons);

    buildMenus();
    connect(controller, &AppController::stateChanged, this, &MainWindow::refreshState);
    connect(controller, &AppController::lockedByIdle, this, [this] {
        statusBar()->showMessage(tr("Locked after %n minute(s) without activity.", nullptr,
                                    m_controller->autoLockMinutes()),
                                 10000);
    });
    connect(m_unlock, &UnlockScreen::recoveredWithCode, this, &MainWindow::afterRecovery);

    resize(1200, 780);
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_sidebar->setCurrentRow(
        std::clamp(settings.value(QStringLiteral("window/view"), int(Transactions)).toInt(), 0,
                   ViewCount - 1));
    refreshIcons();
    refreshState();
}

MainWindow::~MainWindow() = default;

QString MainWindow::viewKey(View view) {
    return QLatin1String(kIconNames[std::clamp(int(view), 0, ViewCount - 1)]);
}

QString MainWindow::viewTitle(View view) const {
    switch (view) {
    case Dashboard:
        return tr("Dashboard");
    case Portfolio:
        return tr("Portfolio");
    case Transactions:
        return tr("Transactions");
    case Tax:
        return tr("Tax");
    case Alerts:
        return tr("Alerts");
    case Settings:
        return tr("Settings");
    case ViewCount:
        break;
    }
    return QString();
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    m_lockAction = file->addAction(Icons::icon(QStringLiteral("lock")), tr("&Lock"));
    m_lockAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(m_lockAction, &QAction::triggered, m_controller, &AppController::lock);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_transactions->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = m_transactions->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (int v = 0; v < ViewCount; ++v) {
        QAction* action = view->addAction(viewTitle(View(v)));
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + v)));
        connect(action, &QAction::triggered, this, [this, v] { showView(View(v)); });
        m_viewActions.append(action);
    }
    view->addSeparator();
    QMenu* theme = view->addMenu(tr("&Theme"));
    auto* group = new QActionGroup(this);
    const QList<QPair<Theme::Choice, QString>> choices = {
        {Theme::Choice::System, tr("Follow the &system")},
        {Theme::Choice::Light, tr("&Light")},
        {Theme::Choice::Dark, tr("&Dark")}};
    for (const auto& [choice, label] : choices) {
        QAction* action = theme->addAction(label);
        action->setCheckable(true);
        action->setChecked(Theme::savedChoice() == choice);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, c = choice] {
            Theme::saveChoice(c);
            Theme::apply(c);
            refreshIcons();
        });
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About LlamaDesk"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About LlamaDesk"),
                           tr("<b>LlamaDesk %1</b><p>Local-first portfolio, tax and PnL. Your "
                              "data stays in an encrypted vault on this computer.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::showView(View view) {
    if (m_controller->isUnlocked())
        m_sidebar->setCurrentRow(int(view));
}

MainWindow::View MainWindow::currentView() const {
    return View(m_pages->currentIndex());
}

bool MainWindow::isShowingUnlockScreen() const {
    return m_root->currentWidget() == m_unlock;
}

QString MainWindow::vaultStateText() const {
    return m_stateText->text();
}

void MainWindow::refreshState() {
    const bool unlocked = m_controller->isUnlocked();
    m_root->setCurrentWidget(unlocked ? m_content : static_cast<QWidget*>(m_unlock));
    m_lockAction->setEnabled(unlocked);
    for (QAction* action : m_viewActions)
        action->setEnabled(unlocked);
    menuBar()->setEnabled(true);
    const QString name = QFileInfo(m_controller->vaultPath()).fileName();
    if (unlocked) {
        m_stateText->setText(tr("Unlocked with %1 · %2").arg(m_controller->unlockMethod(), name));
        m_stateIcon->setPixmap(
            Icons::pixmap(QStringLiteral("unlocked"), 16, devicePixelRatioF(), Theme::positive()));
    } else {
        m_stateText->setText(m_controller->state() == AppController::State::Busy
                                 ? tr("Unlocking · %1").arg(name)
                                 : tr("Locked · %1").arg(name));
        m_stateIcon->setPixmap(
            Icons::pixmap(QStringLiteral("lock"), 16, devicePixelRatioF(), Theme::mutedText()));
        m_unlock->reset();
    }
    m_stateText->setToolTip(m_controller->vaultPath());
}

void MainWindow::refreshIcons() {
    for (int v = 0; v < ViewCount && v < m_sidebar->count(); ++v)
        m_sidebar->item(v)->setIcon(Icons::icon(QLatin1String(kIconNames[v])));
    // The application palette: the window's own follows it only once the change event arrives.
    const QPalette current = QApplication::palette();
    const QColor base = current.color(QPalette::Window);
    const QColor side = Theme::isDark() ? base.darker(118) : base.darker(104);
    const QColor hover = Theme::isDark() ? side.lighter(140) : side.darker(106);
    m_sidebar->setStyleSheet(
        QStringLiteral("QListWidget#sidebar { background: %1; padding-top: 10px; outline: 0; }"
                       "QListWidget#sidebar::item { padding-left: 14px; border-radius: 6px; "
                       "margin: 1px 8px; color: %2; }"
                       "QListWidget#sidebar::item:hover { background: %3; }"
                       "QListWidget#sidebar::item:selected { background: %4; color: white; }")
            .arg(side.name(), current.color(QPalette::WindowText).name(), hover.name(),
                 Theme::accent().name()));
    if (m_stateIcon)
        refreshState();
}

void MainWindow::changeEvent(QEvent* event) {
    QMainWindow::changeEvent(event);
}

void MainWindow::afterRecovery() {
    RecoveryResetDialog dialog(m_controller, this);
    dialog.exec();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/view"), m_pages->currentIndex());
    QMainWindow::closeEvent(event);
}

} // namespace llamadesk::ui
