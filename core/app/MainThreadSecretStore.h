#pragma once

#include "vault/SecretStore.h"

namespace llamadesk::app {

// Lets vault work run on a worker thread while the secret store it needs stays on the
// application's main thread (the OS keychain answers only there). Each call from another thread
// is handed to the main thread and waited for; a call on the main thread goes straight through.
// The main thread must keep running its event loop while a worker waits (never block it on the
// worker), which is how the app uses it.
class MainThreadSecretStore final : public vault::SecretStore {
public:
    explicit MainThreadSecretStore(vault::SecretStore& target);
    ~MainThreadSecretStore() override;

    QString serviceName() const override;
    ReadResult read(const QString& account) override;
    Error write(const QString& account, const vault::SecureBytes& secret,
                QString* message = nullptr) override;
    Error remove(const QString& account, QString* message = nullptr) override;
    Error probe(QString* message = nullptr) override;

private:
    vault::SecretStore& m_target;
};

} // namespace llamadesk::app
