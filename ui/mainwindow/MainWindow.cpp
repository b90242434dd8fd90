#include "MainWindow.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QStackedWidget>
#include <QStatusBar>

namespace llamadesk::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent) {
    setWindowTitle(tr("LlamaDesk"));
    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    m_sidebar = new QListWidget(central);
    m_sidebar->setFixedWidth(180);
    m_pages = new QStackedWidget(central);
    const QStringList views = {tr("Dashboard"), tr("Portfolio"), tr("Transactions"),
                               tr("Tax"),       tr("Alerts"),    tr("Settings")};
    for (const QString& name : views) {
        m_sidebar->addItem(name);
        auto* page = new QLabel(name, m_pages);
        page->setAlignment(Qt::AlignCenter);
        m_pages->addWidget(page);
    }
    connect(m_sidebar, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    m_sidebar->setCurrentRow(0);
    layout->addWidget(m_sidebar);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);
    m_vaultState = new QLabel(this);
    statusBar()->addPermanentWidget(m_vaultState);
    resize(1200, 800);
}

void MainWindow::setVaultDescription(const QString& text) {
    m_vaultState->setText(text);
}

} // namespace llamadesk::ui
