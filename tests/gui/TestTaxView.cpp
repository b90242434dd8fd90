#include "TestSupport.h"

#include "app/AppController.h"
#include "app/MoneyFormat.h"
#include "app/Theme.h"
#include "store/LocalUser.h"
#include "store/TransactionRepository.h"
#include "tax/DisposalTableModel.h"
#include "tax/LedgerGenerator.h"
#include "tax/LotDrillDown.h"
#include "tax/LotSelectionFile.h"
#include "tax/SpecificIdDialog.h"
#include "tax/TaxExport.h"
#include "tax/TaxIncomeModel.h"
#include "tax/TaxView.h"
#include "tax/TaxWarningModel.h"
#include "tax/export/ExportFormat.h"
#include "vault/MemorySecretStore.h"
#include "vault/Vault.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QtTest>

using namespace llamadesk;
using namespace llamadesk::ui;

// The tax view over a real vault: its figures equal the command line tool's JSON for the same
// options, a run can be cancelled, Specific-ID choices are saved and used by later runs (and by
// the command line tool), warnings lead to their transaction, every export format is written,
// and locking drops every figure.
class TestTaxView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void matchesTheCommandLine_data();
    void matchesTheCommandLine();
    void modelsPassTheModelTester();
    void warningDoubleClickAsksForItsTransaction();
    void drillDownExplainsTheRow();
    void exportsEveryFormat();
    void specificIdRoundTrip();
    void cancelStopsTheRun();
    void lockingDropsEverything();
    void screenshots();

private:
    struct Vault {
        QString path;
        QString passFile;
    };
    static Vault makeVault(const QString& dir, const QString& name, qint64 rows, quint64 seed);
    static Decimal dec(const QJsonValue& value);
    QJsonObject cli(const QStringList& args) const;
    static QStringList cliOptions(const QString& jurisdiction, const QString& method,
                                  const QString& scope, const QString& zone, int year);
    void configure(const QString& jurisdiction, const QString& method, const QString& scope,
                   const QString& zone, int year);
    bool runAndWait(TaxView* view);
    // Cost basis of every row of one disposal transaction, and the lots they used.
    Decimal basisOf(const QString& transactionId, QStringList* lotIds = nullptr) const;

    static constexpr const char* kPassphrase = "tax view passphrase 42";
    testsupport::ScratchDir m_dir;
    testsupport::ScratchDir m_settings;
    vault::MemorySecretStore m_secrets;
    Vault m_small;
    std::unique_ptr<AppController> m_controller;
    std::unique_ptr<TaxView> m_view;
};

TestTaxView::Vault TestTaxView::makeVault(const QString& dir, const QString& name, qint64 rows,
                                          quint64 seed) {
    Vault v;
    v.path = QDir(dir).filePath(name + QStringLiteral(".llamadesk"));
    v.passFile = QDir(dir).filePath(name + QStringLiteral(".pass"));
    QFile pass(v.passFile);
    if (!pass.open(QIODevice::WriteOnly))
        qFatal("cannot write the passphrase file");
    pass.write(QByteArray(kPassphrase) + '\n');
    pass.close();
    vault::MemorySecretStore secrets;
    vault::CreateOptions options;
    options.useKeychain = false;
    options.passphrase = QString::fromLatin1(kPassphrase);
    options.kdf = vault::KdfParams::fastForTests();
    vault::VaultError error = vault::VaultError::None;
    QString message;
    std::unique_ptr<vault::Vault> made =
        vault::Vault::create(v.path, options, secrets, nullptr, &error, &message);
    if (!made)
        qFatal("cannot create the vault: %s", qPrintable(message));
    {
        QSqlDatabase db = made->database();
        const Result<QString> owner = store::LocalUser::ensure(db);
        if (!owner)
            qFatal("no owner: %s", qPrintable(owner.error()));
        tax::LedgerGeneratorOptions g;
        g.seed = seed;
        g.transactions = rows;
        g.start = QDate(2023, 3, 1);
        g.days = 1000;
        g.userId = owner.value();
        tax::LedgerGenerator generator(g);
        store::TransactionRepository repository(db);
        QList<TaxTransaction> batch;
        TaxTransaction t;
        while (generator.next(&t)) {
            batch.append(t);
            if (batch.size() == 5000) {
                if (!repository.insertBatch(batch).ok())
                    qFatal("cannot insert the ledger");
                batch.clear();
            }
        }
        if (!repository.insertBatch(batch).ok())
            qFatal("cannot insert the ledger");
    }
    made->close();
    return v;
}

Decimal TestTaxView::dec(const QJsonValue& value) {
    const Result<Decimal> d = Decimal::parse(value.toString());
    return d ? d.value() : Decimal::invalid();
}

QStringList TestTaxView::cliOptions(const QString& jurisdiction, const QString& method,
                                    const QString& scope, const QString& zone, int year) {
    QStringList args{QStringLiteral("--year"),         QString::number(year),
                     QStringLiteral("--jurisdiction"), jurisdiction.toLower(),
                     QStringLiteral("--timezone"),     zone,
                     QStringLiteral("--currency"),     QStringLiteral("USD")};
    if (jurisdiction == QLatin1String("US"))
        args << QStringLiteral("--method") << method << QStringLiteral("--scope") << scope;
    return args;
}

QJsonObject TestTaxView::cli(const QStringList& args) const {
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    environment.remove(QStringLiteral("LLAMADESK_PASSPHRASE"));
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(QStringLiteral(LLAMADESK_CLI_PATH),
                  QStringList{QStringLiteral("tax"), QStringLiteral("--db"), m_small.path,
                              QStringLiteral("--passphrase-file"), m_small.passFile,
                              QStringLiteral("--format"), QStringLiteral("json"),
                              QStringLiteral("--no-save")} +
                      args);
    if (!process.waitForFinished(120000) || process.exitCode() != 0) {
        qWarning("llamadesk-cli failed: %s", process.readAllStandardError().constData());
        return {};
    }
    return QJsonDocument::fromJson(process.readAllStandardOutput()).object();
}

void TestTaxView::configure(const QString& jurisdiction, const QString& method,
                            const QString& scope, const QString& zone, int year) {
    m_view->setJurisdiction(jurisdiction == QLatin1String("UK") ? tax::Jurisdiction::UnitedKingdom
                                                                : tax::Jurisdiction::UnitedStates);
    m_view->setMethod(method == QLatin1String("lifo")       ? CostBasisMethod::Lifo
                      : method == QLatin1String("hifo")     ? CostBasisMethod::Hifo
                      : method == QLatin1String("specific") ? CostBasisMethod::Specific
                                                            : CostBasisMethod::Fifo);
    m_view->setScope(scope == QLatin1String("universal") ? tax::LotScope::Universal
                                                         : tax::LotScope::Wallet);
    m_view->setTimeZone(zone.toUtf8());
    m_view->setYear(year);
}

bool TestTaxView::runAndWait(TaxView* view) {
    QSignalSpy finished(view, &TaxView::runFinished);
    view->run();
    if (!finished.wait(60000) && finished.isEmpty())
        return false;
    return finished.constFirst().constFirst().toBool();
}

Decimal TestTaxView::basisOf(const QString& transactionId, QStringList* lotIds) const {
    Decimal basis;
    DisposalTableModel* model = m_view->disposalModel();
    for (int r = 0; r < model->rowCount(); ++r) {
        const tax::Disposal d = model->disposal(r);
        // A crypto fee of the transaction is a disposal of its own, outside the choice.
        if (d.transactionId != transactionId || d.kind == tax::DisposalKind::Fee)
            continue;
        basis += d.costBasis;
        for (const tax::LotMatch& m : d.lots) {
            if (lotIds && !lotIds->contains(m.lotId))
                lotIds->append(m.lotId);
        }
    }
    return basis;
}

void TestTaxView::initTestCase() {
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
    Theme::captureSystemPalette();
    m_small = makeVault(m_dir.path(), QStringLiteral("small"), 500, 11);
    m_controller = std::make_unique<AppController>(m_secrets);
    m_controller->setVaultPath(m_small.path);
    m_controller->setKdf(vault::KdfParams::fastForTests());
    m_controller->unlockWithPassphrase(QString::fromLatin1(kPassphrase));
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isUnlocked(), 20000);
    m_view = std::make_unique<TaxView>(m_controller.get());
    m_view->resize(1280, 820);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestTaxView::cleanupTestCase() {
    m_view.reset();
    if (m_controller)
        m_controller->lock();
    m_controller.reset();
}

void TestTaxView::matchesTheCommandLine_data() {
    QTest::addColumn<QString>("jurisdiction");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("scope");
    QTest::addColumn<QString>("zone");
    QTest::addColumn<int>("year");
    QTest::newRow("US FIFO per wallet 2024")
        << QStringLiteral("US") << QStringLiteral("fifo") << QStringLiteral("wallet")
        << QStringLiteral("UTC") << 2024;
    QTest::newRow("US HIFO universal 2025 New York")
        << QStringLiteral("US") << QStringLiteral("hifo") << QStringLiteral("universal")
        << QStringLiteral("America/New_York") << 2025;
    QTest::newRow("US LIFO per wallet 2023")
        << QStringLiteral("US") << QStringLiteral("lifo") << QStringLiteral("wallet")
        << QStringLiteral("UTC") << 2023;
    QTest::newRow("UK 2024") << QStringLiteral("UK") << QStringLiteral("fifo")
                             << QStringLiteral("wallet") << QStringLiteral("Europe/London") << 2024;
}

void TestTaxView::matchesTheCommandLine() {
    QFETCH(QString, jurisdiction);
    QFETCH(QString, method);
    QFETCH(QString, scope);
    QFETCH(QString, zone);
    QFETCH(int, year);
    configure(jurisdiction, method, scope, zone, year);
    QVERIFY(runAndWait(m_view.get()));
    QVERIFY(m_view->hasResult());
    QVERIFY(!m_view->isRunning());

    const QJsonObject json = cli(cliOptions(jurisdiction, method, scope, zone, year));
    QVERIFY(!json.isEmpty());
    QCOMPARE(json.value(QStringLiteral("jurisdiction")).toString(), jurisdiction.toLower());

    // Every summary figure, and what the cards show.
    const QJsonObject summary = json.value(QStringLiteral("summary")).toObject();
    const tax::TaxSummary s = m_view->result().summary();
    QCOMPARE(qint64(summary.value(QStringLiteral("total_transactions")).toInteger()),
             s.totalTransactions);
    QCOMPARE(dec(summary.value(QStringLiteral("short_term_gains"))), s.shortTermGains);
    QCOMPARE(dec(summary.value(QStringLiteral("long_term_gains"))), s.longTermGains);
    QCOMPARE(dec(summary.value(QStringLiteral("total_capital_gains"))), s.totalCapitalGains);
    QCOMPARE(dec(summary.value(QStringLiteral("total_capital_losses"))), s.totalCapitalLosses);
    QCOMPARE(dec(summary.value(QStringLiteral("net_capital_gains"))), s.netCapitalGains);
    QCOMPARE(dec(summary.value(QStringLiteral("total_income"))), s.totalIncome);
    QCOMPARE(dec(summary.value(QStringLiteral("total_expenses"))), s.totalExpenses);
    QCOMPARE(
        m_view->cardValue(TaxView::Card::NetGain),
        app::MoneyFormat::signedMoney(dec(summary.value(QStringLiteral("net_capital_gains")))));
    QCOMPARE(m_view->cardValue(TaxView::Card::Income),
             app::MoneyFormat::money(dec(summary.value(QStringLiteral("total_income")))));

    const QJsonArray disposals = json.value(QStringLiteral("disposals")).toArray();
    QVERIFY2(disposals.size() > 5, "the year has disposals to compare");
    DisposalTableModel* model = m_view->disposalModel();
    QCOMPARE(model->rowCount(), int(disposals.size()));
    Decimal proceeds;
    Decimal cost;
    for (const QJsonValue& d : disposals) {
        proceeds += dec(d.toObject().value(QStringLiteral("proceeds")));
        cost += dec(d.toObject().value(QStringLiteral("cost_basis")));
    }
    QCOMPARE(m_view->totalProceeds(), proceeds);
    QCOMPARE(m_view->totalCostBasis(), cost);
    QCOMPARE(m_view->cardValue(TaxView::Card::Proceeds), app::MoneyFormat::money(proceeds));
    QCOMPARE(m_view->cardValue(TaxView::Card::CostBasis), app::MoneyFormat::money(cost));
    QCOMPARE(m_view->cardValue(TaxView::Card::Warnings),
             QLocale().toString(json.value(QStringLiteral("warnings")).toArray().size()));
    QCOMPARE(m_view->incomeModel()->rowCount(),
             int(json.value(QStringLiteral("income")).toArray().size()));
    QCOMPARE(m_view->warningModel()->rowCount(),
             int(json.value(QStringLiteral("warnings")).toArray().size()));

    // A few rows, field by field, through the model's data().
    const int rows = model->rowCount();
    for (const int r : {0, 1, rows / 2, rows - 1}) {
        const QJsonObject d = disposals.at(r).toObject();
        const auto cell = [&](int column, int role) {
            return model->index(r, column).data(role);
        };
        QCOMPARE(cell(0, DisposalTableModel::TransactionIdRole).toString(),
                 d.value(QStringLiteral("transaction_id")).toString());
        QCOMPARE(cell(DisposalTableModel::SoldColumn, Qt::DisplayRole).toString(),
                 d.value(QStringLiteral("date_sold")).toString());
        QCOMPARE(cell(DisposalTableModel::AssetColumn, Qt::DisplayRole).toString(),
                 d.value(QStringLiteral("asset")).toString());
        const QString acquired = d.value(QStringLiteral("date_acquired")).toString();
        QCOMPARE(cell(DisposalTableModel::AcquiredColumn, Qt::DisplayRole).toString(),
                 acquired == QLatin1String("VARIOUS") ? DisposalTableModel::tr("Various")
                                                      : acquired);
        for (const auto& [column, key] :
             {std::pair{int(DisposalTableModel::AmountColumn), "amount"},
              std::pair{int(DisposalTableModel::ProceedsColumn), "proceeds"},
              std::pair{int(DisposalTableModel::CostColumn), "cost_basis"},
              std::pair{int(DisposalTableModel::GainColumn), "gain"}}) {
            const Result<Decimal> shown =
                Decimal::parse(cell(column, DisposalTableModel::DecimalRole).toString());
            QVERIFY(shown.ok());
            QCOMPARE(shown.value(), dec(d.value(QString::fromLatin1(key))));
        }
        QCOMPARE(cell(DisposalTableModel::GainColumn, Qt::DisplayRole).toString(),
                 app::MoneyFormat::signedMoney(dec(d.value(QStringLiteral("gain")))));
        const QJsonArray lots = d.value(QStringLiteral("lots")).toArray();
        const tax::Disposal row = model->disposal(r);
        QCOMPARE(int(row.lots.size()), int(lots.size()));
        for (int i = 0; i < int(lots.size()); ++i) {
            const QJsonObject lot = lots.at(i).toObject();
            QCOMPARE(tax::toString(row.lots.at(i).rule),
                     lot.value(QStringLiteral("rule")).toString());
            QCOMPARE(row.lots.at(i).costBasis, dec(lot.value(QStringLiteral("cost_basis"))));
            QCOMPARE(row.lots.at(i).proceeds, dec(lot.value(QStringLiteral("proceeds"))));
        }
    }
    // UK rules fix the method: the box says so by being disabled.
    QCOMPARE(m_view->findChild<QWidget*>(QStringLiteral("methodBox"))->isEnabled(),
             jurisdiction == QLatin1String("US"));
}

void TestTaxView::modelsPassTheModelTester() {
    configure(QStringLiteral("US"), QStringLiteral("fifo"), QStringLiteral("wallet"),
              QStringLiteral("UTC"), 2024);
    QAbstractItemModelTester disposals(m_view->disposalModel(),
                                       QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester income(m_view->incomeModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester warnings(m_view->warningModel(),
                                      QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(runAndWait(m_view.get()));
    QVERIFY(m_view->disposalModel()->rowCount() > 0);
    // Touch every cell of every role the view uses.
    DisposalTableModel* model = m_view->disposalModel();
    for (int r = 0; r < model->rowCount(); ++r) {
        for (int c = 0; c < model->columnCount(); ++c) {
            for (const int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole),
                                   int(Qt::ForegroundRole), int(Qt::TextAlignmentRole)})
                model->index(r, c).data(role);
        }
    }
    QCOMPARE(model->index(0, DisposalTableModel::ProceedsColumn)
                     .data(Qt::TextAlignmentRole)
                     .value<Qt::Alignment>() &
                 Qt::AlignRight,
             Qt::AlignRight);
}

void TestTaxView::warningDoubleClickAsksForItsTransaction() {
    configure(QStringLiteral("US"), QStringLiteral("fifo"), QStringLiteral("wallet"),
              QStringLiteral("UTC"), 2024);
    QVERIFY(runAndWait(m_view.get()));
    TaxWarningModel* warnings = m_view->warningModel();
    QVERIFY2(warnings->rowCount() > 0, "the generated ledger has transfers to outside wallets");
    m_view->tabs()->setCurrentWidget(m_view->warningTable());
    QTableView* table = m_view->warningTable();
    const int row = warnings->rowCount() - 1;
    const QModelIndex index = warnings->index(row, TaxWarningModel::MessageColumn);
    table->scrollTo(index);
    QVERIFY(table->isVisible());
    QSignalSpy requested(m_view.get(), &TaxView::transactionRequested);
    const QPoint at = table->visualRect(index).center();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(requested.count(), 1);
    const QString expected = m_view->result().warning(row).transactionId;
    QVERIFY(!expected.isEmpty());
    QCOMPARE(requested.constFirst().constFirst().toString(), expected);
    m_view->tabs()->setCurrentIndex(0);
}

void TestTaxView::drillDownExplainsTheRow() {
    configure(QStringLiteral("US"), QStringLiteral("fifo"), QStringLiteral("universal"),
              QStringLiteral("UTC"), 2024);
    QVERIFY(runAndWait(m_view.get()));
    DisposalTableModel* model = m_view->disposalModel();
    // The row with the most lots: its lots' costs add up to the row's.
    int best = 0;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->disposal(r).lots.size() > model->disposal(best).lots.size())
            best = r;
    }
    m_view->disposalTable()->selectRow(best);
    const tax::Disposal d = model->disposal(best);
    QTableWidget* lots = m_view->drillDown()->table();
    QCOMPARE(lots->rowCount(), int(d.lots.size()));
    Decimal cost;
    for (int i = 0; i < lots->rowCount(); ++i) {
        QCOMPARE(lots->item(i, LotDrillDown::CostColumn)->text(),
                 app::MoneyFormat::money(d.lots.at(i).costBasis));
        QCOMPARE(lots->item(i, LotDrillDown::AcquiredColumn)->text(),
                 d.lots.at(i).acquired.toString(Qt::ISODate));
        QCOMPARE(lots->item(i, LotDrillDown::RuleColumn)->data(Qt::UserRole).toString(),
                 d.lots.at(i).lotId);
        cost += d.lots.at(i).costBasis;
    }
    QCOMPARE(cost, d.costBasis);
    QVERIFY(m_view->drillDown()->headline()->text().contains(d.asset));
    // FIFO: no lots to choose.
    QVERIFY(!m_view->drillDown()->chooseButton()->isEnabled());
}

void TestTaxView::exportsEveryFormat() {
    configure(QStringLiteral("US"), QStringLiteral("fifo"), QStringLiteral("wallet"),
              QStringLiteral("UTC"), 2024);
    QVERIFY(runAndWait(m_view.get()));
    const QStringList formats = TaxExport::formats(tax::Jurisdiction::UnitedStates);
    QCOMPARE(formats.size(), 7);
    testsupport::ScratchDir out;
    for (const QString& format : formats) {
        const QString path = out.filePath(QStringLiteral("report.") + format);
        QSignalSpy done(m_view.get(), &TaxView::exportFinished);
        m_view->exportTo(format, path);
        QVERIFY(done.wait(30000) || !done.isEmpty());
        QVERIFY2(done.constFirst().constFirst().toBool(),
                 qPrintable(done.constFirst().at(1).toString()));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY2(bytes.size() > 40, qPrintable(format));
        if (format == QLatin1String("pdf"))
            QVERIFY(bytes.startsWith("%PDF-"));
    }
    // The JSON file is the command line tool's output, byte for byte.
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(LLAMADESK_CLI_PATH),
                  QStringList{QStringLiteral("tax"), QStringLiteral("--db"), m_small.path,
                              QStringLiteral("--passphrase-file"), m_small.passFile,
                              QStringLiteral("--no-save")} +
                      cliOptions(QStringLiteral("US"), QStringLiteral("fifo"),
                                 QStringLiteral("wallet"), QStringLiteral("UTC"), 2024));
    QVERIFY(process.waitForFinished(120000));
    QCOMPARE(process.exitCode(), 0);
    QFile json(out.filePath(QStringLiteral("report.json")));
    QVERIFY(json.open(QIODevice::ReadOnly));
    QVERIFY(json.readAll() == process.readAllStandardOutput());
}

void TestTaxView::specificIdRoundTrip() {
    configure(QStringLiteral("US"), QStringLiteral("specific"), QStringLiteral("wallet"),
              QStringLiteral("UTC"), 2024);
    QVERIFY(runAndWait(m_view.get()));
    DisposalTableModel* model = m_view->disposalModel();
    QVERIFY(model->rowCount() > 0);

    // A disposal with at least two lots on offer at different unit costs, where the later lots
    // alone can cover it: taking them is a choice FIFO would not make.
    QString transactionId;
    QList<tax::LotSelection> chosen;
    Decimal fifoBasis;
    for (int r = 0; r < model->rowCount() && transactionId.isEmpty(); ++r) {
        const tax::Disposal d = model->disposal(r);
        if (d.kind != tax::DisposalKind::Sale && d.kind != tax::DisposalKind::Swap)
            continue;
        SpecificIdDialog* dialog = m_view->chooseLots(r);
        QVERIFY(dialog);
        QSignalSpy loaded(dialog, &SpecificIdDialog::lotsLoaded);
        QVERIFY(loaded.wait(30000) || !loaded.isEmpty());
        QVERIFY2(loaded.constFirst().constFirst().toBool(),
                 qPrintable(dialog->statusLabel()->text()));
        const QList<SpecificIdDialog::Lot> lots = dialog->lots();
        const Decimal need = dialog->target().amount;
        if (lots.size() >= 2 && lots.constLast().amount >= need &&
            lots.constLast().costBasis * lots.constFirst().amount !=
                lots.constFirst().costBasis * lots.constLast().amount) {
            // An impossible choice first: more than the lot holds, then not the full amount.
            dialog->setTake(int(lots.size()) - 1, (lots.constLast().amount + need).toString());
            QVERIFY(!dialog->isComplete());
            QVERIFY(!dialog->saveButton()->isEnabled());
            dialog->setTake(int(lots.size()) - 1, QStringLiteral("0"));
            QVERIFY(!dialog->saveButton()->isEnabled());
            dialog->setTake(int(lots.size()) - 1, need.toString());
            QVERIFY(dialog->isComplete());
            QVERIFY(dialog->saveButton()->isEnabled());
            transactionId = d.transactionId;
            chosen = {{lots.constLast().lotId, need}};
            QCOMPARE(dialog->selections(), chosen);
            fifoBasis = basisOf(transactionId);
            QSignalSpy finished(m_view.get(), &TaxView::runFinished);
            dialog->saveButton()->click();
            QVERIFY(finished.wait(60000) || !finished.isEmpty());
            QVERIFY(finished.constFirst().constFirst().toBool());
        } else {
            dialog->reject();
        }
    }
    QVERIFY2(!transactionId.isEmpty(), "the ledger offers a disposal with a later lot to choose");

    // The rerun took the chosen lot, and the basis changed accordingly.
    QStringList lotIds;
    const Decimal chosenBasis = basisOf(transactionId, &lotIds);
    QCOMPARE(lotIds, QStringList{chosen.constFirst().lotId});
    QVERIFY(chosenBasis != fifoBasis);
    // No complaint about the choice (a crypto fee of the same transaction may still get the
    // "no lots named" warning: fees take the earliest lots).
    for (int i = 0; i < m_view->result().warningCount(); ++i) {
        const tax::TaxWarning w = m_view->result().warning(i);
        QVERIFY2(!(w.transactionId == transactionId &&
                   w.code == tax::WarningCode::LotSelectionMismatch &&
                   w.amount == chosen.constFirst().amount),
                 qPrintable(w.message));
    }

    // The command line tool reads the saved choice from the vault.
    const QJsonObject json = cli(cliOptions(QStringLiteral("US"), QStringLiteral("specific"),
                                            QStringLiteral("wallet"), QStringLiteral("UTC"), 2024));
    Decimal cliBasis;
    for (const QJsonValue& v : json.value(QStringLiteral("disposals")).toArray()) {
        if (v.toObject().value(QStringLiteral("transaction_id")).toString() == transactionId &&
            v.toObject().value(QStringLiteral("kind")).toString() != QLatin1String("fee"))
            cliBasis += dec(v.toObject().value(QStringLiteral("cost_basis")));
    }
    QCOMPARE(cliBasis, chosenBasis);

    // Stable after the vault is closed and opened again.
    m_controller->lock();
    QVERIFY(!m_view->hasResult());
    m_controller->unlockWithPassphrase(QString::fromLatin1(kPassphrase));
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isUnlocked(), 20000);
    configure(QStringLiteral("US"), QStringLiteral("specific"), QStringLiteral("wallet"),
              QStringLiteral("UTC"), 2024);
    QVERIFY(runAndWait(m_view.get()));
    QStringList again;
    QCOMPARE(basisOf(transactionId, &again), chosenBasis);
    QCOMPARE(again, lotIds);

    // Removing the choice brings the earliest lots back.
    QVERIFY(m_view->saveLotSelection(transactionId, {}).ok());
    QVERIFY(runAndWait(m_view.get()));
    QCOMPARE(basisOf(transactionId), fifoBasis);
}

void TestTaxView::cancelStopsTheRun() {
    // A ledger big enough that the run is still reading when Cancel is pressed.
    testsupport::ScratchDir dir;
    const Vault big = makeVault(dir.path(), QStringLiteral("big"), 60000, 3);
    // One vault open at a time in the app: the shared one waits.
    m_controller->lock();
    vault::MemorySecretStore secrets;
    AppController controller(secrets);
    controller.setVaultPath(big.path);
    controller.setKdf(vault::KdfParams::fastForTests());
    controller.unlockWithPassphrase(QString::fromLatin1(kPassphrase));
    QSignalSpy failed(&controller, &AppController::unlockFailed);
    QTRY_VERIFY_WITH_TIMEOUT(controller.isUnlocked() || !failed.isEmpty(), 30000);
    if (!failed.isEmpty())
        QFAIL(qPrintable(failed.constFirst().at(1).toString()));
    TaxView view(&controller);
    view.setYear(2025);
    QSignalSpy finished(&view, &TaxView::runFinished);
    QSignalSpy status(&view, &TaxView::statusMessage);
    view.run();
    QVERIFY(view.isRunning());
    QVERIFY(view.findChild<QPushButton*>(QStringLiteral("cancelButton"))->isVisibleTo(&view));
    QVERIFY(!view.findChild<QPushButton*>(QStringLiteral("runButton"))->isEnabled());
    QElapsedTimer clock;
    clock.start();
    view.findChild<QPushButton*>(QStringLiteral("cancelButton"))->click();
    QVERIFY(finished.wait(60000) || !finished.isEmpty());
    qInfo("cancelled %lld ms after Cancel was pressed", clock.elapsed());
    QCOMPARE(finished.constFirst().constFirst().toBool(), false);
    QVERIFY(!view.isRunning());
    QVERIFY(!view.hasResult());
    QCOMPARE(view.disposalModel()->rowCount(), 0);
    QVERIFY(view.findChild<QPushButton*>(QStringLiteral("runButton"))->isEnabled());
    QVERIFY(!view.findChild<QPushButton*>(QStringLiteral("cancelButton"))->isVisibleTo(&view));
    QVERIFY(status.constLast().constFirst().toString().contains(QStringLiteral("cancelled")));
    controller.lock();
    m_controller->unlockWithPassphrase(QString::fromLatin1(kPassphrase));
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isUnlocked(), 20000);
}

void TestTaxView::lockingDropsEverything() {
    configure(QStringLiteral("US"), QStringLiteral("fifo"), QStringLiteral("wallet"),
              QStringLiteral("UTC"), 2024);
    QVERIFY(runAndWait(m_view.get()));
    QVERIFY(m_view->disposalModel()->rowCount() > 0);
    m_view->disposalTable()->selectRow(0);
    QVERIFY(m_view->drillDown()->table()->rowCount() > 0);
    // Lock while a run is in flight: it stops, and nothing of the earlier result is left.
    m_view->run();
    m_controller->lock();
    QVERIFY(!m_view->isRunning());
    QVERIFY(!m_view->hasResult());
    QCOMPARE(m_view->disposalModel()->rowCount(), 0);
    QCOMPARE(m_view->incomeModel()->rowCount(), 0);
    QCOMPARE(m_view->warningModel()->rowCount(), 0);
    QCOMPARE(m_view->drillDown()->table()->rowCount(), 0);
    QCOMPARE(m_view->cardValue(TaxView::Card::NetGain), QStringLiteral("—"));
    QVERIFY(!m_view->findChild<QPushButton*>(QStringLiteral("runButton"))->isEnabled());
    m_controller->unlockWithPassphrase(QString::fromLatin1(kPassphrase));
    QTRY_VERIFY_WITH_TIMEOUT(m_controller->isUnlocked(), 20000);
    QVERIFY(m_view->findChild<QPushButton*>(QStringLiteral("runButton"))->isEnabled());
}

void TestTaxView::screenshots() {
    // Renders the view after a run, light and dark, when asked to (for looking at it).
    const QString dir = qEnvironmentVariable("LLAMADESK_TAX_SHOTS");
    if (dir.isEmpty())
        QSKIP("set LLAMADESK_TAX_SHOTS=<folder> to render the tax view");
    QDir().mkpath(dir);
    for (const bool dark : {false, true}) {
        Theme::apply(dark ? Theme::Choice::Dark : Theme::Choice::Light);
        const QString suffix = dark ? QStringLiteral("-dark") : QStringLiteral("-light");
        configure(QStringLiteral("US"), QStringLiteral("specific"), QStringLiteral("wallet"),
                  QStringLiteral("UTC"), 2024);
        QVERIFY(runAndWait(m_view.get()));
        // A swap that took several lots: the drill-down has something to explain.
        DisposalTableModel* model = m_view->disposalModel();
        int row = 0;
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->disposal(r).kind != tax::DisposalKind::Fee &&
                model->disposal(r).lots.size() > model->disposal(row).lots.size())
                row = r;
        }
        m_view->disposalTable()->selectRow(row);
        QCoreApplication::processEvents();
        QVERIFY(
            m_view->grab().save(dir + QStringLiteral("/tax") + suffix + QStringLiteral(".png")));
        SpecificIdDialog* dialog = m_view->chooseLots(row);
        QVERIFY(dialog);
        QSignalSpy loaded(dialog, &SpecificIdDialog::lotsLoaded);
        QVERIFY(loaded.wait(30000) || !loaded.isEmpty());
        // A valid choice: the latest lots first.
        Decimal left = dialog->target().amount;
        for (int i = int(dialog->lots().size()) - 1; i >= 0 && left.isPositive(); --i) {
            const Decimal take = Decimal::min(left, dialog->lots().at(i).amount);
            dialog->setTake(i, take.toString());
            left -= take;
        }
        QCoreApplication::processEvents();
        QVERIFY(dialog->grab().save(dir + QStringLiteral("/tax-specific-id") + suffix +
                                    QStringLiteral(".png")));
        dialog->reject();
        configure(QStringLiteral("UK"), QStringLiteral("fifo"), QStringLiteral("wallet"),
                  QStringLiteral("Europe/London"), 2024);
        QVERIFY(runAndWait(m_view.get()));
        m_view->disposalTable()->selectRow(2);
        QCoreApplication::processEvents();
        QVERIFY(
            m_view->grab().save(dir + QStringLiteral("/tax-uk") + suffix + QStringLiteral(".png")));
    }
    Theme::apply(Theme::Choice::Light);
}

QTEST_MAIN(TestTaxView)
#include "TestTaxView.moc"
