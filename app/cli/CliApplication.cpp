#include "CliApplication.h"

#include "DemoCommand.h"
#include "ImportCommand.h"
#include "TaxCommand.h"
#include "Terminal.h"
#include "vault/KeychainSecretStore.h"
#include "vault/SecureBytes.h"
#include "vault/Vault.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSqlQuery>

namespace llamadesk::cli {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("llamadesk::cli::CliApplication", text);
}

// Reads the first line of a secret file; trailing newline characters are not part of the secret.
bool readSecretFile(const QString& path, QString* secret, QString* message) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *message = tr("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    QByteArray bytes = file.readLine(64 * 1024);
    while (bytes.endsWith('\n') || bytes.endsWith('\r'))
        bytes.chop(1);
    *secret = QString::fromUtf8(bytes);
    vault::wipe(bytes);
    if (secret->isEmpty()) {
        *message = tr("%1 is empty").arg(path);
        return false;
    }
    return true;
}

// Writes a secret to a new file readable only by the user.
bool writePrivateFile(const QString& path, const QString& text, QString* message) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *message = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QByteArray bytes = text.toUtf8() + '\n';
    file.write(bytes);
    vault::wipe(bytes);
    if (!file.commit()) {
        *message = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

CliApplication::CliApplication() {
    m_commands = {
        {QStringLiteral("init"), tr("Create a new encrypted vault."),
         [this](QCommandLineParser& p) {
             addDatabaseOptions(p);
             addCreateOptions(p);
             p.addOption({QStringLiteral("quiet"),
                          tr("Print nothing on success except the recovery code.")});
         },
         [this](QCommandLineParser& p) {
             return runInit(p);
         }},
        {QStringLiteral("info"),
         tr("Show the vault's identity, schema version, unlock methods and size."),
         [this](QCommandLineParser& p) { addDatabaseOptions(p); },
         [this](QCommandLineParser& p) {
             return runInfo(p);
         }},
        {QStringLiteral("passwd"),
         tr("Set or change the vault's passphrase (the key file is rewrapped; data is untouched)."),
         [this](QCommandLineParser& p) {
             addDatabaseOptions(p);
             p.addOption({QStringLiteral("new-passphrase-file"),
                          tr("Read the new passphrase from FILE (else LLAMADESK_NEW_PASSPHRASE or "
                             "a prompt)."),
                          tr("FILE")});
         },
         [this](QCommandLineParser& p) {
             return runPasswd(p);
         }},
        {QStringLiteral("recover"),
         tr("Unlock with the recovery code, set a new passphrase and issue a new recovery code."),
         [](QCommandLineParser& p) {
             p.addOption({QStringLiteral("db"),
                          tr("The vault file (default: %1).").arg(vault::Vault::defaultPath()),
                          tr("PATH")});
             p.addOption({QStringLiteral("recovery-code-file"),
                          tr("Read the recovery code from FILE (else LLAMADESK_RECOVERY_CODE or a "
                             "prompt)."),
                          tr("FILE")});
             p.addOption({QStringLiteral("new-passphrase-file"),
                          tr("Read the new passphrase from FILE (else LLAMADESK_NEW_PASSPHRASE or "
                             "a prompt)."),
                          tr("FILE")});
             p.addOption(
                 {QStringLiteral("new-recovery-code-file"),
                  tr("Write the new recovery code to FILE (mode 0600) instead of printing it."),
                  tr("FILE")});
         },
         [this](QCommandLineParser& p) {
             return runRecover(p);
         }},
        {QStringLiteral("verify"),
         tr("Check the vault's integrity (SQLite integrity and foreign keys)."),
         [this](QCommandLineParser& p) { addDatabaseOptions(p); },
         [this](QCommandLineParser& p) {
             return runVerify(p);
         }},
        {QStringLiteral("import"),
         tr("Import transactions from CSV files (canonical, Koinly, CoinTracker)."),
         [this](QCommandLineParser& p) { ImportCommand::addOptions(*this, p); },
         [this](QCommandLineParser& p) {
             return ImportCommand(*this).run(p);
         }},
        {QStringLiteral("demo"),
         tr("Fill a vault with realistic sample data (transactions, prices, portfolio, alerts)."),
         [this](QCommandLineParser& p) { DemoCommand::addOptions(*this, p); },
         [this](QCommandLineParser& p) {
             return DemoCommand(*this).run(p);
         }},
        {QStringLiteral("tax"),
         tr("Compute capital gains and income for a period and export them."),
         [this](QCommandLineParser& p) { TaxCommand::addOptions(*this, p); },
         [this](QCommandLineParser& p) {
             return TaxCommand(*this).run(p);
         }},
    };
}

CliApplication::~CliApplication() = default;

int CliApplication::run(const QStringList& arguments) {
    if (arguments.size() < 2)
        return printUsage();
    const QString first = arguments.at(1);
    if (first == QLatin1String("--version") || first == QLatin1String("-v")) {
        terminal::printOut(
            QStringLiteral("llamadesk-cli %1\n").arg(QCoreApplication::applicationVersion()));
        return 0;
    }
    if (first == QLatin1String("--help") || first == QLatin1String("-h") ||
        first == QLatin1String("help")) {
        printUsage();
        return 0;
    }
    for (const Command& command : m_commands) {
        if (command.name != first)
            continue;
        QCommandLineParser parser;
        parser.setApplicationDescription(command.summary);
        parser.addHelpOption();
        command.addOptions(parser);
        QStringList rest = arguments;
        rest.removeAt(1);
        rest[0] = QStringLiteral("llamadesk-cli %1").arg(command.name);
        if (!parser.parse(rest))
            return fail(parser.errorText());
        if (parser.isSet(QStringLiteral("help"))) {
            terminal::printOut(parser.helpText());
            return 0;
        }
        // Only import takes operands (its files); anything else left over is a mistake.
        if (!parser.positionalArguments().isEmpty() && command.name != QLatin1String("import"))
            return fail(
                tr("unexpected argument: %1").arg(parser.positionalArguments().constFirst()));
        return command.run(parser);
    }
    return fail(tr("unknown command '%1' (try --help)").arg(first));
}

int CliApplication::printUsage() const {
    QString text = tr("Usage: llamadesk-cli COMMAND [options]\n\nCommands:\n");
    for (const Command& command : m_commands)
        text += QStringLiteral("  %1  %2\n").arg(command.name.leftJustified(8), command.summary);
    text += tr("\nRun 'llamadesk-cli COMMAND --help' for a command's options.\n");
    terminal::printOut(text);
    return 2;
}

int CliApplication::fail(const QString& message) const {
    terminal::printError(QStringLiteral("llamadesk-cli: %1").arg(message));
    return 1;
}

void CliApplication::addDatabaseOptions(QCommandLineParser& parser) {
    parser.addOption({QStringLiteral("db"),
                      tr("The vault file (default: %1).").arg(vault::Vault::defaultPath()),
                      tr("PATH")});
    parser.addOption(
        {QStringLiteral("passphrase-file"),
         tr("Read the passphrase from FILE (else LLAMADESK_PASSPHRASE, the keychain or a prompt)."),
         tr("FILE")});
}

QString CliApplication::databasePath(const QCommandLineParser& parser) const {
    const QString db = parser.value(QStringLiteral("db"));
    return db.isEmpty() ? vault::Vault::defaultPath() : QFileInfo(db).absoluteFilePath();
}

vault::SecretStore& CliApplication::secretStore() {
    if (!m_secrets)
        m_secrets = std::make_unique<vault::KeychainSecretStore>();
    return *m_secrets;
}

namespace {

// The passphrase from --passphrase-file, then LLAMADESK_PASSPHRASE. Empty when neither is given.
bool givenPassphrase(const QCommandLineParser& parser, const QString& fileOption,
                     const char* envName, QString* passphrase, QString* message) {
    if (parser.isSet(fileOption))
        return readSecretFile(parser.value(fileOption), passphrase, message);
    if (qEnvironmentVariableIsSet(envName)) {
        *passphrase = qEnvironmentVariable(envName);
        if (passphrase->isEmpty()) {
            *message = tr("%1 is set but empty").arg(QString::fromLatin1(envName));
            return false;
        }
    }
    return true;
}

// A new passphrase from a file, the environment, or typed twice at a prompt.
bool newPassphrase(const QCommandLineParser& parser, QString* passphrase, QString* message) {
    if (!givenPassphrase(parser, QStringLiteral("new-passphrase-file"), "LLAMADESK_NEW_PASSPHRASE",
                         passphrase, message))
        return false;
    if (!passphrase->isEmpty())
        return true;
    QString again;
    if (!terminal::readSecret(tr("New passphrase: "), passphrase) ||
        !terminal::readSecret(tr("Repeat the new passphrase: "), &again)) {
        *message = tr("a new passphrase is needed: use --new-passphrase-file, "
                      "LLAMADESK_NEW_PASSPHRASE or a terminal");
        return false;
    }
    const bool same = *passphrase == again;
    vault::wipe(again);
    if (!same) {
        vault::wipe(*passphrase);
        *message = tr("the two passphrases differ");
        return false;
    }
    if (passphrase->isEmpty()) {
        *message = tr("the passphrase is empty");
        return false;
    }
    return true;
}

bool emitRecoveryCode(const vault::RecoveryCode& code, const QString& file, QString* message) {
    if (!file.isEmpty())
        return writePrivateFile(file, code.toString(), message);
    terminal::printOut(tr("Recovery code (shown once; keep it somewhere safe, offline):\n  %1\n")
                           .arg(code.toString()));
    return true;
}

} // namespace

std::unique_ptr<vault::Vault> CliApplication::unlock(const QCommandLineParser& parser) {
    const QString path = databasePath(parser);
    QString passphrase;
    QString message;
    if (!givenPassphrase(parser, QStringLiteral("passphrase-file"), "LLAMADESK_PASSPHRASE",
                         &passphrase, &message)) {
        fail(message);
        return nullptr;
    }
    vault::VaultError error = vault::VaultError::None;
    std::unique_ptr<vault::Vault> opened;
    if (passphrase.isEmpty()) {
        // No passphrase given: the keychain when the vault uses it, then a prompt.
        const auto keys = vault::KeyFile::load(vault::KeyFile::sidecarPath(path));
        const bool useKeychain = !keys.ok() || keys->hasKeychain();
        if (useKeychain)
            opened = vault::Vault::open(path, vault::UnlockRequest::keychain(), secretStore(),
                                        &error, &message);
        if (!opened && keys.ok() && keys->hasPassphrase()) {
            if (terminal::readSecret(tr("Passphrase for %1: ").arg(path), &passphrase)) {
                message.clear();
            } else if (!useKeychain) {
                message = tr("a passphrase is needed: use --passphrase-file, LLAMADESK_PASSPHRASE "
                             "or a terminal");
            }
        }
    }
    if (!opened && !passphrase.isEmpty())
        opened = vault::Vault::open(path, vault::UnlockRequest::passphrase(passphrase),
                                    secretStore(), &error, &message);
    vault::wipe(passphrase);
    if (!opened)
        fail(message.isEmpty() ? vault::describe(error) : message);
    return opened;
}

void CliApplication::addCreateOptions(QCommandLineParser& parser) {
    parser.addOption(
        {QStringLiteral("no-keychain"),
         tr("Do not store the key in the OS keychain (a passphrase is then required).")});
    parser.addOption({QStringLiteral("recovery-code-file"),
                      tr("Write the one-time recovery code to FILE (mode 0600) instead of "
                         "printing it."),
                      tr("FILE")});
}

std::unique_ptr<vault::Vault> CliApplication::createVault(const QCommandLineParser& parser) {
    const QString path = databasePath(parser);
    QString passphrase;
    QString message;
    if (!givenPassphrase(parser, QStringLiteral("passphrase-file"), "LLAMADESK_PASSPHRASE",
                         &passphrase, &message)) {
        fail(message);
        return nullptr;
    }

    vault::CreateOptions options;
    options.useKeychain = !parser.isSet(QStringLiteral("no-keychain"));
    if (options.useKeychain) {
        QString probeMessage;
        if (secretStore().probe(&probeMessage) != vault::SecretStore::Error::None) {
            if (passphrase.isEmpty() && !terminal::stdinIsInteractive()) {
                fail(tr("the OS keychain is not available (%1); give a passphrase with "
                        "--passphrase-file "
                        "or LLAMADESK_PASSPHRASE")
                         .arg(probeMessage));
                return nullptr;
            }
            options.useKeychain = false;
        }
    }
    if (!options.useKeychain && passphrase.isEmpty()) {
        QString again;
        if (!terminal::readSecret(tr("Choose a passphrase: "), &passphrase) ||
            !terminal::readSecret(tr("Repeat the passphrase: "), &again)) {
            fail(tr("without the keychain a passphrase is needed: use --passphrase-file, "
                    "LLAMADESK_PASSPHRASE or a terminal"));
            return nullptr;
        }
        const bool same = passphrase == again;
        vault::wipe(again);
        if (!same) {
            fail(tr("the two passphrases differ"));
            return nullptr;
        }
    }
    options.passphrase = passphrase;
    vault::wipe(passphrase);

    vault::RecoveryCode recovery;
    vault::VaultError error = vault::VaultError::None;
    auto created = vault::Vault::create(path, options, secretStore(), &recovery, &error, &message);
    vault::wipe(options.passphrase);
    if (!created) {
        fail(message.isEmpty() ? vault::describe(error) : message);
        return nullptr;
    }
    if (!emitRecoveryCode(recovery, parser.value(QStringLiteral("recovery-code-file")), &message)) {
        fail(message);
        return nullptr;
    }
    return created;
}

int CliApplication::runInit(QCommandLineParser& parser) {
    const std::unique_ptr<vault::Vault> created = createVault(parser);
    if (!created)
        return 1;
    if (!parser.isSet(QStringLiteral("quiet"))) {
        const vault::VaultInfo info = created->info();
        terminal::printOut(tr("Created vault %1\n  unlock: %2\n")
                               .arg(databasePath(parser), info.hasKeychain && info.hasPassphrase
                                                              ? tr("keychain, passphrase")
                                                          : info.hasKeychain ? tr("keychain")
                                                                             : tr("passphrase")));
    }
    return 0;
}

int CliApplication::runInfo(QCommandLineParser& parser) {
    auto opened = unlock(parser);
    if (!opened)
        return 1;
    const vault::VaultInfo info = opened->info();
    QStringList methods;
    if (info.hasKeychain)
        methods << tr("keychain");
    if (info.hasPassphrase)
        methods << tr("passphrase");
    if (info.hasRecoveryCode)
        methods << tr("recovery code");
    QString text = tr("path:            %1\n"
                      "vault id:        %2\n"
                      "schema version:  %3\n"
                      "cipher:          SQLCipher %4\n"
                      "unlock methods:  %5\n"
                      "database size:   %6 bytes\n")
                       .arg(info.path, info.vaultId.toString(QUuid::WithoutBraces))
                       .arg(info.schemaVersion)
                       .arg(info.cipherVersion, methods.join(QStringLiteral(", ")))
                       .arg(info.databaseBytes);
    QSqlQuery query(opened->database());
    query.setForwardOnly(true);
    const QStringList counted = {
        QStringLiteral("tax_transactions"), QStringLiteral("cost_basis_lots"),
        QStringLiteral("portfolio_assets"), QStringLiteral("alert_rules"),
        QStringLiteral("dashboards"),       QStringLiteral("sync_outbox")};
    for (const QString& table : counted) {
        // Table names come from the fixed list above, never from input.
        if (query.exec(QStringLiteral("SELECT count(*) FROM ") + table) && query.next())
            text += QStringLiteral("%1 %2\n")
                        .arg(QString(table + QLatin1Char(':')).leftJustified(16))
                        .arg(query.value(0).toLongLong());
    }
    terminal::printOut(text);
    return 0;
}

int CliApplication::runPasswd(QCommandLineParser& parser) {
    auto opened = unlock(parser);
    if (!opened)
        return 1;
    QString fresh;
    QString message;
    if (!newPassphrase(parser, &fresh, &message))
        return fail(message);
    const Status status = opened->setPassphrase(fresh);
    vault::wipe(fresh);
    if (!status)
        return fail(status.error());
    terminal::printOut(tr("Passphrase changed.\n"));
    return 0;
}

int CliApplication::runRecover(QCommandLineParser& parser) {
    const QString path = databasePath(parser);
    QString codeText;
    QString message;
    if (!givenPassphrase(parser, QStringLiteral("recovery-code-file"), "LLAMADESK_RECOVERY_CODE",
                         &codeText, &message))
        return fail(message);
    if (codeText.isEmpty() && !terminal::readSecret(tr("Recovery code: "), &codeText))
        return fail(tr("the recovery code is needed: use --recovery-code-file, "
                       "LLAMADESK_RECOVERY_CODE or a terminal"));
    vault::VaultError error = vault::VaultError::None;
    auto opened = vault::Vault::open(path, vault::UnlockRequest::recoveryCode(codeText),
                                     secretStore(), &error, &message);
    vault::wipe(codeText);
    if (!opened)
        return fail(message.isEmpty() ? vault::describe(error) : message);
    QString fresh;
    if (!newPassphrase(parser, &fresh, &message))
        return fail(message);
    const Status status = opened->setPassphrase(fresh);
    vault::wipe(fresh);
    if (!status)
        return fail(status.error());
    // The code that was just used is spent: issue a new one.
    auto code = opened->regenerateRecoveryCode();
    if (!code)
        return fail(code.error());
    if (!emitRecoveryCode(*code, parser.value(QStringLiteral("new-recovery-code-file")), &message))
        return fail(message);
    terminal::printOut(tr("Passphrase set; the old recovery code no longer works.\n"));
    return 0;
}

int CliApplication::runVerify(QCommandLineParser& parser) {
    auto opened = unlock(parser);
    if (!opened)
        return 1;
    auto problems = opened->verify();
    if (!problems)
        return fail(problems.error());
    if (!problems->isEmpty()) {
        for (const QString& problem : *problems)
            terminal::printError(problem);
        return fail(QCoreApplication::translate("llamadesk::cli::CliApplication",
                                                "%n problem(s) found", nullptr,
                                                static_cast<int>(problems->size())));
    }
    terminal::printOut(tr("ok\n"));
    return 0;
}

} // namespace llamadesk::cli
