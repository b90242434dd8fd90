#include "tax/LedgerCsvWriter.h"

namespace llamadesk::tax {

namespace {

void field(QByteArray* line, const QString& text) {
    if (!line->isEmpty())
        line->append(',');
    const QByteArray utf8 = text.toUtf8();
    const bool quote =
        utf8.contains(',') || utf8.contains('"') || utf8.contains('\n') || utf8.contains('\r');
    if (!quote) {
        line->append(utf8);
        return;
    }
    line->append('"');
    for (const char c : utf8) {
        if (c == '"')
            line->append('"');
        line->append(c);
    }
    line->append('"');
}

void field(QByteArray* line, const std::optional<Decimal>& value) {
    if (!line->isEmpty())
        line->append(',');
    if (value)
        line->append(value->toUtf8());
}

void field(QByteArray* line, const std::optional<QString>& value) {
    field(line, value.value_or(QString()));
}

} // namespace

LedgerCsvWriter::LedgerCsvWriter(QIODevice* device)
    : m_device(device) {}

QStringList LedgerCsvWriter::header() {
    return {QStringLiteral("transaction_hash"),
            QStringLiteral("block_number"),
            QStringLiteral("chain_id"),
            QStringLiteral("timestamp"),
            QStringLiteral("transaction_type"),
            QStringLiteral("wallet"),
            QStringLiteral("asset_in_symbol"),
            QStringLiteral("asset_in_amount"),
            QStringLiteral("asset_in_price_usd"),
            QStringLiteral("asset_in_value_usd"),
            QStringLiteral("asset_out_symbol"),
            QStringLiteral("asset_out_amount"),
            QStringLiteral("asset_out_price_usd"),
            QStringLiteral("asset_out_value_usd"),
            QStringLiteral("fee_amount"),
            QStringLiteral("fee_symbol"),
            QStringLiteral("fee_value_usd"),
            QStringLiteral("cost_basis_usd")};
}

Status LedgerCsvWriter::put(const QByteArray& line) {
    if (!m_device || !m_device->isWritable())
        return Status::failure(tr("LedgerCsvWriter: the output is not open for writing."));
    if (m_device->write(line) != line.size() || m_device->write("\r\n", 2) != 2)
        return Status::failure(
            tr("LedgerCsvWriter: writing failed: %1").arg(m_device->errorString()));
    return Status::success();
}

Status LedgerCsvWriter::writeHeader() {
    m_line.clear();
    for (const QString& name : header())
        field(&m_line, name);
    return put(m_line);
}

Status LedgerCsvWriter::write(const TaxTransaction& t) {
    m_line.clear();
    field(&m_line, t.transactionHash);
    m_line.append(',').append(QByteArray::number(t.blockNumber));
    m_line.append(',').append(QByteArray::number(t.chainId));
    field(&m_line, t.timestamp.toString());
    field(&m_line, toString(t.transactionType));
    field(&m_line, t.wallet);
    field(&m_line, t.assetInSymbol);
    field(&m_line, t.assetInAmount);
    field(&m_line, t.assetInPriceUsd);
    field(&m_line, t.assetInValueUsd);
    field(&m_line, t.assetOutSymbol);
    field(&m_line, t.assetOutAmount);
    field(&m_line, t.assetOutPriceUsd);
    field(&m_line, t.assetOutValueUsd);
    field(&m_line, t.feeAmount);
    field(&m_line, t.feeSymbol);
    field(&m_line, t.feeValueUsd);
    field(&m_line, t.costBasisUsd);
    return put(m_line);
}

} // namespace llamadesk::tax
