#include "TestSupport.h"

#include "app/AppController.h"
#include "app/TransactionCsvExport.h"
#include "store/LocalUser.h"
#include "store/TransactionRepository.h"
#include "tax/LedgerGenerator.h"
#include "transactions/TransactionEditDialog.h"
#include "transactions/TransactionTableModel.h"
#include "transactions/TransactionsView.h"
#include "vault/MemorySecretStore.h"
#include "vault/Vault.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QTableView>
#include <QUndoStack>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::ui;

// Adding, editing, deleting (with undo) and exporting transactions through the real view and
// dialog on a real vault.
class TestTransactionEditing : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void invalidInputIsExplainedAndNothingIsWritten_data();
    void invalidInputIsExplainedAndNothingIsWritten();
    void validRowIsAdded();
    void editChangesTheRow();
    void deleteAndUndo();
    void exportWritesTheView();

private:
    qint64 liveCount();
    TransactionEditDialog* newDialog();

    testsupport::ScratchDir m_settings;
    std::unique_ptr<testsupport::ScratchDir> m_dir;
    std::unique_ptr<vault::MemorySecretStore> m_secrets;
    std::unique_ptr<AppController> m_controller;
    std::unique_ptr<TransactionsView> m_view;
    QString m_owner;
};

void TestTransactionEditing::initTestCase() {
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
}

void TestTransactionEditing::init() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    const QString path = m_dir->filePath(QStringLiteral("vault.llamadesk"));
    m_secrets = std::make_unique<vault::MemorySecretStore>();
    m_controller = std::make_unique<AppController>(*m_secrets);
    m_controller->setVaultPath(path);
    m_controller->setKdf(vault::KdfParams::fastForTests());
    m_controller->create(false, QStringLiteral("edit test passphrase 99"));
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isUnlocked(), 20000);
    const Result<QString> owner = store::LocalUser::ensure(m_controller->database());
    QVERIFY(owner.ok());
    m_owner = owner.value();
    tax::LedgerGeneratorOptions ledger;
    ledger.transactions = 500;
    ledger.userId = m_owner;
    store::TransactionRepository repository(m_controller->database());
    QVERIFY(repository.insertBatch(tax::LedgerGenerator::generate(ledger)).ok());
    m_view = std::make_unique<TransactionsView>(m_controller.get());
    m_view->resize(1100, 700);
    m_view->show();
    QTRY_VERIFY(!m_view->model()->isLoading());
}

void TestTransactionEditing::cleanup() {
    m_view.reset();
    if (m_controller)
        m_controller->lock();
    m_controller.reset();
}

qint64 TestTransactionEditing::liveCount() {
    store::TransactionRepository repository(m_controller->database());
    return repository.count({}).value();
}

TransactionEditDialog* TestTransactionEditing::newDialog() {
    auto* dialog =
        new TransactionEditDialog(m_controller->database(), m_owner, std::nullopt, m_view.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

void TestTransactionEditing::invalidInputIsExplainedAndNothingIsWritten_data() {
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected"); // part of the message under that field
    QTest::newRow("not a number") << QStringLiteral("asset_in_amount") << QStringLiteral("12.5.3")
                                  << QStringLiteral("position");
    QTest::newRow("negative amount")
        << QStringLiteral("asset_in_amount") << QStringLiteral("-1") << QStringLiteral("negative");
    QTest::newRow("too many decimals")
        << QStringLiteral("asset_in_value_usd") << QStringLiteral("10.123")
        << QStringLiteral("decimal places");
    QTest::newRow("no time zone") << QStringLiteral("timestamp")
                                  << QStringLiteral("2024-03-01 10:00:00") << QString();
    QTest::newRow("empty hash") << QStringLiteral("transaction_hash") << QString()
                                << QStringLiteral("required");
    QTest::newRow("chain not a number")
        << QStringLiteral("chain_id") << QStringLiteral("eth") << QStringLiteral("whole number");
    QTest::newRow("symbol too long")
        << QStringLiteral("asset_in_symbol") << QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        << QStringLiteral("too long");
}

void TestTransactionEditing::invalidInputIsExplainedAndNothingIsWritten() {
    QFETCH(QString, column);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    const qint64 before = liveCount();
    TransactionEditDialog* dialog = newDialog();
    // A valid buy, then one field spoiled.
    dialog->lineEdit(QStringLiteral("transaction_hash"))->setText(QStringLiteral("0xfeed"));
    dialog->lineEdit(QStringLiteral("timestamp"))->setText(QStringLiteral("2024-03-01T10:00:00Z"));
    dialog->lineEdit(QStringLiteral("asset_in_symbol"))->setText(QStringLiteral("ETH"));
    dialog->lineEdit(QStringLiteral("asset_in_amount"))->setText(QStringLiteral("1.5"));
    dialog->lineEdit(column)->setText(value);
    QVERIFY(!dialog->save());
    const QString message = dialog->messageFor(column);
    QVERIFY2(!message.isEmpty(), qPrintable(column));
    if (!expected.isEmpty())
        QVERIFY2(message.contains(expected), qPrintable(message));
    QVERIFY(dialog->isVisible());
    QCOMPARE(liveCount(), before);
    dialog->reject();
}

void TestTransactionEditing::validRowIsAdded() {
    const qint64 before = liveCount();
    TransactionEditDialog* dialog = newDialog();
    dialog->lineEdit(QStringLiteral("transaction_hash"))->setText(QStringLiteral("0xfeed01"));
    dialog->lineEdit(QStringLiteral("timestamp"))
        ->setText(QStringLiteral("2099-01-01T00:00:00.123456Z"));
    dialog->lineEdit(QStringLiteral("asset_in_symbol"))->setText(QStringLiteral("ETH"));
    dialog->lineEdit(QStringLiteral("asset_in_amount"))
        ->setText(QStringLiteral("0.123456789012345678"));
    QVERIFY(dialog->save());
    const QString id = dialog->savedId();
    dialog->accept();
    QCOMPARE(liveCount(), before + 1);
    store::TransactionRepository repository(m_controller->database());
    const auto stored = repository.get(id);
    QVERIFY(stored.ok() && stored->has_value());
    QCOMPARE((*stored)->assetInAmount->toString(), QStringLiteral("0.123456789012345678"));
    // The newest row is first in the view after a reload.
    m_view->model()->reload();
    QTRY_VERIFY(!m_view->model()->isLoading());
    QCOMPARE(m_view->model()->transactionAt(0)->id, id);
}

void TestTransactionEditing::editChangesTheRow() {
    TransactionTableModel* model = m_view->model();
    const TaxTransaction original = *model->transactionAt(3);
    TransactionEditDialog dialog(m_controller->database(), original.userId, original);
    dialog.show();
    QCOMPARE(dialog.lineEdit(QStringLiteral("transaction_hash"))->text(), original.transactionHash);
    dialog.lineEdit(QStringLiteral("tax_category"))->setText(QStringLiteral("reviewed"));
    QVERIFY(dialog.save());
    store::TransactionRepository repository(m_controller->database());
    const auto stored = repository.get(original.id);
    QVERIFY(stored.ok() && stored->has_value());
    QCOMPARE((*stored)->taxCategory.value_or(QString()), QStringLiteral("reviewed"));
    QCOMPARE((*stored)->assetInAmount, original.assetInAmount);
}

void TestTransactionEditing::deleteAndUndo() {
    TransactionTableModel* model = m_view->model();
    const qint64 before = liveCount();
    const QString first = model->transactionAt(0)->id;
    const QString second = model->transactionAt(1)->id;
    QVERIFY(m_view->deleteRows({0, 1}, false));
    QCOMPARE(liveCount(), before - 2);
    QTRY_VERIFY(!model->isLoading());
    QCOMPARE(model->totalCount(), before - 2);
    QVERIFY(model->transactionAt(0)->id != first);
    QVERIFY(m_view->undoStack()->canUndo());
    m_view->undoStack()->undo();
    QCOMPARE(liveCount(), before);
    QTRY_VERIFY(!model->isLoading());
    QCOMPARE(model->transactionAt(0)->id, first);
    QCOMPARE(model->transactionAt(1)->id, second);
    m_view->undoStack()->redo();
    QCOMPARE(liveCount(), before - 2);
}

void TestTransactionEditing::exportWritesTheView() {
    m_view->searchEdit()->setText(QString());
    store::TransactionFilter filter;
    filter.wallets = {m_view->model()->transactionAt(0)->wallet};
    m_view->model()->setFilter(filter);
    QTRY_VERIFY(!m_view->model()->isLoading());
    const qint64 rows = m_view->model()->totalCount();
    QVERIFY(rows > 0);
    const QString path = m_dir->filePath(QStringLiteral("export.csv"));
    QSignalSpy done(m_view.get(), &TransactionsView::exportDone);
    m_view->exportTo(path);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 20000);
    QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    // Header, one line per row, and the empty piece after the last line break.
    QCOMPARE(lines.size(), rows + 2);
    QVERIFY(lines.first().startsWith("id,timestamp,transaction_type"));
    QCOMPARE(file.permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
             QFileDevice::Permissions());
}

QTEST_MAIN(TestTransactionEditing)
#include "TestTransactionEditing.moc"
