#include "CanonicalCsvWriter.h"

namespace llamadesk::import {

namespace {

void field(QByteArray* out, const QString& text) {
    const QByteArray bytes = text.toUtf8();
    const bool quote = bytes.contains(',') || bytes.contains('"') || bytes.contains('\n') ||
                       bytes.contains('\r') ||
                       (!bytes.isEmpty() && (bytes.front() == ' ' || bytes.back() == ' '));
    if (!quote) {
        out->append(bytes);
        return;
    }
    out->append('"');
    for (const char c : bytes) {
        if (c == '"')
            out->append('"');
        out->append(c);
    }
    out->append('"');
}

QString dec(const std::optional<Decimal>& d) {
    return d ? d->toString() : QString();
}

QString opt(const std::optional<QString>& s) {
    return s.value_or(QString());
}

} // namespace

QByteArray CanonicalCsvWriter::header() {
    return QByteArrayLiteral(
        "wallet,transaction_hash,block_number,chain_id,timestamp,transaction_type,"
        "asset_in_symbol,asset_in_amount,asset_in_price_usd,asset_in_value_usd,"
        "asset_out_symbol,asset_out_amount,asset_out_price_usd,asset_out_value_usd,"
        "fee_amount,fee_symbol,fee_value_usd,cost_basis_method,cost_basis_usd,capital_gain_usd,"
        "holding_period_days,is_long_term,tax_category,is_taxable,notes\n");
}

QByteArray CanonicalCsvWriter::row(const TaxTransaction& t) {
    const QString fields[] = {
        t.wallet,
        t.transactionHash,
        QString::number(t.blockNumber),
        QString::number(t.chainId),
        t.timestamp.toString(),
        toString(t.transactionType),
        opt(t.assetInSymbol),
        dec(t.assetInAmount),
        dec(t.assetInPriceUsd),
        dec(t.assetInValueUsd),
        opt(t.assetOutSymbol),
        dec(t.assetOutAmount),
        dec(t.assetOutPriceUsd),
        dec(t.assetOutValueUsd),
        dec(t.feeAmount),
        opt(t.feeSymbol),
        dec(t.feeValueUsd),
        toString(t.costBasisMethod),
        dec(t.costBasisUsd),
        dec(t.capitalGainUsd),
        t.holdingPeriodDays ? QString::number(*t.holdingPeriodDays) : QString(),
        t.isLongTerm ? (*t.isLongTerm ? QStringLiteral("true") : QStringLiteral("false"))
                     : QString(),
        opt(t.taxCategory),
        t.isTaxable ? QStringLiteral("true") : QStringLiteral("false"),
        opt(t.notes),
    };
    QByteArray out;
    out.reserve(256);
    bool first = true;
    for (const QString& f : fields) {
        if (!first)
            out.append(',');
        first = false;
        field(&out, f);
    }
    out.append('\n');
    return out;
}

} // namespace llamadesk::import
