#include "TestSupport.h"

#include "alerts/AlertBanner.h"
#include "alerts/AlertHistoryModel.h"
#include "alerts/AlertRuleDialog.h"
#include "alerts/AlertRuleModel.h"
#include "alerts/AlertsView.h"
#include "alerts/Notifier.h"
#include "app/AppController.h"
#include "app/Theme.h"
#include "app/WorkerPool.h"
#include "demo/DemoData.h"
#include "store/AlertRepository.h"
#include "store/LocalUser.h"
#include "store/PortfolioRepository.h"
#include "store/ReferenceDataRepository.h"
#include "vault/MemorySecretStore.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSettings>
#include <QTableView>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::ui;

namespace {

// Records what would have reached the desktop.
class RecordingNotifier : public Notifier {
public:
    void notify(const QString& title, const QString& message, Severity severity) override {
        titles.append(title);
        messages.append(message);
        severities.append(severity);
    }
    QStringList titles;
    QStringList messages;
    QList<Severity> severities;
};

} // namespace

// The Alerts screen on a real vault with the sample data: rules and history models, a rule made
// through the editor that triggers on the next check (notification and history row), cooldown,
// pause, the enable checkbox, the banner fallback and locking.
class TestAlertsView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void listsRulesAndHistory();
    void historySearch_data();
    void historySearch();
    void editorShowsProblemsInline();
    void createdRuleTriggers();
    void cooldownHoldsTheSecondTick();
    void bannerWhenNoTray();
    void pauseAndResume();
    void enableCheckbox();
    void lockDropsEverything();

private:
    int historyOf(const QString& ruleName) const;
    void evaluate(int* triggered = nullptr);
    void shoot(QWidget* widget, const QString& name);

    testsupport::ScratchDir m_dir;
    vault::MemorySecretStore m_secrets;
    std::unique_ptr<AppController> m_controller;
    std::unique_ptr<AlertsView> m_view;
    std::shared_ptr<alerts::ManualClock> m_clock;
    RecordingNotifier m_notifier;
    QString m_symbol;
    Decimal m_price;
    QString m_ruleName;
};

void TestAlertsView::initTestCase() {
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    Theme::captureSystemPalette();
    m_controller = std::make_unique<AppController>(m_secrets);
    m_controller->setVaultPath(m_dir.filePath(QStringLiteral("alerts.llamadesk")));
    m_controller->setKdf(vault::KdfParams::fastForTests());
    m_controller->setAutoLockMinutes(0);
    m_controller->start();
    QCOMPARE(m_controller->state(), AppController::State::FirstRun);
    m_controller->create(false, QStringLiteral("alerts view passphrase 1"));
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isUnlocked(), 20000);

    demo::DemoOptions sample;
    sample.transactions = 300;
    sample.ledgerDays = 150;
    sample.snapshotDays = 40;
    const auto filled = demo::DemoData::populate(m_controller->database(), sample);
    QVERIFY2(filled.ok(), qPrintable(filled.error()));

    // A held asset and its latest price.
    const QString owner = store::LocalUser::ensure(m_controller->database()).value();
    store::PortfolioRepository portfolio(m_controller->database());
    store::ReferenceDataRepository prices(m_controller->database());
    const auto held = portfolio.assets(owner);
    QVERIFY(held.ok());
    for (const PortfolioAsset& a : held.value()) {
        if (!a.assetSymbol)
            continue;
        const auto p = prices.priceAt(*a.assetSymbol, Timestamp::now());
        if (p.ok() && p.value() && p.value()->priceUsd > Decimal::fromInt(2)) {
            m_symbol = *a.assetSymbol;
            m_price = p.value()->priceUsd;
            break;
        }
    }
    QVERIFY(!m_symbol.isEmpty());

    m_clock = std::make_shared<alerts::ManualClock>(Timestamp::now());
    m_view = std::make_unique<AlertsView>(m_controller.get());
    m_view->setClock(m_clock);
    m_view->setNotifier(&m_notifier);
    m_view->resize(1180, 720);
    m_view->show();
    QVERIFY(m_view->isTimerRunning());
}

void TestAlertsView::cleanupTestCase() {
    m_view.reset();
    app::workerPool()->waitForDone();
    if (m_controller)
        m_controller->lock();
    m_controller.reset();
}

void TestAlertsView::shoot(QWidget* widget, const QString& name) {
    // Optional pictures for a human to look at.
    const QString dir = qEnvironmentVariable("LLAMADESK_TEST_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    QCoreApplication::processEvents(); // a theme change repolishes on the next turn
    if (!dir.isEmpty())
        widget->grab().save(QDir(dir).filePath(name + QStringLiteral(".png")));
}

int TestAlertsView::historyOf(const QString& ruleName) const {
    int n = 0;
    for (int i = 0; i < m_view->historyModel()->rowCount(); ++i) {
        if (m_view->historyModel()->rowAt(i)->ruleName == ruleName)
            ++n;
    }
    return n;
}

void TestAlertsView::evaluate(int* triggered) {
    QSignalSpy finished(m_view.get(), &AlertsView::evaluationFinished);
    m_view->evaluateNow();
    QVERIFY(m_view->isEvaluating());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    // The end of an evaluation reloads the history (cancelling any older load).
    QTRY_VERIFY_WITH_TIMEOUT(!m_view->isHistoryLoading(), 20000);
    if (triggered != nullptr)
        *triggered = finished.first().first().toInt();
}

void TestAlertsView::listsRulesAndHistory() {
    QAbstractItemModelTester rules(m_view->ruleModel(),
                                   QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester history(m_view->historyModel(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester filter(m_view->historyFilter(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY_WITH_TIMEOUT(m_view->historyModel()->rowCount() > 0, 20000);
    QCOMPARE(m_view->ruleModel()->rowCount(), 8); // the sample rules
    // Newest first.
    const AlertHistoryModel* h = m_view->historyModel();
    for (int i = 1; i < h->rowCount(); ++i)
        QVERIFY(h->rowAt(i - 1)->entry.timestamp >= h->rowAt(i)->entry.timestamp);
    // Local and server-only rules say so.
    int local = 0;
    int server = 0;
    for (int i = 0; i < m_view->ruleModel()->rowCount(); ++i) {
        const QString text =
            m_view->ruleModel()->index(i, AlertRuleModel::EvaluationColumn).data().toString();
        if (text == AlertRuleModel::tr("Evaluated locally"))
            ++local;
        else if (text == AlertRuleModel::tr("Needs the sync server"))
            ++server;
    }
    QCOMPARE(local, 7);
    QCOMPARE(server, 1); // the TVL rule
    shoot(m_view.get(), QStringLiteral("alerts-rules"));
    m_view->tabs()->setCurrentIndex(1);
    shoot(m_view.get(), QStringLiteral("alerts-history"));
    m_view->tabs()->setCurrentIndex(0);
}

void TestAlertsView::historySearch_data() {
    QTest::addColumn<QString>("search");
    QTest::newRow("asset") << "ETH";
    QTest::newRow("lower case") << ""; // the newest rule's name, in lower case
    QTest::newRow("two words") << " "; // two words of the newest title
    QTest::newRow("nothing") << "no-such-alert-anywhere";
}

void TestAlertsView::historySearch() {
    QFETCH(QString, search);
    const AlertHistoryRow* newest = m_view->historyModel()->rowAt(0);
    QVERIFY(newest != nullptr);
    if (search.isEmpty())
        search = newest->ruleName.toLower();
    else if (search == QLatin1String(" "))
        search = newest->entry.title.split(QLatin1Char(' ')).mid(0, 2).join(QLatin1Char(' '));
    m_view->searchEdit()->setText(search);
    const QAbstractItemModel* filter = m_view->historyFilter();
    const QStringList words = search.split(QLatin1Char(' '));
    int expected = 0;
    for (int i = 0; i < m_view->historyModel()->rowCount(); ++i) {
        const QString text =
            m_view->historyModel()->index(i, 0).data(AlertHistoryModel::SearchRole).toString();
        bool all = true;
        for (const QString& w : words)
            all = all && text.contains(w, Qt::CaseInsensitive);
        expected += all ? 1 : 0;
    }
    QCOMPARE(filter->rowCount(), expected);
    if (search != QLatin1String("no-such-alert-anywhere"))
        QVERIFY(expected > 0);
    m_view->searchEdit()->clear();
    QCOMPARE(filter->rowCount(), m_view->historyModel()->rowCount());
}

void TestAlertsView::editorShowsProblemsInline() {
    AlertRuleDialog* dialog = m_view->ruleDialog();
    dialog->show();
    QSignalSpy accepted(dialog, &QDialog::accepted);
    auto* threshold = qobject_cast<QLineEdit*>(dialog->field(QStringLiteral("threshold_value")));
    QVERIFY(threshold != nullptr);
    threshold->setText(QStringLiteral("12.5.3"));
    auto* webhook = qobject_cast<QLineEdit*>(dialog->field(QStringLiteral("webhook_url")));
    QVERIFY(webhook != nullptr);
    dialog->findChild<QCheckBox*>(QStringLiteral("channel_webhook"))->setChecked(true);
    dialog->save();
    QCOMPARE(accepted.count(), 0);
    QVERIFY(!dialog->problem(QStringLiteral("threshold_value")).isEmpty());
    shoot(dialog, QStringLiteral("alerts-editor-invalid"));
    threshold->setText(QStringLiteral("12.5"));
    dialog->save();
    QCOMPARE(accepted.count(), 0);
    QVERIFY(dialog->problem(QStringLiteral("threshold_value")).isEmpty());
    QVERIFY(!dialog->problem(QStringLiteral("name")).isEmpty());
    QVERIFY(!dialog->problem(QStringLiteral("webhook_url")).isEmpty());
    dialog->reject();
    QCOMPARE(m_view->ruleModel()->rowCount(), 8);
}

void TestAlertsView::createdRuleTriggers() {
    // A rule on a held asset's price above a threshold under the current price.
    const Decimal threshold = (m_price - Decimal::fromInt(1)).round(0, RoundingMode::Down);
    m_ruleName = QStringLiteral("%1 above %2").arg(m_symbol, threshold.toString());
    AlertRuleDialog* dialog = m_view->ruleDialog();
    dialog->show();
    QSignalSpy accepted(dialog, &QDialog::accepted);
    qobject_cast<QLineEdit*>(dialog->field(QStringLiteral("name")))->setText(m_ruleName);
    auto* type = qobject_cast<QComboBox*>(dialog->field(QStringLiteral("alert_type")));
    type->setCurrentIndex(type->findData(int(AlertType::PriceChange)));
    qobject_cast<QComboBox*>(dialog->field(QStringLiteral("target_id")))->setCurrentText(m_symbol);
    auto* op = qobject_cast<QComboBox*>(dialog->field(QStringLiteral("condition_operator")));
    op->setCurrentIndex(op->findData(int(ConditionOperator::Greater)));
    qobject_cast<QLineEdit*>(dialog->field(QStringLiteral("threshold_value")))
        ->setText(threshold.toString());
    shoot(dialog, QStringLiteral("alerts-editor"));
    dialog->save();
    QCOMPARE(accepted.count(), 1);
    QCOMPARE(m_view->ruleModel()->rowCount(), 9);

    m_notifier.titles.clear();
    int triggered = 0;
    evaluate(&triggered);
    QVERIFY(triggered >= 1);
    QVERIFY2(!m_notifier.titles.filter(m_symbol).isEmpty(),
             qPrintable(m_notifier.titles.join(QStringLiteral(" | "))));
    QCOMPARE(historyOf(m_ruleName), 1);
    // The newest history row is this trigger.
    QCOMPARE(m_view->historyModel()->rowAt(0)->ruleName.isEmpty(), false);
    const int row = m_view->ruleModel()->rowOf(m_view->historyModel()->rowAt(0)->entry.alertRuleId);
    QVERIFY(row >= 0);
    const QString status =
        m_view->ruleModel()->index(row, AlertRuleModel::StatusColumn).data().toString();
    QVERIFY(!status.isEmpty());
    shoot(m_view.get(), QStringLiteral("alerts-after-trigger"));
}

void TestAlertsView::cooldownHoldsTheSecondTick() {
    QCOMPARE(historyOf(m_ruleName), 1);
    m_notifier.titles.clear();
    m_clock->advanceMinutes(10); // inside the default 60-minute cooldown
    evaluate();
    QCOMPARE(historyOf(m_ruleName), 1);
    QVERIFY(m_notifier.titles.filter(m_symbol).isEmpty());
    const int row = m_view->ruleModel()->rowOf([&] {
        for (int i = 0; i < m_view->ruleModel()->rowCount(); ++i) {
            if (m_view->ruleModel()->ruleAt(i)->name == m_ruleName)
                return m_view->ruleModel()->ruleAt(i)->id;
        }
        return QString();
    }());
    QVERIFY(row >= 0);
    QCOMPARE(m_view->ruleModel()->index(row, AlertRuleModel::StatusColumn).data().toString(),
             AlertRuleModel::tr("Cooling down"));
    m_clock->advanceMinutes(51); // past it
    evaluate();
    QCOMPARE(historyOf(m_ruleName), 2);
    QVERIFY(!m_notifier.titles.filter(m_symbol).isEmpty());
}

void TestAlertsView::bannerWhenNoTray() {
    if (TrayNotifier::isAvailable())
        QSKIP("this desktop has a system tray");
    m_view->setNotifier(nullptr);
    QVERIFY(!m_view->banner()->isVisible());
    m_clock->advanceMinutes(61);
    evaluate();
    QVERIFY(m_view->banner()->isVisible());
    QVERIFY(m_view->banner()->title().contains(m_symbol) || !m_view->banner()->message().isEmpty());
    shoot(m_view.get(), QStringLiteral("alerts-banner"));
    Theme::apply(Theme::Choice::Dark);
    shoot(m_view.get(), QStringLiteral("alerts-banner-dark"));
    m_view->tabs()->setCurrentIndex(1);
    shoot(m_view.get(), QStringLiteral("alerts-history-dark"));
    m_view->tabs()->setCurrentIndex(0);
    Theme::apply(Theme::Choice::Light);
    m_view->setNotifier(&m_notifier);
}

void TestAlertsView::pauseAndResume() {
    int row = -1;
    for (int i = 0; i < m_view->ruleModel()->rowCount(); ++i) {
        if (m_view->ruleModel()->ruleAt(i)->name == m_ruleName)
            row = i;
    }
    QVERIFY(row >= 0);
    m_view->rulesTable()->selectRow(row);
    const QString id = m_view->ruleModel()->ruleAt(row)->id;
    m_view->pauseSelected(60);
    row = m_view->ruleModel()->rowOf(id);
    QVERIFY(m_view->ruleModel()->ruleAt(row)->isPaused);
    QVERIFY(m_view->ruleModel()->ruleAt(row)->pausedUntil.has_value());
    const QString status =
        m_view->ruleModel()->index(row, AlertRuleModel::StatusColumn).data().toString();
    QVERIFY2(status.startsWith(AlertRuleModel::tr("Paused until %1").arg(QString())),
             qPrintable(status));
    const int before = historyOf(m_ruleName);
    m_clock->advanceMinutes(30); // the cooldown is over, the pause is not
    evaluate();
    QCOMPARE(historyOf(m_ruleName), before);
    m_view->rulesTable()->selectRow(m_view->ruleModel()->rowOf(id));
    m_view->resumeSelected();
    QVERIFY(!m_view->ruleModel()->ruleAt(m_view->ruleModel()->rowOf(id))->isPaused);
    m_clock->advanceMinutes(31); // and now the cooldown of the last trigger too
    evaluate();
    QVERIFY2(historyOf(m_ruleName) == before + 1,
             qPrintable(m_view->ruleModel()
                            ->index(m_view->ruleModel()->rowOf(id), AlertRuleModel::StatusColumn)
                            .data()
                            .toString()));
}

void TestAlertsView::enableCheckbox() {
    const AlertRule* rule = m_view->ruleModel()->ruleAt(0);
    const QString id = rule->id;
    const bool was = rule->isActive;
    const QModelIndex box = m_view->ruleModel()->index(0, AlertRuleModel::EnabledColumn);
    QVERIFY(m_view->ruleModel()->flags(box).testFlag(Qt::ItemIsUserCheckable));
    QVERIFY(
        m_view->ruleModel()->setData(box, was ? Qt::Unchecked : Qt::Checked, Qt::CheckStateRole));
    store::AlertRepository repository(m_controller->database());
    const auto stored = repository.rule(id);
    QVERIFY(stored.ok() && stored.value());
    QCOMPARE(stored.value()->isActive, !was);
    QCOMPARE(m_view->ruleModel()->ruleAt(m_view->ruleModel()->rowOf(id))->isActive, !was);
}

void TestAlertsView::lockDropsEverything() {
    m_controller->lock();
    QCOMPARE(m_view->ruleModel()->rowCount(), 0);
    QCOMPARE(m_view->historyModel()->rowCount(), 0);
    QVERIFY(!m_view->isTimerRunning());
    QVERIFY(!m_view->isEvaluating());
}

QTEST_MAIN(TestAlertsView)
#include "TestAlertsView.moc"
