#pragma once

#include <QCommandLineParser>

namespace llamadesk::cli {

class CliApplication;

// llamadesk-cli import: see docs/import.md.
class ImportCommand {
public:
    explicit ImportCommand(CliApplication& app)
        : m_app(app) {}
    static void addOptions(CliApplication& app, QCommandLineParser& parser);
    int run(QCommandLineParser& parser);

private:
    CliApplication& m_app;
};

} // namespace llamadesk::cli
