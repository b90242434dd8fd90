#include "ChainNames.h"

namespace llamadesk::portfolio {

QString ChainNames::name(qint64 chainId) {
    switch (chainId) {
    case 1:
        return QStringLiteral("Ethereum");
    case 10:
        return QStringLiteral("Optimism");
    case 56:
        return QStringLiteral("BNB Chain");
    case 100:
        return QStringLiteral("Gnosis");
    case 101:
        return QStringLiteral("Solana");
    case 137:
        return QStringLiteral("Polygon");
    case 250:
        return QStringLiteral("Fantom");
    case 324:
        return QStringLiteral("zkSync Era");
    case 8453:
        return QStringLiteral("Base");
    case 42161:
        return QStringLiteral("Arbitrum");
    case 43114:
        return QStringLiteral("Avalanche");
    case 59144:
        return QStringLiteral("Linea");
    default:
        return tr("Chain %1").arg(chainId);
    }
}

} // namespace llamadesk::portfolio
