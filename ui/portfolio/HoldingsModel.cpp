#include "HoldingsModel.h"

#include "app/MoneyFormat.h"
#include "app/Theme.h"
#include "portfolio/ChainNames.h"
#include "portfolio/PortfolioSummary.h"

namespace llamadesk::ui {

using app::MoneyFormat;

HoldingsModel::HoldingsModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void HoldingsModel::setAssets(const QList<PortfolioAsset>& assets) {
    beginResetModel();
    m_assets = assets;
    m_wallets.clear();
    m_wallets.reserve(m_assets.size());
    for (const PortfolioAsset& a : std::as_const(m_assets))
        m_wallets.append(portfolio::PortfolioSummary::walletsOf(a));
    endResetModel();
}

void HoldingsModel::clear() {
    beginResetModel();
    // Replaced, not just emptied, so no decrypted value lingers in the old buffers.
    m_assets = QList<PortfolioAsset>();
    m_wallets = QList<QStringList>();
    endResetModel();
}

QString HoldingsModel::typeLabel(AssetType type) {
    switch (type) {
    case AssetType::Token:
        return tr("Token");
    case AssetType::Nft:
        return tr("NFT");
    case AssetType::LpPosition:
        return tr("LP position");
    case AssetType::Staked:
        return tr("Staked");
    case AssetType::Lending:
        return tr("Lending");
    case AssetType::Borrowing:
        return tr("Borrowing");
    }
    return QString();
}

int HoldingsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_assets.size());
}

int HoldingsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

std::optional<Decimal> HoldingsModel::number(const PortfolioAsset& a, int column) const {
    switch (column) {
    case BalanceColumn:
        return a.balance;
    case PriceColumn:
        return a.priceUsd;
    case ValueColumn:
        return a.balanceUsd;
    case CostBasisColumn:
        return a.costBasisUsd;
    case PnlColumn:
        if (a.costBasisUsd)
            return a.balanceUsd - *a.costBasisUsd;
        return std::nullopt;
    case PnlPercentColumn:
        return portfolio::PortfolioSummary::pnlRatio(a);
    default:
        return std::nullopt;
    }
}

QVariant HoldingsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PortfolioAsset& a = m_assets.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole: {
        switch (column) {
        case AssetColumn:
            return a.assetSymbol.value_or(a.assetName.value_or(tr("Unknown")));
        case TypeColumn:
            return typeLabel(a.assetType);
        case ChainColumn:
            return portfolio::ChainNames::name(a.chainId);
        case ProtocolColumn:
            return a.protocolName.value_or(QStringLiteral("—"));
        case BalanceColumn:
            // Eight decimals keep the column readable; the tooltip has every digit.
            return MoneyFormat::amount(a.balance.round(8, RoundingMode::HalfEven));
        case PriceColumn:
            return a.priceUsd ? MoneyFormat::money(*a.priceUsd) : QStringLiteral("—");
        case ValueColumn:
            return MoneyFormat::money(a.balanceUsd);
        case CostBasisColumn:
            return a.costBasisUsd ? MoneyFormat::money(*a.costBasisUsd) : QStringLiteral("—");
        case PnlColumn: {
            const auto v = number(a, column);
            return v ? MoneyFormat::signedMoney(*v) : QStringLiteral("—");
        }
        case PnlPercentColumn: {
            const auto v = number(a, column);
            return v ? MoneyFormat::percent(*v, true) : QStringLiteral("—");
        }
        default:
            return {};
        }
    }
    case Qt::ToolTipRole:
        if (column == AssetColumn) {
            QStringList lines;
            if (a.assetName)
                lines.append(*a.assetName);
            const QStringList& wallets = m_wallets.at(index.row());
            if (!wallets.isEmpty())
                lines.append(tr("Wallets: %1").arg(wallets.join(QStringLiteral(", "))));
            return lines.join(QLatin1Char('\n'));
        }
        if (column == BalanceColumn)
            return MoneyFormat::amount(a.balance);
        return {};
    case Qt::TextAlignmentRole:
        if (column >= BalanceColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter));
    case Qt::ForegroundRole:
        if (column == PnlColumn || column == PnlPercentColumn) {
            const auto v = number(a, PnlColumn);
            if (v && v->isPositive())
                return Theme::positive();
            if (v && v->isNegative())
                return Theme::negative();
        }
        return {};
    case DecimalRole: {
        const auto v = number(a, column);
        return v ? QVariant::fromValue(*v) : QVariant();
    }
    case ChainRole:
        return QVariant::fromValue(a.chainId);
    case WalletsRole:
        return m_wallets.at(index.row());
    case ProtocolRole:
        return a.protocolName.value_or(QString());
    case TypeRole:
        return toString(a.assetType);
    default:
        return {};
    }
}

QVariant HoldingsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(Qt::Alignment(
            (section >= BalanceColumn ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter));
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case AssetColumn:
        return tr("Asset");
    case TypeColumn:
        return tr("Type");
    case ChainColumn:
        return tr("Chain");
    case ProtocolColumn:
        return tr("Protocol");
    case BalanceColumn:
        return tr("Balance");
    case PriceColumn:
        return tr("Price");
    case ValueColumn:
        return tr("Value");
    case CostBasisColumn:
        return tr("Cost basis");
    case PnlColumn:
        return tr("Unrealized PnL");
    case PnlPercentColumn:
        return tr("PnL %");
    default:
        return {};
    }
}

HoldingsFilterModel::HoldingsFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent) {
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void HoldingsFilterModel::setChain(std::optional<qint64> chain) {
    m_chain = chain;
    invalidateFilter();
}

void HoldingsFilterModel::setWallet(const QString& wallet) {
    m_wallet = wallet;
    invalidateFilter();
}

void HoldingsFilterModel::setProtocol(std::optional<QString> protocol) {
    m_protocol = std::move(protocol);
    invalidateFilter();
}

void HoldingsFilterModel::setType(const QString& type) {
    m_type = type;
    invalidateFilter();
}

bool HoldingsFilterModel::isFiltered() const {
    return m_chain || !m_wallet.isEmpty() || m_protocol || !m_type.isEmpty();
}

bool HoldingsFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_chain && i.data(HoldingsModel::ChainRole).toLongLong() != *m_chain)
        return false;
    if (!m_wallet.isEmpty() &&
        !i.data(HoldingsModel::WalletsRole).toStringList().contains(m_wallet))
        return false;
    if (m_protocol && i.data(HoldingsModel::ProtocolRole).toString() != *m_protocol)
        return false;
    if (!m_type.isEmpty() && i.data(HoldingsModel::TypeRole).toString() != m_type)
        return false;
    return true;
}

bool HoldingsFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const QVariant l = left.data(HoldingsModel::DecimalRole);
    const QVariant r = right.data(HoldingsModel::DecimalRole);
    if (l.isValid() || r.isValid()) {
        // Exact comparison; a missing value sorts below every number.
        if (!l.isValid())
            return true;
        if (!r.isValid())
            return false;
        return l.value<Decimal>() < r.value<Decimal>();
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace llamadesk::ui
