#pragma once

#include <QCommandLineParser>
#include <QStringList>

#include <functional>
#include <memory>

namespace llamadesk::vault {
class SecretStore;
class Vault;
} // namespace llamadesk::vault

namespace llamadesk::cli {

// The llamadesk-cli subcommands. Each returns the process exit code; failures print one line on
// stderr that says what went wrong.
class CliApplication {
public:
    CliApplication();
    ~CliApplication();
    int run(const QStringList& arguments);

    // Shared by the subcommands that live in their own files (ImportCommand, TaxCommand).
    void addDatabaseOptions(QCommandLineParser& parser);
    QString databasePath(const QCommandLineParser& parser) const;
    std::unique_ptr<vault::Vault> unlock(const QCommandLineParser& parser);
    // The options of a new vault (keychain or not, where the recovery code goes), and creating
    // one with them: prints the one-time recovery code (or writes it to its file).
    void addCreateOptions(QCommandLineParser& parser);
    std::unique_ptr<vault::Vault> createVault(const QCommandLineParser& parser);
    int fail(const QString& message) const;

private:
    struct Command {
        QString name;
        QString summary;
        std::function<void(QCommandLineParser&)> addOptions;
        std::function<int(QCommandLineParser&)> run;
    };

    int runInit(QCommandLineParser& parser);
    int runInfo(QCommandLineParser& parser);
    int runPasswd(QCommandLineParser& parser);
    int runRecover(QCommandLineParser& parser);
    int runVerify(QCommandLineParser& parser);

    vault::SecretStore& secretStore();

    int printUsage() const;

    QList<Command> m_commands;
    std::unique_ptr<vault::SecretStore> m_secrets;
};

} // namespace llamadesk::cli
