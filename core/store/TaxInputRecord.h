#pragma once

#include "domain/TaxTransaction.h"
#include "store/RepeatedTexts.h"

#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>

#include <array>
#include <optional>
#include <string>

namespace llamadesk::store {

// What the tax engine reads of one tax_transactions row (TransactionColumns::TaxInputs), as one
// compact binary record. The table tax_inputs (migration 007) holds one per row, keyed by the
// row's rowid and written by triggers through the SQL function llamadesk_tax_input(), which every
// connection of the driver has: in the writer's own transaction, whoever the writer is.
//
// Why: a tax run reads every row. From the table's text columns that is about 5,000 of SQLite's
// instructions per row to fetch 17 columns and as many again to parse decimals and times; from
// one record in a table of small rows it is a fraction of both (docs/tax-engine.md).
//
// Writing a record never fails: a value that is not in its stored form (no schema CHECK keeps
// decimals in shape) is recorded as such, and reading that record fails with the column and the
// reason, as reading the columns would.
//
// Layout (version 1), integers little-endian:
//   u8 version, u8 transaction type (TransactionType's value; kBad, kNull),
//   the texts id, user_id, wallet, transaction_hash, asset_in_symbol, asset_out_symbol,
//   fee_symbol: u8 length below kLongText, or kLongText and a u16 length (kNull; kBad: longer
//   than kMaxText), then the UTF-8 bytes,
//   timestamp and deleted_at: u8 tag (kNull, kBad, kTime), i64 microseconds after kTime,
//   the decimals asset_in_amount, asset_in_price_usd, asset_in_value_usd, asset_out_amount,
//   asset_out_price_usd, asset_out_value_usd, fee_amount, fee_value_usd, cost_basis_usd: u8 tag,
//   then for a tag 0..18 an i64 mantissa (the value is mantissa x 10^-tag), for kUnits the 16
//   bytes of Decimal::toUnits (low half first), nothing for kNull and kBad.
class TaxInputRecord {
    Q_DECLARE_TR_FUNCTIONS(TaxInputRecord)

public:
    // The SQL function's arguments, in this order.
    enum Column {
        Id,
        UserId,
        Wallet,
        TransactionHash,
        Timestamp,
        TransactionType,
        AssetInSymbol,
        AssetInAmount,
        AssetInPriceUsd,
        AssetInValueUsd,
        AssetOutSymbol,
        AssetOutAmount,
        AssetOutPriceUsd,
        AssetOutValueUsd,
        FeeAmount,
        FeeSymbol,
        FeeValueUsd,
        CostBasisUsd,
        DeletedAt,
        kColumnCount
    };
    static constexpr char kFunctionName[] = "llamadesk_tax_input";
    static constexpr quint8 kVersion = 1;
    static constexpr quint8 kNull = 0xff;
    static constexpr quint8 kBad = 0xfe;
    static constexpr quint8 kTime = 1;
    static constexpr quint8 kUnits = 19;
    static constexpr quint8 kLongText = 0xfd;
    static constexpr int kMaxText = 0xffff;

    // The tax_transactions column name of an argument.
    static const char* columnName(Column column);

    // The record of one row into *out (its earlier content replaced), given each column's
    // stored text (nullopt for NULL).
    using Columns = std::array<std::optional<QByteArrayView>, kColumnCount>;
    static void encode(const Columns& columns, std::string* out);
};

// Reads records back into the members TransactionColumns::TaxInputs fills, exactly as reading
// those columns would (a side's price only where its value is NULL); every other member is reset
// to its default. Wallets and symbols repeat: they come from shared strings. One per reading
// thread.
class TaxInputDecoder {
    Q_DECLARE_TR_FUNCTIONS(TaxInputDecoder)

public:
    // False with the row, the column and the reason when the record does not read back.
    // *userId: the stored user_id bytes, valid as long as `record` is.
    bool decode(QByteArrayView record, TaxTransaction* t, QByteArrayView* userId, QString* error);

    // The members outside TransactionColumns::TaxInputs back to their defaults, keeping the
    // buffers of the strings a reader refills in place.
    static void resetOtherMembers(TaxTransaction* t);

private:
    RepeatedTexts m_wallets;
    RepeatedTexts m_inSymbols;
    RepeatedTexts m_outSymbols;
    RepeatedTexts m_feeSymbols;
};

} // namespace llamadesk::store
