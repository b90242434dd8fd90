#include "AlertRuleModel.h"

#include "app/MoneyFormat.h"
#include "app/Theme.h"
#include "portfolio/ChainNames.h"

#include <QLocale>

namespace llamadesk::ui {

AlertRuleModel::AlertRuleModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void AlertRuleModel::setRules(const QList<AlertRule>& rules) {
    beginResetModel();
    m_rules = rules;
    endResetModel();
}

void AlertRuleModel::clear() {
    beginResetModel();
    m_rules.clear();
    m_evaluations.clear();
    endResetModel();
}

const AlertRule* AlertRuleModel::ruleAt(int row) const {
    return row >= 0 && row < m_rules.size() ? &m_rules.at(row) : nullptr;
}

int AlertRuleModel::rowOf(const QString& ruleId) const {
    for (int i = 0; i < m_rules.size(); ++i) {
        if (m_rules.at(i).id == ruleId)
            return i;
    }
    return -1;
}

void AlertRuleModel::setEvaluations(const QList<alerts::RuleEvaluation>& evaluations) {
    for (const alerts::RuleEvaluation& e : evaluations)
        m_evaluations.insert(e.ruleId, e);
    if (!m_rules.isEmpty())
        emit dataChanged(index(0, StatusColumn), index(m_rules.size() - 1, StatusColumn));
}

int AlertRuleModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rules.size());
}

int AlertRuleModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString AlertRuleModel::typeLabel(AlertType type) {
    switch (type) {
    case AlertType::PriceChange:
        return tr("Price");
    case AlertType::TvlChange:
        return tr("TVL change");
    case AlertType::VolumeSpike:
        return tr("Volume spike");
    case AlertType::GasPrice:
        return tr("Gas price");
    case AlertType::PortfolioValue:
        return tr("Portfolio value");
    case AlertType::SecurityRisk:
        return tr("Security risk");
    case AlertType::WhaleMovement:
        return tr("Whale movement");
    case AlertType::NewListing:
        return tr("New listing");
    }
    return QString();
}

QString AlertRuleModel::operatorLabel(ConditionOperator op) {
    switch (op) {
    case ConditionOperator::Greater:
        return tr("above");
    case ConditionOperator::Less:
        return tr("below");
    case ConditionOperator::GreaterOrEqual:
        return tr("at or above");
    case ConditionOperator::LessOrEqual:
        return tr("at or below");
    case ConditionOperator::Equal:
        return tr("exactly");
    case ConditionOperator::NotEqual:
        return tr("not");
    }
    return QString();
}

namespace {

// "Gas on Arbitrum" for a chain id the app knows; the raw target otherwise.
QString gasSubject(const QString& target) {
    bool ok = false;
    const qint64 chainId = target.trimmed().toLongLong(&ok);
    return AlertRuleModel::tr("Gas on %1")
        .arg(ok ? portfolio::ChainNames::name(chainId) : target.trimmed());
}

} // namespace

QString AlertRuleModel::conditionText(const AlertRule& rule) {
    const QString subject = rule.alertType == AlertType::PortfolioValue ? tr("Portfolio")
                            : rule.alertType == AlertType::GasPrice     ? gasSubject(rule.targetId)
                                                                        : rule.targetId;
    QString threshold;
    if (rule.thresholdType == ThresholdType::Percentage) {
        threshold =
            tr("%1% in %2")
                .arg(app::MoneyFormat::amount(rule.thresholdValue),
                     rule.timeframeMinutes % 1440 == 0
                         ? tr("%1 d").arg(rule.timeframeMinutes / 1440)
                     : rule.timeframeMinutes % 60 == 0 ? tr("%1 h").arg(rule.timeframeMinutes / 60)
                                                       : tr("%1 min").arg(rule.timeframeMinutes));
        return tr("%1 change %2 %3").arg(subject, operatorLabel(rule.conditionOperator), threshold);
    }
    threshold =
        rule.alertType == AlertType::GasPrice
            ? tr("%1 gwei").arg(app::MoneyFormat::amount(rule.thresholdValue))
        : (rule.alertType == AlertType::PriceChange || rule.alertType == AlertType::PortfolioValue)
            ? app::MoneyFormat::money(rule.thresholdValue)
            : app::MoneyFormat::amount(rule.thresholdValue);
    return tr("%1 %2 %3").arg(subject, operatorLabel(rule.conditionOperator), threshold);
}

QString AlertRuleModel::statusText(const AlertRule& rule) const {
    if (!rule.isActive)
        return tr("Off");
    if (rule.isPaused) {
        return rule.pausedUntil
                   ? tr("Paused until %1")
                         .arg(QLocale().toString(rule.pausedUntil->toDateTime().toLocalTime(),
                                                 QLocale::ShortFormat))
                   : tr("Paused");
    }
    const auto found = m_evaluations.constFind(rule.id);
    if (found == m_evaluations.constEnd())
        return alerts::AlertEvaluator::locality(rule) == alerts::Locality::Local
                   ? tr("Watching")
                   : tr("Waiting for sync");
    switch (found->outcome) {
    case alerts::Outcome::Triggered:
        return tr("Triggered");
    case alerts::Outcome::NotMet:
        return tr("Watching");
    case alerts::Outcome::NoData:
        return tr("No data: %1").arg(found->detail);
    case alerts::Outcome::ServerOnly:
        return tr("Waiting for sync");
    case alerts::Outcome::Paused:
        return tr("Paused");
    case alerts::Outcome::CoolingDown:
        return tr("Cooling down");
    case alerts::Outcome::DailyLimit:
        return tr("Daily maximum reached");
    }
    return QString();
}

QVariant AlertRuleModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.parent().isValid() || index.row() >= m_rules.size() ||
        index.column() >= ColumnCount)
        return QVariant();
    const AlertRule& rule = m_rules.at(index.row());
    const bool local = alerts::AlertEvaluator::locality(rule) == alerts::Locality::Local;
    switch (role) {
    case RuleIdRole:
        return rule.id;
    case LocalRole:
        return local;
    case PausedRole:
        return rule.isPaused;
    case Qt::CheckStateRole:
        if (index.column() == EnabledColumn)
            return rule.isActive ? Qt::Checked : Qt::Unchecked;
        return QVariant();
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return rule.name;
        case ConditionColumn:
            return conditionText(rule);
        case StatusColumn:
            return statusText(rule);
        case EvaluationColumn:
            return local ? tr("Evaluated locally") : tr("Needs the sync server");
        case LastTriggeredColumn:
            return rule.lastTriggeredAt
                       ? QLocale().toString(rule.lastTriggeredAt->toDateTime().toLocalTime(),
                                            QLocale::ShortFormat)
                       : tr("Never");
        default:
            return QVariant();
        }
    case Qt::ToolTipRole:
        if (index.column() == EvaluationColumn) {
            return local ? tr("Checked on this computer from the prices, gas predictions and "
                              "portfolio values in your vault.")
                         : tr("This kind of alert needs live market feeds: it is evaluated by "
                              "the sync server once sync is set up.");
        }
        if (index.column() == NameColumn && rule.description)
            return *rule.description;
        if (index.column() == StatusColumn)
            return statusText(rule);
        return QVariant();
    case Qt::ForegroundRole:
        if (index.column() == EvaluationColumn && !local)
            return Theme::mutedText();
        if (index.column() == StatusColumn && (!rule.isActive || rule.isPaused))
            return Theme::mutedText();
        if (index.column() == StatusColumn) {
            const auto found = m_evaluations.constFind(rule.id);
            if (found != m_evaluations.constEnd() && found->outcome == alerts::Outcome::Triggered)
                return Theme::warning();
        }
        return QVariant();
    default:
        return QVariant();
    }
}

bool AlertRuleModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || index.parent().isValid() || index.row() >= m_rules.size() ||
        index.column() != EnabledColumn || role != Qt::CheckStateRole)
        return false;
    const bool active = value.toInt() == Qt::Checked;
    AlertRule& rule = m_rules[index.row()];
    if (rule.isActive == active)
        return true;
    rule.isActive = active;
    emit dataChanged(index, this->index(index.row(), StatusColumn));
    emit activeToggled(rule.id, active);
    return true;
}

Qt::ItemFlags AlertRuleModel::flags(const QModelIndex& index) const {
    if (!index.isValid() || index.parent().isValid() || index.row() >= m_rules.size() ||
        index.column() >= ColumnCount)
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == EnabledColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant AlertRuleModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case EnabledColumn:
        return tr("On");
    case NameColumn:
        return tr("Rule");
    case ConditionColumn:
        return tr("Condition");
    case StatusColumn:
        return tr("Status");
    case EvaluationColumn:
        return tr("Evaluation");
    case LastTriggeredColumn:
        return tr("Last triggered");
    default:
        return QVariant();
    }
}

} // namespace llamadesk::ui
