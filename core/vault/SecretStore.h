#pragma once

#include "vault/SecureBytes.h"

#include <QString>

namespace llamadesk::vault {

// Where the OS keeps secrets for us (the keychain), behind a small interface so that tests and
// machines without a keychain can use another implementation. Calls are synchronous.
class SecretStore {
public:
    enum class Error {
        None,
        NotFound,    // the store works and has no entry under that name (see probe())
        Unavailable, // no D-Bus, no Secret Service, locked or missing keyring, access denied,
                     // no answer in time: the store cannot be used right now
        Other,
    };

    struct ReadResult {
        Error error = Error::None;
        SecureBytes secret;
        QString message; // for the user, never contains the secret
    };

    SecretStore() = default;
    virtual ~SecretStore();
    SecretStore(const SecretStore&) = delete;
    SecretStore& operator=(const SecretStore&) = delete;

    // The name the entries are filed under (the "service" of the keychain).
    virtual QString serviceName() const = 0;

    virtual ReadResult read(const QString& account) = 0;
    virtual Error write(const QString& account, const SecureBytes& secret,
                        QString* message = nullptr) = 0;
    // Removing an entry that does not exist is not an error.
    virtual Error remove(const QString& account, QString* message = nullptr) = 0;

    // Writes, reads back and deletes a probe entry. The only way to know that the store really
    // works: a locked keyring answers "not found" to every read. None when it works, otherwise
    // Unavailable (or Other) with the reason in `message`.
    virtual Error probe(QString* message = nullptr) = 0;

    // A short English name of the error for logs ("None", "NotFound", ...).
    static QString errorName(Error error);
};

} // namespace llamadesk::vault
