#pragma once

#include "vault/SecretStore.h"

#include <QCoreApplication>

#include <map>

namespace llamadesk::vault {

// A secret store in process memory: the stand-in for the OS keychain in tests and on machines
// where the user keeps the keychain off. It can play an unavailable or a locked keychain.
class MemorySecretStore final : public SecretStore {
    Q_DECLARE_TR_FUNCTIONS(MemorySecretStore)

public:
    explicit MemorySecretStore(QString service = QStringLiteral("LlamaDesk"));
    ~MemorySecretStore() override;

    QString serviceName() const override { return m_service; }
    ReadResult read(const QString& account) override;
    Error write(const QString& account, const SecureBytes& secret,
                QString* message = nullptr) override;
    Error remove(const QString& account, QString* message = nullptr) override;
    Error probe(QString* message = nullptr) override;

    // Unavailable: every call answers Unavailable, as with no D-Bus or no Secret Service.
    void setAvailable(bool available) { m_available = available; }
    // Locked: reads answer NotFound even for stored entries (what a real locked keyring does),
    // writes and removals fail with Unavailable, probe() fails.
    void setLocked(bool locked) { m_locked = locked; }

    bool contains(const QString& account) const;
    int entryCount() const { return static_cast<int>(m_entries.size()); }

private:
    Error refuse(QString* message) const;

    QString m_service;
    std::map<QString, SecureBytes> m_entries;
    bool m_available = true;
    bool m_locked = false;
};

} // namespace llamadesk::vault
