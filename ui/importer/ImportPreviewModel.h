#pragma once

#include "ImportPreview.h"

#include <QAbstractTableModel>
#include <QIcon>

#include <memory>

namespace llamadesk::ui {

// The rows of one previewed file as a table: each record's verdict (ready, duplicate, or a red
// badge with every reason), its line and, for good rows, the parsed values. Rows are exposed in
// chunks through fetchMore, and cells are formatted only when the view asks for them, so a file
// of several hundred thousand rows opens at once.
class ImportPreviewModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        StatusColumn,
        LineColumn,
        DateColumn,
        TypeColumn,
        ReceivedColumn,
        SentColumn,
        FeeColumn,
        ValueColumn,
        WalletColumn,
        IssueColumn,
        ColumnCount
    };
    enum Role {
        StateRole = Qt::UserRole + 1, // PreviewRow::State as int
        LineRole,                     // qint64
        ProblemCodesRole,             // QStringList of import::toString(ProblemCode)
        ProblemColumnsRole,           // QStringList of the header's column names
    };

    explicit ImportPreviewModel(QObject* parent = nullptr, int chunkSize = 1000);

    // Shows file `index` of `result` (nothing when out of range or null).
    void setPreview(std::shared_ptr<const PreviewResult> result, int index);
    void clear();
    // Only the rows with problems.
    void setProblemsOnly(bool only);
    bool problemsOnly() const { return m_problemsOnly; }
    // Rows the current filter matches (also those not fetched yet).
    int availableRows() const { return int(m_filtered ? m_filtered->size() : sourceRows()); }
    const PreviewRow* rowAt(int row) const;
    // "column: message (code)", one line per problem of the row.
    QString issueText(int row) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    // Badges drawn in the theme's colours (also used by the wizard's summary).
    static QIcon badge(PreviewRow::State state);

private:
    int sourceRows() const;
    void rebuild();
    QVariant displayText(const PreviewRow& row, int column) const;
    const TaxTransaction* transactionOf(const PreviewRow& row) const;

    std::shared_ptr<const PreviewResult> m_result;
    const PreviewFile* m_file = nullptr;
    std::unique_ptr<QList<int>> m_filtered; // rows of m_file that have problems
    bool m_problemsOnly = false;
    int m_fetched = 0;
    int m_chunk;
    QIcon m_badges[3];
};

} // namespace llamadesk::ui
