#include "TestSupport.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

// Drives the real llamadesk-cli: a new vault, the demo data set, then the vault's info.
class TestCliDemo : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void demoFillsTheVault();
    void infoShowsTheCounts_data();
    void infoShowsTheCounts();
    void secondRunRefuses();
    void demoCreatesAMissingVault();
    void badUsage_data();
    void badUsage();

private:
    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
    };
    static Run cli(const QStringList& args);
    QStringList withVault(QStringList args) const;

    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QString m_db;
    QString m_pass;
    Run m_demo;
    Run m_info;
};

TestCliDemo::Run TestCliDemo::cli(const QStringList& args) {
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // No keychain: the CLI must behave on machines without one.
    environment.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    environment.remove(QStringLiteral("LLAMADESK_PASSPHRASE"));
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(QStringLiteral(LLAMADESK_CLI_PATH), args);
    Run run;
    if (!process.waitForFinished(300000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QStringList TestCliDemo::withVault(QStringList args) const {
    args << QStringLiteral("--db") << m_db << QStringLiteral("--passphrase-file") << m_pass;
    return args;
}

void TestCliDemo::initTestCase() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    m_db = m_dir->filePath(QStringLiteral("demo.llamadesk"));
    m_pass = m_dir->filePath(QStringLiteral("pass"));
    QFile pass(m_pass);
    QVERIFY(pass.open(QIODevice::WriteOnly));
    pass.write("demo passphrase\n");
    pass.close();
    const Run init = cli(withVault({QStringLiteral("init"), QStringLiteral("--no-keychain"),
                                    QStringLiteral("--recovery-code-file"),
                                    m_dir->filePath(QStringLiteral("code"))}));
    QVERIFY2(init.exitCode == 0, qPrintable(init.err));
    m_demo = cli(withVault(
        {QStringLiteral("demo"), QStringLiteral("--transactions"), QStringLiteral("2000")}));
    m_info = cli(withVault({QStringLiteral("info")}));
}

void TestCliDemo::demoFillsTheVault() {
    QVERIFY2(m_demo.exitCode == 0, qPrintable(m_demo.err));
    QVERIFY2(m_demo.out.contains(QStringLiteral("tax_transactions:")), qPrintable(m_demo.out));
    QVERIFY2(m_demo.out.contains(QStringLiteral("portfolio value:")), qPrintable(m_demo.out));
    // Progress went to stderr, and ended.
    QVERIFY2(m_demo.err.contains(QStringLiteral("[100%]")), qPrintable(m_demo.err));
    const Run verify = cli(withVault({QStringLiteral("verify")}));
    QVERIFY2(verify.exitCode == 0, qPrintable(verify.err + verify.out));
}

void TestCliDemo::infoShowsTheCounts_data() {
    QTest::addColumn<QString>("table");
    QTest::addColumn<qint64>("atLeast");
    QTest::addColumn<qint64>("atMost");
    QTest::newRow("tax_transactions") << "tax_transactions" << qint64(2000) << qint64(2001);
    QTest::newRow("portfolio_assets") << "portfolio_assets" << qint64(5) << qint64(24);
    QTest::newRow("alert_rules") << "alert_rules" << qint64(5) << qint64(8);
    // The synced tables' inserts wait in the outbox.
    QTest::newRow("sync_outbox") << "sync_outbox" << qint64(2000 + 730) << qint64(1000000);
}

void TestCliDemo::infoShowsTheCounts() {
    QFETCH(QString, table);
    QFETCH(qint64, atLeast);
    QFETCH(qint64, atMost);
    QVERIFY2(m_info.exitCode == 0, qPrintable(m_info.err));
    const QRegularExpression line(QStringLiteral("^%1:\\s+(\\d+)$").arg(table),
                                  QRegularExpression::MultilineOption);
    const QRegularExpressionMatch m = line.match(m_info.out);
    QVERIFY2(m.hasMatch(), qPrintable(m_info.out));
    const qint64 n = m.captured(1).toLongLong();
    QVERIFY2(n >= atLeast && n <= atMost, qPrintable(m_info.out));
    // The demo command's own summary reports the same count.
    const QRegularExpression reported(QStringLiteral("^\\s+%1:\\s+(\\d+)$").arg(table),
                                      QRegularExpression::MultilineOption);
    const QRegularExpressionMatch r = reported.match(m_demo.out);
    if (r.hasMatch())
        QCOMPARE(r.captured(1).toLongLong(), n);
}

void TestCliDemo::secondRunRefuses() {
    const Run again = cli(withVault(
        {QStringLiteral("demo"), QStringLiteral("--transactions"), QStringLiteral("100")}));
    QVERIFY(again.exitCode != 0);
    QVERIFY2(again.err.contains(QStringLiteral("already has")), qPrintable(again.err));
    QCOMPARE(again.err.trimmed().count(QLatin1Char('\n')), 0); // one line
    const Run info = cli(withVault({QStringLiteral("info")}));
    QCOMPARE(info.out, m_info.out);
}

void TestCliDemo::demoCreatesAMissingVault() {
    const QString db = m_dir->filePath(QStringLiteral("created-by-demo.llamadesk"));
    const QString code = m_dir->filePath(QStringLiteral("created-code"));
    QVERIFY(!QFileInfo::exists(db));
    const Run demo = cli({QStringLiteral("demo"), QStringLiteral("--db"), db,
                          QStringLiteral("--passphrase-file"), m_pass,
                          QStringLiteral("--no-keychain"), QStringLiteral("--recovery-code-file"),
                          code, QStringLiteral("--transactions"), QStringLiteral("300")});
    QVERIFY2(demo.exitCode == 0, qPrintable(demo.err));
    // The one-time recovery code went to its file, not to the output.
    QFile codeFile(code);
    QVERIFY(codeFile.open(QIODevice::ReadOnly));
    const QString recovery = QString::fromUtf8(codeFile.readAll()).trimmed();
    QVERIFY(recovery.size() >= 20);
    QVERIFY(!demo.out.contains(recovery));
    const Run info = cli({QStringLiteral("info"), QStringLiteral("--db"), db,
                          QStringLiteral("--passphrase-file"), m_pass});
    QVERIFY2(info.exitCode == 0, qPrintable(info.err));
    QVERIFY2(info.out.contains(QRegularExpression(QStringLiteral("tax_transactions:\\s+300\\b"))),
             qPrintable(info.out));
}

void TestCliDemo::badUsage_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("transactions not a number")
        << QStringList{QStringLiteral("--transactions"), QStringLiteral("many")}
        << "--transactions";
    QTest::newRow("transactions zero")
        << QStringList{QStringLiteral("--transactions"), QStringLiteral("0")} << "--transactions";
    QTest::newRow("years too many")
        << QStringList{QStringLiteral("--years"), QStringLiteral("99")} << "--years";
    // A folder that cannot be made (its parent is a file), even as root.
    QTest::newRow("folder impossible")
        << QStringList{QStringLiteral("--db"), QStringLiteral("PASSFILE/x"),
                       QStringLiteral("--no-keychain")}
        << "Cannot create the folder PASSFILE";
}

void TestCliDemo::badUsage() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    QStringList full = {QStringLiteral("demo")};
    for (const QString& arg : args)
        full << QString(arg).replace(QStringLiteral("PASSFILE"), m_pass);
    if (!args.contains(QStringLiteral("--db")))
        full << QStringLiteral("--db") << m_db;
    full << QStringLiteral("--passphrase-file") << m_pass;
    const Run run = cli(full);
    QCOMPARE(run.exitCode, 1);
    expected.replace(QStringLiteral("PASSFILE"), m_pass);
    QVERIFY2(run.err.contains(expected), qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TestCliDemo)
#include "TestCliDemo.moc"
