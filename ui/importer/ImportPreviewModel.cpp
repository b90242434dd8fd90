#include "ImportPreviewModel.h"

#include "app/MoneyFormat.h"
#include "app/Theme.h"

#include <QFileInfo>
#include <QFont>
#include <QGuiApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QPixmap>

namespace llamadesk::ui {

namespace {

QString typeText(TransactionType type) {
    switch (type) {
    case TransactionType::Buy:
        return ImportPreviewModel::tr("Buy");
    case TransactionType::Sell:
        return ImportPreviewModel::tr("Sell");
    case TransactionType::Swap:
        return ImportPreviewModel::tr("Swap");
    case TransactionType::TransferIn:
        return ImportPreviewModel::tr("Transfer in");
    case TransactionType::TransferOut:
        return ImportPreviewModel::tr("Transfer out");
    case TransactionType::StakingReward:
        return ImportPreviewModel::tr("Staking reward");
    case TransactionType::MiningReward:
        return ImportPreviewModel::tr("Mining reward");
    case TransactionType::Airdrop:
        return ImportPreviewModel::tr("Airdrop");
    case TransactionType::Gift:
        return ImportPreviewModel::tr("Gift");
    case TransactionType::Income:
        return ImportPreviewModel::tr("Income");
    case TransactionType::Expense:
        return ImportPreviewModel::tr("Expense");
    case TransactionType::Fee:
        return ImportPreviewModel::tr("Fee");
    }
    return QString();
}

QString amountText(const std::optional<Decimal>& amount, const std::optional<QString>& symbol) {
    if (!amount)
        return QString();
    QString text = app::MoneyFormat::amount(*amount);
    if (symbol)
        text += QLatin1Char(' ') + *symbol;
    return text;
}

QString stateText(PreviewRow::State state) {
    switch (state) {
    case PreviewRow::State::Ready:
        return ImportPreviewModel::tr("Ready");
    case PreviewRow::State::Duplicate:
        return ImportPreviewModel::tr("Duplicate");
    case PreviewRow::State::Problem:
        return ImportPreviewModel::tr("Problem");
    }
    return QString();
}

QString problemLine(const import::ImportProblem& p) {
    const QString code = import::toString(p.code);
    if (p.column.isEmpty())
        return ImportPreviewModel::tr("%1 (%2)").arg(p.message, code);
    return ImportPreviewModel::tr("%1: %2 (%3)").arg(p.column, p.message, code);
}

// A round badge: a tick, an equals sign or an exclamation mark on the state's colour.
QPixmap drawBadge(PreviewRow::State state, int size) {
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor fill = state == PreviewRow::State::Ready       ? Theme::positive()
                        : state == PreviewRow::State::Duplicate ? Theme::mutedText()
                                                                : Theme::negative();
    p.setPen(Qt::NoPen);
    p.setBrush(fill);
    const qreal m = size * 0.08;
    p.drawEllipse(QRectF(m, m, size - 2 * m, size - 2 * m));
    QPen pen(Qt::white, size * 0.12, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    const qreal s = size;
    if (state == PreviewRow::State::Ready) {
        QPainterPath tick;
        tick.moveTo(s * 0.30, s * 0.52);
        tick.lineTo(s * 0.44, s * 0.66);
        tick.lineTo(s * 0.70, s * 0.36);
        p.drawPath(tick);
    } else if (state == PreviewRow::State::Duplicate) {
        p.drawLine(QPointF(s * 0.32, s * 0.42), QPointF(s * 0.68, s * 0.42));
        p.drawLine(QPointF(s * 0.32, s * 0.60), QPointF(s * 0.68, s * 0.60));
    } else {
        p.drawLine(QPointF(s * 0.5, s * 0.28), QPointF(s * 0.5, s * 0.56));
        p.drawPoint(QPointF(s * 0.5, s * 0.72));
    }
    return pixmap;
}

} // namespace

QIcon ImportPreviewModel::badge(PreviewRow::State state) {
    QIcon icon;
    for (const int size : {16, 20, 32, 48})
        icon.addPixmap(drawBadge(state, size));
    return icon;
}

ImportPreviewModel::ImportPreviewModel(QObject* parent, int chunkSize)
    : QAbstractTableModel(parent)
    , m_chunk(qMax(1, chunkSize)) {}

void ImportPreviewModel::setPreview(std::shared_ptr<const PreviewResult> result, int index) {
    beginResetModel();
    m_result = std::move(result);
    m_file = m_result && index >= 0 && index < m_result->files.size() ? &m_result->files.at(index)
                                                                      : nullptr;
    rebuild();
    endResetModel();
}

void ImportPreviewModel::clear() {
    setPreview(nullptr, -1);
}

void ImportPreviewModel::setProblemsOnly(bool only) {
    if (only == m_problemsOnly)
        return;
    beginResetModel();
    m_problemsOnly = only;
    rebuild();
    endResetModel();
}

void ImportPreviewModel::rebuild() {
    // Called between begin/endResetModel.
    for (const auto state :
         {PreviewRow::State::Ready, PreviewRow::State::Duplicate, PreviewRow::State::Problem})
        m_badges[int(state)] = badge(state);
    m_filtered.reset();
    if (m_file && m_problemsOnly) {
        m_filtered = std::make_unique<QList<int>>();
        for (int i = 0; i < m_file->rows.size(); ++i) {
            if (m_file->rows.at(i).state == PreviewRow::State::Problem)
                m_filtered->append(i);
        }
    }
    m_fetched = qMin(m_chunk, availableRows());
}

int ImportPreviewModel::sourceRows() const {
    return m_file ? int(m_file->rows.size()) : 0;
}

const PreviewRow* ImportPreviewModel::rowAt(int row) const {
    if (!m_file || row < 0 || row >= m_fetched)
        return nullptr;
    const int source = m_filtered ? m_filtered->at(row) : row;
    return &m_file->rows.at(source);
}

const TaxTransaction* ImportPreviewModel::transactionOf(const PreviewRow& row) const {
    if (row.transaction < 0 || row.transaction >= m_file->transactions.size())
        return nullptr;
    return &m_file->transactions.at(row.transaction);
}

QString ImportPreviewModel::issueText(int row) const {
    const PreviewRow* r = rowAt(row);
    if (!r)
        return QString();
    if (r->state == PreviewRow::State::Duplicate)
        return tr("Already in your vault: it will be skipped.");
    QStringList lines;
    for (int i = 0; i < r->problemCount; ++i)
        lines.append(problemLine(m_file->problems.at(r->firstProblem + i)));
    return lines.join(QLatin1Char('\n'));
}

int ImportPreviewModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_fetched;
}

int ImportPreviewModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(ColumnCount);
}

bool ImportPreviewModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && m_fetched < availableRows();
}

void ImportPreviewModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent))
        return;
    const int more = qMin(m_chunk, availableRows() - m_fetched);
    beginInsertRows(QModelIndex(), m_fetched, m_fetched + more - 1);
    m_fetched += more;
    endInsertRows();
}

QVariant ImportPreviewModel::displayText(const PreviewRow& row, int column) const {
    switch (column) {
    case StatusColumn:
        return stateText(row.state);
    case LineColumn:
        return QLocale().toString(row.line);
    case IssueColumn: {
        if (row.state == PreviewRow::State::Duplicate)
            return tr("Already in your vault");
        if (row.state != PreviewRow::State::Problem || row.problemCount == 0)
            return QString();
        const QString first = problemLine(m_file->problems.at(row.firstProblem));
        return row.problemCount == 1
                   ? first
                   : tr("%1 (+%n more)", nullptr, row.problemCount - 1).arg(first);
    }
    default:
        break;
    }
    if (row.state == PreviewRow::State::Problem && column == DateColumn) {
        // The view spans this cell over the empty value columns, so the reason reads in line.
        return displayText(row, IssueColumn);
    }
    const TaxTransaction* t = transactionOf(row);
    if (!t)
        return QString();
    switch (column) {
    case DateColumn:
        return t->timestamp.toDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    case TypeColumn:
        return typeText(t->transactionType);
    case ReceivedColumn:
        return amountText(t->assetInAmount, t->assetInSymbol);
    case SentColumn:
        return amountText(t->assetOutAmount, t->assetOutSymbol);
    case FeeColumn:
        return amountText(t->feeAmount, t->feeSymbol);
    case ValueColumn: {
        const std::optional<Decimal>& value =
            t->assetInValueUsd ? t->assetInValueUsd : t->assetOutValueUsd;
        return value ? app::MoneyFormat::money(*value) : QString();
    }
    case WalletColumn:
        return t->wallet;
    default:
        return QString();
    }
}

QVariant ImportPreviewModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.model() != this || index.column() >= ColumnCount)
        return {};
    const PreviewRow* row = rowAt(index.row());
    if (!row)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return displayText(*row, index.column());
    case Qt::DecorationRole:
        if (index.column() == StatusColumn)
            return m_badges[int(row->state)];
        return {};
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn || index.column() == IssueColumn ||
            (index.column() == DateColumn && row->state == PreviewRow::State::Problem)) {
            const QString issue = issueText(index.row());
            return issue.isEmpty() ? QVariant() : QVariant(issue);
        }
        return {};
    case Qt::ForegroundRole:
        if (row->state == PreviewRow::State::Problem &&
            (index.column() == IssueColumn || index.column() == StatusColumn ||
             index.column() == DateColumn))
            return Theme::negative();
        if (row->state == PreviewRow::State::Duplicate || index.column() == LineColumn)
            return Theme::mutedText();
        return {};
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case LineColumn:
        case ReceivedColumn:
        case SentColumn:
        case FeeColumn:
        case ValueColumn:
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        default:
            return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter));
        }
    case StateRole:
        return int(row->state);
    case LineRole:
        return row->line;
    case ProblemCodesRole:
    case ProblemColumnsRole: {
        QStringList out;
        for (int i = 0; i < row->problemCount; ++i) {
            const import::ImportProblem& p = m_file->problems.at(row->firstProblem + i);
            out.append(role == ProblemCodesRole ? import::toString(p.code) : p.column);
        }
        return out;
    }
    default:
        return {};
    }
}

QVariant ImportPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole) {
        const bool right = section == LineColumn || section == ReceivedColumn ||
                           section == SentColumn || section == FeeColumn || section == ValueColumn;
        return QVariant::fromValue(
            Qt::Alignment((right ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter));
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StatusColumn:
        return tr("Status");
    case LineColumn:
        return tr("Line");
    case DateColumn:
        return tr("Date (UTC)");
    case TypeColumn:
        return tr("Type");
    case ReceivedColumn:
        return tr("Received");
    case SentColumn:
        return tr("Sent");
    case FeeColumn:
        return tr("Fee");
    case ValueColumn:
        return tr("Value");
    case WalletColumn:
        return tr("Wallet");
    case IssueColumn:
        return tr("Issue");
    default:
        return {};
    }
}

} // namespace llamadesk::ui
