#include "AlertsView.h"

#include "AlertBanner.h"
#include "AlertHistoryModel.h"
#include "AlertRuleDialog.h"
#include "AlertRuleModel.h"
#include "Notifier.h"
#include "app/AppController.h"
#include "app/Icons.h"
#include "app/Theme.h"
#include "app/WorkerConnection.h"
#include "app/WorkerPool.h"
#include "store/AlertRepository.h"
#include "store/LocalUser.h"
#include "store/ReferenceDataRepository.h"
#include "widgets/EmptyState.h"
#include "widgets/ViewPage.h"

#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace llamadesk::ui {

namespace {

constexpr int kHistoryLimit = 5000; // the newest ones; older alerts stay in the vault

// The severity as a small coloured pill.
class SeverityDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString text = opt.text;
        opt.text.clear();
        opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
        const auto severity = Severity(index.data(AlertHistoryModel::SeverityRole).toInt());
        const QColor color = severity == Severity::Critical  ? Theme::negative()
                             : severity == Severity::Warning ? Theme::warning()
                                                             : Theme::accent();
        QFont font = opt.font;
        font.setPointSizeF(font.pointSizeF() * 0.9);
        font.setBold(true);
        const QFontMetrics fm(font);
        const int w = fm.horizontalAdvance(text) + 16;
        const int h = fm.height() + 4;
        const QRect pill(opt.rect.left() + 6, opt.rect.center().y() - h / 2, w, h);
        QColor fill = color;
        fill.setAlpha(Theme::isDark() ? 70 : 40);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(Qt::NoPen);
        painter->setBrush(fill);
        painter->drawRoundedRect(pill, h / 2.0, h / 2.0);
        painter->setPen(Theme::isDark() ? color.lighter(140) : color.darker(130));
        painter->setFont(font);
        painter->drawText(pill, Qt::AlignCenter, text);
        painter->restore();
    }
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        QSize s = QStyledItemDelegate::sizeHint(option, index);
        s.setWidth(s.width() + 24);
        return s;
    }
};

QTableView* makeTable(QWidget* parent) {
    auto* table = new QTableView(parent);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setAlternatingRowColors(true);
    table->setShowGrid(false);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 14);
    table->horizontalHeader()->setHighlightSections(false);
    table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    table->setFrameShape(QFrame::NoFrame);
    return table;
}

struct EvaluationResult {
    bool ok = false;
    QString error;
    alerts::EvaluationReport report;
};

} // namespace

AlertsView::AlertsView(AppController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_clock(std::make_shared<alerts::SystemClock>()) {
    m_rules = new AlertRuleModel(this);
    m_history = new AlertHistoryModel(this);
    m_filter = new AlertHistoryFilter(this);
    m_filter->setSourceModel(m_history);

    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack);
    m_locked = new EmptyState(QStringLiteral("alerts"), tr("Alerts"),
                              tr("Unlock your vault to see and edit your alert rules."), m_stack);
    m_stack->addWidget(m_locked);

    auto* page = new QWidget(m_stack);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(16, 14, 16, 12);
    layout->setSpacing(10);
    auto* header = new QHBoxLayout;
    auto* titles = new QVBoxLayout;
    titles->setSpacing(2);
    auto* title = ViewPage::makeTitle(tr("Alerts"), page);
    m_summary = new QLabel(page);
    titles->addWidget(title);
    titles->addWidget(m_summary);
    header->addLayout(titles, 1);
    m_check = new QPushButton(tr("Check now"), page);
    m_check->setToolTip(tr("Evaluate the local rules against the data in your vault now."));
    m_add = new QPushButton(Icons::icon(QStringLiteral("add")), tr("New rule…"), page);
    m_add->setDefault(true);
    header->addWidget(m_check, 0, Qt::AlignBottom);
    header->addWidget(m_add, 0, Qt::AlignBottom);
    layout->addLayout(header);

    m_banner = new AlertBanner(page);
    layout->addWidget(m_banner);

    m_tabs = new QTabWidget(page);
    m_tabs->setDocumentMode(true);
    layout->addWidget(m_tabs, 1);

    auto* rulesPage = new QWidget(m_tabs);
    auto* r = new QVBoxLayout(rulesPage);
    r->setContentsMargins(0, 8, 0, 0);
    auto* ruleBar = new QHBoxLayout;
    auto tool = [rulesPage](const QString& icon, const QString& text) {
        auto* b = new QToolButton(rulesPage);
        if (!icon.isEmpty())
            b->setIcon(Icons::icon(icon));
        b->setText(text);
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        return b;
    };
    m_edit = tool(QStringLiteral("edit"), tr("Edit…"));
    m_delete = tool(QStringLiteral("delete"), tr("Delete"));
    m_pause = tool(QString(), tr("Pause"));
    m_pause->setPopupMode(QToolButton::InstantPopup);
    auto* pauseMenu = new QMenu(m_pause);
    pauseMenu->addAction(tr("For 1 hour"), this, [this] { pauseSelected(60); });
    pauseMenu->addAction(tr("For 1 day"), this, [this] { pauseSelected(24 * 60); });
    pauseMenu->addAction(tr("For 1 week"), this, [this] { pauseSelected(7 * 24 * 60); });
    pauseMenu->addAction(tr("Until a date…"), this, [this] {
        QDialog ask(this);
        ask.setWindowTitle(tr("Pause until"));
        auto* v = new QVBoxLayout(&ask);
        auto* when = new QDateTimeEdit(QDateTime::currentDateTime().addDays(1), &ask);
        when->setCalendarPopup(true);
        when->setMinimumDateTime(QDateTime::currentDateTime());
        v->addWidget(new QLabel(tr("Pause this rule until:"), &ask));
        v->addWidget(when);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &ask);
        connect(buttons, &QDialogButtonBox::accepted, &ask, &QDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, &ask, &QDialog::reject);
        v->addWidget(buttons);
        if (ask.exec() == QDialog::Accepted)
            pauseSelectedUntil(when->dateTime());
    });
    pauseMenu->addAction(tr("Until I resume it"), this, [this] { pauseSelected(0); });
    pauseMenu->addSeparator();
    pauseMenu->addAction(tr("Resume"), this, &AlertsView::resumeSelected);
    m_pause->setMenu(pauseMenu);
    ruleBar->addWidget(m_edit);
    ruleBar->addWidget(m_delete);
    ruleBar->addWidget(m_pause);
    ruleBar->addStretch();
    r->addLayout(ruleBar);
    m_rulesTable = makeTable(rulesPage);
    m_rulesTable->setModel(m_rules);
    QHeaderView* rh = m_rulesTable->horizontalHeader();
    rh->setSectionResizeMode(QHeaderView::Interactive);
    rh->setSectionResizeMode(AlertRuleModel::EnabledColumn, QHeaderView::ResizeToContents);
    rh->setSectionResizeMode(AlertRuleModel::NameColumn, QHeaderView::Stretch);
    rh->setSectionResizeMode(AlertRuleModel::ConditionColumn, QHeaderView::Stretch);
    rh->resizeSection(AlertRuleModel::StatusColumn, 215);
    rh->resizeSection(AlertRuleModel::EvaluationColumn, 160);
    rh->resizeSection(AlertRuleModel::LastTriggeredColumn, 145);
    r->addWidget(m_rulesTable, 1);
    m_tabs->addTab(rulesPage, tr("Rules"));

    auto* historyPage = new QWidget(m_tabs);
    auto* h = new QVBoxLayout(historyPage);
    h->setContentsMargins(0, 8, 0, 0);
    m_search = new QLineEdit(historyPage);
    m_search->setPlaceholderText(tr("Search rule, asset or message"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(Icons::icon(QStringLiteral("search")), QLineEdit::LeadingPosition);
    m_search->setMaximumWidth(420);
    h->addWidget(m_search);
    m_historyTable = makeTable(historyPage);
    m_historyTable->setModel(m_filter);
    m_historyTable->setItemDelegateForColumn(AlertHistoryModel::SeverityColumn,
                                             new SeverityDelegate(m_historyTable));
    QHeaderView* hh = m_historyTable->horizontalHeader();
    hh->resizeSection(AlertHistoryModel::TimeColumn, 150);
    hh->resizeSection(AlertHistoryModel::SeverityColumn, 100);
    hh->resizeSection(AlertHistoryModel::RuleColumn, 240);
    hh->setSectionResizeMode(AlertHistoryModel::MessageColumn, QHeaderView::Stretch);
    hh->resizeSection(AlertHistoryModel::ValueColumn, 120);
    h->addWidget(m_historyTable, 1);
    m_tabs->addTab(historyPage, tr("History"));
    m_stack->addWidget(page);

    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, &AlertsView::evaluateNow);
    connect(m_search, &QLineEdit::textChanged, m_filter, &AlertHistoryFilter::setSearch);
    connect(m_add, &QPushButton::clicked, this, &AlertsView::addRule);
    connect(m_check, &QPushButton::clicked, this, &AlertsView::evaluateNow);
    connect(m_edit, &QToolButton::clicked, this, &AlertsView::editSelected);
    connect(m_delete, &QToolButton::clicked, this, &AlertsView::deleteSelected);
    connect(m_rulesTable, &QTableView::doubleClicked, this, &AlertsView::editSelected);
    connect(m_rulesTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AlertsView::updateActions);
    connect(m_rules, &QAbstractItemModel::modelReset, this, &AlertsView::updateActions);
    connect(m_rules, &AlertRuleModel::activeToggled, this, [this](const QString& id, bool active) {
        store::AlertRepository repository(m_controller->database());
        if (const Status s = repository.setActive(id, active); !s)
            emit statusMessage(tr("The rule could not be changed: %1").arg(s.error()));
        reload();
    });
    connect(controller, &AppController::unlocked, this, &AlertsView::attach);
    connect(controller, &AppController::aboutToLock, this, &AlertsView::detach);
    if (controller->isUnlocked())
        attach();
    else
        detach();
}

AlertsView::~AlertsView() {
    if (m_cancel)
        m_cancel->store(true);
    if (m_historyCancel)
        m_historyCancel->store(true);
}

bool AlertsView::isTimerRunning() const {
    return m_timer->isActive();
}

void AlertsView::setNotifier(Notifier* notifier) {
    m_notifier = notifier;
}

void AlertsView::setClock(std::shared_ptr<const alerts::Clock> clock) {
    m_clock = clock ? std::move(clock) : std::make_shared<alerts::SystemClock>();
}

void AlertsView::attach() {
    const Result<QString> owner = store::LocalUser::ensure(m_controller->database());
    if (!owner) {
        emit statusMessage(tr("Alerts are unavailable: %1").arg(owner.error()));
        return;
    }
    m_userId = owner.value();
    m_stack->setCurrentIndex(1);
    reload();
    const int seconds =
        std::max(5, QSettings().value(alertsIntervalKey(), kDefaultIntervalSeconds).toInt());
    m_timer->start(seconds * 1000);
}

void AlertsView::detach() {
    // Drop every decrypted row and stop the workers: the vault closes next.
    m_timer->stop();
    if (m_cancel)
        m_cancel->store(true);
    if (m_historyCancel)
        m_historyCancel->store(true);
    m_cancel.reset();
    m_historyCancel.reset();
    m_rules->clear();
    m_history->clear();
    m_search->clear();
    m_userId.clear();
    m_lastCheck = QDateTime();
    m_stack->setCurrentIndex(0);
    updateActions();
}

void AlertsView::reload() {
    if (!m_controller->isUnlocked() || m_userId.isEmpty())
        return;
    // Rules are few (a person's own alerts): read here; the history may be long and loads on a
    // worker.
    const QString selected = selectedRule() != nullptr ? selectedRule()->id : QString();
    store::AlertRepository repository(m_controller->database());
    const auto rules = repository.rules(m_userId);
    if (!rules) {
        emit statusMessage(tr("Cannot read the alert rules: %1").arg(rules.error()));
        return;
    }
    m_rules->setRules(rules.value());
    if (const int row = m_rules->rowOf(selected); row >= 0)
        m_rulesTable->selectRow(row);
    loadHistory();
    updateActions();
}

void AlertsView::loadHistory() {
    const std::shared_ptr<const vault::Vault> vault = m_controller->vault();
    if (!vault)
        return;
    if (m_historyCancel)
        m_historyCancel->store(true);
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_historyCancel = cancel;
    const QString userId = m_userId;
    using Rows = std::optional<QList<AlertHistoryRow>>;
    auto* watcher = new QFutureWatcher<Rows>(this);
    connect(watcher, &QFutureWatcher<Rows>::finished, this, [this, watcher, cancel] {
        watcher->deleteLater();
        if (cancel->load() || m_historyCancel != cancel)
            return;
        m_historyCancel.reset();
        const Rows rows = watcher->result();
        if (!rows) {
            emit statusMessage(tr("Cannot read the alert history."));
            return;
        }
        m_history->setRows(*rows);
        updateActions();
        emit historyLoaded();
    });
    watcher->setFuture(app::runInBackground([vault, userId, cancel]() -> Rows {
        app::WorkerConnection connection(*vault);
        if (!connection.isOpen() || cancel->load())
            return std::nullopt;
        store::AlertRepository repository(connection.database());
        const auto entries =
            repository.userHistory(userId, std::nullopt, std::nullopt, kHistoryLimit);
        if (!entries)
            return std::nullopt;
        // Names of every rule, deleted ones included (their history stays).
        QHash<QString, AlertHistoryRow> names;
        QSqlQuery q(connection.database());
        q.setForwardOnly(true);
        if (q.prepare(QStringLiteral("SELECT id, name, target_id, alert_type, threshold_type "
                                     "FROM alert_rules WHERE user_id = ?"))) {
            q.addBindValue(userId);
            if (q.exec()) {
                while (q.next()) {
                    AlertHistoryRow r;
                    r.ruleName = q.value(1).toString();
                    r.target = q.value(2).toString();
                    r.type =
                        alertTypeFromString(q.value(3).toString()).value_or(AlertType::PriceChange);
                    r.percentage = q.value(4).toString() == QLatin1String("percentage");
                    names.insert(q.value(0).toString(), r);
                }
            }
        }
        QList<AlertHistoryRow> rows;
        rows.reserve(entries.value().size());
        for (const AlertHistoryEntry& e : entries.value()) {
            AlertHistoryRow row = names.value(e.alertRuleId);
            row.entry = e;
            rows.append(row);
        }
        return rows;
    }));
}

void AlertsView::evaluateNow() {
    const std::shared_ptr<const vault::Vault> vault = m_controller->vault();
    if (!vault || m_cancel)
        return;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancel;
    m_check->setEnabled(false);
    const std::shared_ptr<const alerts::Clock> clock = m_clock;
    auto* watcher = new QFutureWatcher<EvaluationResult>(this);
    connect(watcher, &QFutureWatcher<EvaluationResult>::finished, this, [this, watcher, cancel] {
        watcher->deleteLater();
        if (cancel->load() || m_cancel != cancel) {
            emit evaluationFinished(-1);
            return;
        }
        m_cancel.reset();
        m_check->setEnabled(m_controller->isUnlocked());
        const EvaluationResult result = watcher->result();
        if (!result.ok) {
            emit statusMessage(tr("Alert check failed: %1").arg(result.error));
            emit evaluationFinished(-1);
            return;
        }
        m_lastCheck = QDateTime::currentDateTime();
        for (const AlertHistoryEntry& entry : result.report.triggered)
            notify(entry);
        reload();
        m_rules->setEvaluations(result.report.rules);
        if (!result.report.triggered.isEmpty())
            emit statusMessage(
                tr("%n alert(s) triggered.", nullptr, int(result.report.triggered.size())));
        emit evaluationFinished(int(result.report.triggered.size()));
    });
    watcher->setFuture(app::runInBackground([vault, clock, cancel] {
        EvaluationResult result;
        app::WorkerConnection connection(*vault);
        if (!connection.isOpen()) {
            result.error = connection.error();
            return result;
        }
        alerts::AlertEvaluator evaluator(connection.database(), *clock);
        auto report = evaluator.evaluate(cancel.get());
        result.ok = report.ok();
        if (report.ok())
            result.report = report.value();
        else
            result.error = report.error();
        return result;
    }));
}

void AlertsView::notify(const AlertHistoryEntry& entry) {
    Notifier* target = m_notifier;
    if (target == nullptr) {
        if (TrayNotifier::isAvailable()) {
            if (m_tray == nullptr)
                m_tray = new TrayNotifier(this);
            target = m_tray;
        } else {
            target = m_banner;
        }
    }
    if (target != nullptr) // the banner exists from construction; the check is for the optimizer
        target->notify(entry.title, entry.message, entry.severity);
}

const AlertRule* AlertsView::selectedRule() const {
    const QModelIndexList rows = m_rulesTable->selectionModel()->selectedRows();
    return rows.isEmpty() ? nullptr : m_rules->ruleAt(rows.first().row());
}

QStringList AlertsView::pricedAssets() const {
    store::ReferenceDataRepository reference(m_controller->database());
    const auto assets = reference.pricedAssets();
    return assets ? assets.value() : QStringList();
}

AlertRuleDialog* AlertsView::ruleDialog(const std::optional<AlertRule>& rule) {
    auto* dialog =
        new AlertRuleDialog(m_controller->database(), m_userId, rule, pricedAssets(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const bool isNew = !rule;
    connect(dialog, &QDialog::accepted, this, [this, dialog, isNew] {
        emit statusMessage(isNew ? tr("Alert rule \"%1\" created.").arg(dialog->rule().name)
                                 : tr("Alert rule \"%1\" saved.").arg(dialog->rule().name));
        reload();
    });
    // Closing the vault closes the editor without saving.
    connect(m_controller, &AppController::aboutToLock, dialog, &QDialog::reject);
    return dialog;
}

void AlertsView::addRule() {
    if (!m_controller->isUnlocked())
        return;
    ruleDialog()->open();
}

void AlertsView::editSelected() {
    if (const AlertRule* rule = selectedRule())
        ruleDialog(*rule)->open();
}

void AlertsView::deleteSelected() {
    const AlertRule* rule = selectedRule();
    if (rule == nullptr)
        return;
    const QString name = rule->name;
    const QString id = rule->id;
    if (QMessageBox::question(this, tr("Delete alert rule"),
                              tr("Delete \"%1\"? Its history stays in the vault.").arg(name)) !=
        QMessageBox::Yes)
        return;
    store::AlertRepository repository(m_controller->database());
    if (const Status s = repository.softDeleteRule(id); !s) {
        emit statusMessage(tr("The rule could not be deleted: %1").arg(s.error()));
        return;
    }
    emit statusMessage(tr("Alert rule \"%1\" deleted.").arg(name));
    reload();
}

void AlertsView::pauseSelected(int minutes) {
    const AlertRule* rule = selectedRule();
    if (rule == nullptr)
        return;
    store::AlertRepository repository(m_controller->database());
    const std::optional<Timestamp> until =
        minutes > 0 ? std::optional<Timestamp>(Timestamp::fromMicrosecondsSinceEpoch(
                          m_clock->now().microsecondsSinceEpoch() + qint64(minutes) * 60000000))
                    : std::nullopt;
    if (const Status s = repository.pause(rule->id, until); !s)
        emit statusMessage(tr("The rule could not be paused: %1").arg(s.error()));
    reload();
}

void AlertsView::pauseSelectedUntil(const QDateTime& until) {
    const AlertRule* rule = selectedRule();
    if (rule == nullptr)
        return;
    store::AlertRepository repository(m_controller->database());
    if (const Status s = repository.pause(rule->id, Timestamp::fromDateTime(until)); !s)
        emit statusMessage(tr("The rule could not be paused: %1").arg(s.error()));
    reload();
}

void AlertsView::resumeSelected() {
    const AlertRule* rule = selectedRule();
    if (rule == nullptr)
        return;
    store::AlertRepository repository(m_controller->database());
    if (const Status s = repository.resume(rule->id); !s)
        emit statusMessage(tr("The rule could not be resumed: %1").arg(s.error()));
    reload();
}

void AlertsView::updateActions() {
    const bool unlocked = m_controller->isUnlocked();
    const AlertRule* rule = unlocked ? selectedRule() : nullptr;
    m_add->setEnabled(unlocked);
    m_check->setEnabled(unlocked && !m_cancel);
    m_edit->setEnabled(rule != nullptr);
    m_delete->setEnabled(rule != nullptr);
    m_pause->setEnabled(rule != nullptr);
    m_pause->setText(rule != nullptr && rule->isPaused ? tr("Paused") : tr("Pause"));
    int local = 0;
    int paused = 0;
    for (int i = 0; i < m_rules->rowCount(); ++i) {
        const AlertRule* r = m_rules->ruleAt(i);
        if (alerts::AlertEvaluator::locality(*r) == alerts::Locality::Local && r->isActive)
            ++local;
        if (r->isPaused)
            ++paused;
    }
    m_tabs->setTabText(0, tr("Rules (%1)").arg(m_rules->rowCount()));
    m_tabs->setTabText(1, tr("History (%1)").arg(m_history->rowCount()));
    const int seconds = m_timer->interval() / 1000;
    QString summary = tr("%1 of %2 rules checked on this computer every %3 s")
                          .arg(local)
                          .arg(m_rules->rowCount())
                          .arg(seconds > 0 ? seconds : kDefaultIntervalSeconds);
    if (paused > 0)
        summary += QStringLiteral(" · ") + tr("%1 paused").arg(paused);
    if (m_lastCheck.isValid())
        summary +=
            QStringLiteral(" · ") +
            tr("last check %1").arg(QLocale().toString(m_lastCheck.time(), QLocale::ShortFormat));
    m_summary->setText(summary);
    m_summary->setStyleSheet(QStringLiteral("color: %1;").arg(Theme::mutedText().name()));
}

} // namespace llamadesk::ui
