// Drives the real llamadesk-cli `tax` command: the same ledger from a CSV (--ledger) and from an
// encrypted vault (--db) gives byte-identical JSON; every export format is written (atomically,
// to --out) and has its publisher's header; Specific-ID input is honoured; bad options are
// refused with exit code 2 and a message naming the option; a ledger with bad rows computes
// nothing (exit code 3); a vault run saves its report, lots and checkpoints.

#include "TestSupport.h"

#include "import/LedgerReader.h"
#include "store/LocalUser.h"
#include "store/LotRepository.h"
#include "store/ReportRepository.h"
#include "store/TransactionRepository.h"
#include "tax/LedgerCsvWriter.h"
#include "tax/LedgerGenerator.h"
#include "tax/LedgerIds.h"
#include "vault/MemorySecretStore.h"
#include "vault/Vault.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QtTest>

using namespace llamadesk;

class TestCliTax : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void ledgerAndVaultGiveTheSameJson_data();
    void ledgerAndVaultGiveTheSameJson();
    void everyFormat_data();
    void everyFormat();
    void vaultRunSavesReportLotsAndCheckpoints();
    void specificIdentification();
    void badOptions_data();
    void badOptions();
    void badLedgerComputesNothing();

private:
    struct Run {
        int exitCode = -1;
        QByteArray out;
        QString err;
    };
    Run cli(const QStringList& args) const;
    QStringList vaultArgs() const;
    static void writeFile(const QString& path, const QByteArray& bytes);
    static QByteArray readFile(const QString& path);

    testsupport::ScratchDir m_dir;
    QString m_ledger;
    QString m_vault;
    QString m_pass;
};

TestCliTax::Run TestCliTax::cli(const QStringList& args) const {
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    environment.remove(QStringLiteral("LLAMADESK_PASSPHRASE"));
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(QStringLiteral(LLAMADESK_CLI_PATH), QStringList{QStringLiteral("tax")} + args);
    Run run;
    if (!process.waitForFinished(120000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QStringList TestCliTax::vaultArgs() const {
    return {QStringLiteral("--db"), m_vault, QStringLiteral("--passphrase-file"), m_pass};
}

void TestCliTax::writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

QByteArray TestCliTax::readFile(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void TestCliTax::initTestCase() {
    QVERIFY(m_dir.isValid());
    // A generated ledger (every transaction type, several wallets, 2023 to 2025) as the
    // canonical CSV a preparer would receive.
    tax::LedgerGeneratorOptions g;
    g.seed = 5;
    g.transactions = 600;
    g.start = QDate(2023, 3, 1);
    g.days = 1000;
    m_ledger = m_dir.filePath(QStringLiteral("ledger.csv"));
    {
        QFile file(m_ledger);
        QVERIFY(file.open(QIODevice::WriteOnly));
        tax::LedgerCsvWriter writer(&file);
        QVERIFY(writer.writeHeader().ok());
        tax::LedgerGenerator generator(g);
        TaxTransaction t;
        while (generator.next(&t))
            QVERIFY(writer.write(t).ok());
    }

    // The same rows in a vault, with the ids the CLI gives a ledger file's rows.
    m_vault = m_dir.filePath(QStringLiteral("v.llamadesk"));
    m_pass = m_dir.filePath(QStringLiteral("pass"));
    writeFile(m_pass, "tax test passphrase\n");
    vault::MemorySecretStore secrets;
    vault::CreateOptions create;
    create.useKeychain = false;
    create.passphrase = QStringLiteral("tax test passphrase");
    create.kdf = vault::KdfParams::fastForTests();
    vault::RecoveryCode recovery;
    vault::VaultError error = vault::VaultError::None;
    QString message;
    std::unique_ptr<vault::Vault> v =
        vault::Vault::create(m_vault, create, secrets, &recovery, &error, &message);
    QVERIFY2(v, qPrintable(message));
    v->close();
    v.reset();

    // Into the vault through the real `import` command: the ids it gives must be the ones
    // `tax --ledger` gives the same file, or the reports below would differ.
    Result<import::LedgerFile> read = import::readLedgerFile(m_ledger);
    QVERIFY2(read.ok(), qPrintable(read.error()));
    if (!read->problems.isEmpty())
        QFAIL(qPrintable(read->problems.constFirst().toString()));
    QVERIFY(read->rows.size() >= 600);
    QProcess import;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    import.setProcessEnvironment(environment);
    import.setStandardInputFile(QProcess::nullDevice());
    import.start(QStringLiteral(LLAMADESK_CLI_PATH),
                 QStringList{QStringLiteral("import"), m_ledger} + vaultArgs());
    QVERIFY(import.waitForFinished(120000));
    QVERIFY2(import.exitCode() == 0, import.readAllStandardError().constData());
    QVERIFY2(import.readAllStandardOutput().contains(
                 QByteArray(QByteArray::number(read->rows.size()) + " imported")),
             "every row of the ledger is imported");
}

void TestCliTax::ledgerAndVaultGiveTheSameJson_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("US FIFO 2024") << QStringList{QStringLiteral("--year"), QStringLiteral("2024")};
    QTest::newRow("US HIFO per wallet 2025") << QStringList{
        QStringLiteral("--year"), QStringLiteral("2025"),    QStringLiteral("--method"),
        QStringLiteral("hifo"),   QStringLiteral("--scope"), QStringLiteral("wallet")};
    QTest::newRow("US LIFO, New York, a custom period") << QStringList{
        QStringLiteral("--from"),     QStringLiteral("2024-03-15"),      QStringLiteral("--to"),
        QStringLiteral("2025-02-28"), QStringLiteral("--method"),        QStringLiteral("lifo"),
        QStringLiteral("--timezone"), QStringLiteral("America/New_York")};
    QTest::newRow("UK 2024") << QStringList{
        QStringLiteral("--jurisdiction"), QStringLiteral("uk"),         QStringLiteral("--year"),
        QStringLiteral("2024"),           QStringLiteral("--currency"), QStringLiteral("USD")};
}

void TestCliTax::ledgerAndVaultGiveTheSameJson() {
    QFETCH(QStringList, args);
    const Run fromLedger = cli(QStringList{QStringLiteral("--ledger"), m_ledger} + args);
    QVERIFY2(fromLedger.exitCode == 0, qPrintable(fromLedger.err));
    // Twice from the vault: the first may start from the beginning, the second resumes from a
    // saved checkpoint; both must print the ledger's report.
    for (int pass = 0; pass < 2; ++pass) {
        const Run fromVault = cli(vaultArgs() + args + QStringList{QStringLiteral("--verbose")});
        QVERIFY2(fromVault.exitCode == 0, qPrintable(fromVault.err));
        QCOMPARE(fromVault.out.size(), fromLedger.out.size());
        QVERIFY(fromVault.out == fromLedger.out);
        if (pass == 1 && args.contains(QStringLiteral("--year")))
            QVERIFY2(fromVault.err.contains(QStringLiteral("resumed from the checkpoint")),
                     qPrintable(fromVault.err));
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(fromLedger.out, &parseError);
    QVERIFY2(doc.isObject(), qPrintable(parseError.errorString()));
    const QJsonObject summary = doc.object().value(QStringLiteral("summary")).toObject();
    QVERIFY(summary.value(QStringLiteral("total_transactions")).toVariant().toLongLong() > 0);
    QVERIFY(!doc.object().value(QStringLiteral("disposals")).toArray().isEmpty());
}

void TestCliTax::everyFormat_data() {
    QTest::addColumn<QString>("format");
    QTest::addColumn<QByteArray>("start");
    QTest::newRow("json") << QStringLiteral("json") << QByteArray("{");
    QTest::newRow("csv") << QStringLiteral("csv") << QByteArray("section,");
    QTest::newRow("8949") << QStringLiteral("8949") << QByteArray("Part,Box,");
    QTest::newRow("schedule-d") << QStringLiteral("schedule-d") << QByteArray("Line,");
    QTest::newRow("turbotax") << QStringLiteral("turbotax") << QByteArray("Currency Name,");
    QTest::newRow("taxact") << QStringLiteral("taxact") << QByteArray("Description,");
    QTest::newRow("pdf") << QStringLiteral("pdf") << QByteArray("%PDF-1.");
}

void TestCliTax::everyFormat() {
    QFETCH(QString, format);
    QFETCH(QByteArray, start);
    const QString out = m_dir.filePath(QStringLiteral("report.") + format);
    QFile::remove(out);
    const Run run =
        cli({QStringLiteral("--ledger"), m_ledger, QStringLiteral("--year"), QStringLiteral("2024"),
             QStringLiteral("--format"), format, QStringLiteral("--out"), out});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.out.isEmpty() || !run.out.startsWith(start)); // the report went to the file
    const QByteArray bytes = readFile(out);
    QVERIFY2(bytes.startsWith(start), bytes.left(80).constData());
    QVERIFY(bytes.size() > 200);
    if (format == QLatin1String("pdf"))
        QVERIFY(bytes.trimmed().endsWith("%%EOF"));
    // To stdout the same bytes (except the binary PDF, which needs --out).
    if (format != QLatin1String("pdf")) {
        const Run toStdout = cli({QStringLiteral("--ledger"), m_ledger, QStringLiteral("--year"),
                                  QStringLiteral("2024"), QStringLiteral("--format"), format});
        QCOMPARE(toStdout.exitCode, 0);
        QVERIFY(toStdout.out == bytes);
    }
}

void TestCliTax::vaultRunSavesReportLotsAndCheckpoints() {
    const QString out = m_dir.filePath(QStringLiteral("vault-report.pdf"));
    const Run run = cli(vaultArgs() + QStringList{QStringLiteral("--year"), QStringLiteral("2025"),
                                                  QStringLiteral("--format"), QStringLiteral("pdf"),
                                                  QStringLiteral("--out"), out});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const qint64 size = QFileInfo(out).size();
    QVERIFY(size > 1000);

    vault::MemorySecretStore secrets;
    vault::VaultError error = vault::VaultError::None;
    QString message;
    std::unique_ptr<vault::Vault> v = vault::Vault::open(
        m_vault, vault::UnlockRequest::passphrase(QStringLiteral("tax test passphrase")), secrets,
        &error, &message);
    QVERIFY2(v, qPrintable(message));
    const Result<QString> user = store::LocalUser::ensure(v->database());
    QVERIFY(user.ok());
    {
        store::ReportRepository reports(v->database());
        const Result<QList<TaxReport>> list = reports.list(user.value(), 2025);
        QVERIFY(list.ok());
        bool found = false;
        for (const TaxReport& r : list.value()) {
            if (r.countryCode != QLatin1String("US") || r.reportFormat != ReportFormat::Pdf)
                continue;
            found = true;
            QCOMPARE(r.startDate, QStringLiteral("2025-01-01"));
            QCOMPARE(r.fileSizeBytes.value_or(-1), size);
            QVERIFY(r.fileUrl.value_or(QString()).endsWith(QStringLiteral("vault-report.pdf")));
            QVERIFY(r.status == ReportStatus::Completed);
        }
        QVERIFY(found);
        store::LotRepository lots(v->database());
        store::LotScope scope;
        scope.userId = user.value();
        const Result<QList<CostBasisLot>> open = lots.lots(scope, true);
        QVERIFY2(open.ok(), qPrintable(open.error()));
        QVERIFY(!open->isEmpty());
        QSqlQuery q(v->database());
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM tax_checkpoints")) && q.next());
        QVERIFY(q.value(0).toInt() >= 24);
        QVERIFY(q.exec(QStringLiteral("SELECT changed_from FROM tax_ledger_changes")) && q.next());
        QVERIFY(q.value(0).isNull());
    }
    v->close();
}

void TestCliTax::specificIdentification() {
    // Two lots bought at 100 and 300, one unit sold at 400: FIFO gains 300; naming the second
    // lot (by its transaction hash) gains 100.
    const QString ledger = m_dir.filePath(QStringLiteral("specific.csv"));
    writeFile(ledger, "timestamp,transaction_type,transaction_hash,asset_in_symbol,asset_in_amount,"
                      "asset_in_value_usd,asset_out_symbol,asset_out_amount,asset_out_value_usd\r\n"
                      "2024-01-10T10:00:00Z,buy,0xa1,BTC,1,,USD,100,100\r\n"
                      "2024-02-10T10:00:00Z,buy,0xa2,BTC,1,,USD,300,300\r\n"
                      "2024-03-10T10:00:00Z,sell,0xa3,USD,400,400,BTC,1,\r\n");
    const QString picks = m_dir.filePath(QStringLiteral("picks.csv"));
    writeFile(picks, "# the sale takes the second lot\ndisposal,lot,amount\n0xa3,0xa2,1\n");
    const auto net = [](const QByteArray& json) {
        return QJsonDocument::fromJson(json)
            .object()
            .value(QStringLiteral("summary"))
            .toObject()
            .value(QStringLiteral("net_capital_gains"))
            .toString();
    };
    Run run =
        cli({QStringLiteral("--ledger"), ledger, QStringLiteral("--year"), QStringLiteral("2024")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(net(run.out), QStringLiteral("300.00"));
    run = cli({QStringLiteral("--ledger"), ledger, QStringLiteral("--year"), QStringLiteral("2024"),
               QStringLiteral("--method"), QStringLiteral("specific"),
               QStringLiteral("--lot-selections"), picks});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(net(run.out), QStringLiteral("100.00"));
    // A name that is no transaction is an error that says where.
    writeFile(picks, "disposal,lot,amount\n0xa3,0xnothing,1\n");
    run = cli({QStringLiteral("--ledger"), ledger, QStringLiteral("--method"),
               QStringLiteral("specific"), QStringLiteral("--lot-selections"), picks});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QStringLiteral(":2: column 'lot'")), qPrintable(run.err));
    writeFile(picks, "disposal,lot,amount\n0xa3,0xa2,-1\n");
    run = cli({QStringLiteral("--ledger"), ledger, QStringLiteral("--method"),
               QStringLiteral("specific"), QStringLiteral("--lot-selections"), picks});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QStringLiteral("column 'amount'")), qPrintable(run.err));
}

void TestCliTax::badOptions_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("named");
    const auto row = [](const char* name, const QStringList& args, const char* option) {
        QTest::newRow(name) << args << QString::fromLatin1(option);
    };
    const QString y = QStringLiteral("--year");
    row("year not a number", {y, QStringLiteral("20x4")}, "--year");
    row("year and from",
        {y, QStringLiteral("2024"), QStringLiteral("--from"), QStringLiteral("2024-01-01"),
         QStringLiteral("--to"), QStringLiteral("2024-02-01")},
        "--year");
    row("from without to", {QStringLiteral("--from"), QStringLiteral("2024-01-01")}, "--to");
    row("bad from date",
        {QStringLiteral("--from"), QStringLiteral("2024-13-01"), QStringLiteral("--to"),
         QStringLiteral("2024-12-31")},
        "--from");
    row("to before from",
        {QStringLiteral("--from"), QStringLiteral("2024-05-01"), QStringLiteral("--to"),
         QStringLiteral("2024-04-30")},
        "--to");
    row("unknown jurisdiction", {QStringLiteral("--jurisdiction"), QStringLiteral("fr")},
        "--jurisdiction");
    row("unknown method", {QStringLiteral("--method"), QStringLiteral("average")}, "--method");
    row("unknown scope", {QStringLiteral("--scope"), QStringLiteral("global")}, "--scope");
    row("bad currency", {QStringLiteral("--currency"), QStringLiteral("US$")}, "--currency");
    row("bad time zone", {QStringLiteral("--timezone"), QStringLiteral("Mars/Olympus")},
        "--timezone");
    row("unknown format", {QStringLiteral("--format"), QStringLiteral("xml")}, "--format");
    row("pdf to stdout", {QStringLiteral("--format"), QStringLiteral("pdf")}, "--out");
    row("UK with a lot method",
        {QStringLiteral("--jurisdiction"), QStringLiteral("uk"), QStringLiteral("--method"),
         QStringLiteral("hifo")},
        "--method");
    row("UK on a US form",
        {QStringLiteral("--jurisdiction"), QStringLiteral("uk"), QStringLiteral("--format"),
         QStringLiteral("8949")},
        "--format");
    row("selections without specific",
        {QStringLiteral("--lot-selections"), QStringLiteral("picks.csv")}, "--lot-selections");
    row("bad Form 8949 box", {QStringLiteral("--short-box"), QStringLiteral("J")}, "--short-box");
    row("ledger and vault", {QStringLiteral("--db"), QStringLiteral("x.llamadesk")}, "--ledger");
}

void TestCliTax::badOptions() {
    QFETCH(QStringList, args);
    QFETCH(QString, named);
    const Run run = cli(QStringList{QStringLiteral("--ledger"), m_ledger} + args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.out.isEmpty());
    QVERIFY2(run.err.contains(named + QLatin1Char(':')), qPrintable(run.err));
    QCOMPARE(run.err.trimmed().count(QLatin1Char('\n')), 0); // one line
}

void TestCliTax::badLedgerComputesNothing() {
    const QString ledger = m_dir.filePath(QStringLiteral("bad.csv"));
    writeFile(ledger, "timestamp,transaction_type,asset_in_symbol,asset_in_amount\r\n"
                      "2024-01-10T10:00:00Z,buy,BTC,1\r\n"
                      "2024-01-11T10:00:00Z,buy,BTC,one\r\n");
    const QString out = m_dir.filePath(QStringLiteral("never.json"));
    Run run = cli({QStringLiteral("--ledger"), ledger, QStringLiteral("--out"), out});
    QCOMPARE(run.exitCode, 3);
    QVERIFY(!QFile::exists(out));
    QVERIFY2(run.err.contains(QStringLiteral("asset_in_amount")), qPrintable(run.err));
    run = cli({QStringLiteral("--ledger"), m_dir.filePath(QStringLiteral("missing.csv"))});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.err.contains(QStringLiteral("missing.csv")));
}

QTEST_GUILESS_MAIN(TestCliTax)
#include "TestCliTax.moc"
