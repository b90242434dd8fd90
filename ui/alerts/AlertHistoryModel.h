#pragma once

#include "domain/AlertHistoryEntry.h"
#include "domain/AlertRule.h"

#include <QAbstractTableModel>
#include <QList>
#include <QSortFilterProxyModel>

namespace llamadesk::ui {

// One history row with what the list shows beside it.
struct AlertHistoryRow {
    AlertHistoryEntry entry;
    QString ruleName;
    QString target; // the asset, chain or portfolio the rule watches
    AlertType type = AlertType::PriceChange;
    bool percentage = false; // the value is a change in percent
};

// alert_history, newest first: when, severity (a coloured badge), rule, what happened, value.
class AlertHistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, SeverityColumn, RuleColumn, MessageColumn, ValueColumn, ColumnCount };
    enum Role { SeverityRole = Qt::UserRole + 1, SearchRole, IdRole };

    explicit AlertHistoryModel(QObject* parent = nullptr);

    void setRows(const QList<AlertHistoryRow>& rows);
    void clear();
    const AlertHistoryRow* rowAt(int row) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    static QString severityLabel(Severity severity);

private:
    QList<AlertHistoryRow> m_rows;
};

// The search box over the history: every word must appear in the rule name, the title, the
// message or the asset (case-insensitive).
class AlertHistoryFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit AlertHistoryFilter(QObject* parent = nullptr);
    void setSearch(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QStringList m_words;
};

} // namespace llamadesk::ui
