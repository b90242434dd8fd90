#include "TransactionTableModel.h"

#include "app/DecimalText.h"
#include "app/Theme.h"
#include "app/WorkerConnection.h"
#include "app/WorkerPool.h"
#include "vault/Vault.h"

#include <QMutex>
#include <QMutexLocker>
#include <QtConcurrent>

#include <atomic>
#include <limits>

namespace llamadesk::ui {

// Shared between the GUI thread and one worker; the GUI polls it, so the worker never calls
// into objects that might be gone.
struct TransactionTableModel::Job {
    std::atomic<bool> cancel{false};
    std::atomic<qint64> count{-1};
    std::atomic<bool> done{false};
    bool countApplied = false;
    QMutex mutex;
    QList<app::PageAnchor> anchors;
    QString error;
    // The pages at the end the view opens on, read with the count (set before `count`).
    QList<TaxTransaction> edge;
    bool edgeAtEnd = true;
};

namespace {

QString amountText(const std::optional<Decimal>& amount, const std::optional<QString>& symbol) {
    if (!amount)
        return QString();
    QString text = app::DecimalText::format(*amount);
    if (symbol)
        text += QLatin1Char(' ') + *symbol;
    return text;
}

QString usdText(const std::optional<Decimal>& value) {
    if (!value)
        return QString();
    return app::DecimalText::format(*value, 2);
}

QString typeText(TransactionType type) {
    switch (type) {
    case TransactionType::Buy:
        return TransactionTableModel::tr("Buy");
    case TransactionType::Sell:
        return TransactionTableModel::tr("Sell");
    case TransactionType::Swap:
        return TransactionTableModel::tr("Swap");
    case TransactionType::TransferIn:
        return TransactionTableModel::tr("Transfer in");
    case TransactionType::TransferOut:
        return TransactionTableModel::tr("Transfer out");
    case TransactionType::StakingReward:
        return TransactionTableModel::tr("Staking reward");
    case TransactionType::MiningReward:
        return TransactionTableModel::tr("Mining reward");
    case TransactionType::Airdrop:
        return TransactionTableModel::tr("Airdrop");
    case TransactionType::Gift:
        return TransactionTableModel::tr("Gift");
    case TransactionType::Income:
        return TransactionTableModel::tr("Income");
    case TransactionType::Expense:
        return TransactionTableModel::tr("Expense");
    case TransactionType::Fee:
        return TransactionTableModel::tr("Fee");
    }
    return QString();
}

} // namespace

TransactionTableModel::TransactionTableModel(QObject* parent, int pageSize, int maxResidentPages)
    : QAbstractTableModel(parent)
    , m_pager(pageSize, maxResidentPages) {
    m_poll.setInterval(25);
    connect(&m_poll, &QTimer::timeout, this, &TransactionTableModel::poll);
}

TransactionTableModel::~TransactionTableModel() {
    cancelJob();
}

void TransactionTableModel::attach(std::shared_ptr<const vault::Vault> vault,
                                   const QSqlDatabase& db) {
    cancelJob();
    m_vault = std::move(vault);
    m_pager.setDatabase(db);
    startQuery();
}

void TransactionTableModel::detach() {
    cancelJob();
    beginResetModel();
    m_pager.clear();
    m_vault.reset();
    m_loading = false;
    m_scanning = false;
    endResetModel();
}

void TransactionTableModel::setFilter(const store::TransactionFilter& filter) {
    m_filter = filter;
    if (m_vault)
        startQuery();
}

void TransactionTableModel::reload() {
    if (m_vault)
        startQuery();
}

void TransactionTableModel::refreshRows() {
    m_pager.reset(m_filter, m_pager.count());
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    // Keys are gone with the reset; scan again so far rows stay reachable.
    startQuery();
}

void TransactionTableModel::cancelJob() {
    if (m_job)
        m_job->cancel.store(true);
    m_job.reset();
    m_poll.stop();
}

void TransactionTableModel::startQuery() {
    cancelJob();
    m_loading = true;
    m_scanning = true;
    auto job = std::make_shared<Job>();
    m_job = job;
    const std::shared_ptr<const vault::Vault> vault = m_vault;
    const store::TransactionFilter filter = m_filter;
    const int pageSize = m_pager.pageSize();
    const bool atEnd = m_descending;
    // A listing that fits in the resident pages comes whole with the count.
    const qint64 wholeUpTo = qint64(m_pager.maxResidentPages()) * pageSize;
    // The future is not kept: the job reports through `job` and ends early when cancelled.
    (void)app::runInBackground([job, vault, filter, pageSize, atEnd, wholeUpTo] {
        app::WorkerConnection connection(*vault);
        if (!connection.isOpen()) {
            QMutexLocker lock(&job->mutex);
            job->error = connection.error();
            job->done.store(true);
            return;
        }
        store::TransactionRepository repository(connection.database());
        const Result<qint64> counted = repository.count(filter);
        if (!counted) {
            QMutexLocker lock(&job->mutex);
            job->error = counted.error();
            job->done.store(true);
            return;
        }
        // The first screen comes from here too: a new filter (a search above all) never waits
        // for a query on the GUI thread. Without it the pager reads it there, as before.
        Result<QList<TaxTransaction>> edge = app::TransactionPager::readEdge(
            connection.database(), filter, counted.value(), pageSize, atEnd, wholeUpTo);
        if (edge && !job->cancel.load()) {
            QMutexLocker lock(&job->mutex);
            job->edge = std::move(edge.value());
            job->edgeAtEnd = atEnd;
        }
        job->count.store(counted.value());
        const Status scanned =
            app::TransactionPager::scanAnchors(connection.database(), filter, pageSize, job->cancel,
                                               [&job](const QList<app::PageAnchor>& anchors) {
                                                   QMutexLocker lock(&job->mutex);
                                                   job->anchors += anchors;
                                               });
        if (!scanned && !job->cancel.load()) {
            QMutexLocker lock(&job->mutex);
            job->error = scanned.error();
        }
        job->done.store(true);
    });
    m_poll.start();
}

void TransactionTableModel::poll() {
    const std::shared_ptr<Job> job = m_job;
    if (!job)
        return;
    if (!job->countApplied && job->count.load() >= 0) {
        job->countApplied = true;
        beginResetModel();
        m_pager.reset(m_filter, job->count.load());
        {
            QMutexLocker lock(&job->mutex);
            m_pager.adoptEdge(job->edge, job->edgeAtEnd);
            job->edge.clear();
        }
        m_loading = false;
        endResetModel();
        emit loaded(m_pager.count());
    }
    QList<app::PageAnchor> anchors;
    QString error;
    {
        QMutexLocker lock(&job->mutex);
        anchors.swap(job->anchors);
        error = job->error;
    }
    if (job->countApplied && !anchors.isEmpty()) {
        m_pager.addAnchors(anchors);
        if (m_missedRows && rowCount() > 0) {
            m_missedRows = false;
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        }
    }
    if (job->done.load()) {
        m_poll.stop();
        m_job.reset();
        m_scanning = false;
        if (!error.isEmpty()) {
            m_loading = false;
            emit loadFailed(error);
        } else {
            emit scanFinished();
        }
    }
}

qint64 TransactionTableModel::ascendingIndex(int row) const {
    return m_descending ? m_pager.count() - 1 - row : row;
}

const TaxTransaction* TransactionTableModel::transactionAt(int row) {
    if (row < 0 || row >= rowCount())
        return nullptr;
    return m_pager.row(ascendingIndex(row));
}

int TransactionTableModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid())
        return 0;
    return int(std::min<qint64>(m_pager.count(), std::numeric_limits<int>::max()));
}

int TransactionTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString TransactionTableModel::cellText(const TaxTransaction& t, int column) const {
    switch (column) {
    case DateColumn:
        return t.timestamp.toDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case TypeColumn:
        return typeText(t.transactionType);
    case WalletColumn:
        return t.wallet;
    case ReceivedColumn:
        return amountText(t.assetInAmount, t.assetInSymbol);
    case SentColumn:
        return amountText(t.assetOutAmount, t.assetOutSymbol);
    case FeeColumn:
        return amountText(t.feeAmount, t.feeSymbol);
    case ValueColumn:
        return usdText(t.assetInValueUsd ? t.assetInValueUsd : t.assetOutValueUsd);
    case GainColumn:
        return usdText(t.capitalGainUsd);
    case HashColumn:
        return t.transactionHash.size() > 14
                   ? t.transactionHash.left(8) + QStringLiteral("…") + t.transactionHash.right(4)
                   : t.transactionHash;
    case NotesColumn:
        return t.notes.value_or(QString());
    default:
        return QString();
    }
}

QVariant TransactionTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const int column = index.column();
    if (role == Qt::TextAlignmentRole) {
        const bool numeric = column == ReceivedColumn || column == SentColumn ||
                             column == FeeColumn || column == ValueColumn || column == GainColumn;
        return QVariant::fromValue(numeric ? (Qt::AlignRight | Qt::AlignVCenter)
                                           : (Qt::AlignLeft | Qt::AlignVCenter));
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != Qt::ForegroundRole &&
        role != IdRole && role != ResolvedRole)
        return QVariant();
    const TaxTransaction* t = m_pager.row(ascendingIndex(index.row()));
    if (role == ResolvedRole)
        return t != nullptr;
    if (t == nullptr) {
        m_missedRows = true;
        if (role == Qt::DisplayRole && column == DateColumn)
            return tr("Loading…");
        return QVariant();
    }
    switch (role) {
    case IdRole:
        return t->id;
    case Qt::DisplayRole:
        return cellText(*t, column);
    case Qt::ToolTipRole:
        if (column == HashColumn)
            return t->transactionHash;
        if (column == DateColumn)
            return t->timestamp.toString();
        if (column == NotesColumn && t->notes)
            return *t->notes;
        // Amounts may be cut short by the column width: the tooltip has every digit.
        if (column >= ReceivedColumn && column <= GainColumn)
            return cellText(*t, column);
        return QVariant();
    case Qt::ForegroundRole:
        if (column == GainColumn && t->capitalGainUsd && !t->capitalGainUsd->isZero())
            return t->capitalGainUsd->isNegative() ? Theme::negative() : Theme::positive();
        return QVariant();
    default:
        return QVariant();
    }
}

QVariant TransactionTableModel::headerData(int section, Qt::Orientation orientation,
                                           int role) const {
    if (orientation != Qt::Horizontal)
        return QVariant();
    if (role == Qt::TextAlignmentRole) {
        const bool numeric = section >= ReceivedColumn && section <= GainColumn;
        return QVariant::fromValue(numeric ? (Qt::AlignRight | Qt::AlignVCenter)
                                           : (Qt::AlignLeft | Qt::AlignVCenter));
    }
    if (role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case DateColumn:
        return tr("Date (UTC)");
    case TypeColumn:
        return tr("Type");
    case WalletColumn:
        return tr("Wallet");
    case ReceivedColumn:
        return tr("Received");
    case SentColumn:
        return tr("Sent");
    case FeeColumn:
        return tr("Fee");
    case ValueColumn:
        return tr("Value (USD)");
    case GainColumn:
        return tr("Gain (USD)");
    case HashColumn:
        return tr("Transaction");
    case NotesColumn:
        return tr("Notes");
    default:
        return QVariant();
    }
}

void TransactionTableModel::sort(int column, Qt::SortOrder order) {
    if (column != DateColumn)
        return;
    const bool descending = order == Qt::DescendingOrder;
    if (descending == m_descending)
        return;
    // The same rows read from the other end: no query needed.
    beginResetModel();
    m_descending = descending;
    endResetModel();
}

} // namespace llamadesk::ui
