#include "ReferenceDataRepository.h"

#include <QLatin1String>
#include <QSqlError>

namespace llamadesk::store {

namespace {

const QLatin1String kPriceColumns("asset_symbol, chain_id, price_usd, source, timestamp");

const QLatin1String
    kGasColumns("id, chain_id, predicted_low, predicted_medium, predicted_high, "
                "predicted_instant, actual_gas_price, prediction_error, confidence_score, "
                "model_version, pending_transactions, network_utilization, block_number, "
                "prediction_for, timestamp");

const QLatin1String kPredictionColumns(
    "id, prediction_type, target_id, chain_id, predicted_value, confidence_score, "
    "prediction_horizon_hours, actual_value, prediction_error, model_name, model_version, "
    "prediction_for, timestamp");

const QLatin1String
    kHealthColumns("id, protocol_id, protocol_name, chain_id, tvl_usd, tvl_change_24h_percentage, "
                   "volume_24h_usd, health_score, risk_level, status, anomalies, metadata, "
                   "timestamp");

// Open range bounds become the extremes of the stored timestamp text, so one statement serves
// every call.
QString lowerBound(const std::optional<Timestamp>& from) {
    return from ? from->toString() : QStringLiteral("0000");
}
QString upperBound(const std::optional<Timestamp>& until) {
    return until ? until->toString() : QStringLiteral("9999-12-31T23:59:59.999999Z~");
}

QString prefixed(const QLatin1String& columns, const QString& alias) {
    QStringList parts = QString(columns).split(QStringLiteral(", "));
    for (QString& p : parts)
        p.prepend(alias + QLatin1Char('.'));
    return parts.join(QStringLiteral(", "));
}

} // namespace

ReferenceDataRepository::ReferenceDataRepository(QSqlDatabase db)
    : SqlRepository(std::move(db), "ReferenceDataRepository") {}

bool ReferenceDataRepository::readPrice(const QSqlQuery& query, PricePoint* p, QString* error) {
    Row r(query);
    p->assetSymbol = r.text(0);
    p->chainId = r.optInteger(1);
    p->priceUsd = r.decimal(2);
    p->source = r.optText(3);
    p->timestamp = r.timestamp(4);
    if (!r.ok()) {
        *error = tr("prices row %1, %2").arg(p->assetSymbol, r.error());
        return false;
    }
    return true;
}

bool ReferenceDataRepository::readGas(const QSqlQuery& query, GasPrediction* g, QString* error) {
    Row r(query);
    g->id = r.text(0);
    g->chainId = r.integer(1);
    g->predictedLow = r.decimal(2);
    g->predictedMedium = r.decimal(3);
    g->predictedHigh = r.decimal(4);
    g->predictedInstant = r.decimal(5);
    g->actualGasPrice = r.optDecimal(6);
    g->predictionError = r.optDecimal(7);
    g->confidenceScore = r.optDecimal(8);
    g->modelVersion = r.optText(9);
    g->pendingTransactions = r.optInteger(10);
    g->networkUtilization = r.optDecimal(11);
    g->blockNumber = r.optInteger(12);
    g->predictionFor = r.timestamp(13);
    g->timestamp = r.timestamp(14);
    if (!r.ok()) {
        *error = tr("gas_predictions row %1, %2").arg(g->id, r.error());
        return false;
    }
    return true;
}

bool ReferenceDataRepository::readPrediction(const QSqlQuery& query, Prediction* p,
                                             QString* error) {
    Row r(query);
    p->id = r.text(0);
    p->predictionType = r.enumeration(1, &predictionTypeFromString, PredictionType::TokenPrice);
    p->targetId = r.text(2);
    p->chainId = r.optInteger(3);
    p->predictedValue = r.decimal(4);
    p->confidenceScore = r.optDecimal(5);
    p->predictionHorizonHours = r.integer(6);
    p->actualValue = r.optDecimal(7);
    p->predictionError = r.optDecimal(8);
    p->modelName = r.text(9);
    p->modelVersion = r.text(10);
    p->predictionFor = r.timestamp(11);
    p->timestamp = r.timestamp(12);
    if (!r.ok()) {
        *error = tr("predictions row %1, %2").arg(p->id, r.error());
        return false;
    }
    return true;
}

bool ReferenceDataRepository::readHealth(const QSqlQuery& query, ProtocolHealth* h,
                                         QString* error) {
    Row r(query);
    h->id = r.text(0);
    h->protocolId = r.text(1);
    h->protocolName = r.text(2);
    h->chainId = r.optInteger(3);
    h->tvlUsd = r.optDecimal(4);
    h->tvlChange24hPercentage = r.optDecimal(5);
    h->volume24hUsd = r.optDecimal(6);
    h->healthScore = r.optInteger(7);
    h->riskLevel = r.optEnumeration(8, &riskLevelFromString);
    h->status = r.optEnumeration(9, &healthStatusFromString);
    h->anomalies = r.optText(10);
    h->metadata = r.optText(11);
    h->timestamp = r.timestamp(12);
    if (!r.ok()) {
        *error = tr("protocol_health row %1, %2").arg(h->id, r.error());
        return false;
    }
    return true;
}

template <typename T>
Result<QList<T>> ReferenceDataRepository::readAll(QSqlQuery& q,
                                                  bool (*read)(const QSqlQuery&, T*, QString*),
                                                  const QString& what) {
    using R = Result<QList<T>>;
    if (Status s = execute(q, what); !s)
        return R::failure(s.error());
    QList<T> out;
    QString error;
    while (q.next()) {
        T row;
        if (!read(q, &row, &error)) {
            q.finish();
            return R::failure(failure(what, error));
        }
        out.append(std::move(row));
    }
    const QSqlError e = q.lastError();
    q.finish();
    if (e.isValid())
        return R::failure(failure(what, e));
    return out;
}

template <typename T, typename Bind>
Status ReferenceDataRepository::writeBatch(const QList<T>& rows, const QString& sql,
                                           const QString& what, Bind bind) {
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (const QStringList errors = rows[i].validate(); !errors.isEmpty()) {
            return Status::failure(failure(what, tr("row %1 of %2 is invalid: %3")
                                                     .arg(i + 1)
                                                     .arg(rows.size())
                                                     .arg(errors.join(QLatin1Char(' ')))));
        }
    }
    Result<QSqlQuery*> rq = statement(sql, what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, tr("%1 rows").arg(rows.size()))); !s)
        return s;
    for (const T& row : rows) {
        bind(q, row);
        if (Status s = execute(q, what); !s)
            return s;
    }
    return tx.commit();
}

Status ReferenceDataRepository::replacePrices(const QList<PricePoint>& prices) {
    return writeBatch(prices,
                      QStringLiteral("INSERT OR REPLACE INTO prices (") + kPriceColumns +
                          QStringLiteral(") VALUES (?, ?, ?, ?, ?)"),
                      QStringLiteral("replacePrices"), [](QSqlQuery& q, const PricePoint& p) {
                          int i = 0;
                          q.bindValue(i++, text(p.assetSymbol));
                          q.bindValue(i++, integer(p.chainId));
                          q.bindValue(i++, decimal(p.priceUsd));
                          q.bindValue(i++, text(p.source));
                          q.bindValue(i++, timestamp(p.timestamp));
                      });
}

Status ReferenceDataRepository::replaceGasPredictions(const QList<GasPrediction>& predictions) {
    return writeBatch(predictions,
                      QStringLiteral("INSERT OR REPLACE INTO gas_predictions (") + kGasColumns +
                          QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                      QStringLiteral("replaceGasPredictions"),
                      [](QSqlQuery& q, const GasPrediction& g) {
                          int i = 0;
                          q.bindValue(i++, text(g.id));
                          q.bindValue(i++, integer(g.chainId));
                          q.bindValue(i++, decimal(g.predictedLow));
                          q.bindValue(i++, decimal(g.predictedMedium));
                          q.bindValue(i++, decimal(g.predictedHigh));
                          q.bindValue(i++, decimal(g.predictedInstant));
                          q.bindValue(i++, decimal(g.actualGasPrice));
                          q.bindValue(i++, decimal(g.predictionError));
                          q.bindValue(i++, decimal(g.confidenceScore));
                          q.bindValue(i++, text(g.modelVersion));
                          q.bindValue(i++, integer(g.pendingTransactions));
                          q.bindValue(i++, decimal(g.networkUtilization));
                          q.bindValue(i++, integer(g.blockNumber));
                          q.bindValue(i++, timestamp(g.predictionFor));
                          q.bindValue(i++, timestamp(g.timestamp));
                      });
}

Status ReferenceDataRepository::replacePredictions(const QList<Prediction>& predictions) {
    return writeBatch(predictions,
                      QStringLiteral("INSERT OR REPLACE INTO predictions (") + kPredictionColumns +
                          QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                      QStringLiteral("replacePredictions"), [](QSqlQuery& q, const Prediction& p) {
                          int i = 0;
                          q.bindValue(i++, text(p.id));
                          q.bindValue(i++, toString(p.predictionType));
                          q.bindValue(i++, text(p.targetId));
                          q.bindValue(i++, integer(p.chainId));
                          q.bindValue(i++, decimal(p.predictedValue));
                          q.bindValue(i++, decimal(p.confidenceScore));
                          q.bindValue(i++, integer(p.predictionHorizonHours));
                          q.bindValue(i++, decimal(p.actualValue));
                          q.bindValue(i++, decimal(p.predictionError));
                          q.bindValue(i++, text(p.modelName));
                          q.bindValue(i++, text(p.modelVersion));
                          q.bindValue(i++, timestamp(p.predictionFor));
                          q.bindValue(i++, timestamp(p.timestamp));
                      });
}

Status ReferenceDataRepository::replaceProtocolHealth(const QList<ProtocolHealth>& rows) {
    return writeBatch(
        rows,
        QStringLiteral("INSERT OR REPLACE INTO protocol_health (") + kHealthColumns +
            QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        QStringLiteral("replaceProtocolHealth"), [](QSqlQuery& q, const ProtocolHealth& h) {
            int i = 0;
            q.bindValue(i++, text(h.id));
            q.bindValue(i++, text(h.protocolId));
            q.bindValue(i++, text(h.protocolName));
            q.bindValue(i++, integer(h.chainId));
            q.bindValue(i++, decimal(h.tvlUsd));
            q.bindValue(i++, decimal(h.tvlChange24hPercentage));
            q.bindValue(i++, decimal(h.volume24hUsd));
            q.bindValue(i++, integer(h.healthScore));
            q.bindValue(i++, h.riskLevel ? QVariant(toString(*h.riskLevel)) : QVariant());
            q.bindValue(i++, h.status ? QVariant(toString(*h.status)) : QVariant());
            q.bindValue(i++, text(h.anomalies));
            q.bindValue(i++, text(h.metadata));
            q.bindValue(i++, timestamp(h.timestamp));
        });
}

Result<std::optional<PricePoint>> ReferenceDataRepository::priceAt(const QString& assetSymbol,
                                                                   const Timestamp& at) {
    using R = Result<std::optional<PricePoint>>;
    const QString what = QStringLiteral("priceAt");
    if (!at.isValid())
        return R::failure(failure(what, tr("the time is not valid")));
    // Descending on the primary key from (symbol, at): the first row is the answer.
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("SELECT ") + kPriceColumns +
                      QStringLiteral(" FROM prices WHERE asset_symbol = ? AND timestamp <= ? "
                                     "ORDER BY timestamp DESC LIMIT 1"),
                  what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, assetSymbol);
    q.bindValue(1, at.toString());
    Result<QList<PricePoint>> rows = readAll(q, &readPrice, what);
    if (!rows)
        return R::failure(rows.error());
    if (rows->isEmpty())
        return std::optional<PricePoint>();
    return std::optional<PricePoint>(rows->constFirst());
}

Result<QList<PricePoint>>
ReferenceDataRepository::priceSeries(const QString& assetSymbol,
                                     const std::optional<Timestamp>& from,
                                     const std::optional<Timestamp>& until) {
    const QString what = QStringLiteral("priceSeries");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("SELECT ") + kPriceColumns +
                      QStringLiteral(" FROM prices WHERE asset_symbol = ? AND timestamp >= ? "
                                     "AND timestamp < ? ORDER BY timestamp"),
                  what);
    if (!rq)
        return Result<QList<PricePoint>>::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, assetSymbol);
    q.bindValue(1, lowerBound(from));
    q.bindValue(2, upperBound(until));
    return readAll(q, &readPrice, what);
}

Result<QStringList> ReferenceDataRepository::pricedAssets() {
    using R = Result<QStringList>;
    const QString what = QStringLiteral("pricedAssets");
    // Skips from one symbol to the next on the primary key instead of reading every price.
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("WITH RECURSIVE s(symbol) AS (SELECT min(asset_symbol) FROM prices "
                       "UNION ALL SELECT (SELECT min(asset_symbol) FROM prices "
                       "WHERE asset_symbol > s.symbol) FROM s WHERE s.symbol IS NOT NULL) "
                       "SELECT symbol FROM s WHERE symbol IS NOT NULL"),
        what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    if (Status s = execute(q, what); !s)
        return R::failure(s.error());
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    const QSqlError e = q.lastError();
    q.finish();
    if (e.isValid())
        return R::failure(failure(what, e));
    return out;
}

Result<QList<GasPrediction>> ReferenceDataRepository::latestGasPredictions() {
    const QString what = QStringLiteral("latestGasPredictions");
    // One seek per chain on the (chain_id, timestamp) key: skip to the next chain, then take
    // its newest row.
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("WITH RECURSIVE c(chain) AS (SELECT min(chain_id) FROM gas_predictions "
                       "UNION ALL SELECT (SELECT min(chain_id) FROM gas_predictions "
                       "WHERE chain_id > c.chain) FROM c WHERE c.chain IS NOT NULL) "
                       "SELECT ") +
            prefixed(kGasColumns, QStringLiteral("g")) +
            QStringLiteral(" FROM c JOIN gas_predictions g ON g.chain_id = c.chain "
                           "AND g.timestamp = (SELECT max(timestamp) FROM gas_predictions "
                           "WHERE chain_id = c.chain) ORDER BY g.chain_id"),
        what);
    if (!rq)
        return Result<QList<GasPrediction>>::failure(rq.error());
    return readAll(**rq, &readGas, what);
}

Result<QList<GasPrediction>>
ReferenceDataRepository::gasPredictions(qint64 chainId, const std::optional<Timestamp>& from,
                                        const std::optional<Timestamp>& until) {
    const QString what = QStringLiteral("gasPredictions");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("SELECT ") + kGasColumns +
                      QStringLiteral(" FROM gas_predictions WHERE chain_id = ? AND timestamp >= ? "
                                     "AND timestamp < ? ORDER BY timestamp"),
                  what);
    if (!rq)
        return Result<QList<GasPrediction>>::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, chainId);
    q.bindValue(1, lowerBound(from));
    q.bindValue(2, upperBound(until));
    return readAll(q, &readGas, what);
}

Result<QList<Prediction>>
ReferenceDataRepository::predictions(PredictionType type, const QString& targetId,
                                     const std::optional<Timestamp>& from,
                                     const std::optional<Timestamp>& until) {
    const QString what = QStringLiteral("predictions");
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("SELECT ") + kPredictionColumns +
            QStringLiteral(" FROM predictions WHERE prediction_type = ? AND target_id = ? "
                           "AND timestamp >= ? AND timestamp < ? ORDER BY timestamp, id"),
        what);
    if (!rq)
        return Result<QList<Prediction>>::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, toString(type));
    q.bindValue(1, targetId);
    q.bindValue(2, lowerBound(from));
    q.bindValue(3, upperBound(until));
    return readAll(q, &readPrediction, what);
}

Result<QList<ProtocolHealth>> ReferenceDataRepository::latestProtocolHealth() {
    const QString what = QStringLiteral("latestProtocolHealth");
    // As for gas: skip from protocol to protocol on idx_protocol_health_protocol, then take the
    // newest row of each (the larger id on a tie, so the answer is stable).
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("WITH RECURSIVE p(protocol) AS (SELECT min(protocol_id) FROM "
                       "protocol_health UNION ALL SELECT (SELECT min(protocol_id) FROM "
                       "protocol_health WHERE protocol_id > p.protocol) FROM p "
                       "WHERE p.protocol IS NOT NULL) SELECT ") +
            prefixed(kHealthColumns, QStringLiteral("h")) +
            QStringLiteral(" FROM p JOIN protocol_health h ON h.id = (SELECT id FROM "
                           "protocol_health WHERE protocol_id = p.protocol "
                           "ORDER BY timestamp DESC, id DESC LIMIT 1) ORDER BY h.protocol_id"),
        what);
    if (!rq)
        return Result<QList<ProtocolHealth>>::failure(rq.error());
    return readAll(**rq, &readHealth, what);
}

Result<QList<ProtocolHealth>>
ReferenceDataRepository::protocolHealthHistory(const QString& protocolId,
                                               const std::optional<Timestamp>& from,
                                               const std::optional<Timestamp>& until) {
    const QString what = QStringLiteral("protocolHealthHistory");
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("SELECT ") + kHealthColumns +
            QStringLiteral(" FROM protocol_health WHERE protocol_id = ? AND timestamp >= ? "
                           "AND timestamp < ? ORDER BY timestamp, id"),
        what);
    if (!rq)
        return Result<QList<ProtocolHealth>>::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, protocolId);
    q.bindValue(1, lowerBound(from));
    q.bindValue(2, upperBound(until));
    return readAll(q, &readHealth, what);
}

} // namespace llamadesk::store
