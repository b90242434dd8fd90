#pragma once

#include <QCoreApplication>
#include <QString>
#include <QtGlobal>

namespace llamadesk::portfolio {

// Display names of EVM chain ids (and the ids the sample data uses for other networks).
class ChainNames {
    Q_DECLARE_TR_FUNCTIONS(ChainNames)

public:
    // "Ethereum" for 1; "Chain 12345" for an id it does not know.
    static QString name(qint64 chainId);
};

} // namespace llamadesk::portfolio
