#include "tax/TaxWarning.h"

#include "domain/EnumText.h"

namespace llamadesk::tax {

namespace {

const EnumText::Entry<WarningCode> kCodes[] = {
    {WarningCode::MissingCostBasis, "missing_cost_basis"},
    {WarningCode::MissingValue, "missing_value"},
    {WarningCode::MissingFeeValue, "missing_fee_value"},
    {WarningCode::UnmatchedTransferOut, "unmatched_transfer_out"},
    {WarningCode::TransferAmountMismatch, "transfer_amount_mismatch"},
    {WarningCode::LotSelectionMismatch, "lot_selection_mismatch"},
    {WarningCode::SafeHarborMismatch, "safe_harbor_mismatch"},
    {WarningCode::UnsupportedTransaction, "unsupported_transaction"},
};

} // namespace

QString toString(WarningCode code) {
    return EnumText::toString(kCodes, code);
}

std::optional<WarningCode> warningCodeFromString(QStringView text) {
    return EnumText::fromString(kCodes, text);
}

} // namespace llamadesk::tax
