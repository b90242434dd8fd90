#include "app/Translations.h"

#include <QCoreApplication>
#include <QFile>
#include <QLibraryInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

using llamadesk::app::Translations;

namespace {

// The sources with a "%n" of every message of a .ts file.
QSet<QString> numerusSources(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(file.readAll());
    QSet<QString> sources;
    const QRegularExpression message(
        QStringLiteral("<message numerus=\"yes\">\\s*<source>(.*?)</source>"),
        QRegularExpression::DotMatchesEverythingOption);
    for (auto it = message.globalMatch(text); it.hasNext();)
        sources.insert(it.next().captured(1));
    return sources;
}

} // namespace

class TestTranslations : public QObject {
    Q_OBJECT

private slots:
    void cleanup();
    void pluralsReadAsEnglish_data();
    void pluralsReadAsEnglish();
    void everyCountedTextHasItsForms();
    void englishFileListsEveryCountedText();

private:
    void uninstallAll();
};

void TestTranslations::uninstallAll() {
    for (QTranslator* t : QCoreApplication::instance()->findChildren<QTranslator*>()) {
        QCoreApplication::removeTranslator(t);
        delete t;
    }
}

void TestTranslations::cleanup() {
    uninstallAll();
}

void TestTranslations::pluralsReadAsEnglish_data() {
    QTest::addColumn<QString>("locale");
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("expected");
    const QString vault = QStringLiteral("llamadesk::vault::Vault");
    const QString stale =
        QStringLiteral("%n tax_transactions row(s) with a missing or stale tax_inputs record");
    const QString deleted = QStringLiteral("Deleted %n transaction(s). Press %1 to undo.");
    const QString view = QStringLiteral("llamadesk::ui::TransactionsView");
    QTest::newRow("one, English") << QStringLiteral("en_US") << vault << stale << 1
                                  << QStringLiteral(
                                         "1 tax_transactions row with a missing or stale "
                                         "tax_inputs record");
    QTest::newRow("three, English")
        << QStringLiteral("en_GB") << vault << stale << 3
        << QStringLiteral("3 tax_transactions rows with a missing or stale "
                          "tax_inputs record");
    QTest::newRow("zero, English") << QStringLiteral("en_US") << view << deleted << 0
                                   << QStringLiteral("Deleted 0 transactions. Press %1 to undo.");
    QTest::newRow("one, German (no German file: English)")
        << QStringLiteral("de_DE") << view << deleted << 1
        << QStringLiteral("Deleted 1 transaction. Press %1 to undo.");
    QTest::newRow("two, Japanese (no Japanese file: English)")
        << QStringLiteral("ja_JP") << view << deleted << 2
        << QStringLiteral("Deleted 2 transactions. Press %1 to undo.");
    // Only the first "(s)" after the count follows it.
    QTest::newRow("second word left alone")
        << QStringLiteral("en_US") << QStringLiteral("llamadesk::ui::PortfolioCards")
        << QStringLiteral("%n holding(s) on %1 chain(s)") << 1
        << QStringLiteral("1 holding on %1 chain(s)");
}

void TestTranslations::pluralsReadAsEnglish() {
    QFETCH(QString, locale);
    QFETCH(QString, context);
    QFETCH(QString, source);
    QFETCH(int, count);
    QFETCH(QString, expected);
    // Without the translations Qt prints the source as written.
    QCOMPARE(QCoreApplication::translate(qPrintable(context), qPrintable(source), nullptr, count),
             QString(source).replace(QStringLiteral("%n"), QString::number(count)));
    QVERIFY(Translations::install(QCoreApplication::instance(), QLocale(locale)) >= 1);
    QCOMPARE(QCoreApplication::translate(qPrintable(context), qPrintable(source), nullptr, count),
             expected);
}

void TestTranslations::everyCountedTextHasItsForms() {
    // Every "%n" text of the English file, through the installed translator: its singular has no
    // "(s)" right after the count, and the plural differs from it wherever the source has one.
    const QString ts = QFINDTESTDATA("../../translations/llamadesk_en.ts");
    QVERIFY(!ts.isEmpty());
    QFile file(ts);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY(Translations::install(QCoreApplication::instance(), QLocale(QLocale::English)) >= 1);
    const QRegularExpression message(
        QStringLiteral("<name>(.*?)</name>|<message numerus=\"yes\">\\s*<source>(.*?)</source>"),
        QRegularExpression::DotMatchesEverythingOption);
    QString context;
    int checked = 0;
    for (auto it = message.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        if (!m.captured(1).isEmpty()) {
            context = m.captured(1);
            continue;
        }
        QString source = m.captured(2);
        source.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
        source.replace(QStringLiteral("&lt;"), QStringLiteral("<"));
        source.replace(QStringLiteral("&gt;"), QStringLiteral(">"));
        source.replace(QStringLiteral("&quot;"), QStringLiteral("\""));
        source.replace(QStringLiteral("&apos;"), QStringLiteral("'"));
        const QByteArray c = context.toUtf8();
        const QByteArray s = source.toUtf8();
        const QString one = QCoreApplication::translate(c.constData(), s.constData(), nullptr, 1);
        const QString many = QCoreApplication::translate(c.constData(), s.constData(), nullptr, 7);
        QVERIFY2(!one.contains(QStringLiteral("1 ") + QStringLiteral("(s)")), qPrintable(one));
        const qsizetype after = source.indexOf(QStringLiteral("(s)"), source.indexOf(u"%n"));
        if (after >= 0) {
            QVERIFY2(one != QString(source).replace(QStringLiteral("%n"), QStringLiteral("1")),
                     qPrintable(context + QStringLiteral(": ") + source));
            QVERIFY2(many.contains(QStringLiteral("7 ")), qPrintable(many));
            QVERIFY2(!many.mid(many.indexOf(QStringLiteral("7 "))).startsWith(u"7 (s)"),
                     qPrintable(many));
        }
        ++checked;
    }
    QVERIFY2(checked >= 30, qPrintable(QString::number(checked)));
}

void TestTranslations::englishFileListsEveryCountedText() {
    // A new "%n" text in the sources must reach translations/llamadesk_en.ts (see
    // translations/README.md), or it would print "(s)" again: lupdate lists them all.
    const QString ts = QFINDTESTDATA("../../translations/llamadesk_en.ts");
    QVERIFY(!ts.isEmpty());
    const QString root = QFileInfo(ts).absolutePath() + QStringLiteral("/..");
    QString lupdate = QLibraryInfo::path(QLibraryInfo::BinariesPath) + QStringLiteral("/lupdate");
    if (!QFile::exists(lupdate))
        lupdate =
            QLibraryInfo::path(QLibraryInfo::LibraryExecutablesPath) + QStringLiteral("/lupdate");
    QVERIFY2(QFile::exists(lupdate), qPrintable(lupdate));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fresh = dir.filePath(QStringLiteral("fresh_en.ts"));
    QProcess p;
    p.setWorkingDirectory(root);
    p.start(lupdate,
            {QStringLiteral("-pluralonly"), QStringLiteral("-target-language"),
             QStringLiteral("en"), QStringLiteral("-locations"), QStringLiteral("none"),
             QStringLiteral("-no-obsolete"), QStringLiteral("-silent"), QStringLiteral("app"),
             QStringLiteral("core"), QStringLiteral("ui"), QStringLiteral("-ts"), fresh});
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 0);
    const QSet<QString> wanted = numerusSources(fresh);
    const QSet<QString> have = numerusSources(ts);
    QVERIFY(wanted.size() >= 30);
    const QSet<QString> missing = QSet<QString>(wanted).subtract(have);
    QVERIFY2(missing.isEmpty(), qPrintable(QStringList(missing.values()).join(u'\n')));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "TestTranslations.moc"
