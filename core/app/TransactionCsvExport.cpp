#include "app/TransactionCsvExport.h"

#include <QFileDevice>
#include <QSaveFile>

namespace llamadesk::app {

namespace {

QString quoted(const QString& field) {
    // Quote only when needed; a leading formula character is neutralised so spreadsheets do not
    // run the cell.
    QString value = field;
    if (!value.isEmpty() &&
        (value.front() == QLatin1Char('=') || value.front() == QLatin1Char('+') ||
         value.front() == QLatin1Char('@')))
        value.prepend(QLatin1Char('\''));
    if (value.contains(QLatin1Char(',')) || value.contains(QLatin1Char('"')) ||
        value.contains(QLatin1Char('\n')) || value.contains(QLatin1Char('\r'))) {
        value.replace(QLatin1String("\""), QLatin1String("\"\""));
        return QLatin1Char('"') + value + QLatin1Char('"');
    }
    return value;
}

QString text(const std::optional<QString>& v) {
    return v ? *v : QString();
}
QString text(const std::optional<Decimal>& v) {
    return v ? v->toString() : QString();
}

} // namespace

QStringList TransactionCsvExport::header() {
    return {QStringLiteral("id"),
            QStringLiteral("timestamp"),
            QStringLiteral("transaction_type"),
            QStringLiteral("wallet"),
            QStringLiteral("chain_id"),
            QStringLiteral("block_number"),
            QStringLiteral("transaction_hash"),
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
            QStringLiteral("cost_basis_method"),
            QStringLiteral("cost_basis_usd"),
            QStringLiteral("capital_gain_usd"),
            QStringLiteral("holding_period_days"),
            QStringLiteral("is_long_term"),
            QStringLiteral("tax_category"),
            QStringLiteral("is_taxable"),
            QStringLiteral("notes")};
}

QString TransactionCsvExport::csvLine(const TaxTransaction& t) {
    const QStringList fields = {
        t.id,
        t.timestamp.toString(),
        toString(t.transactionType),
        t.wallet,
        QString::number(t.chainId),
        QString::number(t.blockNumber),
        t.transactionHash,
        text(t.assetInSymbol),
        text(t.assetInAmount),
        text(t.assetInPriceUsd),
        text(t.assetInValueUsd),
        text(t.assetOutSymbol),
        text(t.assetOutAmount),
        text(t.assetOutPriceUsd),
        text(t.assetOutValueUsd),
        text(t.feeAmount),
        text(t.feeSymbol),
        text(t.feeValueUsd),
        toString(t.costBasisMethod),
        text(t.costBasisUsd),
        text(t.capitalGainUsd),
        t.holdingPeriodDays ? QString::number(*t.holdingPeriodDays) : QString(),
        t.isLongTerm ? (*t.isLongTerm ? QStringLiteral("true") : QStringLiteral("false"))
                     : QString(),
        text(t.taxCategory),
        t.isTaxable ? QStringLiteral("true") : QStringLiteral("false"),
        text(t.notes)};
    QString line;
    for (int i = 0; i < fields.size(); ++i) {
        if (i > 0)
            line += QLatin1Char(',');
        line += quoted(fields.at(i));
    }
    return line;
}

Result<qint64> TransactionCsvExport::write(const QSqlDatabase& db,
                                           const store::TransactionFilter& filter, bool descending,
                                           const QString& path, const Progress& progress) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Result<qint64>::failure(tr("Cannot write %1: %2").arg(path, file.errorString()));
    // The export holds decrypted data: readable by the owner only.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QByteArray buffer = header().join(QLatin1Char(',')).toUtf8() + "\r\n";
    qint64 written = 0;
    bool cancelled = false;
    QString writeError;
    store::TransactionRepository repository(db);
    const Status status = repository.forEach(
        filter,
        [&](const TaxTransaction& t) {
            buffer += csvLine(t).toUtf8();
            buffer += "\r\n";
            ++written;
            if (buffer.size() > (1 << 20)) {
                if (file.write(buffer) != buffer.size()) {
                    writeError = file.errorString();
                    return false;
                }
                buffer.clear();
            }
            if (progress && written % 2000 == 0 && !progress(written)) {
                cancelled = true;
                return false;
            }
            return true;
        },
        descending);
    if (!status) {
        file.cancelWriting();
        return Result<qint64>::failure(
            tr("Cannot export the transactions: %1").arg(status.error()));
    }
    if (cancelled) {
        file.cancelWriting();
        return Result<qint64>::failure(tr("The export was cancelled; no file was written."));
    }
    if (writeError.isEmpty() && file.write(buffer) != buffer.size())
        writeError = file.errorString();
    if (!writeError.isEmpty() || !file.commit()) {
        file.cancelWriting();
        return Result<qint64>::failure(
            tr("Cannot write %1: %2")
                .arg(path, writeError.isEmpty() ? file.errorString() : writeError));
    }
    if (progress)
        progress(written);
    return written;
}

} // namespace llamadesk::app
