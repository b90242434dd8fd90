#pragma once

#include "domain/Timestamp.h"
#include "money/Decimal.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace llamadesk {

// tax_transactions.transaction_type
enum class TransactionType {
    Buy,
    Sell,
    Swap,
    TransferIn,
    TransferOut,
    StakingReward,
    MiningReward,
    Airdrop,
    Gift,
    Income,
    Expense,
    Fee,
};
QString toString(TransactionType type); // stored text: "buy", "transfer_in", ...
std::optional<TransactionType> transactionTypeFromString(QStringView text);
QList<TransactionType> allTransactionTypes();

// tax_transactions.cost_basis_method
enum class CostBasisMethod { Fifo, Lifo, Hifo, Specific };
QString toString(CostBasisMethod method); // "FIFO", "LIFO", "HIFO", "Specific"
std::optional<CostBasisMethod> costBasisMethodFromString(QStringView text);

// One row of tax_transactions. Amounts are DECIMAL(30,18), prices DECIMAL(20,8), USD values
// DECIMAL(20,2); a nullopt is SQL NULL.
struct TaxTransaction {
    QString id;     // canonical UUID
    QString userId; // canonical UUID
    QString wallet = QStringLiteral("default");

    QString transactionHash; // at most 66 characters
    qint64 blockNumber = 0;
    qint64 chainId = 0;
    Timestamp timestamp;
    TransactionType transactionType = TransactionType::Buy;

    std::optional<QString> assetInSymbol; // at most 20 characters
    std::optional<Decimal> assetInAmount;
    std::optional<Decimal> assetInPriceUsd;
    std::optional<Decimal> assetInValueUsd;

    std::optional<QString> assetOutSymbol;
    std::optional<Decimal> assetOutAmount;
    std::optional<Decimal> assetOutPriceUsd;
    std::optional<Decimal> assetOutValueUsd;

    std::optional<Decimal> feeAmount;
    std::optional<QString> feeSymbol;
    std::optional<Decimal> feeValueUsd;

    CostBasisMethod costBasisMethod = CostBasisMethod::Fifo;
    std::optional<Decimal> costBasisUsd;
    std::optional<Decimal> capitalGainUsd; // negative for a loss
    std::optional<qint64> holdingPeriodDays;
    std::optional<bool> isLongTerm; // held more than 365 days

    std::optional<QString> taxCategory; // at most 50 characters
    bool isTaxable = true;
    std::optional<QString> notes;

    // Set by the repository on insert and update when left empty.
    std::optional<Timestamp> createdAt;
    std::optional<Timestamp> updatedAt;
    std::optional<Timestamp> deletedAt; // soft delete
    qint64 rowVersion = 0;              // server-assigned, 0 until synced; never written locally

    // Every rule of the schema and of the seed's meaning: required fields per transaction type,
    // sizes, precisions and signs. Empty when the row may be stored.
    QStringList validate() const;

    // The ledger's order: by timestamp, then id. Every listing, the vault's batches and the tax
    // engine use it.
    static bool ledgerOrderLess(const TaxTransaction& a, const TaxTransaction& b) {
        if (a.timestamp != b.timestamp)
            return a.timestamp < b.timestamp;
        return a.id < b.id;
    }

    friend bool operator==(const TaxTransaction& a, const TaxTransaction& b);
    friend bool operator!=(const TaxTransaction& a, const TaxTransaction& b) { return !(a == b); }

    Q_DECLARE_TR_FUNCTIONS(TaxTransaction)
};

} // namespace llamadesk
