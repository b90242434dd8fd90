#include "ImportCommand.h"

#include "CliApplication.h"
#include "Terminal.h"
#include "import/Importer.h"
#include "store/LocalUser.h"
#include "vault/Vault.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QTimeZone>

namespace llamadesk::cli {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("llamadesk::cli::ImportCommand", text);
}

// Exit code when --partial imported the good rows and left bad ones out.
constexpr int kPartialExit = 3;

} // namespace

void ImportCommand::addOptions(CliApplication& app, QCommandLineParser& parser) {
    app.addDatabaseOptions(parser);
    parser.addOption({QStringLiteral("partial"),
                      tr("Import the good rows even when some rows are bad (they are listed). "
                         "Without it, one bad row means nothing is imported.")});
    parser.addOption({QStringLiteral("wallet"),
                      tr("The wallet of rows that name none (default: default)."), tr("NAME")});
    parser.addOption({QStringLiteral("currency"),
                      tr("The fiat the files' values are in (default: USD)."), tr("CODE")});
    parser.addOption({QStringLiteral("source-timezone"),
                      tr("The time zone of CoinTracker dates, which carry none (default: UTC)."),
                      tr("ZONE")});
    parser.addOption({QStringLiteral("max-problems"),
                      tr("List at most N problems per file (default: 1000)."), tr("N")});
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 tr("CSV files: canonical, Koinly universal or CoinTracker."),
                                 QStringLiteral("FILE..."));
}

int ImportCommand::run(QCommandLineParser& parser) {
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty())
        return m_app.fail(tr("import needs at least one CSV file"));
    for (const QString& f : files) {
        if (!QFileInfo(f).isFile())
            return m_app.fail(tr("%1 is not a file").arg(f));
    }

    import::ImportOptions options;
    options.partial = parser.isSet(QStringLiteral("partial"));
    if (parser.isSet(QStringLiteral("wallet"))) {
        options.read.defaultWallet = parser.value(QStringLiteral("wallet")).trimmed();
        if (options.read.defaultWallet.isEmpty() || options.read.defaultWallet.size() > 255)
            return m_app.fail(tr("--wallet needs a name of 1 to 255 characters"));
    }
    if (parser.isSet(QStringLiteral("currency")))
        options.read.valueCurrency = parser.value(QStringLiteral("currency")).trimmed().toUpper();
    if (parser.isSet(QStringLiteral("source-timezone"))) {
        const QTimeZone zone(parser.value(QStringLiteral("source-timezone")).toUtf8());
        if (!zone.isValid())
            return m_app.fail(tr("unknown time zone '%1' (use an IANA name such as "
                                 "Europe/London)")
                                  .arg(parser.value(QStringLiteral("source-timezone"))));
        options.read.sourceTimeZone = zone;
    }
    if (parser.isSet(QStringLiteral("max-problems"))) {
        bool ok = false;
        const int n = parser.value(QStringLiteral("max-problems")).toInt(&ok);
        if (!ok || n < 1)
            return m_app.fail(tr("--max-problems needs a positive number"));
        options.read.maxProblems = n;
    }

    std::unique_ptr<vault::Vault> vault = m_app.unlock(parser);
    if (!vault)
        return 1;
    const Result<QString> user = store::LocalUser::ensure(vault->database());
    if (!user)
        return m_app.fail(user.error());

    QStringList paths;
    for (const QString& f : files)
        paths.append(QFileInfo(f).absoluteFilePath());
    import::Importer importer(vault->database(), *user);
    const Result<import::ImportSummary> result = importer.run(paths, options);
    if (!result)
        return m_app.fail(tr("nothing imported: %1").arg(result.error()));
    const import::ImportSummary& s = *result;

    for (const import::ImportProblem& p : s.problems) {
        import::ImportProblem shown = p;
        shown.file = QFileInfo(p.file).fileName();
        terminal::printError(shown.toString());
    }
    if (s.problemCount > s.problems.size())
        terminal::printError(
            tr("... and %1 more problems").arg(s.problemCount - s.problems.size()));

    QString text;
    for (const import::FileSummary& f : s.files) {
        text += tr("%1 (%2): %3 rows read, %4 imported, %5 duplicates skipped, %6 bad\n")
                    .arg(QFileInfo(f.path).fileName(),
                         f.formatKnown ? import::toString(f.format) : tr("unrecognized"))
                    .arg(f.recordsRead)
                    .arg(f.imported)
                    .arg(f.duplicates)
                    .arg(f.badRecords);
    }
    text += tr("Total: %1 rows read, %2 imported, %3 duplicates skipped, %4 bad rows\n")
                .arg(s.recordsRead)
                .arg(s.imported)
                .arg(s.duplicates)
                .arg(s.badRecords);
    terminal::printOut(text);

    if (!s.committed)
        return m_app.fail(tr("nothing imported: %1 problems found; fix them or use --partial")
                              .arg(s.problemCount));
    return s.problemCount > 0 ? kPartialExit : 0;
}

} // namespace llamadesk::cli
