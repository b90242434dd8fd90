#include "TestSupport.h"

#include "app/AppController.h"
#include "mainwindow/MainWindow.h"
#include "store/LocalUser.h"
#include "store/TransactionRepository.h"
#include "tax/LedgerGenerator.h"
#include "transactions/TransactionTableModel.h"
#include "transactions/TransactionsView.h"
#include "unlock/UnlockScreen.h"
#include "vault/MemorySecretStore.h"
#include "vault/Vault.h"

#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::ui;

// Unlocking through the real unlock screen and main window: errors in plain words, the wait
// after a wrong attempt, the recovery code path, and locking wiping what the views hold.
class TestUnlockScreen : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void wrongThenRightPassphrase();
    void lockWipesTheViews();
    void recoveryCodeUnlocks();
    void autoLockAfterIdle();
    void notAVaultIsExplained();
    void distinctErrors_data();
    void distinctErrors();

private:
    testsupport::ScratchDir m_settings;
    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QString m_path;
    QString m_recovery;
    const QString m_passphrase = QStringLiteral("violet harbour engine 1987");
};

void TestUnlockScreen::initTestCase() {
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
}

void TestUnlockScreen::init() {
    // A fresh passphrase-only vault with a few rows for every test.
    m_dir = std::make_unique<testsupport::ScratchDir>();
    m_path = m_dir->filePath(QStringLiteral("vault.llamadesk"));
    vault::MemorySecretStore secrets;
    vault::CreateOptions options;
    options.useKeychain = false;
    options.passphrase = m_passphrase;
    options.kdf = vault::KdfParams::fastForTests();
    vault::RecoveryCode code;
    vault::VaultError error = vault::VaultError::None;
    QString message;
    auto made = vault::Vault::create(m_path, options, secrets, &code, &error, &message);
    QVERIFY2(made, qPrintable(message));
    m_recovery = code.toString();
    const Result<QString> owner = store::LocalUser::ensure(made->database());
    QVERIFY(owner.ok());
    tax::LedgerGeneratorOptions ledger;
    ledger.transactions = 250;
    ledger.userId = owner.value();
    store::TransactionRepository repository(made->database());
    QVERIFY(repository.insertBatch(tax::LedgerGenerator::generate(ledger)).ok());
    made->close();
}

void TestUnlockScreen::wrongThenRightPassphrase() {
    vault::MemorySecretStore secrets;
    AppController controller(secrets);
    controller.setVaultPath(m_path);
    controller.setRetryDelayBase(400);
    MainWindow window(&controller);
    window.show();
    controller.start();
    // No keychain method: the vault waits for its passphrase without an error.
    QTRY_COMPARE(controller.state(), AppController::State::Locked);
    QVERIFY(window.isShowingUnlockScreen());
    UnlockScreen* screen = window.unlockScreen();
    QVERIFY(screen->errorLabel()->isHidden());
    QVERIFY(window.vaultStateText().startsWith(QStringLiteral("Locked")));

    QTest::keyClicks(screen->passphraseEdit(), QStringLiteral("violet harbour engine 1988"));
    QTest::mouseClick(screen->unlockButton(), Qt::LeftButton);
    QTRY_VERIFY(!screen->errorLabel()->isHidden());
    QCOMPARE(screen->errorLabel()->text(),
             UnlockScreen::messageFor(vault::VaultError::WrongPassphrase, QString()));
    QVERIFY(screen->errorLabel()->text().contains(QStringLiteral("not right")));
    QCOMPARE(controller.state(), AppController::State::Locked);
    // Right after a failure the button waits; then it comes back.
    QVERIFY(!screen->unlockButton()->isEnabled());
    QVERIFY(controller.retryWaitMs() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(screen->unlockButton()->isEnabled(), 5000);

    screen->passphraseEdit()->setText(m_passphrase);
    QTest::keyClick(screen->passphraseEdit(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(controller.isUnlocked(), 20000);
    QVERIFY(!window.isShowingUnlockScreen());
    QVERIFY(screen->passphraseEdit()->text().isEmpty());
    QVERIFY(window.vaultStateText().contains(QStringLiteral("passphrase")));
    QCOMPARE(controller.info().schemaVersion > 0, true);
}

void TestUnlockScreen::lockWipesTheViews() {
    vault::MemorySecretStore secrets;
    AppController controller(secrets);
    controller.setVaultPath(m_path);
    MainWindow window(&controller);
    window.show();
    controller.unlockWithPassphrase(m_passphrase);
    QTRY_VERIFY_WITH_TIMEOUT(controller.isUnlocked(), 20000);
    TransactionTableModel* model = window.transactionsView()->model();
    QTRY_VERIFY(!model->isLoading());
    QVERIFY(model->rowCount() >= 250);
    QVERIFY(model->transactionAt(0) != nullptr);

    window.lockAction()->trigger(); // the menu's Lock (Ctrl+L)
    QCOMPARE(controller.state(), AppController::State::Locked);
    QCOMPARE(model->rowCount(), 0);
    QCOMPARE(model->residentPages(), 0);
    QVERIFY(!model->isAttached());
    QVERIFY(!controller.database().isValid());
    QVERIFY(window.isShowingUnlockScreen());
    QVERIFY(!window.lockAction()->isEnabled());
}

void TestUnlockScreen::recoveryCodeUnlocks() {
    vault::MemorySecretStore secrets;
    AppController controller(secrets);
    controller.setVaultPath(m_path);
    controller.setRetryDelayBase(0);
    UnlockScreen screen(&controller);
    screen.show();
    QSignalSpy recovered(&screen, &UnlockScreen::recoveredWithCode);
    screen.setRecoveryMode(true);
    QVERIFY(screen.isRecoveryMode());
    // A typo is reported as such.
    QString typo = m_recovery;
    typo[0] = typo[0] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
    screen.recoveryEdit()->setText(typo);
    QTest::mouseClick(screen.unlockButton(), Qt::LeftButton);
    QTRY_VERIFY(!screen.errorLabel()->isHidden());
    QVERIFY(screen.errorLabel()->text().startsWith(QStringLiteral("That recovery code")));
    QTRY_VERIFY(screen.unlockButton()->isEnabled());
    screen.recoveryEdit()->setText(m_recovery.toLower());
    QTest::mouseClick(screen.unlockButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(controller.isUnlocked(), 20000);
    QCOMPARE(recovered.count(), 1);
    QCOMPARE(controller.unlockMethod(), QStringLiteral("recovery code"));
}

void TestUnlockScreen::autoLockAfterIdle() {
    vault::MemorySecretStore secrets;
    AppController controller(secrets);
    controller.setVaultPath(m_path);
    MainWindow window(&controller);
    window.show();
    controller.unlockWithPassphrase(m_passphrase);
    QTRY_VERIFY_WITH_TIMEOUT(controller.isUnlocked(), 20000);
    TransactionTableModel* model = window.transactionsView()->model();
    QTRY_VERIFY(!model->isLoading());
    QVERIFY(model->rowCount() > 0);
    QSignalSpy idle(&controller, &AppController::lockedByIdle);
    controller.setAutoLockMilliseconds(600);
    // Activity keeps it open...
    for (int i = 0; i < 4; ++i) {
        QTest::qWait(250);
        QTest::mouseMove(window.transactionsView()->table()->viewport(), QPoint(20 + i * 5, 20));
        QTest::keyClick(&window, Qt::Key_Shift);
    }
    QVERIFY(controller.isUnlocked());
    // ...and silence locks it, wiping the view.
    QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 5000);
    QCOMPARE(controller.state(), AppController::State::Locked);
    QCOMPARE(model->rowCount(), 0);
    QVERIFY(window.isShowingUnlockScreen());
}

void TestUnlockScreen::notAVaultIsExplained() {
    // A file that is not a vault: the screen says so in its own words and changes nothing.
    testsupport::ScratchDir dir;
    const QString path = dir.filePath(QStringLiteral("notes.llamadesk"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    const QByteArray junk(4096, 'x');
    file.write(junk);
    file.close();
    vault::MemorySecretStore secrets;
    AppController controller(secrets);
    controller.setVaultPath(path);
    UnlockScreen screen(&controller);
    screen.show();
    controller.start();
    QTRY_COMPARE(controller.state(), AppController::State::Locked);
    screen.passphraseEdit()->setText(QStringLiteral("anything at all"));
    QTest::mouseClick(screen.unlockButton(), Qt::LeftButton);
    QTRY_VERIFY(!screen.errorLabel()->isHidden());
    QCOMPARE(controller.lastErrorCode(), vault::VaultError::NotAVault);
    QCOMPARE(screen.errorLabel()->text(),
             UnlockScreen::messageFor(vault::VaultError::NotAVault, QString()));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), junk);
}

void TestUnlockScreen::distinctErrors_data() {
    QTest::addColumn<int>("error");
    for (const vault::VaultError e :
         {vault::VaultError::WrongPassphrase, vault::VaultError::WrongRecoveryCode,
          vault::VaultError::KeychainUnavailable, vault::VaultError::KeychainEntryMissing,
          vault::VaultError::NotAVault, vault::VaultError::DatabaseDamaged,
          vault::VaultError::NewerVersion})
        QTest::newRow(qPrintable(vault::describe(e).left(30))) << int(e);
}

void TestUnlockScreen::distinctErrors() {
    // Each error has its own sentence, different from every other one.
    QFETCH(int, error);
    const QString text = UnlockScreen::messageFor(vault::VaultError(error), QString());
    QVERIFY(!text.isEmpty());
    for (const vault::VaultError other :
         {vault::VaultError::WrongPassphrase, vault::VaultError::WrongRecoveryCode,
          vault::VaultError::KeychainUnavailable, vault::VaultError::KeychainEntryMissing,
          vault::VaultError::NotAVault, vault::VaultError::DatabaseDamaged,
          vault::VaultError::NewerVersion}) {
        if (int(other) != error)
            QVERIFY(UnlockScreen::messageFor(other, QString()) != text);
    }
}

QTEST_MAIN(TestUnlockScreen)
#include "TestUnlockScreen.moc"
