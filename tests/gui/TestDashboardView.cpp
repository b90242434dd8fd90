#include "TestSupport.h"

#include "app/AppController.h"
#include "app/MoneyFormat.h"
#include "dashboard/DashboardView.h"
#include "demo/DemoData.h"
#include "portfolio/AllocationChart.h"
#include "portfolio/ValueChart.h"
#include "vault/MemorySecretStore.h"
#include "vault/Vault.h"
#include "widgets/SummaryCard.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QLabel>
#include <QSettings>
#include <QSqlQuery>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::ui;

// The Dashboard on a small sample vault: the summary, the range bar, the lists, and the lock.
class TestDashboardView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void showsTheSummary();
    void switchesRanges_data();
    void switchesRanges();
    void lockClearsTheView();

private:
    void unlock();

    testsupport::ScratchDir m_settings;
    testsupport::ScratchDir m_dir;
    QString m_path;
    const QString m_passphrase = QStringLiteral("dashboard view passphrase 7");
    vault::MemorySecretStore m_secrets;
    std::unique_ptr<AppController> m_controller;
    std::unique_ptr<DashboardView> m_view;
};

void TestDashboardView::initTestCase() {
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
    m_path = m_dir.filePath(QStringLiteral("dashboard.llamadesk"));
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
    demo.transactions = 500;
    demo.snapshotDays = 500;
    const Result<demo::DemoSummary> filled = demo::DemoData::populate(made->database(), demo);
    QVERIFY2(filled.ok(), qPrintable(filled.error()));
    made->close();
    m_controller = std::make_unique<AppController>(m_secrets);
    m_controller->setVaultPath(m_path);
    m_view = std::make_unique<DashboardView>(m_controller.get());
    m_view->resize(1280, 900);
    m_view->show();
    unlock();
}

void TestDashboardView::unlock() {
    m_controller->unlockWithPassphrase(m_passphrase);
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isUnlocked(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(m_view->hasData(), 20000);
}

void TestDashboardView::showsTheSummary() {
    QSqlQuery q(m_controller->database());
    q.prepare(QStringLiteral("SELECT balance_usd FROM portfolio_assets WHERE deleted_at IS NULL"));
    QVERIFY(q.exec());
    Decimal sum;
    while (q.next())
        sum += Decimal::parse(q.value(0).toString()).value();
    QCOMPARE(m_view->totalCard()->value(), app::MoneyFormat::money(sum));
    QVERIFY(m_view->unrealizedCard()->value() != QStringLiteral("—"));
    QVERIFY(m_view->changeCard()->value() != QStringLiteral("—"));
    QCOMPARE(m_view->topHoldingRows(), 5);
    QCOMPARE(m_view->recentTransactionRows(), 5);
    QVERIFY(!m_view->allocationChart()->legendTexts().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_view->realizedCard()->detail().contains(QStringLiteral("Tax year")),
                             50000);
}

void TestDashboardView::switchesRanges_data() {
    QTest::addColumn<int>("range");
    QTest::addColumn<int>("minPoints");
    QTest::addColumn<int>("maxPoints");
    QTest::addColumn<QString>("caption");
    // Daily snapshots: a week holds 8 points (with the one before it and the live value), all
    // 500 days are downsampled to the chart's width.
    QTest::newRow("1W") << int(portfolio::ValueRange::Week) << 7 << 10 << "1 week";
    QTest::newRow("1M") << int(portfolio::ValueRange::Month) << 30 << 33 << "1 month";
    QTest::newRow("3M") << int(portfolio::ValueRange::Quarter) << 90 << 94 << "3 months";
    QTest::newRow("1Y") << int(portfolio::ValueRange::Year) << 300 << 368 << "1 year";
    QTest::newRow("All") << int(portfolio::ValueRange::All) << 300 << 502 << "all time";
}

void TestDashboardView::switchesRanges() {
    QFETCH(int, range);
    QFETCH(int, minPoints);
    QFETCH(int, maxPoints);
    QFETCH(QString, caption);
    ValueChart* chart = m_view->valueChart();
    QSignalSpy changed(chart, &ValueChart::rangeChanged);
    const QString before = m_view->changeCard()->value();
    QAbstractButton* button = chart->rangeButtons()->button(range);
    QVERIFY(button);
    if (chart->range() == portfolio::ValueRange(range))
        chart->setRange(portfolio::ValueRange::Week == portfolio::ValueRange(range)
                            ? portfolio::ValueRange::All
                            : portfolio::ValueRange::Week);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(chart->range(), portfolio::ValueRange(range));
    QVERIFY(!changed.isEmpty());
    QVERIFY2(chart->pointCount() >= minPoints && chart->pointCount() <= maxPoints,
             qPrintable(QString::number(chart->pointCount())));
    QVERIFY(m_view->changeCard()->findChild<QLabel*>()->text().contains(caption));
    QVERIFY(m_view->changeCard()->value().contains(QLatin1Char('$')));
    Q_UNUSED(before);
}

void TestDashboardView::lockClearsTheView() {
    m_controller->lock();
    QVERIFY(!m_view->hasData());
    QCOMPARE(m_view->totalCard()->value(), QStringLiteral("—"));
    QCOMPARE(m_view->valueChart()->pointCount(), 0);
    QCOMPARE(m_view->topHoldingRows(), 0);
    QCOMPARE(m_view->recentTransactionRows(), 0);
    for (QLabel* label : m_view->findChildren<QLabel*>())
        QVERIFY2(!label->text().contains(QLatin1Char('$')), qPrintable(label->text()));
    // Unlocked again, everything comes back.
    unlock();
    QVERIFY(m_view->totalCard()->value().contains(QLatin1Char('$')));
    m_controller->lock();
}

QTEST_MAIN(TestDashboardView)
#include "TestDashboardView.moc"
