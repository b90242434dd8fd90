#include "vault/SecretStore.h"

namespace llamadesk::vault {

SecretStore::~SecretStore() = default;

QString SecretStore::errorName(Error error) {
    switch (error) {
    case Error::None:
        return QStringLiteral("None");
    case Error::NotFound:
        return QStringLiteral("NotFound");
    case Error::Unavailable:
        return QStringLiteral("Unavailable");
    case Error::Other:
        return QStringLiteral("Other");
    }
    return QStringLiteral("Unknown");
}

} // namespace llamadesk::vault
