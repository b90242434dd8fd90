#include "DisposalTableModel.h"

#include "app/MoneyFormat.h"
#include "app/Theme.h"

namespace llamadesk::ui {

using app::MoneyFormat;

DisposalTableModel::DisposalTableModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_cache(512) {}

void DisposalTableModel::setResult(const tax::TaxResult& result) {
    beginResetModel();
    m_result = result;
    m_rows = result.disposalCount();
    m_cache.clear();
    endResetModel();
}

void DisposalTableModel::clear() {
    setResult(tax::TaxResult());
}

tax::Disposal DisposalTableModel::disposal(int row) const {
    if (row < 0 || row >= m_rows)
        return {};
    if (const tax::Disposal* cached = m_cache.object(row))
        return *cached;
    auto* made = new tax::Disposal(m_result.printedDisposal(row));
    const tax::Disposal copy = *made;
    m_cache.insert(row, made);
    return copy;
}

int DisposalTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_rows;
}

int DisposalTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString DisposalTableModel::kindText(tax::DisposalKind kind) {
    switch (kind) {
    case tax::DisposalKind::Sale:
        return tr("Sale");
    case tax::DisposalKind::Swap:
        return tr("Swap");
    case tax::DisposalKind::Expense:
        return tr("Spent");
    case tax::DisposalKind::Fee:
        return tr("Fee");
    case tax::DisposalKind::Gift:
        return tr("Gift");
    case tax::DisposalKind::TransferLoss:
        return tr("Transfer loss");
    }
    return {};
}

QString DisposalTableModel::termText(tax::Term term) {
    switch (term) {
    case tax::Term::Short:
        return tr("Short");
    case tax::Term::Long:
        return tr("Long");
    case tax::Term::None:
        break;
    }
    return QString();
}

QVariant DisposalTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows || index.column() >= ColumnCount)
        return {};
    const bool money = index.column() == ProceedsColumn || index.column() == CostColumn ||
                       index.column() == GainColumn;
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue<Qt::Alignment>(
            (money || index.column() == AmountColumn ? Qt::AlignRight : Qt::AlignLeft) |
            Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != Qt::ForegroundRole &&
        role != TransactionIdRole && role != DecimalRole)
        return {};
    const tax::Disposal d = disposal(index.row());
    if (role == TransactionIdRole)
        return d.transactionId;
    if (role == Qt::ForegroundRole) {
        if (index.column() == GainColumn && d.gain.isNegative())
            return Theme::negative();
        if (index.column() == GainColumn && d.gain.isPositive())
            return Theme::positive();
        if (index.column() == WalletColumn || index.column() == AcquiredColumn)
            return Theme::mutedText();
        return {};
    }
    if (role == DecimalRole) {
        switch (index.column()) {
        case AmountColumn:
            return d.amount.toString();
        case ProceedsColumn:
            return d.proceeds.toString();
        case CostColumn:
            return d.costBasis.toString();
        case GainColumn:
            return d.gain.toString();
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == AcquiredColumn && d.variousAcquired)
            return tr("Lots acquired on %n different dates; select the row to see them.", nullptr,
                      int(d.lots.size()));
        if (index.column() == TermColumn && d.term != tax::Term::None)
            return d.term == tax::Term::Long ? tr("Held more than one year")
                                             : tr("Held one year or less");
        return {};
    }
    switch (index.column()) {
    case SoldColumn:
        return d.dateSold.toString(Qt::ISODate);
    case AssetColumn:
        return d.asset;
    case AmountColumn:
        return MoneyFormat::amount(d.amount);
    case KindColumn:
        return d.transactionCount > 1 ? tr("%1 ×%2").arg(kindText(d.kind)).arg(d.transactionCount)
                                      : kindText(d.kind);
    case AcquiredColumn:
        return d.variousAcquired ? tr("Various") : d.dateAcquired.toString(Qt::ISODate);
    case ProceedsColumn:
        return MoneyFormat::money(d.proceeds);
    case CostColumn:
        return MoneyFormat::money(d.costBasis);
    case GainColumn:
        return MoneyFormat::signedMoney(d.gain);
    case TermColumn:
        return termText(d.term);
    case WalletColumn:
        return d.wallet.isEmpty() ? tr("Several") : d.wallet;
    default:
        return {};
    }
}

QVariant DisposalTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue<Qt::Alignment>(
            (section == ProceedsColumn || section == CostColumn || section == GainColumn ||
                     section == AmountColumn
                 ? Qt::AlignRight
                 : Qt::AlignLeft) |
            Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SoldColumn:
        return tr("Sold");
    case AssetColumn:
        return tr("Asset");
    case AmountColumn:
        return tr("Amount");
    case KindColumn:
        return tr("Kind");
    case AcquiredColumn:
        return tr("Acquired");
    case ProceedsColumn:
        return tr("Proceeds");
    case CostColumn:
        return tr("Cost basis");
    case GainColumn:
        return tr("Gain / loss");
    case TermColumn:
        return tr("Term");
    case WalletColumn:
        return tr("Wallet");
    default:
        return {};
    }
}

} // namespace llamadesk::ui
