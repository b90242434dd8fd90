#include "vault/MemorySecretStore.h"

#include <utility>

namespace llamadesk::vault {

namespace {

void setMessage(QString* message, const QString& text) {
    if (message != nullptr) {
        *message = text;
    }
}

} // namespace

MemorySecretStore::MemorySecretStore(QString service)
    : m_service(std::move(service)) {}

MemorySecretStore::~MemorySecretStore() = default;

SecretStore::Error MemorySecretStore::refuse(QString* message) const {
    if (!m_available) {
        setMessage(message, tr("The keychain service is not available."));
    } else {
        setMessage(message, tr("The keychain is locked."));
    }
    return Error::Unavailable;
}

SecretStore::ReadResult MemorySecretStore::read(const QString& account) {
    ReadResult result;
    if (!m_available) {
        result.error = refuse(&result.message);
        return result;
    }
    const auto it = m_entries.find(account);
    // A locked keyring does not say "locked" on a read: it finds nothing.
    if (m_locked || it == m_entries.end()) {
        result.error = Error::NotFound;
        result.message = tr("The keychain has no entry \"%1\".").arg(account);
        return result;
    }
    result.secret = it->second.clone();
    if (result.secret.size() != it->second.size()) {
        result.error = Error::Other;
        result.message = tr("Out of secure memory while reading the keychain entry.");
    }
    return result;
}

SecretStore::Error MemorySecretStore::write(const QString& account, const SecureBytes& secret,
                                            QString* message) {
    if (!m_available || m_locked) {
        return refuse(message);
    }
    SecureBytes copy = secret.clone();
    if (copy.size() != secret.size()) {
        setMessage(message, tr("Out of secure memory while writing the keychain entry."));
        return Error::Other;
    }
    m_entries[account] = std::move(copy);
    return Error::None;
}

SecretStore::Error MemorySecretStore::remove(const QString& account, QString* message) {
    if (!m_available || m_locked) {
        return refuse(message);
    }
    m_entries.erase(account);
    return Error::None;
}

SecretStore::Error MemorySecretStore::probe(QString* message) {
    if (!m_available || m_locked) {
        return refuse(message);
    }
    return Error::None;
}

bool MemorySecretStore::contains(const QString& account) const {
    return m_entries.find(account) != m_entries.end();
}

} // namespace llamadesk::vault
