#pragma once

#include "tax/TaxResult.h"

#include <QAbstractTableModel>
#include <QCache>

namespace llamadesk::ui {

// The disposals of a tax result, one row per reported disposal, as printed (cents). Virtual: a row
// is built from the result only when a view asks for it (a few hundred are cached), so a report
// of hundreds of thousands of disposals costs no per-cell objects.
class DisposalTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        SoldColumn,
        AssetColumn,
        AmountColumn,
        KindColumn,
        AcquiredColumn,
        ProceedsColumn,
        CostColumn,
        GainColumn,
        TermColumn,
        WalletColumn,
        ColumnCount
    };
    enum Role {
        TransactionIdRole = Qt::UserRole + 1,
        // The exact printed figure as decimal text (money in the report currency, amounts in
        // full), for comparisons and copying; the display role is localised.
        DecimalRole,
    };

    explicit DisposalTableModel(QObject* parent = nullptr);

    void setResult(const tax::TaxResult& result);
    void clear();
    const tax::TaxResult& result() const { return m_result; }
    // The printed disposal of a row (invalid row: a default Disposal).
    tax::Disposal disposal(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString kindText(tax::DisposalKind kind);
    static QString termText(tax::Term term);

private:
    tax::TaxResult m_result;
    int m_rows = 0;
    mutable QCache<int, tax::Disposal> m_cache;
};

} // namespace llamadesk::ui
