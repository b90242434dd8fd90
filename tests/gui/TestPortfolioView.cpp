#include "TestSupport.h"

#include "app/AppController.h"
#include "app/MoneyFormat.h"
#include "app/Theme.h"
#include "demo/DemoData.h"
#include "portfolio/AllocationChart.h"
#include "portfolio/HoldingsModel.h"
#include "portfolio/MonthlyPnlChart.h"
#include "portfolio/PortfolioView.h"
#include "vault/MemorySecretStore.h"
#include "vault/Vault.h"
#include "widgets/SummaryCard.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSqlQuery>
#include <QTableView>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::ui;

// The Portfolio view on a small sample vault: exact totals, filters, exact sorting, the model
// contract, snapshots on demand, the realized PnL from the tax engine, and a lock that wipes it.
class TestPortfolioView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void showsTheExactTotal();
    void modelContract();
    void filtersNarrow_data();
    void filtersNarrow();
    void sortsExactly();
    void recordsASnapshotOnDemand();
    void realizedPnlFromTheTaxEngine();
    void rendersInBothThemes();
    void lockClearsTheView();

private:
    Decimal sumOfHoldings();
    int snapshotCount();

    testsupport::ScratchDir m_settings;
    testsupport::ScratchDir m_dir;
    QString m_path;
    const QString m_passphrase = QStringLiteral("portfolio view passphrase 42");
    std::unique_ptr<vault::MemorySecretStore> m_secrets;
    std::unique_ptr<AppController> m_controller;
    std::unique_ptr<PortfolioView> m_view;
};

void TestPortfolioView::initTestCase() {
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
    m_path = m_dir.filePath(QStringLiteral("portfolio.llamadesk"));
    vault::MemorySecretStore secrets;
    vault::CreateOptions options;
    options.useKeychain = false;
    options.passphrase = m_passphrase;
    options.kdf = vault::KdfParams::fastForTests();
    vault::VaultError error = vault::VaultError::None;
    QString message;
    auto made = vault::Vault::create(m_path, options, secrets, nullptr, &error, &message);
    QVERIFY2(made, qPrintable(message));
    demo::DemoOptions demo;
    demo.transactions = 600;
    demo.snapshotDays = 200;
    const Result<demo::DemoSummary> filled = demo::DemoData::populate(made->database(), demo);
    QVERIFY2(filled.ok(), qPrintable(filled.error()));
    QVERIFY(filled->portfolioAssets > 3);
    made->close();
}

void TestPortfolioView::init() {
    m_secrets = std::make_unique<vault::MemorySecretStore>();
    m_controller = std::make_unique<AppController>(*m_secrets);
    m_controller->setVaultPath(m_path);
    m_view = std::make_unique<PortfolioView>(m_controller.get());
    m_view->resize(1280, 900);
    m_view->show();
    m_controller->unlockWithPassphrase(m_passphrase);
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isUnlocked(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(m_view->hasData(), 20000);
}

void TestPortfolioView::cleanup() {
    if (m_controller->isUnlocked())
        m_controller->lock();
    m_view.reset();
    m_controller.reset();
    m_secrets.reset();
}

Decimal TestPortfolioView::sumOfHoldings() {
    QSqlQuery q(m_controller->database());
    q.prepare(QStringLiteral("SELECT balance_usd FROM portfolio_assets WHERE deleted_at IS NULL"));
    if (!q.exec())
        qFatal("cannot read the holdings");
    Decimal sum;
    while (q.next())
        sum += Decimal::parse(q.value(0).toString()).value();
    return sum;
}

int TestPortfolioView::snapshotCount() {
    QSqlQuery q(m_controller->database());
    q.prepare(QStringLiteral("SELECT count(*) FROM portfolio_snapshots"));
    if (!q.exec() || !q.next())
        qFatal("cannot count the snapshots");
    return q.value(0).toInt();
}

void TestPortfolioView::showsTheExactTotal() {
    const Decimal sum = sumOfHoldings();
    QVERIFY(sum.isPositive());
    QCOMPARE(m_view->totalCard()->value(), app::MoneyFormat::money(sum));
    QCOMPARE(m_view->holdingsModel()->rowCount(), m_view->filterModel()->rowCount());
    QVERIFY(m_view->holdingsModel()->rowCount() > 3);
    QVERIFY(!m_view->allocationChart()->legendTexts().isEmpty());
    QVERIFY(m_view->riskLabel(QStringLiteral("volatility"))->text().endsWith(QLatin1Char('%')));
    QVERIFY(!m_view->riskLabel(QStringLiteral("sharpe"))->toolTip().isEmpty());
}

void TestPortfolioView::modelContract() {
    QAbstractItemModelTester source(m_view->holdingsModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxy(m_view->filterModel(),
                                   QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QList<PortfolioAsset> assets = m_view->holdingsModel()->assets();
    m_view->holdingsModel()->setAssets(assets);
    m_view->filterModel()->sort(HoldingsModel::PnlColumn, Qt::AscendingOrder);
    m_view->filterModel()->setType(QStringLiteral("token"));
    m_view->filterModel()->setType(QString());
    m_view->holdingsModel()->clear();
    m_view->holdingsModel()->setAssets(assets);
}

void TestPortfolioView::filtersNarrow_data() {
    QTest::addColumn<QString>("combo");
    QTest::addColumn<int>("role");
    QTest::newRow("chain") << "chainFilter" << int(HoldingsModel::ChainRole);
    QTest::newRow("wallet") << "walletFilter" << int(HoldingsModel::WalletsRole);
    QTest::newRow("protocol") << "protocolFilter" << int(HoldingsModel::ProtocolRole);
    QTest::newRow("type") << "typeFilter" << int(HoldingsModel::TypeRole);
}

void TestPortfolioView::filtersNarrow() {
    QFETCH(QString, combo);
    QFETCH(int, role);
    auto* box = m_view->findChild<QComboBox*>(combo);
    QVERIFY(box);
    QVERIFY2(box->count() > 2, "the sample data has several choices for every filter");
    const int all = m_view->filterModel()->rowCount();
    // The last choice: a specific chain, wallet, protocol or type.
    const int choice = box->count() - 1;
    box->setCurrentIndex(choice);
    emit box->activated(choice);
    const int shown = m_view->filterModel()->rowCount();
    QVERIFY(shown > 0);
    QVERIFY2(shown < all, qPrintable(QStringLiteral("%1 of %2").arg(shown).arg(all)));
    const QVariant wanted = box->itemData(choice);
    for (int r = 0; r < shown; ++r) {
        const QVariant v = m_view->filterModel()->index(r, 0).data(role);
        if (role == HoldingsModel::WalletsRole)
            QVERIFY(v.toStringList().contains(wanted.toString()));
        else if (role == HoldingsModel::ChainRole)
            QCOMPARE(v.toLongLong(), wanted.toLongLong());
        else
            QCOMPARE(v.toString(), wanted.toString().trimmed());
    }
    auto* count = m_view->findChild<QLabel*>(QStringLiteral("countLabel"));
    QVERIFY(count->text().contains(QString::number(shown)));
    box->setCurrentIndex(0);
    emit box->activated(0);
    QCOMPARE(m_view->filterModel()->rowCount(), all);
}

void TestPortfolioView::sortsExactly() {
    for (const int column : {int(HoldingsModel::ValueColumn), int(HoldingsModel::PnlColumn),
                             int(HoldingsModel::BalanceColumn)}) {
        m_view->table()->sortByColumn(column, Qt::AscendingOrder);
        QSortFilterProxyModel* proxy = m_view->filterModel();
        for (int r = 1; r < proxy->rowCount(); ++r) {
            const QVariant a = proxy->index(r - 1, column).data(HoldingsModel::DecimalRole);
            const QVariant b = proxy->index(r, column).data(HoldingsModel::DecimalRole);
            if (a.isValid() && b.isValid())
                QVERIFY(a.value<Decimal>() <= b.value<Decimal>());
            else
                QVERIFY(!a.isValid()); // missing values first
        }
    }
}

void TestPortfolioView::recordsASnapshotOnDemand() {
    const int before = snapshotCount();
    QSignalSpy status(m_view.get(), &PortfolioView::statusMessage);
    auto* button = m_view->findChild<QPushButton*>(QStringLiteral("recordSnapshot"));
    QVERIFY(button && button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(snapshotCount(), before + 1, 20000);
    QTRY_VERIFY(button->isEnabled());
    QVERIFY(!status.isEmpty());
}

void TestPortfolioView::realizedPnlFromTheTaxEngine() {
    QTRY_VERIFY_WITH_TIMEOUT(m_view->realizedCard()->detail().contains(QStringLiteral("Tax year")),
                             50000);
    QCOMPARE(m_view->pnlChart()->monthCount(), 12);
    QVERIFY(m_view->pnlChart()->isShowingChart());
    QVERIFY(m_view->realizedCard()->value() != QStringLiteral("—"));
}

void TestPortfolioView::rendersInBothThemes() {
    // Set LLAMADESK_SHOTS_DIR to keep the pictures for a look.
    const QString dir = qEnvironmentVariable("LLAMADESK_SHOTS_DIR");
    QTRY_VERIFY_WITH_TIMEOUT(m_view->pnlChart()->isShowingChart(), 50000);
    for (const Theme::Choice choice : {Theme::Choice::Light, Theme::Choice::Dark}) {
        Theme::apply(choice);
        QApplication::processEvents();
        const QImage shot = m_view->grab().toImage();
        QCOMPARE(shot.size(), m_view->size() * shot.devicePixelRatio());
        // The cards follow the theme: a pixel of a card's background, as drawn.
        const QPoint inside =
            m_view->totalCard()->mapTo(m_view.get(), QPoint(m_view->totalCard()->width() - 12, 8));
        const QColor card = shot.pixelColor(inside * shot.devicePixelRatio());
        QCOMPARE(card.lightness() < 128, choice == Theme::Choice::Dark);
        if (!dir.isEmpty())
            shot.save(QDir(dir).filePath(choice == Theme::Choice::Dark
                                             ? QStringLiteral("portfolio-test-dark.png")
                                             : QStringLiteral("portfolio-test.png")));
    }
    Theme::apply(Theme::Choice::Light);
}

void TestPortfolioView::lockClearsTheView() {
    const QString total = m_view->totalCard()->value();
    QVERIFY(total.contains(QLatin1Char('$')));
    m_controller->lock();
    QVERIFY(!m_view->hasData());
    QCOMPARE(m_view->holdingsModel()->rowCount(), 0);
    QCOMPARE(m_view->filterModel()->rowCount(), 0);
    for (SummaryCard* card : {m_view->totalCard(), m_view->changeCard(), m_view->unrealizedCard(),
                              m_view->realizedCard()}) {
        QCOMPARE(card->value(), QStringLiteral("—"));
        QVERIFY(!card->detail().contains(QLatin1Char('$')));
    }
    for (const char* which : {"volatility", "sharpe", "drawdown"})
        QCOMPARE(m_view->riskLabel(QString::fromLatin1(which))->text(), QStringLiteral("—"));
    QVERIFY(m_view->allocationChart()->legendTexts().join(QString()).indexOf(QLatin1Char('$')) < 0);
    QCOMPARE(m_view->pnlChart()->monthCount(), 0);
    QCOMPARE(m_view->chainFilter()->count(), 0);
    // Every label in the view: no amount left anywhere.
    for (QLabel* label : m_view->findChildren<QLabel*>())
        QVERIFY2(!label->text().contains(QLatin1Char('$')), qPrintable(label->text()));
}

QTEST_MAIN(TestPortfolioView)
#include "TestPortfolioView.moc"
