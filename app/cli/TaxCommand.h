#pragma once

#include <QCommandLineParser>

namespace llamadesk::cli {

class CliApplication;

// llamadesk-cli tax: see docs/tax-engine.md.
class TaxCommand {
public:
    explicit TaxCommand(CliApplication& app)
        : m_app(app) {}
    static void addOptions(CliApplication& app, QCommandLineParser& parser);
    int run(QCommandLineParser& parser);

private:
    CliApplication& m_app;
};

} // namespace llamadesk::cli
