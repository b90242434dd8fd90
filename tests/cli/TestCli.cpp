#include "TestSupport.h"

#include <QFile>
#include <QProcess>
#include <QtTest>

// Drives the real llamadesk-cli executable as a user would.
class TestCli : public QObject {
    Q_OBJECT

private slots:
    void versionAndHelp_data();
    void versionAndHelp();
    void badUsage_data();
    void badUsage();
    void lifecycle();
    void unlockSources_data();
    void unlockSources();
    void errorsAreOneLine_data();
    void errorsAreOneLine();

private:
    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
    };
    static Run cli(const QStringList& args, const QMap<QString, QString>& env = {});
    static void writeFile(const QString& path, const QByteArray& bytes);
};

TestCli::Run TestCli::cli(const QStringList& args, const QMap<QString, QString>& env) {
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // No keychain in these tests: the CLI must behave on machines without one.
    environment.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    environment.remove(QStringLiteral("LLAMADESK_PASSPHRASE"));
    for (auto it = env.begin(); it != env.end(); ++it)
        environment.insert(it.key(), it.value());
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(QStringLiteral(LLAMADESK_CLI_PATH), args);
    Run run;
    if (!process.waitForFinished(60000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

void TestCli::writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

void TestCli::versionAndHelp_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("version") << QStringList{QStringLiteral("--version")}
                             << QStringLiteral("llamadesk-cli 0.");
    QTest::newRow("help") << QStringList{QStringLiteral("--help")} << QStringLiteral("Commands:");
    for (const char* command : {"init", "info", "passwd", "recover", "verify"})
        QTest::newRow(command) << QStringList{QString::fromLatin1(command),
                                              QStringLiteral("--help")}
                               << QStringLiteral("--db");
}

void TestCli::versionAndHelp() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const Run run = cli(args);
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(expected), qPrintable(run.out));
}

void TestCli::badUsage_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("no command") << QStringList{};
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")};
    QTest::newRow("unknown option")
        << QStringList{QStringLiteral("info"), QStringLiteral("--nope")};
    QTest::newRow("stray argument") << QStringList{QStringLiteral("info"), QStringLiteral("stray")};
}

void TestCli::badUsage() {
    QFETCH(QStringList, args);
    const Run run = cli(args);
    QVERIFY(run.exitCode != 0);
}

void TestCli::lifecycle() {
    testsupport::ScratchDir dir;
    const QString db = dir.filePath(QStringLiteral("v.llamadesk"));
    const QString pass = dir.filePath(QStringLiteral("pass"));
    const QString newPass = dir.filePath(QStringLiteral("newpass"));
    const QString code = dir.filePath(QStringLiteral("code"));
    const QString newCode = dir.filePath(QStringLiteral("newcode"));
    writeFile(pass, "first passphrase\n");
    writeFile(newPass, "second passphrase\n");

    Run run = cli({QStringLiteral("init"), QStringLiteral("--db"), db,
                   QStringLiteral("--passphrase-file"), pass,
                   QStringLiteral("--recovery-code-file"), code});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(QFile::exists(db));
    QFile codeFile(code);
    QVERIFY(codeFile.open(QIODevice::ReadOnly));
    const QString recovery = QString::fromUtf8(codeFile.readAll()).trimmed();
    QVERIFY(recovery.size() >= 20);
    QCOMPARE(int(codeFile.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther)), 0);

    // A second init refuses to overwrite.
    run = cli({QStringLiteral("init"), QStringLiteral("--db"), db,
               QStringLiteral("--passphrase-file"), pass});
    QVERIFY(run.exitCode != 0);

    run = cli({QStringLiteral("info"), QStringLiteral("--db"), db,
               QStringLiteral("--passphrase-file"), pass});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.out.contains(QStringLiteral("schema version")));
    QVERIFY(run.out.contains(QStringLiteral("passphrase")));

    run = cli({QStringLiteral("verify"), QStringLiteral("--db"), db,
               QStringLiteral("--passphrase-file"), pass});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));

    run = cli({QStringLiteral("passwd"), QStringLiteral("--db"), db,
               QStringLiteral("--passphrase-file"), pass, QStringLiteral("--new-passphrase-file"),
               newPass});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    run = cli({QStringLiteral("info"), QStringLiteral("--db"), db,
               QStringLiteral("--passphrase-file"), pass});
    QVERIFY(run.exitCode != 0);
    QVERIFY(run.err.contains(QStringLiteral("passphrase")));
    run = cli({QStringLiteral("info"), QStringLiteral("--db"), db,
               QStringLiteral("--passphrase-file"), newPass});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));

    // Recovery: the code sets a new passphrase and is replaced by a new code.
    run = cli({QStringLiteral("recover"), QStringLiteral("--db"), db,
               QStringLiteral("--new-passphrase-file"), pass,
               QStringLiteral("--new-recovery-code-file"), newCode},
              {{QStringLiteral("LLAMADESK_RECOVERY_CODE"), recovery}});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    run = cli({QStringLiteral("info"), QStringLiteral("--db"), db,
               QStringLiteral("--passphrase-file"), pass});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    run = cli({QStringLiteral("recover"), QStringLiteral("--db"), db,
               QStringLiteral("--new-passphrase-file"), pass},
              {{QStringLiteral("LLAMADESK_RECOVERY_CODE"), recovery}});
    QVERIFY2(run.exitCode != 0, "a spent recovery code must not work again");
}

void TestCli::unlockSources_data() {
    QTest::addColumn<bool>("viaEnvironment");
    QTest::newRow("passphrase file") << false;
    QTest::newRow("environment") << true;
}

void TestCli::unlockSources() {
    QFETCH(bool, viaEnvironment);
    testsupport::ScratchDir dir;
    const QString db = dir.filePath(QStringLiteral("v.llamadesk"));
    const QString pass = dir.filePath(QStringLiteral("pass"));
    writeFile(pass, "a passphrase");
    Run run = cli({QStringLiteral("init"), QStringLiteral("--db"), db, QStringLiteral("--quiet")},
                  {{QStringLiteral("LLAMADESK_PASSPHRASE"), QStringLiteral("a passphrase")}});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.out.contains(QStringLiteral("Recovery code")));
    QStringList args{QStringLiteral("verify"), QStringLiteral("--db"), db};
    QMap<QString, QString> env;
    if (viaEnvironment)
        env.insert(QStringLiteral("LLAMADESK_PASSPHRASE"), QStringLiteral("a passphrase"));
    else
        args << QStringLiteral("--passphrase-file") << pass;
    run = cli(args, env);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    // Without any source and without a terminal the CLI says what it needs instead of hanging.
    run = cli({QStringLiteral("verify"), QStringLiteral("--db"), db});
    QVERIFY(run.exitCode != 0);
    QVERIFY(run.err.contains(QStringLiteral("passphrase")));
}

void TestCli::errorsAreOneLine_data() {
    QTest::addColumn<QString>("situation");
    QTest::newRow("missing vault") << "missing";
    QTest::newRow("wrong passphrase") << "wrong";
    QTest::newRow("not a vault") << "garbage";
}

void TestCli::errorsAreOneLine() {
    QFETCH(QString, situation);
    testsupport::ScratchDir dir;
    const QString db = dir.filePath(QStringLiteral("v.llamadesk"));
    if (situation != QLatin1String("missing")) {
        Run made =
            cli({QStringLiteral("init"), QStringLiteral("--db"), db, QStringLiteral("--quiet")},
                {{QStringLiteral("LLAMADESK_PASSPHRASE"), QStringLiteral("right")}});
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    }
    if (situation == QLatin1String("garbage"))
        writeFile(db + QStringLiteral(".keys"), "not json");
    const Run run = cli({QStringLiteral("info"), QStringLiteral("--db"), db},
                        {{QStringLiteral("LLAMADESK_PASSPHRASE"), QStringLiteral("wrong")}});
    QVERIFY(run.exitCode != 0);
    QCOMPARE(run.err.trimmed().count(QLatin1Char('\n')), 0);
    QVERIFY(run.err.startsWith(QStringLiteral("llamadesk-cli: ")));
    QVERIFY(!run.err.contains(QStringLiteral("wrong")) || situation == QLatin1String("missing"));
}

QTEST_GUILESS_MAIN(TestCli)
#include "TestCli.moc"
