// Drives the real llamadesk-cli import on a real vault, as a user would: exit codes, the
// summary on stdout, one line per problem on stderr, all or nothing, --partial, re-imports.

#include "TestSupport.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

class TestCliImport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void importsAndDedupes();
    void badRowsImportNothing();
    void partialImportsGoodRows();
    void severalFilesAllOrNothing();
    void thirdPartyFormatsAndOptions();
    void usageErrors_data();
    void usageErrors();

private:
    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Run cli(const QStringList& args);
    Run import(const QStringList& files, const QStringList& extra = {});
    QString writeFile(const QString& name, const QByteArray& bytes);
    static QString fixture(const char* name);

    testsupport::ScratchDir m_dir;
    QString m_db;
    QString m_passphrase;
};

TestCliImport::Run TestCliImport::cli(const QStringList& args) {
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    environment.remove(QStringLiteral("LLAMADESK_PASSPHRASE"));
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(QStringLiteral(LLAMADESK_CLI_PATH), args);
    Run run;
    if (!process.waitForFinished(120000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

TestCliImport::Run TestCliImport::import(const QStringList& files, const QStringList& extra) {
    return cli(QStringList{QStringLiteral("import"), QStringLiteral("--db"), m_db,
                           QStringLiteral("--passphrase-file"), m_passphrase} +
               extra + files);
}

QString TestCliImport::writeFile(const QString& name, const QByteArray& bytes) {
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QString();
    f.write(bytes);
    return path;
}

QString TestCliImport::fixture(const char* name) {
    return QFINDTESTDATA(QStringLiteral("../fixtures/import/") + QLatin1String(name));
}

void TestCliImport::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_db = m_dir.filePath(QStringLiteral("vault.db"));
    m_passphrase = writeFile(QStringLiteral("pass.txt"), "correct horse battery staple\n");
    const Run init = cli(
        {QStringLiteral("init"), QStringLiteral("--db"), m_db, QStringLiteral("--passphrase-file"),
         m_passphrase, QStringLiteral("--no-keychain"), QStringLiteral("--recovery-code-file"),
         m_dir.filePath(QStringLiteral("recovery.txt")), QStringLiteral("--quiet")});
    QVERIFY2(init.exitCode == 0, qPrintable(init.err));
}

void TestCliImport::importsAndDedupes() {
    const QString file = fixture("canonical.csv");
    Run run = import({file});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QLatin1String("canonical.csv (canonical): 6 rows read, 6 imported, "
                                            "0 duplicates skipped, 0 bad")),
             qPrintable(run.out));
    QVERIFY(run.err.isEmpty());

    run = import({file});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QLatin1String("Total: 6 rows read, 0 imported, 6 duplicates "
                                            "skipped, 0 bad rows")),
             qPrintable(run.out));
}

void TestCliImport::badRowsImportNothing() {
    const QString bad = writeFile(QStringLiteral("bad.csv"),
                                  "timestamp,transaction_type,asset_in_symbol,asset_in_amount\n"
                                  "2024-06-01T00:00:00Z,airdrop,ARB,5\n"
                                  "2024-06-02T00:00:00Z,airdrop,ARB,1e5\n"
                                  "2024-06-03 00:00:00,airdrop,ARB,5\n");
    const Run run = import({bad});
    QCOMPARE(run.exitCode, 1);
    const QStringList lines = run.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3); // two problems and the verdict
    QVERIFY2(lines.at(0).startsWith(QLatin1String("bad.csv:3: asset_in_amount: ")) &&
                 lines.at(0).endsWith(QLatin1String("(bad_number)")),
             qPrintable(lines.at(0)));
    QVERIFY2(lines.at(1).startsWith(QLatin1String("bad.csv:4: timestamp: ")) &&
                 lines.at(1).endsWith(QLatin1String("(naive_timestamp)")),
             qPrintable(lines.at(1)));
    QVERIFY(lines.at(2).contains(QLatin1String("nothing imported")));
    QVERIFY(
        run.out.contains(QLatin1String("3 rows read, 0 imported, 0 duplicates skipped, 2 bad")));

    // The good row of that file was not written: fixing the file imports all three.
    const QString fixed = writeFile(QStringLiteral("bad.csv"),
                                    "timestamp,transaction_type,asset_in_symbol,asset_in_amount\n"
                                    "2024-06-01T00:00:00Z,airdrop,ARB,5\n"
                                    "2024-06-02T00:00:00Z,airdrop,ARB,100000\n"
                                    "2024-06-03T00:00:00Z,airdrop,ARB,5\n");
    const Run again = import({fixed});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.out.contains(QLatin1String("3 imported, 0 duplicates")), qPrintable(again.out));
}

void TestCliImport::partialImportsGoodRows() {
    const QString mixed = writeFile(QStringLiteral("mixed.csv"),
                                    "timestamp,transaction_type,asset_in_symbol,asset_in_amount\n"
                                    "2024-07-01T00:00:00Z,airdrop,OP,5\n"
                                    "2024-07-02T00:00:00Z,airdrop,OP,-1\n"
                                    "2024-07-03T00:00:00Z,airdrop,OP,7\n");
    const Run run = import({mixed}, {QStringLiteral("--partial")});
    QCOMPARE(run.exitCode, 3);
    QVERIFY(run.err.contains(QLatin1String("mixed.csv:3: asset_in_amount:")));
    QVERIFY2(
        run.out.contains(QLatin1String("3 rows read, 2 imported, 0 duplicates skipped, 1 bad")),
        qPrintable(run.out));
    const Run again = import({mixed}, {QStringLiteral("--partial")});
    QCOMPARE(again.exitCode, 3);
    QVERIFY(again.out.contains(QLatin1String("0 imported, 2 duplicates skipped, 1 bad")));
}

void TestCliImport::severalFilesAllOrNothing() {
    const QString good = fixture("cointracker.csv");
    const QString bad = writeFile(QStringLiteral("ragged.csv"),
                                  "timestamp,transaction_type,asset_in_symbol,asset_in_amount\n"
                                  "2024-08-01T00:00:00Z,airdrop,OP\n");
    const Run run = import({good, bad});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.err.contains(QLatin1String("ragged.csv:2: 3 fields, but the header has 4 columns "
                                           "(field_count)")));
    // Nothing of the good file was kept.
    const Run alone = import({good});
    QCOMPARE(alone.exitCode, 0);
    QVERIFY2(alone.out.contains(QLatin1String("7 rows read, 7 imported")), qPrintable(alone.out));
}

void TestCliImport::thirdPartyFormatsAndOptions() {
    const Run run = import({fixture("koinly-universal.csv")},
                           {QStringLiteral("--wallet"), QStringLiteral("koinly")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QLatin1String("koinly-universal.csv (koinly): 9 rows read, 9 "
                                            "imported")),
             qPrintable(run.out));
    // Imported again as another wallet: the rows with a TxHash are duplicates (the dedupe key
    // has no wallet), the others get other derived hashes (the wallet is part of them: the same
    // airdrop in two wallets is two transactions).
    const Run other = import({fixture("koinly-universal.csv")});
    QCOMPARE(other.exitCode, 0);
    QVERIFY2(other.out.contains(QLatin1String("9 rows read, 7 imported, 2 duplicates")),
             qPrintable(other.out));
}

void TestCliImport::usageErrors_data() {
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QString>("message");
    QTest::newRow("no file") << QStringList{} << QStringList{} << "at least one CSV file";
    QTest::newRow("missing file") << QStringList{QStringLiteral("/nonexistent/x.csv")}
                                  << QStringList{} << "is not a file";
    QTest::newRow("bad zone") << QStringList{QString()}
                              << QStringList{QStringLiteral("--source-timezone"),
                                             QStringLiteral("Mars/Olympus")}
                              << "unknown time zone";
    QTest::newRow("unrecognized") << QStringList{QStringLiteral("unrecognized")} << QStringList{}
                                  << "unrecognized format";
}

void TestCliImport::usageErrors() {
    QFETCH(QStringList, files);
    QFETCH(QStringList, extra);
    QFETCH(QString, message);
    for (QString& f : files) {
        if (f.isEmpty())
            f = fixture("cointracker.csv");
        else if (f == QLatin1String("unrecognized"))
            f = writeFile(QStringLiteral("other.csv"), "Symbol,Qty\nBTC,1\n");
    }
    const Run run = import(files, extra);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TestCliImport)
#include "TestCliImport.moc"
