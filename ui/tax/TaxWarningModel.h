#pragma once

#include "tax/TaxResult.h"

#include <QAbstractTableModel>

namespace llamadesk::ui {

// The warnings of a tax result: what the report had to assume, each naming its transaction.
class TaxWarningModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { DateColumn, CodeColumn, AssetColumn, MessageColumn, ColumnCount };
    enum Role { TransactionIdRole = Qt::UserRole + 1 };

    explicit TaxWarningModel(QObject* parent = nullptr);

    void setResult(const tax::TaxResult& result);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString codeText(tax::WarningCode code);

private:
    tax::TaxResult m_result;
    int m_rows = 0;
};

} // namespace llamadesk::ui
