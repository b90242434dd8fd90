#pragma once

#include "domain/PortfolioAsset.h"

#include <QAbstractTableModel>
#include <QList>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <optional>

namespace llamadesk::ui {

// The current holdings (portfolio_assets), one row each. Money is shown through
// app::MoneyFormat; the exact values travel in DecimalRole for sorting.
class HoldingsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        AssetColumn,
        TypeColumn,
        ChainColumn,
        ProtocolColumn,
        BalanceColumn,
        PriceColumn,
        ValueColumn,
        CostBasisColumn,
        PnlColumn,
        PnlPercentColumn,
        ColumnCount
    };
    enum Role {
        DecimalRole = Qt::UserRole + 1, // llamadesk::Decimal of a number column, else invalid
        ChainRole,                      // qint64 chain id
        WalletsRole,                    // QStringList from the metadata
        ProtocolRole,                   // QString, empty without a protocol
        TypeRole,                       // QString: "token", "staked", ...
    };

    explicit HoldingsModel(QObject* parent = nullptr);

    void setAssets(const QList<PortfolioAsset>& assets);
    void clear();
    const QList<PortfolioAsset>& assets() const { return m_assets; }

    // A translated label for an asset type ("LP position").
    static QString typeLabel(AssetType type);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::optional<Decimal> number(const PortfolioAsset& a, int column) const;

    QList<PortfolioAsset> m_assets;
    QList<QStringList> m_wallets; // parsed once per row
};

// Sorting (exact on the number columns) and the chain, wallet, protocol and type filters.
class HoldingsFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit HoldingsFilterModel(QObject* parent = nullptr);

    void setChain(std::optional<qint64> chain);
    void setWallet(const QString& wallet);             // empty: any
    void setProtocol(std::optional<QString> protocol); // "" = holdings without a protocol
    void setType(const QString& type);                 // empty: any
    bool isFiltered() const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    std::optional<qint64> m_chain;
    QString m_wallet;
    std::optional<QString> m_protocol;
    QString m_type;
};

} // namespace llamadesk::ui
