#include "SpecificIdDialog.h"

#include "app/MoneyFormat.h"
#include "app/Theme.h"
#include "app/WorkerConnection.h"
#include "app/WorkerPool.h"
#include "tax/persist/AvailableLots.h"
#include "vault/Vault.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace llamadesk::ui {

using app::MoneyFormat;

namespace {

// What the worker hands back; shared so that a dialog closed early does not wait for it.
struct LotsOutcome {
    bool ok = false;
    QString error;
    QList<tax::LotRecord> records;
};

} // namespace

SpecificIdDialog::SpecificIdDialog(std::shared_ptr<const vault::Vault> vault,
                                   const tax::TaxOptions& options, const Target& target,
                                   const QList<tax::LotSelection>& current, QWidget* parent)
    : QDialog(parent)
    , m_vault(std::move(vault))
    , m_target(target)
    , m_current(current)
    , m_cancel(std::make_shared<std::atomic<bool>>(false)) {
    setWindowTitle(tr("Choose lots"));
    setObjectName(QStringLiteral("specificIdDialog"));
    resize(760, 340);
    auto* layout = new QVBoxLayout(this);
    m_intro = new QLabel(tr("Which lots does the sale of %1 %2 on %3 take? Enter an amount for "
                            "each lot you name; they must add up to %1.")
                             .arg(MoneyFormat::amount(target.amount), target.asset,
                                  target.soldAt.dateIn(options.timeZone).toString(Qt::ISODate)),
                         this);
    m_intro->setWordWrap(true);
    layout->addWidget(m_intro);
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("availableLots"));
    m_table->setHorizontalHeaderLabels(
        {tr("Acquired"), tr("Lot"), tr("Available"), tr("Cost basis"), tr("Take")});
    m_table->verticalHeader()->hide();
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    for (const int c : {int(AvailableColumn), int(CostColumn), int(TakeColumn)})
        m_table->horizontalHeaderItem(c)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    for (const int c : {int(AcquiredColumn), int(LotColumn)})
        m_table->horizontalHeaderItem(c)->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 12);
    const QFontMetrics fm = m_table->fontMetrics();
    m_table->horizontalHeader()->resizeSection(
        AcquiredColumn, fm.horizontalAdvance(QStringLiteral("0000-00-00 00:00")) + 24);
    m_table->horizontalHeader()->resizeSection(
        LotColumn, fm.horizontalAdvance(QStringLiteral("00000000…")) + 24);
    m_table->horizontalHeader()->resizeSection(
        AvailableColumn, fm.horizontalAdvance(QStringLiteral("000,000.00000000")) + 24);
    m_table->horizontalHeader()->resizeSection(
        CostColumn, fm.horizontalAdvance(QStringLiteral("$000,000.00")) + 24);
    layout->addWidget(m_table, 1);
    m_status = new QLabel(tr("Reading the lots held before this sale…"), this);
    m_status->setObjectName(QStringLiteral("specificIdStatus"));
    layout->addWidget(m_status);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Save choice"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (isComplete())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
    connect(m_table, &QTableWidget::itemChanged, this, [this](QTableWidgetItem*) {
        if (!m_filling)
            validate();
    });

    // The engine over the ledger up to the sale, on a worker with its own connection.
    auto outcome = std::make_shared<LotsOutcome>();
    m_watcher = new QFutureWatcher<void>(this);
    connect(m_watcher, &QFutureWatcher<void>::finished, this, [this, outcome] {
        if (!outcome->ok) {
            m_status->setText(outcome->error);
            emit lotsLoaded(false);
            return;
        }
        m_lots = group(outcome->records);
        showLots();
        emit lotsLoaded(true);
    });
    std::shared_ptr<const vault::Vault> v = m_vault;
    std::shared_ptr<std::atomic<bool>> cancel = m_cancel;
    m_watcher->setFuture(app::runInBackground([v, options, target, cancel, outcome] {
        if (!v) {
            outcome->error = tr("The vault is locked.");
            return;
        }
        app::WorkerConnection connection(*v);
        if (!connection.isOpen()) {
            outcome->error = connection.error();
            return;
        }
        Result<QList<tax::LotRecord>> lots =
            tax::AvailableLots::before(connection.database(), options, target.asset, target.wallet,
                                       target.soldAt, [cancel](qint64) { return !cancel->load(); });
        if (!lots) {
            outcome->error = lots.error();
            return;
        }
        outcome->records = lots.value();
        outcome->ok = true;
    }));
}

SpecificIdDialog::~SpecificIdDialog() {
    stopWorker();
}

void SpecificIdDialog::stopWorker() {
    m_cancel->store(true);
    if (m_watcher)
        m_watcher->waitForFinished();
}

QPushButton* SpecificIdDialog::saveButton() const {
    return m_buttons->button(QDialogButtonBox::Ok);
}

bool SpecificIdDialog::isLoading() const {
    return m_watcher && m_watcher->isRunning();
}

QList<SpecificIdDialog::Lot> SpecificIdDialog::group(const QList<tax::LotRecord>& records) {
    QList<Lot> out;
    for (const tax::LotRecord& r : records) {
        auto it =
            std::find_if(out.begin(), out.end(), [&r](const Lot& l) { return l.lotId == r.lotId; });
        if (it == out.end()) {
            out.append({r.lotId, r.acquiredAt, r.amount, r.costBasis});
        } else {
            it->amount += r.amount;
            it->costBasis += r.costBasis;
            if (r.acquiredAt < it->acquiredAt)
                it->acquiredAt = r.acquiredAt;
        }
    }
    return out;
}

void SpecificIdDialog::showLots() {
    m_filling = true;
    m_table->setRowCount(int(m_lots.size()));
    for (int r = 0; r < int(m_lots.size()); ++r) {
        const Lot& lot = m_lots.at(r);
        const auto fixed = [&](int column, const QString& text, bool right) {
            auto* item = new QTableWidgetItem(text);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
            item->setTextAlignment((right ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
            m_table->setItem(r, column, item);
            return item;
        };
        fixed(AcquiredColumn,
              lot.acquiredAt.toDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")), false);
        fixed(LotColumn, lot.lotId.left(8) + QStringLiteral("…"), false)->setToolTip(lot.lotId);
        fixed(AvailableColumn, MoneyFormat::amount(lot.amount), true);
        fixed(CostColumn, MoneyFormat::money(lot.costBasis), true);
        QString take;
        for (const tax::LotSelection& s : m_current) {
            if (s.lotId == lot.lotId)
                take = s.amount.toString();
        }
        auto* item = new QTableWidgetItem(take);
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        item->setToolTip(tr("How much of this lot the sale takes (empty: none)"));
        m_table->setItem(r, TakeColumn, item);
    }
    m_filling = false;
    m_table->resizeColumnToContents(AvailableColumn);
    if (m_lots.isEmpty())
        m_status->setText(tr("No lots of %1 were held just before this sale.").arg(m_target.asset));
    else
        validate();
}

void SpecificIdDialog::setTake(int row, const QString& amount) {
    if (row < 0 || row >= m_table->rowCount())
        return;
    m_table->item(row, TakeColumn)->setText(amount);
}

QList<tax::LotSelection> SpecificIdDialog::selections() const {
    QList<tax::LotSelection> out;
    for (int r = 0; r < m_table->rowCount() && r < int(m_lots.size()); ++r) {
        const QString text = m_table->item(r, TakeColumn)->text().trimmed();
        if (text.isEmpty())
            continue;
        const Result<Decimal> amount = Decimal::parse(text);
        if (amount && amount->isPositive())
            out.append({m_lots.at(r).lotId, amount.value()});
    }
    return out;
}

bool SpecificIdDialog::isComplete() const {
    if (m_lots.isEmpty())
        return false;
    Decimal sum;
    for (int r = 0; r < m_table->rowCount() && r < int(m_lots.size()); ++r) {
        const QString text = m_table->item(r, TakeColumn)->text().trimmed();
        if (text.isEmpty())
            continue;
        const Result<Decimal> amount = Decimal::parse(text);
        if (!amount || amount->isNegative() || amount.value() > m_lots.at(r).amount)
            return false;
        sum += amount.value();
    }
    return sum == m_target.amount;
}

void SpecificIdDialog::validate() {
    Decimal sum;
    QString problem;
    m_filling = true;
    for (int r = 0; r < m_table->rowCount() && r < int(m_lots.size()); ++r) {
        QTableWidgetItem* item = m_table->item(r, TakeColumn);
        const QString text = item->text().trimmed();
        bool bad = false;
        if (!text.isEmpty()) {
            const Result<Decimal> amount = Decimal::parse(text);
            if (!amount || amount->isNegative()) {
                bad = true;
                problem = tr("“%1” is not an amount.").arg(text);
            } else if (amount.value() > m_lots.at(r).amount) {
                bad = true;
                problem = tr("A lot has only %1 available.")
                              .arg(MoneyFormat::amount(m_lots.at(r).amount));
            } else {
                sum += amount.value();
            }
        }
        item->setForeground(bad ? QBrush(Theme::negative()) : QBrush());
    }
    m_filling = false;
    const bool complete = problem.isEmpty() && sum == m_target.amount;
    if (problem.isEmpty()) {
        problem = complete ? tr("Chosen %1 of %2 %3: ready to save.") : tr("Chosen %1 of %2 %3.");
        problem = problem.arg(MoneyFormat::amount(sum), MoneyFormat::amount(m_target.amount),
                              m_target.asset);
    }
    m_status->setText(problem);
    QPalette p = m_status->palette();
    p.setColor(QPalette::WindowText, complete ? Theme::positive() : Theme::mutedText());
    m_status->setPalette(p);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(complete);
}

} // namespace llamadesk::ui
