#include "TaxTransaction.h"

#include "domain/EnumText.h"
#include "domain/FieldValidator.h"

namespace llamadesk {

namespace {

using Sign = FieldValidator::Sign;

const EnumText::Entry<TransactionType> kTransactionTypes[] = {
    {TransactionType::Buy, "buy"},
    {TransactionType::Sell, "sell"},
    {TransactionType::Swap, "swap"},
    {TransactionType::TransferIn, "transfer_in"},
    {TransactionType::TransferOut, "transfer_out"},
    {TransactionType::StakingReward, "staking_reward"},
    {TransactionType::MiningReward, "mining_reward"},
    {TransactionType::Airdrop, "airdrop"},
    {TransactionType::Gift, "gift"},
    {TransactionType::Income, "income"},
    {TransactionType::Expense, "expense"},
    {TransactionType::Fee, "fee"},
};

const EnumText::Entry<CostBasisMethod> kCostBasisMethods[] = {
    {CostBasisMethod::Fifo, "FIFO"},
    {CostBasisMethod::Lifo, "LIFO"},
    {CostBasisMethod::Hifo, "HIFO"},
    {CostBasisMethod::Specific, "Specific"},
};

// Which side of a transaction carries the asset, by type.
enum class Side { In, Out, Both, Either, None };

Side requiredSide(TransactionType type) {
    switch (type) {
    case TransactionType::Buy:
    case TransactionType::TransferIn:
    case TransactionType::StakingReward:
    case TransactionType::MiningReward:
    case TransactionType::Airdrop:
    case TransactionType::Income:
        return Side::In;
    case TransactionType::Sell:
    case TransactionType::TransferOut:
    case TransactionType::Expense:
        return Side::Out;
    case TransactionType::Swap:
        return Side::Both;
    case TransactionType::Gift: // received or given
        return Side::Either;
    case TransactionType::Fee: // the fee columns carry it
        return Side::None;
    }
    return Side::None;
}

bool hasText(const std::optional<QString>& s) {
    return s && !s->trimmed().isEmpty();
}

} // namespace

QString toString(TransactionType type) {
    return EnumText::toString(kTransactionTypes, type);
}

std::optional<TransactionType> transactionTypeFromString(QStringView text) {
    return EnumText::fromString(kTransactionTypes, text);
}

QList<TransactionType> allTransactionTypes() {
    QList<TransactionType> all;
    for (const auto& e : kTransactionTypes)
        all.append(e.value);
    return all;
}

QString toString(CostBasisMethod method) {
    return EnumText::toString(kCostBasisMethods, method);
}

std::optional<CostBasisMethod> costBasisMethodFromString(QStringView text) {
    return EnumText::fromString(kCostBasisMethods, text);
}

QStringList TaxTransaction::validate() const {
    FieldValidator v;
    v.uuid("id", id);
    v.uuid("user_id", userId);
    v.text("wallet", wallet, 255, true);
    v.text("transaction_hash", transactionHash, 66, true);
    v.integer("block_number", blockNumber, 0, std::numeric_limits<qint64>::max());
    v.integer("chain_id", chainId, 1, std::numeric_limits<qint32>::max());
    v.timestamp("timestamp", timestamp);

    v.text("asset_in_symbol", assetInSymbol, 20);
    v.decimal("asset_in_amount", assetInAmount, 30, 18, Sign::NonNegative);
    v.decimal("asset_in_price_usd", assetInPriceUsd, 20, 8, Sign::NonNegative);
    v.decimal("asset_in_value_usd", assetInValueUsd, 20, 2, Sign::NonNegative);
    v.text("asset_out_symbol", assetOutSymbol, 20);
    v.decimal("asset_out_amount", assetOutAmount, 30, 18, Sign::NonNegative);
    v.decimal("asset_out_price_usd", assetOutPriceUsd, 20, 8, Sign::NonNegative);
    v.decimal("asset_out_value_usd", assetOutValueUsd, 20, 2, Sign::NonNegative);
    v.decimal("fee_amount", feeAmount, 30, 18, Sign::NonNegative);
    v.text("fee_symbol", feeSymbol, 20);
    v.decimal("fee_value_usd", feeValueUsd, 20, 2, Sign::NonNegative);
    v.decimal("cost_basis_usd", costBasisUsd, 20, 2, Sign::NonNegative);
    v.decimal("capital_gain_usd", capitalGainUsd, 20, 2, Sign::Any);
    v.integer("holding_period_days", holdingPeriodDays, 0, std::numeric_limits<qint32>::max());
    v.text("tax_category", taxCategory, 50);
    v.timestamp("created_at", createdAt);
    v.timestamp("updated_at", updatedAt);
    v.timestamp("deleted_at", deletedAt);

    // A side is a symbol with its amount: one without the other means nothing.
    const bool in = hasText(assetInSymbol);
    const bool out = hasText(assetOutSymbol);
    if (assetInSymbol && !in)
        v.add(tr("asset_in_symbol must not be blank; leave it empty instead."));
    if (assetOutSymbol && !out)
        v.add(tr("asset_out_symbol must not be blank; leave it empty instead."));
    if (feeSymbol && !hasText(feeSymbol))
        v.add(tr("fee_symbol must not be blank; leave it empty instead."));
    if (in != assetInAmount.has_value())
        v.add(tr("asset_in_symbol and asset_in_amount must be given together."));
    if (out != assetOutAmount.has_value())
        v.add(tr("asset_out_symbol and asset_out_amount must be given together."));
    if (!in && (assetInPriceUsd || assetInValueUsd))
        v.add(tr("asset_in_price_usd and asset_in_value_usd need an asset_in_symbol."));
    if (!out && (assetOutPriceUsd || assetOutValueUsd))
        v.add(tr("asset_out_price_usd and asset_out_value_usd need an asset_out_symbol."));
    if (hasText(feeSymbol) != feeAmount.has_value())
        v.add(tr("fee_amount and fee_symbol must be given together."));
    if (feeValueUsd && !feeAmount)
        v.add(tr("fee_value_usd needs a fee_amount."));

    const QString type = toString(transactionType);
    switch (requiredSide(transactionType)) {
    case Side::In:
        if (!in)
            v.add(tr("A %1 transaction needs asset_in_symbol and asset_in_amount.").arg(type));
        break;
    case Side::Out:
        if (!out)
            v.add(tr("A %1 transaction needs asset_out_symbol and asset_out_amount.").arg(type));
        break;
    case Side::Both:
        if (!in || !out)
            v.add(tr("A %1 transaction needs both an incoming (asset_in_symbol, asset_in_amount) "
                     "and an outgoing asset (asset_out_symbol, asset_out_amount).")
                      .arg(type));
        else if (assetInSymbol->trimmed() == assetOutSymbol->trimmed())
            v.add(tr("A %1 transaction exchanges two different assets: asset_in_symbol and "
                     "asset_out_symbol are both %2.")
                      .arg(type, assetInSymbol->trimmed()));
        break;
    case Side::Either:
        if (!in && !out)
            v.add(tr("A %1 transaction needs an incoming or an outgoing asset.").arg(type));
        break;
    case Side::None:
        if (!feeAmount)
            v.add(tr("A %1 transaction needs fee_amount and fee_symbol.").arg(type));
        break;
    }

    // The seed defines long term as held for more than 365 days.
    if (holdingPeriodDays && isLongTerm && (*holdingPeriodDays > 365) != *isLongTerm) {
        v.add(tr("is_long_term contradicts holding_period_days: long term means held for more "
                 "than 365 days."));
    }
    if (capitalGainUsd && !costBasisUsd)
        v.add(tr("capital_gain_usd needs a cost_basis_usd."));
    if (deletedAt && createdAt && *deletedAt < *createdAt)
        v.add(tr("deleted_at must not be earlier than created_at."));
    return v.errors();
}

bool operator==(const TaxTransaction& a, const TaxTransaction& b) {
    return a.id == b.id && a.userId == b.userId && a.wallet == b.wallet &&
           a.transactionHash == b.transactionHash && a.blockNumber == b.blockNumber &&
           a.chainId == b.chainId && a.timestamp == b.timestamp &&
           a.transactionType == b.transactionType && a.assetInSymbol == b.assetInSymbol &&
           a.assetInAmount == b.assetInAmount && a.assetInPriceUsd == b.assetInPriceUsd &&
           a.assetInValueUsd == b.assetInValueUsd && a.assetOutSymbol == b.assetOutSymbol &&
           a.assetOutAmount == b.assetOutAmount && a.assetOutPriceUsd == b.assetOutPriceUsd &&
           a.assetOutValueUsd == b.assetOutValueUsd && a.feeAmount == b.feeAmount &&
           a.feeSymbol == b.feeSymbol && a.feeValueUsd == b.feeValueUsd &&
           a.costBasisMethod == b.costBasisMethod && a.costBasisUsd == b.costBasisUsd &&
           a.capitalGainUsd == b.capitalGainUsd && a.holdingPeriodDays == b.holdingPeriodDays &&
           a.isLongTerm == b.isLongTerm && a.taxCategory == b.taxCategory &&
           a.isTaxable == b.isTaxable && a.notes == b.notes && a.createdAt == b.createdAt &&
           a.updatedAt == b.updatedAt && a.deletedAt == b.deletedAt && a.rowVersion == b.rowVersion;
}

} // namespace llamadesk
