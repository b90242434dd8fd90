#include "store/TaxInputRecord.h"

#include "text/AsciiText.h"

#include <QtEndian>

#include <cstring>
#include <string>

namespace llamadesk::store {

namespace {

using Column = TaxInputRecord::Column;

// The record's order of the columns: texts, times, decimals.
constexpr Column kTexts[] = {Column::Id,
                             Column::UserId,
                             Column::Wallet,
                             Column::TransactionHash,
                             Column::AssetInSymbol,
                             Column::AssetOutSymbol,
                             Column::FeeSymbol};
constexpr Column kTimes[] = {Column::Timestamp, Column::DeletedAt};
constexpr Column kDecimals[] = {
    Column::AssetInAmount,  Column::AssetInPriceUsd,  Column::AssetInValueUsd,
    Column::AssetOutAmount, Column::AssetOutPriceUsd, Column::AssetOutValueUsd,
    Column::FeeAmount,      Column::FeeValueUsd,      Column::CostBasisUsd};

constexpr qint64 kPow10[] = {1LL,
                             10LL,
                             100LL,
                             1000LL,
                             10000LL,
                             100000LL,
                             1000000LL,
                             10000000LL,
                             100000000LL,
                             1000000000LL,
                             10000000000LL,
                             100000000000LL,
                             1000000000000LL,
                             10000000000000LL,
                             100000000000000LL,
                             1000000000000000LL,
                             10000000000000000LL,
                             100000000000000000LL,
                             1000000000000000000LL};

void put64(std::string* out, quint64 v) {
    for (int i = 0; i < 8; ++i)
        out->push_back(char((v >> (8 * i)) & 0xff));
}

quint64 get64(const char* in) {
    quint64 v;
    std::memcpy(&v, in, 8);
#if Q_BYTE_ORDER == Q_BIG_ENDIAN
    v = qFromLittleEndian(v);
#endif
    return v;
}

// Stored text of at most a time's length widened for the parsers; a null view otherwise.
QStringView widenShort(QByteArrayView stored, char16_t (&buffer)[40]) {
    if (stored.size() > qsizetype(std::size(buffer)) ||
        !text::AsciiText::isAscii(stored.data(), stored.size()))
        return QStringView();
    text::AsciiText::widen(stored.data(), stored.size(), buffer);
    return QStringView(buffer, stored.size());
}

void encodeTime(const std::optional<QByteArrayView>& stored, std::string* out) {
    if (!stored) {
        out->push_back(char(TaxInputRecord::kNull));
        return;
    }
    char16_t buffer[40];
    const QStringView wide = widenShort(*stored, buffer);
    const Result<Timestamp> t =
        wide.isNull() ? Result<Timestamp>::failure(QString()) : Timestamp::parse(wide);
    if (!t) {
        out->push_back(char(TaxInputRecord::kBad));
        return;
    }
    out->push_back(char(TaxInputRecord::kTime));
    put64(out, quint64(t->microsecondsSinceEpoch()));
}

void encodeDecimal(const std::optional<QByteArrayView>& stored, std::string* out) {
    if (!stored) {
        out->push_back(char(TaxInputRecord::kNull));
        return;
    }
    const Result<Decimal> d = Decimal::parse(*stored);
    if (!d) {
        out->push_back(char(TaxInputRecord::kBad));
        return;
    }
    // Most stored values have few significant digits: a mantissa and its scale take 9 bytes.
    const int scale = d->scale();
    const std::optional<Decimal> scaled = d->checkedMul(Decimal::fromInt(kPow10[scale]));
    const std::optional<qint64> mantissa = scaled ? scaled->toInt64() : std::nullopt;
    if (mantissa) {
        out->push_back(char(scale));
        put64(out, quint64(*mantissa));
        return;
    }
    quint64 hi = 0;
    quint64 lo = 0;
    d->toUnits(&hi, &lo);
    out->push_back(char(TaxInputRecord::kUnits));
    put64(out, lo);
    put64(out, hi);
}

} // namespace

const char* TaxInputRecord::columnName(Column column) {
    static constexpr const char* kNames[kColumnCount] = {"id",
                                                         "user_id",
                                                         "wallet",
                                                         "transaction_hash",
                                                         "timestamp",
                                                         "transaction_type",
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
                                                         "cost_basis_usd",
                                                         "deleted_at"};
    return column >= 0 && column < kColumnCount ? kNames[column] : "";
}

void TaxInputRecord::encode(const Columns& columns, std::string* out) {
    out->clear();
    out->push_back(char(kVersion));
    const std::optional<QByteArrayView>& type = columns[TransactionType];
    if (!type) {
        out->push_back(char(kNull));
    } else {
        char16_t buffer[40];
        const QStringView wide = widenShort(*type, buffer);
        const std::optional<llamadesk::TransactionType> parsed =
            wide.isNull() ? std::nullopt : transactionTypeFromString(wide);
        out->push_back(parsed ? char(*parsed) : char(kBad));
    }
    for (const Column c : kTexts) {
        const std::optional<QByteArrayView>& text = columns[c];
        if (!text) {
            out->push_back(char(kNull));
            continue;
        }
        const qsizetype size = text->size();
        if (size > kMaxText) {
            out->push_back(char(kBad));
            continue;
        }
        if (size < kLongText) {
            out->push_back(char(size));
        } else {
            out->push_back(char(kLongText));
            out->push_back(char(size & 0xff));
            out->push_back(char(size >> 8));
        }
        out->append(text->data(), size_t(size));
    }
    for (const Column c : kTimes)
        encodeTime(columns[c], out);
    for (const Column c : kDecimals)
        encodeDecimal(columns[c], out);
}

void TaxInputDecoder::resetOtherMembers(TaxTransaction* t) {
    // One by one rather than `*t = TaxTransaction()`, which would free the strings a reader
    // refills in place.
    static const TaxTransaction kDefaults;
    t->userId.clear();
    t->blockNumber = kDefaults.blockNumber;
    t->chainId = kDefaults.chainId;
    t->costBasisMethod = kDefaults.costBasisMethod;
    t->capitalGainUsd.reset();
    t->holdingPeriodDays.reset();
    t->isLongTerm.reset();
    t->taxCategory.reset();
    t->isTaxable = kDefaults.isTaxable;
    t->notes.reset();
    t->createdAt.reset();
    t->updatedAt.reset();
    t->rowVersion = kDefaults.rowVersion;
}

bool TaxInputDecoder::decode(QByteArrayView record, TaxTransaction* t, QByteArrayView* userId,
                             QString* error) {
    const char* in = record.data();
    const char* const end = in + record.size();
    QString why;
    Column where = Column::Id;
    const auto fail = [&](Column column, const QString& reason) {
        where = column;
        why = reason;
        return false;
    };
    // Each step checks that its bytes are there before it reads them.
    const auto have = [&](qsizetype n) {
        return end - in >= n;
    };

    const auto readText = [&](Column column, QByteArrayView* text, bool* null) {
        if (!have(1))
            return fail(column, tr("the record ends early"));
        const quint8 tag = quint8(*in++);
        *null = tag == TaxInputRecord::kNull;
        if (*null)
            return true;
        if (tag == TaxInputRecord::kBad)
            return fail(column, tr("longer than %1 bytes").arg(TaxInputRecord::kMaxText));
        qsizetype length = tag;
        if (tag == TaxInputRecord::kLongText) {
            if (!have(2))
                return fail(column, tr("the record ends early"));
            length = qsizetype(quint8(in[0])) | (qsizetype(quint8(in[1])) << 8);
            in += 2;
        }
        if (!have(length))
            return fail(column, tr("the record ends early"));
        *text = QByteArrayView(in, length);
        in += length;
        return true;
    };
    const auto readTime = [&](Column column, std::optional<Timestamp>* time) {
        if (!have(1))
            return fail(column, tr("the record ends early"));
        const quint8 tag = quint8(*in++);
        if (tag == TaxInputRecord::kNull) {
            time->reset();
            return true;
        }
        if (tag == TaxInputRecord::kBad)
            return fail(column, tr("not a timestamp"));
        if (tag != TaxInputRecord::kTime || !have(8))
            return fail(column, tr("damaged record"));
        const Timestamp at = Timestamp::fromMicrosecondsSinceEpoch(qint64(get64(in)));
        in += 8;
        if (!at.isValid())
            return fail(column, tr("not a timestamp"));
        *time = at;
        return true;
    };
    const auto readDecimal = [&](Column column, std::optional<Decimal>* value) {
        if (!have(1))
            return fail(column, tr("the record ends early"));
        const quint8 tag = quint8(*in++);
        if (tag == TaxInputRecord::kNull) {
            value->reset();
            return true;
        }
        if (tag == TaxInputRecord::kBad)
            return fail(column, tr("not an exact decimal"));
        Decimal d;
        if (tag <= Decimal::kScale) {
            if (!have(8))
                return fail(column, tr("the record ends early"));
            d = Decimal::fromScaled(qint64(get64(in)), tag);
            in += 8;
        } else if (tag == TaxInputRecord::kUnits) {
            if (!have(16))
                return fail(column, tr("the record ends early"));
            d = Decimal::fromUnits(get64(in + 8), get64(in));
            in += 16;
        } else {
            return fail(column, tr("damaged record"));
        }
        if (!d.isValid())
            return fail(column, tr("not an exact decimal"));
        *value = d;
        return true;
    };

    const bool ok = [&] {
        if (!have(2) || quint8(in[0]) != TaxInputRecord::kVersion)
            return fail(Column::kColumnCount,
                        tr("not a tax input record of version %1").arg(TaxInputRecord::kVersion));
        const quint8 type = quint8(in[1]);
        in += 2;

        QByteArrayView text;
        bool null = false;
        // Ids and hashes never repeat: into the row's own buffers. Wallets and symbols do.
        if (!readText(Column::Id, &text, &null))
            return false;
        if (null)
            return fail(Column::Id, tr("missing value"));
        text::AsciiText::assignUtf8(&t->id, text);
        // Checked once the id is known, for the message.
        if (type > quint8(TransactionType::Fee))
            return fail(Column::TransactionType, tr("not one of the allowed values"));
        t->transactionType = llamadesk::TransactionType(type);
        if (!readText(Column::UserId, userId, &null))
            return false;
        if (null)
            return fail(Column::UserId, tr("missing value"));
        if (!readText(Column::Wallet, &text, &null))
            return false;
        if (null)
            return fail(Column::Wallet, tr("missing value"));
        t->wallet = m_wallets.text(text.data(), int(text.size()));
        if (!readText(Column::TransactionHash, &text, &null))
            return false;
        if (null)
            return fail(Column::TransactionHash, tr("missing value"));
        text::AsciiText::assignUtf8(&t->transactionHash, text);
        const struct {
            Column column;
            std::optional<QString>* out;
            RepeatedTexts* cache;
        } symbols[] = {{Column::AssetInSymbol, &t->assetInSymbol, &m_inSymbols},
                       {Column::AssetOutSymbol, &t->assetOutSymbol, &m_outSymbols},
                       {Column::FeeSymbol, &t->feeSymbol, &m_feeSymbols}};
        for (const auto& s : symbols) {
            if (!readText(s.column, &text, &null))
                return false;
            if (null)
                s.out->reset();
            else
                *s.out = s.cache->text(text.data(), int(text.size()));
        }

        std::optional<Timestamp> at;
        if (!readTime(Column::Timestamp, &at))
            return false;
        if (!at)
            return fail(Column::Timestamp, tr("missing value"));
        t->timestamp = *at;
        if (!readTime(Column::DeletedAt, &t->deletedAt))
            return false;

        // A side's price only where its value is NULL: the engine prices nothing else. The
        // value follows the price in the record: the price is dropped after both are read.
        if (!readDecimal(Column::AssetInAmount, &t->assetInAmount) ||
            !readDecimal(Column::AssetInPriceUsd, &t->assetInPriceUsd) ||
            !readDecimal(Column::AssetInValueUsd, &t->assetInValueUsd) ||
            !readDecimal(Column::AssetOutAmount, &t->assetOutAmount) ||
            !readDecimal(Column::AssetOutPriceUsd, &t->assetOutPriceUsd) ||
            !readDecimal(Column::AssetOutValueUsd, &t->assetOutValueUsd) ||
            !readDecimal(Column::FeeAmount, &t->feeAmount) ||
            !readDecimal(Column::FeeValueUsd, &t->feeValueUsd) ||
            !readDecimal(Column::CostBasisUsd, &t->costBasisUsd))
            return false;
        if (t->assetInValueUsd)
            t->assetInPriceUsd.reset();
        if (t->assetOutValueUsd)
            t->assetOutPriceUsd.reset();
        if (in != end)
            return fail(Column::kColumnCount, tr("damaged record"));
        return true;
    }();
    if (!ok) {
        // kColumnCount: the record as a whole, not one of its columns.
        *error = where == Column::kColumnCount
                     ? tr("tax_transactions row %1: %2").arg(t->id, why)
                     : tr("tax_transactions row %1, column %2: %3")
                           .arg(t->id, QString::fromLatin1(TaxInputRecord::columnName(where)), why);
        return false;
    }
    resetOtherMembers(t);
    return true;
}

} // namespace llamadesk::store
