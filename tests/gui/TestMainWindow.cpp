#include "TestSupport.h"

#include "app/AppController.h"
#include "dashboard/DashboardView.h"
#include "mainwindow/MainWindow.h"
#include "portfolio/PortfolioLoader.h"
#include "portfolio/PortfolioView.h"
#include "store/LocalUser.h"
#include "store/TransactionRepository.h"
#include "tax/LedgerGenerator.h"
#include "tax/TaxView.h"
#include "transactions/TransactionTableModel.h"
#include "transactions/TransactionsView.h"
#include "vault/MemorySecretStore.h"
#include "widgets/SummaryCard.h"

#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::ui;

// The main window as a whole: views reached by their shortcuts, and a transaction named by
// another view (a tax warning) shown and selected in the transactions table.
class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void shortcutsReachEveryView_data();
    void shortcutsReachEveryView();
    void taxWarningRevealsItsTransaction_data();
    void taxWarningRevealsItsTransaction();
    void unknownTransactionIsSaidPlainly();
    void portfolioViewsShareOneRun();

private:
    testsupport::ScratchDir m_settings;
    std::unique_ptr<testsupport::ScratchDir> m_dir;
    std::unique_ptr<vault::MemorySecretStore> m_secrets;
    std::unique_ptr<AppController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    QList<TaxTransaction> m_rows;
};

void TestMainWindow::initTestCase() {
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
}

void TestMainWindow::init() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    m_secrets = std::make_unique<vault::MemorySecretStore>();
    m_controller = std::make_unique<AppController>(*m_secrets);
    m_controller->setVaultPath(m_dir->filePath(QStringLiteral("vault.llamadesk")));
    m_controller->setKdf(vault::KdfParams::fastForTests());
    m_controller->create(false, QStringLiteral("main window test passphrase"));
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isUnlocked(), 20000);
    const Result<QString> owner = store::LocalUser::ensure(m_controller->database());
    QVERIFY(owner.ok());
    tax::LedgerGeneratorOptions ledger;
    ledger.transactions = 400;
    ledger.userId = owner.value();
    m_rows = tax::LedgerGenerator::generate(ledger);
    store::TransactionRepository repository(m_controller->database());
    QVERIFY(repository.insertBatch(m_rows).ok());
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->resize(1200, 780);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_VERIFY(!m_window->transactionsView()->model()->isLoading());
}

void TestMainWindow::cleanup() {
    m_window.reset();
    if (m_controller)
        m_controller->lock();
    m_controller.reset();
}

void TestMainWindow::shortcutsReachEveryView_data() {
    QTest::addColumn<int>("key");
    QTest::addColumn<int>("view");
    QTest::newRow("Ctrl+1 dashboard") << int(Qt::Key_1) << int(MainWindow::Dashboard);
    QTest::newRow("Ctrl+2 portfolio") << int(Qt::Key_2) << int(MainWindow::Portfolio);
    QTest::newRow("Ctrl+3 transactions") << int(Qt::Key_3) << int(MainWindow::Transactions);
    QTest::newRow("Ctrl+4 tax") << int(Qt::Key_4) << int(MainWindow::Tax);
    QTest::newRow("Ctrl+5 alerts") << int(Qt::Key_5) << int(MainWindow::Alerts);
    QTest::newRow("Ctrl+6 settings") << int(Qt::Key_6) << int(MainWindow::Settings);
}

void TestMainWindow::shortcutsReachEveryView() {
    QFETCH(int, key);
    QFETCH(int, view);
    // Start elsewhere so that every row proves a move.
    m_window->showView(view == MainWindow::Settings ? MainWindow::Dashboard : MainWindow::Settings);
    QTest::keyClick(m_window.get(), Qt::Key(key), Qt::ControlModifier);
    QTRY_COMPARE(int(m_window->currentView()), view);
}

void TestMainWindow::taxWarningRevealsItsTransaction_data() {
    QTest::addColumn<int>("index");
    QTest::newRow("first") << 0;
    QTest::newRow("middle") << 200;
    QTest::newRow("last") << 399;
}

void TestMainWindow::taxWarningRevealsItsTransaction() {
    QFETCH(int, index);
    const TaxTransaction& wanted = m_rows.at(index);
    m_window->showView(MainWindow::Tax);
    emit m_window->taxView()->transactionRequested(wanted.id);
    QCOMPARE(m_window->currentView(), MainWindow::Transactions);
    TransactionsView* view = m_window->transactionsView();
    QCOMPARE(view->searchEdit()->text(), wanted.transactionHash);
    // Listed by its hash and selected.
    QTRY_VERIFY_WITH_TIMEOUT(view->table()->selectionModel()->selectedRows().size() == 1, 10000);
    const QModelIndex selected = view->table()->selectionModel()->selectedRows().constFirst();
    QCOMPARE(selected.data(TransactionTableModel::IdRole).toString(), wanted.id);
    QVERIFY(view->model()->totalCount() >= 1);
    QVERIFY(view->model()->totalCount() < 400);
}

void TestMainWindow::unknownTransactionIsSaidPlainly() {
    const QString before = m_window->transactionsView()->searchEdit()->text();
    QSignalSpy said(m_window->transactionsView(), &TransactionsView::statusMessage);
    emit m_window->taxView()->transactionRequested(
        QStringLiteral("00000000-0000-4000-8000-00000000beef"));
    QCOMPARE(said.size(), 1);
    QVERIFY(said.constFirst().constFirst().toString().contains(QStringLiteral("no longer")));
    // Nothing else changed.
    QCOMPARE(m_window->transactionsView()->searchEdit()->text(), before);
}

void TestMainWindow::portfolioViewsShareOneRun() {
    // Unlocking reads the holdings and runs the tax engine once for both views, not once each.
    DashboardView* dashboard = m_window->dashboardView();
    PortfolioView* portfolio = m_window->portfolioView();
    QCOMPARE(dashboard->loader(), portfolio->loader());
    PortfolioLoader* loader = dashboard->loader();
    QTRY_VERIFY_WITH_TIMEOUT(!loader->isLoading() && !loader->isComputingRealized(), 30000);

    m_controller->lock();
    QTRY_VERIFY(!m_controller->isUnlocked());
    QVERIFY(!loader->data());
    QCOMPARE(portfolio->realizedCard()->value(), QStringLiteral("—"));
    QSignalSpy loaded(loader, &PortfolioLoader::loaded);
    QSignalSpy realized(loader, &PortfolioLoader::realizedReady);
    m_controller->unlockWithPassphrase(QStringLiteral("main window test passphrase"));
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isUnlocked(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(realized.count() >= 1 && loaded.count() >= 1, 30000);
    QTest::qWait(200);
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(realized.count(), 1);
    // Both views show the one result, the one shown later included.
    QVERIFY(dashboard->realizedCard()->detail().startsWith(QStringLiteral("Tax year")));
    QVERIFY(portfolio->realizedCard()->detail().startsWith(QStringLiteral("Tax year")));
    QCOMPARE(portfolio->realizedCard()->value(), dashboard->realizedCard()->value());
    QCOMPARE(portfolio->totalCard()->value(), dashboard->totalCard()->value());
}

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
