#pragma once

#include "alerts/AlertEvaluator.h"
#include "domain/AlertRule.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace llamadesk::ui {

// The alert rules as a table: an enable checkbox, what the rule watches, its state (paused,
// cooling down, last trigger) and whether this computer can evaluate it.
class AlertRuleModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        EnabledColumn,
        NameColumn,
        ConditionColumn,
        StatusColumn,
        EvaluationColumn,
        LastTriggeredColumn,
        ColumnCount
    };
    enum Role { RuleIdRole = Qt::UserRole + 1, LocalRole, PausedRole };

    explicit AlertRuleModel(QObject* parent = nullptr);

    void setRules(const QList<AlertRule>& rules);
    void clear();
    const AlertRule* ruleAt(int row) const;
    int rowOf(const QString& ruleId) const;
    // The outcome of the last evaluation of each rule, shown in the status column.
    void setEvaluations(const QList<alerts::RuleEvaluation>& evaluations);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Words for the enumerations, shared by the editor and the history.
    static QString typeLabel(AlertType type);
    static QString operatorLabel(ConditionOperator op);
    static QString conditionText(const AlertRule& rule);

signals:
    // The user ticked or cleared the checkbox; the view stores it.
    void activeToggled(const QString& ruleId, bool active);

private:
    QString statusText(const AlertRule& rule) const;

    QList<AlertRule> m_rules;
    QHash<QString, alerts::RuleEvaluation> m_evaluations;
};

} // namespace llamadesk::ui
