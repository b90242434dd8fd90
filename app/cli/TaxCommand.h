#pragma once

#include "tax/TaxOptions.h"
#include "tax/export/ExportFormat.h"

#include <QCommandLineParser>
#include <QString>

namespace llamadesk::tax {
class TaxResult;
}

namespace llamadesk::cli {

class CliApplication;

// llamadesk-cli tax: computes a period's gains, income and holdings from the vault (streamed, with
// the lots and the summary saved back and checkpoints for the next run) or from a ledger CSV
// (no vault), and writes one export format. See docs/tax-engine.md, "The tax command".
class TaxCommand {
public:
    // Exit codes (documented in docs/tax-engine.md).
    enum ExitCode {
        Ok = 0,
        Failed = 1,     // the vault, the input, the engine or the output failed
        BadOptions = 2, // an option is missing, unknown, malformed or conflicts with another
        BadLedger = 3,  // the ledger file has rows that cannot be used: nothing was computed
    };

    explicit TaxCommand(CliApplication& app)
        : m_app(app) {}
    static void addOptions(CliApplication& app, QCommandLineParser& parser);
    int run(QCommandLineParser& parser);

private:
    // Fills m_options, m_format and friends; false (with the message printed) on a bad option.
    bool parseOptions(const QCommandLineParser& parser);
    int badOption(const QString& option, const QString& why) const;
    int runLedger(const QString& path);
    int runVault(QCommandLineParser& parser);
    int writeOutput(const tax::TaxResult& result, qint64* bytes);

    CliApplication& m_app;
    tax::TaxOptions m_options;
    tax::ExportOptions m_exportOptions;
    QString m_format;
    QString m_out;
    QString m_selectionsPath;
    bool m_verbose = false;
    bool m_full = false;
    bool m_save = true;
    int m_exit = Ok;
};

} // namespace llamadesk::cli
