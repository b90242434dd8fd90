#include "AlertHistoryModel.h"

#include "app/MoneyFormat.h"

#include <QLocale>

namespace llamadesk::ui {

AlertHistoryModel::AlertHistoryModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void AlertHistoryModel::setRows(const QList<AlertHistoryRow>& rows) {
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

void AlertHistoryModel::clear() {
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

const AlertHistoryRow* AlertHistoryModel::rowAt(int row) const {
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int AlertHistoryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AlertHistoryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString AlertHistoryModel::severityLabel(Severity severity) {
    switch (severity) {
    case Severity::Info:
        return tr("Info");
    case Severity::Warning:
        return tr("Warning");
    case Severity::Critical:
        return tr("Critical");
    }
    return QString();
}

QVariant AlertHistoryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.parent().isValid() || index.row() >= m_rows.size() ||
        index.column() >= ColumnCount)
        return QVariant();
    const AlertHistoryRow& row = m_rows.at(index.row());
    const AlertHistoryEntry& e = row.entry;
    switch (role) {
    case IdRole:
        return e.id;
    case SeverityRole:
        return int(e.severity);
    case SearchRole:
        return QStringList{row.ruleName, e.title, e.message, row.target}.join(QLatin1Char('\n'));
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QLocale().toString(e.timestamp.toDateTime().toLocalTime(), QLocale::ShortFormat);
        case SeverityColumn:
            return severityLabel(e.severity);
        case RuleColumn:
            return row.ruleName;
        case MessageColumn:
            return e.title;
        case ValueColumn:
            if (row.percentage) // stored in percent, shown as a signed percentage
                return app::MoneyFormat::percent(e.triggeredValue.divided(Decimal::fromInt(100),
                                                                          Decimal::kScale,
                                                                          RoundingMode::HalfEven),
                                                 true);
            if (row.type == AlertType::GasPrice)
                return tr("%1 gwei").arg(app::MoneyFormat::amount(e.triggeredValue));
            if (row.type == AlertType::PriceChange || row.type == AlertType::PortfolioValue)
                return app::MoneyFormat::money(e.triggeredValue);
            return app::MoneyFormat::amount(e.triggeredValue);
        default:
            return QVariant();
        }
    case Qt::ToolTipRole:
        if (index.column() == MessageColumn || index.column() == RuleColumn)
            return QString(e.title + QLatin1Char('\n') + e.message);
        if (index.column() == ValueColumn)
            return tr("Condition met: %1").arg(e.conditionMet);
        return QVariant();
    case Qt::TextAlignmentRole:
        if (index.column() == ValueColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant();
    default:
        return QVariant();
    }
}

QVariant AlertHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("When");
    case SeverityColumn:
        return tr("Severity");
    case RuleColumn:
        return tr("Rule");
    case MessageColumn:
        return tr("What happened");
    case ValueColumn:
        return tr("Value");
    default:
        return QVariant();
    }
}

Qt::ItemFlags AlertHistoryModel::flags(const QModelIndex& index) const {
    if (!index.isValid() || index.parent().isValid() || index.row() >= m_rows.size() ||
        index.column() >= ColumnCount)
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

AlertHistoryFilter::AlertHistoryFilter(QObject* parent)
    : QSortFilterProxyModel(parent) {}

void AlertHistoryFilter::setSearch(const QString& text) {
    m_words = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    invalidateFilter();
}

bool AlertHistoryFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (m_words.isEmpty())
        return true;
    const QString text =
        sourceModel()
            ->data(sourceModel()->index(sourceRow, 0, sourceParent), AlertHistoryModel::SearchRole)
            .toString();
    for (const QString& word : m_words) {
        if (!text.contains(word, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

} // namespace llamadesk::ui
