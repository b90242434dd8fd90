#include "TestSupport.h"

#include "app/AppController.h"
#include "app/Theme.h"
#include "import/Importer.h"
#include "import/LedgerReader.h"
#include "importer/ImportPreviewModel.h"
#include "importer/ImportWizard.h"
#include "store/LocalUser.h"
#include "store/TransactionRepository.h"
#include "transactions/TransactionTableModel.h"
#include "transactions/TransactionsView.h"
#include "vault/MemorySecretStore.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTreeWidget>
#include <QUrl>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::ui;

namespace {

const QByteArray kHeader = "timestamp,transaction_type,asset_in_symbol,asset_in_amount,"
                           "asset_out_symbol,asset_out_amount\n";
// Already in the vault before the wizard runs: the preview calls it a duplicate.
const QByteArray kSeedRow = "2024-01-01T00:00:00Z,buy,BTC,1,USD,40000\n";

} // namespace

// The import wizard on real widgets over a real encrypted vault: a file with bad rows of several
// kinds is previewed with every reason, all-or-nothing writes nothing, good-rows-only writes
// exactly the good rows, and a cancel in the middle of a big file leaves the vault unchanged.
class TestImportWizard : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void previewMarksBadRowsAndImportsTheGoodOnes();
    void refusedRowsKeepTheirReasons_data();
    void refusedRowsKeepTheirReasons();
    void cancelLeavesTheVaultUnchanged();
    void dropAddsFiles();
    void transactionsViewOpensTheWizard();

private:
    QString writeFile(const QString& name, const QByteArray& bytes);
    qint64 vaultCount();
    // Adds the files, moves to the preview and waits until it is read.
    void preview(ImportWizard& wizard, const QStringList& files);
    void runImport(ImportWizard& wizard);
    void saveShot(QWidget* widget, const QString& name);

    testsupport::ScratchDir m_settings;
    std::unique_ptr<testsupport::ScratchDir> m_dir;
    std::unique_ptr<vault::MemorySecretStore> m_secrets;
    std::unique_ptr<AppController> m_controller;
};

void TestImportWizard::initTestCase() {
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
    // For looking at the pages in the dark theme too (see saveShot).
    if (qEnvironmentVariableIsSet("LLAMADESK_TEST_SHOTS_DARK"))
        Theme::apply(Theme::Choice::Dark);
}

void TestImportWizard::init() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    m_secrets = std::make_unique<vault::MemorySecretStore>();
    m_controller = std::make_unique<AppController>(*m_secrets);
    m_controller->setVaultPath(m_dir->filePath(QStringLiteral("vault.llamadesk")));
    m_controller->setKdf(vault::KdfParams::fastForTests());
    m_controller->start();
    QCOMPARE(m_controller->state(), AppController::State::FirstRun);
    m_controller->create(false, QStringLiteral("import wizard test passphrase 9"));
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isUnlocked(), 20000);
    // One row in the vault already, so the preview has a duplicate to find.
    const Result<QString> owner = store::LocalUser::ensure(m_controller->database());
    QVERIFY2(owner.ok(), qPrintable(owner.error()));
    import::Importer importer(m_controller->database(), owner.value());
    const Result<import::ImportSummary> seeded =
        importer.run({writeFile(QStringLiteral("seed.csv"), kHeader + kSeedRow)}, {});
    QVERIFY2(seeded.ok(), qPrintable(seeded.error()));
    QCOMPARE(seeded->imported, qint64(1));
}

void TestImportWizard::cleanup() {
    if (m_controller && m_controller->isUnlocked())
        m_controller->lock();
    m_controller.reset();
    m_secrets.reset();
    m_dir.reset();
}

QString TestImportWizard::writeFile(const QString& name, const QByteArray& bytes) {
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write the test file");
    return path;
}

qint64 TestImportWizard::vaultCount() {
    store::TransactionRepository repository(m_controller->database());
    const Result<qint64> count = repository.count({});
    if (!count)
        qFatal("cannot count: %s", qPrintable(count.error()));
    return count.value();
}

void TestImportWizard::preview(ImportWizard& wizard, const QStringList& files) {
    wizard.show();
    QCOMPARE(wizard.currentId(), int(ImportWizard::FilesPage));
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled()); // no file yet
    wizard.addFiles(files);
    QCOMPARE(wizard.fileList()->topLevelItemCount(), int(files.size()));
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(ImportWizard::PreviewPage));
    QTRY_VERIFY_WITH_TIMEOUT(!wizard.isPreviewing() && wizard.preview(), 60000);
}

void TestImportWizard::runImport(ImportWizard& wizard) {
    QVERIFY(wizard.button(QWizard::CommitButton)->isEnabled());
    wizard.button(QWizard::CommitButton)->click();
    QTRY_COMPARE_WITH_TIMEOUT(wizard.currentId(), int(ImportWizard::ResultPage), 60000);
    QVERIFY(!wizard.isImporting());
}

void TestImportWizard::saveShot(QWidget* widget, const QString& name) {
    // Set the variable to a folder to look at the pages.
    const QString folder = qEnvironmentVariable("LLAMADESK_TEST_SHOTS");
    if (folder.isEmpty())
        return;
    QTest::qWait(50); // let pending layouts settle
    if (!folder.isEmpty())
        widget->grab().save(folder + QLatin1Char('/') + name + QStringLiteral(".png"));
}

void TestImportWizard::previewMarksBadRowsAndImportsTheGoodOnes() {
    QByteArray csv = kHeader;
    csv += kSeedRow;                                          // line 2: duplicate
    csv += "2024-01-02T00:00:00Z,buy,BTC,1.x5,USD,40000\n";   // line 3: bad decimal
    csv += "2024-01-03T00:00:00Z,teleport,BTC,1,USD,40000\n"; // line 4: unknown type
    csv += "2024-01-04T00:00:00Z,buy,ETH,2,USD\n";            // line 5: a column missing
    csv += "2024-13-45T00:00:00Z,buy,ETH,2,USD,4000\n";       // line 6: bad date
    csv += "2024-01-06T00:00:00Z,sell,USD,41000,BTC,0.5\n";   // good
    csv += "2024-01-07T00:00:00Z,airdrop,ARB,10,,\n";         // good
    for (int day = 10; day < 20; ++day)                       // good
        csv += QStringLiteral("2024-02-%1T12:00:00Z,buy,ETH,0.%2,USD,%3\n")
                   .arg(day)
                   .arg(day)
                   .arg(day * 100)
                   .toUtf8();
    const QString path = writeFile(QStringLiteral("mixed.csv"), csv);
    const qint64 good = 12; // new good rows
    const qint64 bad = 4;

    // What the importer's own reader says about the file: the preview must show the same.
    import::ReadOptions read;
    const Result<import::LedgerFile> reference = import::readLedgerFile(path, read);
    QVERIFY(reference.ok());
    QCOMPARE(reference->badRecords, bad);
    QSet<qint64> problemLines;
    for (const import::ImportProblem& p : reference->problems)
        problemLines.insert(p.line);
    QCOMPARE(problemLines.size(), qsizetype(bad));

    ImportWizard wizard(m_controller.get());
    preview(wizard, {path});
    const PreviewResult& result = *wizard.preview();
    QCOMPARE(result.files.size(), qsizetype(1));
    QVERIFY(result.files.first().format == import::SourceFormat::Canonical);
    QVERIFY(result.files.first().formatKnown);
    QCOMPARE(result.records(), good + bad + 1);
    QCOMPARE(result.ready(), good);
    QCOMPARE(result.duplicates(), qint64(1));
    QCOMPARE(result.bad(), bad);

    ImportPreviewModel* model = wizard.previewModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->rowCount(), int(good + bad + 1));
    // Every refused row is marked, with exactly the reader's problems (code, column, message).
    QHash<qint64, int> rowOfLine;
    for (int r = 0; r < model->rowCount(); ++r)
        rowOfLine.insert(model->data(model->index(r, 0), ImportPreviewModel::LineRole).toLongLong(),
                         r);
    for (const import::ImportProblem& p : reference->problems) {
        QVERIFY2(rowOfLine.contains(p.line), qPrintable(p.toString()));
        const int r = rowOfLine.value(p.line);
        const QModelIndex status = model->index(r, ImportPreviewModel::StatusColumn);
        QCOMPARE(status.data(ImportPreviewModel::StateRole).toInt(),
                 int(PreviewRow::State::Problem));
        QVERIFY(!status.data(Qt::DecorationRole).value<QIcon>().isNull()); // the red badge
        QVERIFY(status.data(ImportPreviewModel::ProblemCodesRole)
                    .toStringList()
                    .contains(import::toString(p.code)));
        QVERIFY(
            status.data(ImportPreviewModel::ProblemColumnsRole).toStringList().contains(p.column));
        QVERIFY2(model->issueText(r).contains(p.message), qPrintable(model->issueText(r)));
        QVERIFY(model->index(r, ImportPreviewModel::IssueColumn)
                    .data()
                    .toString()
                    .contains(import::toString(p.code)) ||
                model->data(model->index(r, 0), ImportPreviewModel::ProblemCodesRole)
                        .toStringList()
                        .size() > 1);
    }
    // The duplicate and the good rows are marked as such.
    QCOMPARE(model->index(rowOfLine.value(2), 0).data(ImportPreviewModel::StateRole).toInt(),
             int(PreviewRow::State::Duplicate));
    QCOMPARE(model->index(rowOfLine.value(7), 0).data(ImportPreviewModel::StateRole).toInt(),
             int(PreviewRow::State::Ready));
    QCOMPARE(model->index(rowOfLine.value(7), ImportPreviewModel::TypeColumn).data().toString(),
             ImportPreviewModel::tr("Sell"));

    // "Show only problems" leaves exactly the refused rows.
    wizard.problemsOnly()->setChecked(true);
    QCOMPARE(model->rowCount(), int(bad));
    for (int r = 0; r < model->rowCount(); ++r)
        QCOMPARE(model->index(r, 0).data(ImportPreviewModel::StateRole).toInt(),
                 int(PreviewRow::State::Problem));
    QVERIFY(wizard.previewTable()->isColumnHidden(ImportPreviewModel::DateColumn));
    saveShot(&wizard, QStringLiteral("import-preview-problems"));
    wizard.problemsOnly()->setChecked(false);
    QCOMPARE(model->rowCount(), int(good + bad + 1));
    saveShot(&wizard, QStringLiteral("import-preview"));

    // All or nothing (the default) refuses: nothing is written.
    QVERIFY(!wizard.isPartial());
    QCOMPARE(vaultCount(), qint64(1));
    runImport(wizard);
    QCOMPARE(wizard.outcome(), ImportWizard::Outcome::Refused);
    QVERIFY(!wizard.summary().committed);
    QCOMPARE(wizard.summary().badRecords, bad);
    QCOMPARE(vaultCount(), qint64(1));
    QVERIFY(!wizard.showTransactionsButton()->isVisibleTo(&wizard));
    saveShot(&wizard, QStringLiteral("import-refused"));

    // Back to the preview, good rows only: exactly the new good rows are written.
    QSignalSpy imported(&wizard, &ImportWizard::imported);
    wizard.findChild<QAbstractButton*>(QStringLiteral("backToPreview"))->click();
    QCOMPARE(wizard.currentId(), int(ImportWizard::PreviewPage));
    QTRY_VERIFY_WITH_TIMEOUT(!wizard.isPreviewing() && wizard.preview(), 60000);
    wizard.setPartial(true);
    runImport(wizard);
    QCOMPARE(wizard.outcome(), ImportWizard::Outcome::Imported);
    QVERIFY(wizard.summary().committed);
    QCOMPARE(wizard.summary().imported, good);
    QCOMPARE(wizard.summary().duplicates, qint64(1));
    QCOMPARE(wizard.summary().badRecords, bad);
    QCOMPARE(vaultCount(), 1 + good);
    QCOMPARE(imported.count(), 1);
    QCOMPARE(imported.first().first().toLongLong(), good);
    QVERIFY(wizard.showTransactionsButton()->isVisibleTo(&wizard));
    saveShot(&wizard, QStringLiteral("import-done"));
    QSignalSpy show(&wizard, &ImportWizard::showTransactionsRequested);
    wizard.showTransactionsButton()->click();
    QCOMPARE(show.count(), 1);
    QVERIFY(!wizard.isVisible());
}

void TestImportWizard::refusedRowsKeepTheirReasons_data() {
    QTest::addColumn<QByteArray>("row");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("column");
    QTest::newRow("bad decimal") << QByteArray("2024-01-02T00:00:00Z,buy,BTC,1e5,USD,4\n")
                                 << QStringLiteral("bad_number")
                                 << QStringLiteral("asset_in_amount");
    QTest::newRow("unknown type") << QByteArray("2024-01-02T00:00:00Z,borrow,BTC,1,USD,4\n")
                                  << QStringLiteral("unknown_type")
                                  << QStringLiteral("transaction_type");
    QTest::newRow("missing column") << QByteArray("2024-01-02T00:00:00Z,buy,BTC,1,USD\n")
                                    << QStringLiteral("field_count") << QString();
    QTest::newRow("bad date") << QByteArray("2024-02-30T00:00:00Z,buy,BTC,1,USD,4\n")
                              << QStringLiteral("bad_timestamp") << QStringLiteral("timestamp");
    QTest::newRow("date without zone")
        << QByteArray("2024-01-02 00:00:00,buy,BTC,1,USD,4\n") << QStringLiteral("naive_timestamp")
        << QStringLiteral("timestamp");
}

void TestImportWizard::refusedRowsKeepTheirReasons() {
    QFETCH(QByteArray, row);
    QFETCH(QString, code);
    QFETCH(QString, column);
    const QString path = writeFile(QStringLiteral("one.csv"),
                                   kHeader + "2024-03-01T00:00:00Z,buy,SOL,3,USD,300\n" + row);
    ImportWizard wizard(m_controller.get());
    preview(wizard, {path});
    ImportPreviewModel* model = wizard.previewModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->rowCount(), 2);
    const QModelIndex refused = model->index(1, 0);
    QCOMPARE(refused.data(ImportPreviewModel::LineRole).toLongLong(), qint64(3));
    QCOMPARE(refused.data(ImportPreviewModel::StateRole).toInt(), int(PreviewRow::State::Problem));
    QVERIFY2(refused.data(ImportPreviewModel::ProblemCodesRole).toStringList().contains(code),
             qPrintable(model->issueText(1)));
    if (!column.isEmpty())
        QVERIFY(
            refused.data(ImportPreviewModel::ProblemColumnsRole).toStringList().contains(column));
    QVERIFY(!model->issueText(1).isEmpty());
    QCOMPARE(wizard.preview()->ready(), qint64(1));
    QCOMPARE(wizard.preview()->bad(), qint64(1));
}

void TestImportWizard::cancelLeavesTheVaultUnchanged() {
    // Big enough that the import is still running when the cancel arrives.
    QByteArray csv = kHeader;
    constexpr int kRows = 40000;
    csv.reserve(kRows * 48);
    const QDateTime start(QDate(2020, 1, 1), QTime(0, 0), QTimeZone::utc());
    for (int i = 0; i < kRows; ++i) {
        csv += start.addSecs(qint64(i) * 600).toString(Qt::ISODate).toUtf8();
        csv += ",buy,ETH,0.";
        csv += QByteArray::number(1000 + i % 9000);
        csv += ",USD,";
        csv += QByteArray::number(100 + i);
        csv += '\n';
    }
    const QString path = writeFile(QStringLiteral("big.csv"), csv);
    ImportWizard wizard(m_controller.get());
    preview(wizard, {path});
    QCOMPARE(wizard.preview()->ready(), qint64(kRows));
    QCOMPARE(wizard.previewModel()->rowCount(), 1000); // the table fetches its rows in chunks
    QCOMPARE(wizard.previewModel()->availableRows(), kRows);
    const qint64 before = vaultCount();

    wizard.button(QWizard::CommitButton)->click();
    QCOMPARE(wizard.currentId(), int(ImportWizard::ImportPage));
    QVERIFY(wizard.isImporting());
    // The worker publishes its progress directly: look often, so that the cancel lands early
    // in the import whatever the speed of the build.
    QElapsedTimer waited;
    waited.start();
    while (wizard.importBytesDone() == 0 && waited.elapsed() < 60000)
        QTest::qWait(1);
    QVERIFY(wizard.importBytesDone() > 0);
    QVERIFY2(wizard.isImporting(), "the import ended before it could be cancelled");
    saveShot(&wizard, QStringLiteral("import-running"));
    // The wizard's Cancel button stops the import instead of closing over it.
    wizard.button(QWizard::CancelButton)->click();
    QVERIFY(wizard.isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(wizard.currentId(), int(ImportWizard::ResultPage), 60000);
    QCOMPARE(wizard.outcome(), ImportWizard::Outcome::Cancelled);
    QCOMPARE(vaultCount(), before);
    saveShot(&wizard, QStringLiteral("import-cancelled"));
}

void TestImportWizard::dropAddsFiles() {
    const QString a = writeFile(QStringLiteral("a.csv"), kHeader + kSeedRow);
    const QString b = writeFile(QStringLiteral("b.csv"), kHeader + kSeedRow);
    ImportWizard wizard(m_controller.get());
    wizard.show();
    QWizardPage* page = wizard.page(ImportWizard::FilesPage);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(a), QUrl::fromLocalFile(b),
                  QUrl::fromLocalFile(m_dir->filePath(QStringLiteral("missing.csv")))});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(page, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(page, &drop);
    // The missing file is left out; dropping the same files again adds nothing.
    QCOMPARE(wizard.files().size(), qsizetype(2));
    QCoreApplication::sendEvent(page, &drop);
    QCOMPARE(wizard.files().size(), qsizetype(2));
    QCOMPARE(wizard.fileList()->topLevelItemCount(), 2);
    QCOMPARE(wizard.fileList()->topLevelItem(0)->text(0), QStringLiteral("a.csv"));
    QVERIFY(!wizard.fileList()->topLevelItem(0)->text(1).isEmpty()); // its size
    saveShot(&wizard, QStringLiteral("import-files"));
    // Both files are previewed; the second's row is a duplicate of the first's.
    wizard.next();
    QTRY_VERIFY_WITH_TIMEOUT(!wizard.isPreviewing() && wizard.preview(), 60000);
    QCOMPARE(wizard.preview()->files.size(), qsizetype(2));
    QCOMPARE(wizard.preview()->duplicates(), qint64(2)); // both are in the vault already
    QCOMPARE(wizard.preview()->ready(), qint64(0));
    QVERIFY(!wizard.button(QWizard::CommitButton)->isEnabled()); // nothing new to import
    wizard.showPreviewFile(1);
    QCOMPARE(wizard.fileChooser()->currentIndex(), 1);
}

void TestImportWizard::transactionsViewOpensTheWizard() {
    TransactionsView view(m_controller.get());
    view.resize(1100, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY_WITH_TIMEOUT(!view.model()->isLoading(), 20000);
    QCOMPARE(view.model()->totalCount(), qint64(1));
    view.activateWindow();
    view.setFocus();
    QTest::keyClick(&view, Qt::Key_I, Qt::ControlModifier);
    QTRY_VERIFY(view.importWizard() != nullptr);
    ImportWizard* wizard = view.importWizard();
    const QString path =
        writeFile(QStringLiteral("two.csv"), kHeader + "2024-04-01T00:00:00Z,buy,SOL,3,USD,300\n"
                                                       "2024-04-02T00:00:00Z,buy,SOL,2,USD,210\n");
    preview(*wizard, {path});
    runImport(*wizard);
    QCOMPARE(wizard->outcome(), ImportWizard::Outcome::Imported);
    // The list reloads by itself.
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->totalCount(), qint64(3), 20000);
    // Locking closes the wizard and drops what it read.
    m_controller->lock();
    QTRY_VERIFY(view.importWizard() == nullptr);
}

QTEST_MAIN(TestImportWizard)
#include "TestImportWizard.moc"
