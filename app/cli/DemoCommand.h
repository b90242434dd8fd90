#pragma once

#include <QCommandLineParser>

namespace llamadesk::cli {

class CliApplication;

// llamadesk-cli demo: fills a vault with the sample data set (demo::DemoData); see
// docs/local-schema.md.
class DemoCommand {
public:
    explicit DemoCommand(CliApplication& app)
        : m_app(app) {}
    static void addOptions(CliApplication& app, QCommandLineParser& parser);
    int run(QCommandLineParser& parser);

private:
    CliApplication& m_app;
};

} // namespace llamadesk::cli
