#pragma once

#include "domain/ReferenceData.h"
#include "store/SqlRepository.h"

#include <QList>
#include <QString>

#include <optional>

namespace llamadesk::store {

// The read-only reference tables: prices, gas_predictions, predictions and protocol_health.
// They are replaced from the server (or the demo data set), never edited by the user and never
// recorded in the outbox. Writes are batches, all or none; a row whose key exists replaces it
// (INSERT OR REPLACE: a delete and an insert, which is right here because nothing references
// these rows and no trigger records them).
class ReferenceDataRepository : public SqlRepository {
public:
    explicit ReferenceDataRepository(QSqlDatabase db);

    // Key (asset_symbol, timestamp).
    Status replacePrices(const QList<PricePoint>& prices);
    // Key id; a row with the same (chain_id, timestamp) is replaced as well.
    Status replaceGasPredictions(const QList<GasPrediction>& predictions);
    // Key id.
    Status replacePredictions(const QList<Prediction>& predictions);
    // Key id.
    Status replaceProtocolHealth(const QList<ProtocolHealth>& rows);

    // The latest price of the asset at or before `at` (one seek on the primary key); nullopt
    // when the asset has no price that early.
    Result<std::optional<PricePoint>> priceAt(const QString& assetSymbol, const Timestamp& at);
    // Prices of the asset with from <= timestamp < until (either bound optional), oldest first.
    Result<QList<PricePoint>> priceSeries(const QString& assetSymbol,
                                          const std::optional<Timestamp>& from,
                                          const std::optional<Timestamp>& until);
    // The symbols that have prices, in order.
    Result<QStringList> pricedAssets();

    // The newest prediction of every chain (by timestamp), ordered by chain_id.
    Result<QList<GasPrediction>> latestGasPredictions();
    // Predictions of one chain with from <= timestamp < until, oldest first.
    Result<QList<GasPrediction>> gasPredictions(qint64 chainId,
                                                const std::optional<Timestamp>& from,
                                                const std::optional<Timestamp>& until);

    // Predictions of one kind for one target with from <= timestamp < until, oldest first.
    Result<QList<Prediction>> predictions(PredictionType type, const QString& targetId,
                                          const std::optional<Timestamp>& from,
                                          const std::optional<Timestamp>& until);

    // The newest row of every protocol (by timestamp, then id), ordered by protocol_id.
    Result<QList<ProtocolHealth>> latestProtocolHealth();
    // The history of one protocol with from <= timestamp < until, oldest first.
    Result<QList<ProtocolHealth>> protocolHealthHistory(const QString& protocolId,
                                                        const std::optional<Timestamp>& from,
                                                        const std::optional<Timestamp>& until);

private:
    static bool readPrice(const QSqlQuery& query, PricePoint* price, QString* error);
    static bool readGas(const QSqlQuery& query, GasPrediction* gas, QString* error);
    static bool readPrediction(const QSqlQuery& query, Prediction* prediction, QString* error);
    static bool readHealth(const QSqlQuery& query, ProtocolHealth* health, QString* error);

    // Runs a bound SELECT and reads every row with `read`.
    template <typename T>
    Result<QList<T>> readAll(QSqlQuery& query, bool (*read)(const QSqlQuery&, T*, QString*),
                             const QString& what);
    // Validates every row, then runs `bind` + execute for each inside one transaction.
    template <typename T, typename Bind>
    Status writeBatch(const QList<T>& rows, const QString& sql, const QString& what, Bind bind);
};

} // namespace llamadesk::store
