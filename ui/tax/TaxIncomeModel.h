#pragma once

#include "tax/TaxResult.h"

#include <QAbstractTableModel>

namespace llamadesk::ui {

// The income lines of a tax result (staking, mining, airdrops, income), as printed; rows are built
// from the result on demand.
class TaxIncomeModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        DateColumn,
        TypeColumn,
        AssetColumn,
        AmountColumn,
        ValueColumn,
        WalletColumn,
        ColumnCount
    };
    enum Role { TransactionIdRole = Qt::UserRole + 1, DecimalRole };

    explicit TaxIncomeModel(QObject* parent = nullptr);

    void setResult(const tax::TaxResult& result);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    tax::TaxResult m_result;
    int m_rows = 0;
};

} // namespace llamadesk::ui
