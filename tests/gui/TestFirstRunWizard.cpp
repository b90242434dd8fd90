#include "TestSupport.h"

#include "app/AppController.h"
#include "onboarding/FirstRunWizard.h"
#include "onboarding/RecoveryCodePanel.h"
#include "store/TransactionRepository.h"
#include "vault/MemorySecretStore.h"
#include "vault/RecoveryCode.h"
#include "vault/Vault.h"
#include "widgets/PassphraseForm.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSettings>
#include <QSqlQuery>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::ui;

// The first-run wizard end to end on real widgets: it creates a real encrypted vault, shows a
// recovery code that really unlocks it, and writes sample data into it.
class TestFirstRunWizard : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void passphrasePathCreatesVaultWithSampleData();
    void weakPassphraseCannotGoOn_data();
    void weakPassphraseCannotGoOn();
    void unavailableKeychainFallsBackToPassphrase();

private:
    testsupport::ScratchDir m_settings;
};

void TestFirstRunWizard::initTestCase() {
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
}

void TestFirstRunWizard::passphrasePathCreatesVaultWithSampleData() {
    testsupport::ScratchDir dir;
    const QString path = dir.filePath(QStringLiteral("vault.llamadesk"));
    const QString passphrase = QStringLiteral("purple mountain tractor lemon 7");
    vault::MemorySecretStore secrets;
    AppController controller(secrets);
    controller.setVaultPath(path);
    controller.setKdf(vault::KdfParams::fastForTests());
    controller.start();
    QCOMPARE(controller.state(), AppController::State::FirstRun);

    FirstRunWizard wizard(&controller);
    wizard.setSampleSize(300);
    wizard.show();
    QCOMPARE(wizard.currentId(), int(FirstRunWizard::WelcomePage));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FirstRunWizard::ProtectionPage));
    // The keychain check answers (the in-memory store works).
    QTRY_VERIFY(wizard.keychainOption()->isEnabled());

    wizard.passphraseOption()->setChecked(true);
    QLineEdit* first = wizard.passphraseForm()->passphraseEdit();
    QLineEdit* second = wizard.passphraseForm()->confirmationEdit();
    QTest::keyClicks(first, passphrase);
    QTest::keyClicks(second, passphrase.left(5));
    QVERIFY(!wizard.button(QWizard::CommitButton)->isEnabled()); // not confirmed yet
    second->setText(passphrase);
    QVERIFY(wizard.button(QWizard::CommitButton)->isEnabled());
    QVERIFY(wizard.passphraseForm()->strengthLabel()->text().contains(QStringLiteral("Strong")));

    wizard.button(QWizard::CommitButton)->click();
    QTRY_COMPARE_WITH_TIMEOUT(wizard.currentId(), int(FirstRunWizard::RecoveryPage), 20000);
    QVERIFY(QFile::exists(path));
    QVERIFY(controller.isUnlocked());
    QCOMPARE(controller.unlockMethod(), QStringLiteral("passphrase"));
    // The passphrase fields were wiped once used.
    QVERIFY(first->text().isEmpty());

    // The code shown is a well-formed recovery code; Next waits for "I have saved it".
    const QString code = wizard.recoveryPanel()->code();
    QVERIFY(vault::RecoveryCode::parse(code).ok());
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    // Saving to a file works and is private.
    const QString saved = dir.filePath(QStringLiteral("code.txt"));
    QString error;
    QVERIFY2(wizard.recoveryPanel()->saveTo(saved, &error), qPrintable(error));
    QFile file(saved);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(QString::fromUtf8(file.readAll()).contains(code));
    QCOMPARE(file.permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
             QFileDevice::Permissions());
    wizard.recoveryPanel()->confirmation()->setChecked(true);
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(FirstRunWizard::SyncPage));
    wizard.next(); // skipping sync is allowed
    QCOMPARE(wizard.currentId(), int(FirstRunWizard::DataPage));

    wizard.dataOption(FirstRunWizard::DataChoice::Sample)->setChecked(true);
    wizard.button(QWizard::FinishButton)->click();
    QTRY_VERIFY_WITH_TIMEOUT(!wizard.isVisible(), 60000);
    QCOMPARE(wizard.result(), int(QDialog::Accepted));
    QVERIFY(wizard.sampleRowsWritten() >= 300);
    QCOMPARE(QSettings().value(FirstRunWizard::dataChoiceSettingsKey()).toString(),
             QStringLiteral("sample"));

    // The rows are in the vault, and both the passphrase and the recovery code open it.
    {
        store::TransactionRepository repository(controller.database());
        const Result<qint64> count = repository.count({});
        QVERIFY2(count.ok(), qPrintable(count.error()));
        QCOMPARE(count.value(), wizard.sampleRowsWritten());
        // The whole sample vault, so every view has something to show: holdings, daily
        // snapshots, prices and alert rules beside the ledger.
        for (const char* table :
             {"portfolio_assets", "portfolio_snapshots", "prices", "alert_rules"}) {
            QSqlQuery q(controller.database());
            QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM ") + QLatin1String(table)));
            QVERIFY(q.next());
            QVERIFY2(q.value(0).toLongLong() > 0, table);
        }
    }
    controller.lock();
    vault::VaultError why = vault::VaultError::None;
    auto byPassphrase =
        vault::Vault::open(path, vault::UnlockRequest::passphrase(passphrase), secrets, &why);
    QVERIFY(byPassphrase);
    byPassphrase->close();
    auto byCode = vault::Vault::open(path, vault::UnlockRequest::recoveryCode(code), secrets, &why);
    QVERIFY(byCode);
    byCode->close();
}

void TestFirstRunWizard::weakPassphraseCannotGoOn_data() {
    QTest::addColumn<QString>("passphrase");
    QTest::newRow("short") << QStringLiteral("abc12!");
    QTest::newRow("common word") << QStringLiteral("password12345");
    QTest::newRow("keyboard run") << QStringLiteral("qwertyuiop123");
    QTest::newRow("repeated") << QStringLiteral("aaaaaaaaaaaaaaaa");
}

void TestFirstRunWizard::weakPassphraseCannotGoOn() {
    QFETCH(QString, passphrase);
    testsupport::ScratchDir dir;
    vault::MemorySecretStore secrets;
    AppController controller(secrets);
    controller.setVaultPath(dir.filePath(QStringLiteral("vault.llamadesk")));
    controller.start();
    FirstRunWizard wizard(&controller);
    wizard.show();
    wizard.next();
    wizard.passphraseOption()->setChecked(true);
    wizard.passphraseForm()->passphraseEdit()->setText(passphrase);
    wizard.passphraseForm()->confirmationEdit()->setText(passphrase);
    QVERIFY(!wizard.button(QWizard::CommitButton)->isEnabled());
    QVERIFY(wizard.passphraseForm()->strengthLabel()->text().contains(QStringLiteral("Weak")));
    QVERIFY(!wizard.passphraseForm()->problem().isEmpty());
}

void TestFirstRunWizard::unavailableKeychainFallsBackToPassphrase() {
    testsupport::ScratchDir dir;
    vault::MemorySecretStore secrets;
    secrets.setAvailable(false);
    AppController controller(secrets);
    controller.setVaultPath(dir.filePath(QStringLiteral("vault.llamadesk")));
    controller.start();
    FirstRunWizard wizard(&controller);
    QSignalSpy checked(&controller, &AppController::keychainChecked);
    wizard.show();
    wizard.next();
    QTRY_COMPARE(checked.count(), 1);
    QCOMPARE(checked.first().at(0).toBool(), false);
    QVERIFY(!wizard.keychainOption()->isEnabled());
    QVERIFY(wizard.passphraseOption()->isChecked());
}

QTEST_MAIN(TestFirstRunWizard)
#include "TestFirstRunWizard.moc"
