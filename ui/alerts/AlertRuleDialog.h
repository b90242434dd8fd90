#pragma once

#include "domain/AlertRule.h"

#include <QDialog>
#include <QHash>
#include <QSqlDatabase>

#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace llamadesk::ui {

// Creates or edits one alert rule: every column of alert_rules the user owns, with the problems
// shown under the field they concern (AlertRule::validate names the column) before anything is
// stored. Each editor's object name is its column name.
class AlertRuleDialog : public QDialog {
    Q_OBJECT
public:
    // `existing` edits that rule; without it a new rule for `userId` is made. `assets` are the
    // priced symbols offered for the target.
    AlertRuleDialog(QSqlDatabase db, const QString& userId,
                    const std::optional<AlertRule>& existing, const QStringList& assets,
                    QWidget* parent = nullptr);

    // The rule as the fields describe it (not validated).
    AlertRule rule() const;
    // The editor of a column (e.g. "threshold_value"), for tests and focus.
    QWidget* field(const QString& column) const;
    // The inline problem shown under a column; empty when there is none.
    QString problem(const QString& column) const;

public slots:
    // Validates, stores and accepts; on a problem shows it inline and stays open.
    void save();

private:
    QLabel* addField(QFormLayout* form, const QString& label, QWidget* editor,
                     const QString& column);
    void clearProblems();
    void showProblem(const QString& column, const QString& text);
    void updateForType();

    QSqlDatabase m_db;
    AlertRule m_rule;
    bool m_new = true;
    QLineEdit* m_name = nullptr;
    QLineEdit* m_description = nullptr;
    QComboBox* m_type = nullptr;
    QComboBox* m_targetType = nullptr;
    QComboBox* m_target = nullptr;
    QLineEdit* m_chain = nullptr;
    QComboBox* m_operator = nullptr;
    QLineEdit* m_threshold = nullptr;
    QComboBox* m_thresholdType = nullptr;
    QSpinBox* m_timeframe = nullptr;
    QHash<QString, QCheckBox*> m_channels;
    QLineEdit* m_webhook = nullptr;
    QLineEdit* m_telegram = nullptr;
    QLineEdit* m_discord = nullptr;
    QSpinBox* m_cooldown = nullptr;
    QSpinBox* m_maxPerDay = nullptr;
    QCheckBox* m_active = nullptr;
    QLabel* m_locality = nullptr;
    QLabel* m_general = nullptr;
    QHash<QString, QLabel*> m_problems;
    QHash<QString, QWidget*> m_fields;
};

} // namespace llamadesk::ui
