#pragma once

#include "money/Decimal.h"

namespace llamadesk::portfolio {

// Square root of an exact decimal, so risk metrics need no floating point.
class DecimalSqrt {
public:
    // sqrt(x) rounded half-even to 18 fractional digits (Decimal's full precision); invalid for a
    // negative or invalid x. Newton's iteration finds a value within a few units of the last
    // digit; an exact integer comparison then picks the correctly rounded neighbour.
    static Decimal of(const Decimal& x);
};

} // namespace llamadesk::portfolio
