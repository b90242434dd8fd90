#pragma once

#include "domain/Timestamp.h"
#include "money/Decimal.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace llamadesk {

// Rows of the read-only reference tables (prices, gas_predictions, predictions, protocol_health).
// They come from the server (or the demo data set) and are never pushed back: no user_id, no
// row_version, no soft delete.

// One row of prices: the price of an asset at one moment. (asset_symbol, timestamp) is the key.
struct PricePoint {
    QString assetSymbol; // at most 20 characters
    std::optional<qint64> chainId;
    Decimal priceUsd;              // DECIMAL(30,18), not negative
    std::optional<QString> source; // at most 50 characters
    Timestamp timestamp;

    QStringList validate() const;

    friend bool operator==(const PricePoint& a, const PricePoint& b);
    friend bool operator!=(const PricePoint& a, const PricePoint& b) { return !(a == b); }

    Q_DECLARE_TR_FUNCTIONS(PricePoint)
};

// One row of gas_predictions: gas prices (gwei) predicted for one chain at one moment.
// (chain_id, timestamp) is unique.
struct GasPrediction {
    QString id;
    qint64 chainId = 0;

    Decimal predictedLow;     // DECIMAL(10,2); low <= medium <= high <= instant
    Decimal predictedMedium;  // DECIMAL(10,2)
    Decimal predictedHigh;    // DECIMAL(10,2)
    Decimal predictedInstant; // DECIMAL(10,2)

    std::optional<Decimal> actualGasPrice;  // DECIMAL(10,2), not negative
    std::optional<Decimal> predictionError; // DECIMAL(10,2), |predicted - actual|

    std::optional<Decimal> confidenceScore; // DECIMAL(3,2), 0..1
    std::optional<QString> modelVersion;    // at most 10 characters

    std::optional<qint64> pendingTransactions;
    std::optional<Decimal> networkUtilization; // DECIMAL(5,2), percent 0..100
    std::optional<qint64> blockNumber;

    Timestamp predictionFor;
    Timestamp timestamp;

    QStringList validate() const;

    friend bool operator==(const GasPrediction& a, const GasPrediction& b);
    friend bool operator!=(const GasPrediction& a, const GasPrediction& b) { return !(a == b); }

    Q_DECLARE_TR_FUNCTIONS(GasPrediction)
};

enum class PredictionType { GasPrice, TokenPrice, ProtocolTvl, MarketTrend };
QString toString(PredictionType type); // "gas_price", "token_price", "protocol_tvl", "market_trend"
std::optional<PredictionType> predictionTypeFromString(QStringView text);

// One row of predictions: a model's forecast for a target (token, protocol, chain, market).
struct Prediction {
    QString id;
    PredictionType predictionType = PredictionType::TokenPrice;
    QString targetId; // at most 255 characters
    std::optional<qint64> chainId;

    Decimal predictedValue;                 // DECIMAL(30,18), signed (a trend may be negative)
    std::optional<Decimal> confidenceScore; // DECIMAL(3,2), 0..1
    qint64 predictionHorizonHours = 24;     // > 0

    std::optional<Decimal> actualValue;     // DECIMAL(30,18)
    std::optional<Decimal> predictionError; // DECIMAL(30,18)

    QString modelName;    // at most 100 characters
    QString modelVersion; // at most 10 characters

    Timestamp predictionFor;
    Timestamp timestamp;

    QStringList validate() const;

    friend bool operator==(const Prediction& a, const Prediction& b);
    friend bool operator!=(const Prediction& a, const Prediction& b) { return !(a == b); }

    Q_DECLARE_TR_FUNCTIONS(Prediction)
};

enum class RiskLevel { Low, Medium, High, Critical };
QString toString(RiskLevel level); // "low", "medium", "high", "critical"
std::optional<RiskLevel> riskLevelFromString(QStringView text);

enum class HealthStatus { Healthy, Degraded, Warning, Critical, Unknown };
QString toString(HealthStatus status); // "healthy", "degraded", "warning", "critical", "unknown"
std::optional<HealthStatus> healthStatusFromString(QStringView text);

// One row of protocol_health: a protocol's state at one moment.
struct ProtocolHealth {
    QString id;
    QString protocolId;   // at most 255 characters
    QString protocolName; // at most 255 characters
    std::optional<qint64> chainId;

    std::optional<Decimal> tvlUsd;                 // DECIMAL(20,2), not negative
    std::optional<Decimal> tvlChange24hPercentage; // DECIMAL(10,6), signed
    std::optional<Decimal> volume24hUsd;           // DECIMAL(20,2), not negative

    std::optional<qint64> healthScore; // 0..100
    std::optional<RiskLevel> riskLevel;
    std::optional<HealthStatus> status;

    std::optional<QString> anomalies; // JSON
    std::optional<QString> metadata;  // JSON

    Timestamp timestamp;

    QStringList validate() const;

    friend bool operator==(const ProtocolHealth& a, const ProtocolHealth& b);
    friend bool operator!=(const ProtocolHealth& a, const ProtocolHealth& b) { return !(a == b); }

    Q_DECLARE_TR_FUNCTIONS(ProtocolHealth)
};

} // namespace llamadesk
