#include "TaxWarningModel.h"

#include "app/Theme.h"

namespace llamadesk::ui {

TaxWarningModel::TaxWarningModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void TaxWarningModel::setResult(const tax::TaxResult& result) {
    beginResetModel();
    m_result = result;
    m_rows = result.warningCount();
    endResetModel();
}

void TaxWarningModel::clear() {
    setResult(tax::TaxResult());
}

int TaxWarningModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_rows;
}

int TaxWarningModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString TaxWarningModel::codeText(tax::WarningCode code) {
    switch (code) {
    case tax::WarningCode::MissingCostBasis:
        return tr("Missing cost basis");
    case tax::WarningCode::MissingValue:
        return tr("Missing value");
    case tax::WarningCode::MissingFeeValue:
        return tr("Fee without value");
    case tax::WarningCode::UnmatchedTransferOut:
        return tr("Unmatched transfer");
    case tax::WarningCode::TransferAmountMismatch:
        return tr("Transfer amounts differ");
    case tax::WarningCode::LotSelectionMismatch:
        return tr("Lot selection");
    case tax::WarningCode::SafeHarborMismatch:
        return tr("Safe-harbor allocation");
    case tax::WarningCode::UnsupportedTransaction:
        return tr("Unsupported transaction");
    }
    return {};
}

QVariant TaxWarningModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows || index.column() >= ColumnCount)
        return {};
    if (role == Qt::ForegroundRole)
        return index.column() == CodeColumn ? QVariant(Theme::warning()) : QVariant();
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != TransactionIdRole)
        return {};
    const tax::TaxWarning w = m_result.warning(index.row());
    if (role == TransactionIdRole)
        return w.transactionId;
    if (role == Qt::ToolTipRole)
        return index.column() == MessageColumn ? w.message
                                               : tr("Double-click to open the transaction");
    switch (index.column()) {
    case DateColumn:
        return w.date.toString(Qt::ISODate);
    case CodeColumn:
        return codeText(w.code);
    case AssetColumn:
        return w.asset;
    case MessageColumn:
        return w.message;
    default:
        return {};
    }
}

QVariant TaxWarningModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case DateColumn:
        return tr("Date");
    case CodeColumn:
        return tr("Warning");
    case AssetColumn:
        return tr("Asset");
    case MessageColumn:
        return tr("What happened");
    default:
        return {};
    }
}

} // namespace llamadesk::ui
