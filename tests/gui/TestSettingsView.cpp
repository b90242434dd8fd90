#include "TestSupport.h"

#include "app/AppController.h"
#include "app/LocalDataEraser.h"
#include "app/MoneyFormat.h"
#include "app/Theme.h"
#include "app/WorkerPool.h"
#include "settings/DeleteDataDialog.h"
#include "settings/SettingsView.h"
#include "store/ReferenceDataRepository.h"
#include "vault/KeyFile.h"
#include "vault/MemorySecretStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::ui;

// The Settings screen on a real vault: display currency and number format reach MoneyFormat,
// tax defaults write the shared keys, the security actions change the key file for real (a new
// passphrase and recovery code unlock the vault, the keychain entry goes and comes back), the
// JSON export, and "delete all local data" with its typed confirmation.
class TestSettingsView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void displayCurrency_data();
    void displayCurrency();
    void numberFormat();
    void taxDefaults();
    void changePassphrase();
    void keychainOffAndOn();
    void newRecoveryCode();
    void exportEverything();
    void typedConfirmation_data();
    void typedConfirmation();
    void deleteAllLocalData();

private:
    void relock(const std::function<void()>& unlock);
    void shoot(QWidget* widget, const QString& name);

    testsupport::ScratchDir m_dir;
    vault::MemorySecretStore m_secrets;
    std::unique_ptr<AppController> m_controller;
    std::unique_ptr<SettingsView> m_view;
    QString m_passphrase = QStringLiteral("settings view passphrase 1");
};

void TestSettingsView::initTestCase() {
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    Theme::captureSystemPalette();
    m_controller = std::make_unique<AppController>(m_secrets);
    m_controller->setVaultPath(m_dir.filePath(QStringLiteral("settings.llamadesk")));
    m_controller->setKdf(vault::KdfParams::fastForTests());
    m_controller->setAutoLockMinutes(0);
    m_controller->setRetryDelayBase(0); // the wrong-passphrase case must not slow the next
    m_controller->start();
    m_controller->create(true, m_passphrase);
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isUnlocked(), 20000);
    QVERIFY(m_controller->info().hasKeychain);
    m_view = std::make_unique<SettingsView>(m_controller.get());
    m_view->resize(1000, 1500);
    m_view->show();
    shoot(m_view.get(), QStringLiteral("settings"));
    Theme::apply(Theme::Choice::Dark);
    shoot(m_view.get(), QStringLiteral("settings-dark"));
    Theme::apply(Theme::Choice::Light);
}

void TestSettingsView::cleanupTestCase() {
    m_view.reset();
    app::workerPool()->waitForDone();
    m_controller.reset();
}

void TestSettingsView::shoot(QWidget* widget, const QString& name) {
    const QString dir = qEnvironmentVariable("LLAMADESK_TEST_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    QCoreApplication::processEvents();
    widget->grab().save(QDir(dir).filePath(name + QStringLiteral(".png")));
}

void TestSettingsView::displayCurrency_data() {
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("rate"); // empty: none in the vault
    QTest::addColumn<QString>("shown");
    QTest::addColumn<bool>("used");
    QTest::newRow("dollars") << "USD"
                             << ""
                             << "$125.00" << true;
    QTest::newRow("euros with a rate") << "EUR"
                                       << "1.25"
                                       << "€100.00" << true;
    QTest::newRow("yen without a rate") << "JPY"
                                        << ""
                                        << "$125.00" << false;
    QTest::newRow("pounds with a rate") << "GBP"
                                        << "1.6"
                                        << "£78.12" << true; // 78.125, half-even
}

void TestSettingsView::displayCurrency() {
    QFETCH(QString, code);
    QFETCH(QString, rate);
    QFETCH(QString, shown);
    QFETCH(bool, used);
    app::MoneyFormat::setLocale(QLocale(QStringLiteral("en_US")));
    QSettings().setValue(QStringLiteral("display/locale"), QStringLiteral("en_US"));
    m_view->localeBox()->setCurrentIndex(m_view->localeBox()->findData(QStringLiteral("en_US")));
    if (!rate.isEmpty()) {
        PricePoint p;
        p.assetSymbol = code;
        p.priceUsd = Decimal::parse(QStringView(rate)).value();
        p.timestamp = Timestamp::fromMicrosecondsSinceEpoch(
            Timestamp::now().microsecondsSinceEpoch() - 3600LL * 1000 * 1000);
        store::ReferenceDataRepository prices(m_controller->database());
        QVERIFY(prices.replacePrices({p}).ok());
    }
    QSignalSpy changed(m_view.get(), &SettingsView::displaySettingsChanged);
    QComboBox* box = m_view->currencyBox();
    box->setCurrentIndex(box->findData(code));
    if (code != QLatin1String("USD"))
        QCOMPARE(changed.count(), 1);
    QCOMPARE(QSettings().value(QStringLiteral("display/currency")).toString(), code);
    QCOMPARE(app::MoneyFormat::money(Decimal::fromInt(125)), shown);
    QCOMPARE(app::MoneyFormat::currency().code, used ? code : QStringLiteral("USD"));
    QString note;
    QCOMPARE(SettingsView::applyDisplaySettings(m_controller->database(), &note), used);
    QCOMPARE(m_view->currencyNote()->text(), note);
    if (!used)
        QVERIFY(note.contains(code));
}

void TestSettingsView::numberFormat() {
    m_view->currencyBox()->setCurrentIndex(m_view->currencyBox()->findData(QStringLiteral("USD")));
    m_view->localeBox()->setCurrentIndex(m_view->localeBox()->findData(QStringLiteral("de_DE")));
    QCOMPARE(QSettings().value(QStringLiteral("display/locale")).toString(),
             QStringLiteral("de_DE"));
    QCOMPARE(app::MoneyFormat::locale().name(), QStringLiteral("de_DE"));
    QVERIFY(app::MoneyFormat::money(Decimal::fromScaled(123450, 2))
                .contains(QStringLiteral("1.234,50")));
    m_view->localeBox()->setCurrentIndex(m_view->localeBox()->findData(QStringLiteral("en_US")));
    QVERIFY(app::MoneyFormat::money(Decimal::fromScaled(123450, 2))
                .contains(QStringLiteral("1,234.50")));
}

void TestSettingsView::taxDefaults() {
    QComboBox* j = m_view->jurisdictionBox();
    QCOMPARE(j->currentData().toString(), QStringLiteral("US"));
    QCOMPARE(m_view->timeZoneBox()->currentData().toString(), QStringLiteral("UTC"));
    j->setCurrentIndex(j->findData(QStringLiteral("UK")));
    QSettings s;
    QCOMPARE(s.value(QStringLiteral("tax/jurisdiction")).toString(), QStringLiteral("UK"));
    QCOMPARE(s.value(QStringLiteral("tax/timezone")).toString(), QStringLiteral("Europe/London"));
    QVERIFY(!m_view->methodBox()->isEnabled());
    j->setCurrentIndex(j->findData(QStringLiteral("US")));
    QCOMPARE(s.value(QStringLiteral("tax/timezone")).toString(), QStringLiteral("UTC"));
    QVERIFY(m_view->methodBox()->isEnabled());
    m_view->methodBox()->setCurrentIndex(m_view->methodBox()->findData(QStringLiteral("hifo")));
    m_view->scopeBox()->setCurrentIndex(m_view->scopeBox()->findData(QStringLiteral("universal")));
    m_view->timeZoneBox()->setCurrentIndex(
        m_view->timeZoneBox()->findData(QStringLiteral("America/New_York")));
    QCOMPARE(s.value(QStringLiteral("tax/method")).toString(), QStringLiteral("hifo"));
    QCOMPARE(s.value(QStringLiteral("tax/scope")).toString(), QStringLiteral("universal"));
    QCOMPARE(s.value(QStringLiteral("tax/timezone")).toString(),
             QStringLiteral("America/New_York"));
    // A chosen zone stays when the jurisdiction changes.
    j->setCurrentIndex(j->findData(QStringLiteral("UK")));
    QCOMPARE(s.value(QStringLiteral("tax/timezone")).toString(),
             QStringLiteral("America/New_York"));
    j->setCurrentIndex(j->findData(QStringLiteral("US")));
}

void TestSettingsView::relock(const std::function<void()>& unlock) {
    m_controller->lock();
    QVERIFY(!m_controller->isUnlocked());
    unlock();
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->state() != AppController::State::Busy, 20000);
}

void TestSettingsView::changePassphrase() {
    QSignalSpy done(m_controller.get(), &AppController::securityActionFinished);
    const QString next = QStringLiteral("a brand new passphrase 2");
    m_controller->changePassphrase(QStringLiteral("not the passphrase"), next);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 20000);
    QCOMPARE(done.first().first().toBool(), false); // the current one is checked
    m_controller->changePassphrase(m_passphrase, next);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 20000);
    QVERIFY2(done.last().first().toBool(), qPrintable(done.last().last().toString()));
    relock([&] { m_controller->unlockWithPassphrase(m_passphrase); });
    QVERIFY(!m_controller->isUnlocked());
    relock([&] { m_controller->unlockWithPassphrase(next); });
    QVERIFY(m_controller->isUnlocked());
    m_passphrase = next;
}

void TestSettingsView::keychainOffAndOn() {
    const QString sidecar = vault::KeyFile::sidecarPath(m_controller->vaultPath());
    const QString account = vault::KeyFile::load(sidecar).value().keychainAccount();
    QVERIFY(!account.isEmpty());
    QVERIFY(m_view->keychainBox()->isChecked());
    QSignalSpy done(m_controller.get(), &AppController::securityActionFinished);
    m_view->keychainBox()->click();
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 20000);
    QVERIFY2(done.last().first().toBool(), qPrintable(done.last().last().toString()));
    QVERIFY(!vault::KeyFile::load(sidecar).value().hasKeychain());
    QVERIFY(m_secrets.read(account).error == vault::SecretStore::Error::NotFound);
    QVERIFY(!m_view->keychainBox()->isChecked());
    m_view->keychainBox()->click();
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 20000);
    QVERIFY(done.last().first().toBool());
    QVERIFY(vault::KeyFile::load(sidecar).value().hasKeychain());
    QVERIFY(m_view->keychainBox()->isChecked());
    // The keychain alone unlocks it again.
    relock([&] { m_controller->start(); });
    QVERIFY(m_controller->isUnlocked());
}

void TestSettingsView::newRecoveryCode() {
    QSignalSpy code(m_controller.get(), &AppController::recoveryCodeRegenerated);
    m_controller->regenerateRecoveryCode();
    QTRY_COMPARE_WITH_TIMEOUT(code.count(), 1, 20000);
    const QString text = code.first().first().toString();
    QVERIFY(text.size() > 20);
    // Shown once, in a dialog that only closes when the user says it is saved.
    QDialog* shown = nullptr;
    QTRY_VERIFY((shown = m_view->findChild<QDialog*>(QStringLiteral("recoveryCodeDialog"))) !=
                nullptr);
    shoot(shown, QStringLiteral("settings-recovery-code"));
    shown->accept();
    relock([&] { m_controller->unlockWithRecoveryCode(text); });
    QVERIFY(m_controller->isUnlocked());
}

void TestSettingsView::exportEverything() {
    const QString path = m_dir.filePath(QStringLiteral("everything.json"));
    QSignalSpy finished(m_view.get(), &SettingsView::exportFinished);
    m_view->exportTo(path);
    QVERIFY(m_view->isExporting());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    QVERIFY2(finished.first().first().toBool(), qPrintable(finished.first().last().toString()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    QVERIFY(root.value(QStringLiteral("tables")).toObject().contains(QStringLiteral("users")));
    QVERIFY(!m_view->isExporting());
}

void TestSettingsView::typedConfirmation_data() {
    QTest::addColumn<QString>("typed");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("empty") << "" << false;
    QTest::newRow("lower case") << "delete" << false;
    QTest::newRow("DELETE") << "DELETE" << true;
    QTest::newRow("DELETE with spaces") << "  DELETE " << true;
    QTest::newRow("file name") << "settings.llamadesk" << true;
    QTest::newRow("other file") << "other.llamadesk" << false;
}

void TestSettingsView::typedConfirmation() {
    QFETCH(QString, typed);
    QFETCH(bool, accepted);
    DeleteDataDialog dialog(m_controller->vaultPath());
    dialog.confirmationEdit()->setText(typed);
    QCOMPARE(dialog.deleteButton()->isEnabled(), accepted);
}

void TestSettingsView::deleteAllLocalData() {
    const QString path = m_controller->vaultPath();
    const QString account =
        vault::KeyFile::load(vault::KeyFile::sidecarPath(path)).value().keychainAccount();
    QVERIFY(m_secrets.read(account).error == vault::SecretStore::Error::None);
    QSignalSpy deleted(m_controller.get(), &AppController::vaultDeleted);
    DeleteDataDialog* dialog = m_view->deleteDialog();
    dialog->show();
    shoot(dialog, QStringLiteral("settings-delete"));
    QVERIFY(!dialog->deleteButton()->isEnabled());
    dialog->confirmationEdit()->setText(QStringLiteral("DELETE"));
    QVERIFY(dialog->deleteButton()->isEnabled());
    QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
    QTRY_COMPARE(deleted.count(), 1);
    QVERIFY2(deleted.first().first().toBool(), qPrintable(deleted.first().last().toString()));
    QCOMPARE(m_controller->state(), AppController::State::FirstRun);
    for (const QString& file : app::LocalDataEraser::filesOf(path))
        QVERIFY2(!QFile::exists(file), qPrintable(file));
    QVERIFY(m_secrets.read(account).error == vault::SecretStore::Error::NotFound);
}

QTEST_MAIN(TestSettingsView)
#include "TestSettingsView.moc"
