#include "tax/LotMath.h"

namespace llamadesk::tax {

Decimal LotMath::share(const Decimal& total, const Decimal& part, const Decimal& whole) {
    if (const std::optional<Decimal> product = total.checkedMul(part, RoundingMode::HalfEven)) {
        if (const std::optional<Decimal> q =
                product->checkedDiv(whole, Decimal::kScale, RoundingMode::HalfEven))
            return *q;
    }
    return total * part.divided(whole, Decimal::kScale, RoundingMode::HalfEven);
}

} // namespace llamadesk::tax
