#include "TaxIncomeModel.h"

#include "app/MoneyFormat.h"
#include "app/Theme.h"

namespace llamadesk::ui {

using app::MoneyFormat;

TaxIncomeModel::TaxIncomeModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void TaxIncomeModel::setResult(const tax::TaxResult& result) {
    beginResetModel();
    m_result = result;
    m_rows = result.incomeCount();
    endResetModel();
}

void TaxIncomeModel::clear() {
    setResult(tax::TaxResult());
}

int TaxIncomeModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_rows;
}

int TaxIncomeModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TaxIncomeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows || index.column() >= ColumnCount)
        return {};
    const int c = index.column();
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue<Qt::Alignment>(
            (c == AmountColumn || c == ValueColumn ? Qt::AlignRight : Qt::AlignLeft) |
            Qt::AlignVCenter);
    if (role == Qt::ForegroundRole)
        return c == WalletColumn ? QVariant(Theme::mutedText()) : QVariant();
    if (role != Qt::DisplayRole && role != TransactionIdRole && role != DecimalRole)
        return {};
    const tax::IncomeLine line = m_result.printedIncome(index.row());
    if (role == TransactionIdRole)
        return line.transactionId;
    if (role == DecimalRole)
        return c == AmountColumn  ? QVariant(line.amount.toString())
               : c == ValueColumn ? QVariant(line.value.toString())
                                  : QVariant();
    switch (c) {
    case DateColumn:
        return line.date.toString(Qt::ISODate);
    case TypeColumn: {
        QString text = toString(line.type);
        text.replace(QLatin1Char('_'), QLatin1Char(' '));
        if (!text.isEmpty())
            text[0] = text[0].toUpper();
        return text;
    }
    case AssetColumn:
        return line.asset;
    case AmountColumn:
        return MoneyFormat::amount(line.amount);
    case ValueColumn:
        return MoneyFormat::money(line.value);
    case WalletColumn:
        return line.wallet;
    default:
        return {};
    }
}

QVariant TaxIncomeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue<Qt::Alignment>(
            (section == AmountColumn || section == ValueColumn ? Qt::AlignRight : Qt::AlignLeft) |
            Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case DateColumn:
        return tr("Received");
    case TypeColumn:
        return tr("Type");
    case AssetColumn:
        return tr("Asset");
    case AmountColumn:
        return tr("Amount");
    case ValueColumn:
        return tr("Value when received");
    case WalletColumn:
        return tr("Wallet");
    default:
        return {};
    }
}

} // namespace llamadesk::ui
