#pragma once

#include "money/Decimal.h"

#include <QString>

namespace llamadesk::tax {

// Units held at the end of the period and their remaining basis.
struct Holding {
    QString asset;
    QString wallet; // empty: all wallets (universal scope, UK pool)
    Decimal amount;
    Decimal costBasis;
    int lots = 0;
    friend bool operator==(const Holding& a, const Holding& b) {
        return a.asset == b.asset && a.wallet == b.wallet && a.amount == b.amount &&
               a.costBasis == b.costBasis && a.lots == b.lots;
    }
};

} // namespace llamadesk::tax
