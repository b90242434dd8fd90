#include "ReferenceData.h"

#include "domain/EnumText.h"
#include "domain/FieldValidator.h"

#include <limits>

namespace llamadesk {

namespace {

constexpr qint64 kMaxInt = std::numeric_limits<qint32>::max();
constexpr qint64 kMaxBigInt = std::numeric_limits<qint64>::max();

const EnumText::Entry<PredictionType> kPredictionTypes[] = {
    {PredictionType::GasPrice, "gas_price"},
    {PredictionType::TokenPrice, "token_price"},
    {PredictionType::ProtocolTvl, "protocol_tvl"},
    {PredictionType::MarketTrend, "market_trend"},
};

const EnumText::Entry<RiskLevel> kRiskLevels[] = {
    {RiskLevel::Low, "low"},
    {RiskLevel::Medium, "medium"},
    {RiskLevel::High, "high"},
    {RiskLevel::Critical, "critical"},
};

const EnumText::Entry<HealthStatus> kHealthStatuses[] = {
    {HealthStatus::Healthy, "healthy"}, {HealthStatus::Degraded, "degraded"},
    {HealthStatus::Warning, "warning"}, {HealthStatus::Critical, "critical"},
    {HealthStatus::Unknown, "unknown"},
};

// A confidence is a share: DECIMAL(3,2) between 0 and 1.
void confidence(FieldValidator& v, const std::optional<Decimal>& value) {
    v.decimal("confidence_score", value, 3, 2, FieldValidator::Sign::NonNegative);
    if (value && value->isValid() && *value > Decimal::fromInt(1))
        v.add(QCoreApplication::translate("llamadesk::ReferenceData",
                                          "confidence_score must be between 0 and 1."));
}

} // namespace

QString toString(PredictionType type) {
    return EnumText::toString(kPredictionTypes, type);
}
std::optional<PredictionType> predictionTypeFromString(QStringView text) {
    return EnumText::fromString(kPredictionTypes, text);
}
QString toString(RiskLevel level) {
    return EnumText::toString(kRiskLevels, level);
}
std::optional<RiskLevel> riskLevelFromString(QStringView text) {
    return EnumText::fromString(kRiskLevels, text);
}
QString toString(HealthStatus status) {
    return EnumText::toString(kHealthStatuses, status);
}
std::optional<HealthStatus> healthStatusFromString(QStringView text) {
    return EnumText::fromString(kHealthStatuses, text);
}

QStringList PricePoint::validate() const {
    FieldValidator v;
    v.text("asset_symbol", assetSymbol, 20, true);
    v.integer("chain_id", chainId, 0, kMaxInt);
    v.decimal("price_usd", priceUsd, 30, 18, FieldValidator::Sign::NonNegative);
    v.text("source", source, 50);
    v.timestamp("timestamp", timestamp);
    return v.errors();
}

bool operator==(const PricePoint& a, const PricePoint& b) {
    return a.assetSymbol == b.assetSymbol && a.chainId == b.chainId && a.priceUsd == b.priceUsd &&
           a.source == b.source && a.timestamp == b.timestamp;
}

QStringList GasPrediction::validate() const {
    using Sign = FieldValidator::Sign;
    FieldValidator v;
    v.uuid("id", id);
    v.integer("chain_id", chainId, 0, kMaxInt);
    v.decimal("predicted_low", predictedLow, 10, 2, Sign::NonNegative);
    v.decimal("predicted_medium", predictedMedium, 10, 2, Sign::NonNegative);
    v.decimal("predicted_high", predictedHigh, 10, 2, Sign::NonNegative);
    v.decimal("predicted_instant", predictedInstant, 10, 2, Sign::NonNegative);
    // The server's order check: a faster tier never costs less.
    if (predictedLow.isValid() && predictedMedium.isValid() && predictedLow > predictedMedium)
        v.add(tr("predicted_medium must not be below predicted_low."));
    if (predictedMedium.isValid() && predictedHigh.isValid() && predictedMedium > predictedHigh)
        v.add(tr("predicted_high must not be below predicted_medium."));
    if (predictedHigh.isValid() && predictedInstant.isValid() && predictedHigh > predictedInstant)
        v.add(tr("predicted_instant must not be below predicted_high."));
    v.decimal("actual_gas_price", actualGasPrice, 10, 2, Sign::NonNegative);
    v.decimal("prediction_error", predictionError, 10, 2, Sign::NonNegative);
    confidence(v, confidenceScore);
    v.text("model_version", modelVersion, 10);
    v.integer("pending_transactions", pendingTransactions, 0, kMaxInt);
    v.decimal("network_utilization", networkUtilization, 5, 2, Sign::NonNegative);
    if (networkUtilization && networkUtilization->isValid() &&
        *networkUtilization > Decimal::fromInt(100))
        v.add(tr("network_utilization must be between 0 and 100."));
    v.integer("block_number", blockNumber, 0, kMaxBigInt);
    v.timestamp("prediction_for", predictionFor);
    v.timestamp("timestamp", timestamp);
    return v.errors();
}

bool operator==(const GasPrediction& a, const GasPrediction& b) {
    return a.id == b.id && a.chainId == b.chainId && a.predictedLow == b.predictedLow &&
           a.predictedMedium == b.predictedMedium && a.predictedHigh == b.predictedHigh &&
           a.predictedInstant == b.predictedInstant && a.actualGasPrice == b.actualGasPrice &&
           a.predictionError == b.predictionError && a.confidenceScore == b.confidenceScore &&
           a.modelVersion == b.modelVersion && a.pendingTransactions == b.pendingTransactions &&
           a.networkUtilization == b.networkUtilization && a.blockNumber == b.blockNumber &&
           a.predictionFor == b.predictionFor && a.timestamp == b.timestamp;
}

QStringList Prediction::validate() const {
    using Sign = FieldValidator::Sign;
    FieldValidator v;
    v.uuid("id", id);
    v.text("target_id", targetId, 255, true);
    v.integer("chain_id", chainId, 0, kMaxInt);
    v.decimal("predicted_value", predictedValue, 30, 18, Sign::Any);
    confidence(v, confidenceScore);
    v.integer("prediction_horizon_hours", predictionHorizonHours, 1, kMaxInt);
    v.decimal("actual_value", actualValue, 30, 18, Sign::Any);
    v.decimal("prediction_error", predictionError, 30, 18, Sign::Any);
    v.text("model_name", modelName, 100, true);
    v.text("model_version", modelVersion, 10, true);
    v.timestamp("prediction_for", predictionFor);
    v.timestamp("timestamp", timestamp);
    return v.errors();
}

bool operator==(const Prediction& a, const Prediction& b) {
    return a.id == b.id && a.predictionType == b.predictionType && a.targetId == b.targetId &&
           a.chainId == b.chainId && a.predictedValue == b.predictedValue &&
           a.confidenceScore == b.confidenceScore &&
           a.predictionHorizonHours == b.predictionHorizonHours && a.actualValue == b.actualValue &&
           a.predictionError == b.predictionError && a.modelName == b.modelName &&
           a.modelVersion == b.modelVersion && a.predictionFor == b.predictionFor &&
           a.timestamp == b.timestamp;
}

QStringList ProtocolHealth::validate() const {
    using Sign = FieldValidator::Sign;
    FieldValidator v;
    v.uuid("id", id);
    v.text("protocol_id", protocolId, 255, true);
    v.text("protocol_name", protocolName, 255, true);
    v.integer("chain_id", chainId, 0, kMaxInt);
    v.decimal("tvl_usd", tvlUsd, 20, 2, Sign::NonNegative);
    v.decimal("tvl_change_24h_percentage", tvlChange24hPercentage, 10, 6, Sign::Any);
    v.decimal("volume_24h_usd", volume24hUsd, 20, 2, Sign::NonNegative);
    v.integer("health_score", healthScore, 0, 100);
    v.json("anomalies", anomalies);
    v.json("metadata", metadata);
    v.timestamp("timestamp", timestamp);
    return v.errors();
}

bool operator==(const ProtocolHealth& a, const ProtocolHealth& b) {
    return a.id == b.id && a.protocolId == b.protocolId && a.protocolName == b.protocolName &&
           a.chainId == b.chainId && a.tvlUsd == b.tvlUsd &&
           a.tvlChange24hPercentage == b.tvlChange24hPercentage &&
           a.volume24hUsd == b.volume24hUsd && a.healthScore == b.healthScore &&
           a.riskLevel == b.riskLevel && a.status == b.status && a.anomalies == b.anomalies &&
           a.metadata == b.metadata && a.timestamp == b.timestamp;
}

} // namespace llamadesk
