#include "CanonicalRowParser.h"

#include <limits>

namespace llamadesk::import {

namespace {

// Columns read from the file.
const char* const kRead[] = {
    "transaction_hash",
    "block_number",
    "chain_id",
    "timestamp",
    "transaction_type",
    "wallet",
    "asset_in_symbol",
    "asset_in_amount",
    "asset_in_price_usd",
    "asset_in_value_usd",
    "asset_out_symbol",
    "asset_out_amount",
    "asset_out_price_usd",
    "asset_out_value_usd",
    "fee_amount",
    "fee_symbol",
    "fee_value_usd",
    "cost_basis_method",
    "cost_basis_usd",
    "capital_gain_usd",
    "holding_period_days",
    "is_long_term",
    "tax_category",
    "is_taxable",
    "notes",
};
// Columns of an exported table that the vault assigns itself on import.
const char* const kIgnored[] = {"id", "user_id", "created_at", "updated_at", "row_version"};

} // namespace

bool CanonicalRowParser::isCanonicalColumn(const QString& name) {
    for (const char* known : kRead) {
        if (name == QLatin1String(known))
            return true;
    }
    for (const char* known : kIgnored) {
        if (name == QLatin1String(known))
            return true;
    }
    return false;
}

bool CanonicalRowParser::checkHeader(qint64 line, QList<ImportProblem>* problems) {
    bool ok = true;
    for (const QString& name : m_header) {
        if (!isCanonicalColumn(name)) {
            fileProblem(problems, line, name, ProblemCode::UnknownColumn,
                        tr("not a column of the canonical layout (column names are lowercase "
                           "tax_transactions names, see docs/import.md)"));
            ok = false;
        }
    }
    for (const char* required : {"timestamp", "transaction_type"}) {
        if (column(QString::fromLatin1(required)) < 0) {
            fileProblem(problems, line, QString::fromLatin1(required), ProblemCode::MissingColumn,
                        tr("the canonical layout needs this column"));
            ok = false;
        }
    }
    const auto at = [this](const char* name) {
        return column(QString::fromLatin1(name));
    };
    c.hash = at("transaction_hash");
    c.block = at("block_number");
    c.chain = at("chain_id");
    c.timestamp = at("timestamp");
    c.type = at("transaction_type");
    c.wallet = at("wallet");
    c.inSymbol = at("asset_in_symbol");
    c.inAmount = at("asset_in_amount");
    c.inPrice = at("asset_in_price_usd");
    c.inValue = at("asset_in_value_usd");
    c.outSymbol = at("asset_out_symbol");
    c.outAmount = at("asset_out_amount");
    c.outPrice = at("asset_out_price_usd");
    c.outValue = at("asset_out_value_usd");
    c.feeAmount = at("fee_amount");
    c.feeSymbol = at("fee_symbol");
    c.feeValue = at("fee_value_usd");
    c.method = at("cost_basis_method");
    c.basis = at("cost_basis_usd");
    c.gain = at("capital_gain_usd");
    c.holding = at("holding_period_days");
    c.longTerm = at("is_long_term");
    c.category = at("tax_category");
    c.taxable = at("is_taxable");
    c.notes = at("notes");
    return ok;
}

std::optional<bool> CanonicalRowParser::boolean(Row& row, int column) {
    const QString s = text(row, column).toLower();
    if (s.isEmpty())
        return std::nullopt;
    if (s == QLatin1String("true") || s == QLatin1String("1"))
        return true;
    if (s == QLatin1String("false") || s == QLatin1String("0"))
        return false;
    problem(row, column, ProblemCode::InvalidValue,
            tr("'%1' is not a boolean (true, false, 1 or 0)").arg(s.left(20)));
    return std::nullopt;
}

void CanonicalRowParser::parseRow(Row& row, TaxTransaction* t) {
    if (const std::optional<Timestamp> ts = isoTimestamp(row, c.timestamp))
        t->timestamp = *ts;

    const QString typeText = text(row, c.type);
    std::optional<TransactionType> type;
    if (typeText.isEmpty()) {
        problem(row, c.type, ProblemCode::MissingValue, tr("a transaction type is required"));
    } else {
        type = transactionTypeFromString(typeText);
        if (!type) {
            QStringList allowed;
            for (TransactionType k : allTransactionTypes())
                allowed.append(toString(k));
            problem(row, c.type, ProblemCode::UnknownType,
                    tr("'%1' is not a transaction type; one of: %2")
                        .arg(typeText.left(40), allowed.join(QStringLiteral(", "))));
        } else {
            t->transactionType = *type;
        }
    }

    if (const std::optional<QString> w = optText(row, c.wallet, 255))
        t->wallet = *w;
    if (const std::optional<QString> h = optText(row, c.hash, 66))
        t->transactionHash = *h;
    if (const std::optional<qint64> b =
            integer(row, c.block, 0, std::numeric_limits<qint64>::max()))
        t->blockNumber = *b;
    if (const std::optional<qint64> ch =
            integer(row, c.chain, 1, std::numeric_limits<qint32>::max()))
        t->chainId = *ch;

    side(row, c.inAmount, c.inSymbol, &t->assetInAmount, &t->assetInSymbol);
    t->assetInPriceUsd = decimal(row, c.inPrice, 20, 8);
    t->assetInValueUsd = decimal(row, c.inValue, 20, 2);
    side(row, c.outAmount, c.outSymbol, &t->assetOutAmount, &t->assetOutSymbol);
    t->assetOutPriceUsd = decimal(row, c.outPrice, 20, 8);
    t->assetOutValueUsd = decimal(row, c.outValue, 20, 2);
    side(row, c.feeAmount, c.feeSymbol, &t->feeAmount, &t->feeSymbol);
    t->feeValueUsd = decimal(row, c.feeValue, 20, 2);

    const QString method = text(row, c.method);
    if (!method.isEmpty()) {
        if (const std::optional<CostBasisMethod> m = costBasisMethodFromString(method))
            t->costBasisMethod = *m;
        else
            problem(row, c.method, ProblemCode::InvalidValue,
                    tr("'%1' is not one of FIFO, LIFO, HIFO, Specific").arg(method.left(20)));
    }
    t->costBasisUsd = decimal(row, c.basis, 20, 2);
    t->capitalGainUsd = decimal(row, c.gain, 20, 2, true);
    t->holdingPeriodDays = integer(row, c.holding, 0, std::numeric_limits<qint32>::max());
    t->isLongTerm = boolean(row, c.longTerm);
    t->taxCategory = optText(row, c.category, 50);
    if (const std::optional<bool> taxable = boolean(row, c.taxable))
        t->isTaxable = *taxable;
    if (const QString n = text(row, c.notes); !n.isEmpty())
        t->notes = n;

    if (!type || !row.ok)
        return;

    // What each type needs, named by the column to fill in.
    const bool in = t->assetInSymbol.has_value();
    const bool out = t->assetOutSymbol.has_value();
    const auto need = [&](bool present, int amountColumn, const char* name, const QString& why) {
        if (!present)
            problem(row, amountColumn >= 0 ? columnName(amountColumn) : QString::fromLatin1(name),
                    ProblemCode::MissingValue, why);
    };
    const QString typeName = toString(*type);
    switch (*type) {
    case TransactionType::Buy:
        need(in, c.inAmount, "asset_in_amount",
             tr("a buy needs the asset received (asset_in_symbol and asset_in_amount)"));
        need(out || t->assetOutValueUsd || t->assetInValueUsd || t->assetInPriceUsd, c.outValue,
             "asset_out_value_usd",
             tr("a buy needs what was paid: asset_out_symbol and asset_out_amount, or a value "
                "(asset_out_value_usd, asset_in_value_usd or asset_in_price_usd)"));
        break;
    case TransactionType::Sell:
        need(out, c.outAmount, "asset_out_amount",
             tr("a sell needs the asset given (asset_out_symbol and asset_out_amount)"));
        need(in || t->assetInValueUsd || t->assetOutValueUsd || t->assetOutPriceUsd, c.inValue,
             "asset_in_value_usd",
             tr("a sell needs what was received: asset_in_symbol and asset_in_amount, or a value "
                "(asset_in_value_usd, asset_out_value_usd or asset_out_price_usd)"));
        break;
    case TransactionType::Swap:
        need(in, c.inAmount, "asset_in_amount",
             tr("a swap needs the asset received (asset_in_symbol and asset_in_amount)"));
        need(out, c.outAmount, "asset_out_amount",
             tr("a swap needs the asset given (asset_out_symbol and asset_out_amount)"));
        break;
    case TransactionType::TransferIn:
    case TransactionType::StakingReward:
    case TransactionType::MiningReward:
    case TransactionType::Airdrop:
    case TransactionType::Income:
        need(in, c.inAmount, "asset_in_amount",
             tr("a %1 needs asset_in_symbol and asset_in_amount").arg(typeName));
        break;
    case TransactionType::TransferOut:
    case TransactionType::Expense:
        need(out, c.outAmount, "asset_out_amount",
             tr("a %1 needs asset_out_symbol and asset_out_amount").arg(typeName));
        break;
    case TransactionType::Gift:
        need(in || out, c.inAmount, "asset_in_amount",
             tr("a gift needs the asset received or given (asset_in_* or asset_out_*)"));
        break;
    case TransactionType::Fee:
        need(t->feeAmount.has_value(), c.feeAmount, "fee_amount",
             tr("a fee needs fee_amount and fee_symbol"));
        break;
    }
}

} // namespace llamadesk::import
