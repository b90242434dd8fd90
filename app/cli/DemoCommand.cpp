#include "DemoCommand.h"

#include "CliApplication.h"
#include "Terminal.h"
#include "demo/DemoData.h"
#include "vault/Vault.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>
#include <limits>
#include <memory>

namespace llamadesk::cli {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("llamadesk::cli::DemoCommand", text);
}

// A whole number option within [min, max]; false (with the message) otherwise.
bool numberOption(const QCommandLineParser& parser, const QString& name, qint64 min, qint64 max,
                  qint64* value, QString* message) {
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    const qint64 n = parser.value(name).toLongLong(&ok);
    if (!ok || n < min || n > max) {
        *message = tr("--%1 needs a whole number from %2 to %3").arg(name).arg(min).arg(max);
        return false;
    }
    *value = n;
    return true;
}

} // namespace

void DemoCommand::addOptions(CliApplication& app, QCommandLineParser& parser) {
    app.addDatabaseOptions(parser);
    // Used only when the vault does not exist yet and the demo creates it.
    app.addCreateOptions(parser);
    parser.addOption({QStringLiteral("transactions"),
                      tr("Number of sample transactions (default 5000)."), tr("N")});
    parser.addOption({QStringLiteral("seed"),
                      tr("Seed of the sample data: the same seed gives the same data (default 1)."),
                      tr("N")});
    parser.addOption(
        {QStringLiteral("years"), tr("Years of history in the ledger (default 3)."), tr("N")});
    parser.addOption({QStringLiteral("add"),
                      tr("Add the sample data to a vault that already has transactions.")});
    parser.addOption({QStringLiteral("quiet"), tr("Print nothing on success.")});
}

int DemoCommand::run(QCommandLineParser& parser) {
    demo::DemoOptions options;
    QString message;
    qint64 years = 3;
    qint64 seed = 1;
    if (!numberOption(parser, QStringLiteral("transactions"), 1, 10000000, &options.transactions,
                      &message) ||
        !numberOption(parser, QStringLiteral("seed"), 0, std::numeric_limits<qint64>::max(), &seed,
                      &message) ||
        !numberOption(parser, QStringLiteral("years"), 1, 20, &years, &message))
        return m_app.fail(message);
    options.seed = quint64(seed);
    options.ledgerDays = int(years * 365);
    options.snapshotDays = std::min(730, options.ledgerDays);
    options.addToExisting = parser.isSet(QStringLiteral("add"));
    const bool quiet = parser.isSet(QStringLiteral("quiet"));

    const QString path = m_app.databasePath(parser);
    const bool creating = !QFileInfo::exists(path);
    std::unique_ptr<vault::Vault> vault =
        creating ? m_app.createVault(parser) : m_app.unlock(parser);
    if (!vault)
        return 1;

    // Progress on stderr, one line per stage, so stdout keeps only the summary.
    QString lastStage;
    if (!quiet) {
        options.progress = [&lastStage](int percent, const QString& stage) {
            if (stage == lastStage)
                return;
            lastStage = stage;
            terminal::printError(QStringLiteral("[%1%] %2").arg(percent, 3).arg(stage));
        };
    }
    QElapsedTimer timer;
    timer.start();
    const Result<demo::DemoSummary> result = demo::DemoData::populate(vault->database(), options);
    if (!result)
        return m_app.fail(creating ? tr("the vault %1 was created but no sample data was "
                                        "written: %2")
                                         .arg(path, result.error())
                                   : tr("no sample data written: %1").arg(result.error()));
    if (quiet)
        return 0;
    const demo::DemoSummary& s = *result;
    terminal::printOut(tr("Sample data written to %1 in %2 s\n"
                          "  tax_transactions:    %3\n"
                          "  prices:              %4\n"
                          "  portfolio_assets:    %5\n"
                          "  portfolio_snapshots: %6\n"
                          "  alert_rules:         %7\n"
                          "  alert_history:       %8\n"
                          "  gas_predictions:     %9\n")
                           .arg(path)
                           .arg(QStringLiteral("%1.%2")
                                    .arg(timer.elapsed() / 1000)
                                    .arg(timer.elapsed() % 1000 / 100))
                           .arg(s.transactions)
                           .arg(s.prices)
                           .arg(s.portfolioAssets)
                           .arg(s.snapshots)
                           .arg(s.alertRules)
                           .arg(s.alertHistory)
                           .arg(s.gasPredictions) +
                       tr("  predictions:         %1\n"
                          "  protocol_health:     %2\n"
                          "  portfolio value:     %3 USD\n")
                           .arg(s.predictions)
                           .arg(s.protocolHealth)
                           .arg(s.portfolioValueUsd.toString(2)));
    return 0;
}

} // namespace llamadesk::cli
