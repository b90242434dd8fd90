#pragma once

#include "money/Decimal.h"

namespace llamadesk::tax {

// The arithmetic of splitting a lot, a pool or proceeds.
class LotMath {
public:
    // total x part / whole, rounded half-even to 18 fractional digits. The product is formed
    // first (exact for the usual amounts and values), so 135000 x 20000 / 30000 is exactly
    // 90000; only when the product would leave Decimal's range is the ratio part / whole taken
    // first. Invalid when whole is zero.
    static Decimal share(const Decimal& total, const Decimal& part, const Decimal& whole);
};

} // namespace llamadesk::tax
