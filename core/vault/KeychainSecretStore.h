#pragma once

#include "vault/SecretStore.h"

#include <QCoreApplication>

namespace llamadesk::vault {

// The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows)
// through QtKeychain. QtKeychain is asynchronous; each call here waits for its job in a local
// event loop, with a timeout so that a hung keychain service cannot hang the app.
//
// Use it from the application's main thread, with a QCoreApplication alive (QtKeychain queues
// all jobs on one executor object). A call that times out leaves its job running in the
// background; until that job ends every further call answers Unavailable at once.
class KeychainSecretStore final : public SecretStore {
    Q_DECLARE_TR_FUNCTIONS(KeychainSecretStore)

public:
    static constexpr int kDefaultTimeoutMs = 10000;

    explicit KeychainSecretStore(QString service = QStringLiteral("LlamaDesk"));
    ~KeychainSecretStore() override;

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    int timeout() const { return m_timeoutMs; }

    QString serviceName() const override { return m_service; }
    ReadResult read(const QString& account) override;
    Error write(const QString& account, const SecureBytes& secret,
                QString* message = nullptr) override;
    Error remove(const QString& account, QString* message = nullptr) override;
    Error probe(QString* message = nullptr) override;

    // The account name probe() uses for its short-lived entry.
    static QString probeAccount();

private:
    QString timeoutMessage() const;

    QString m_service;
    int m_timeoutMs = kDefaultTimeoutMs;
};

} // namespace llamadesk::vault
