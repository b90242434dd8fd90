#include "tax/RuleSet.h"

#include "tax/UkPoolingRules.h"
#include "tax/UsLotRules.h"

namespace llamadesk::tax {

RuleSet::~RuleSet() = default;

std::unique_ptr<RuleSet> RuleSet::create(RuleContext context) {
    switch (context.options.jurisdiction) {
    case Jurisdiction::UnitedKingdom:
        return std::make_unique<UkPoolingRules>(context);
    case Jurisdiction::UnitedStates:
        break;
    }
    return std::make_unique<UsLotRules>(context);
}

} // namespace llamadesk::tax
