#include "TaxView.h"

#include "DisposalTableModel.h"
#include "LotDrillDown.h"
#include "TaxExport.h"
#include "TaxIncomeModel.h"
#include "TaxWarningModel.h"
#include "app/AppController.h"
#include "app/Icons.h"
#include "app/MoneyFormat.h"
#include "app/Theme.h"
#include "app/WorkerConnection.h"
#include "app/WorkerPool.h"
#include "store/LocalUser.h"
#include "store/TransactionRepository.h"
#include "tax/persist/LotSelectionRepository.h"
#include "tax/persist/VaultTaxRun.h"
#include "vault/Vault.h"
#include "widgets/EmptyState.h"
#include "widgets/SummaryCard.h"
#include "widgets/ViewPage.h"

#include <QAction>
#include <QComboBox>
#include <QDate>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QSqlQuery>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace llamadesk::ui {

using app::MoneyFormat;

// What a run hands back to the GUI thread.
struct TaxView::RunOutcome {
    bool ok = false;
    bool cancelled = false;
    QString error;
    QString saveError; // the report is shown even when saving lots and checkpoints failed
    tax::TaxResult result;
    Decimal proceeds;
    Decimal costBasis;
    qint64 rows = 0;
    qint64 milliseconds = 0;
};

namespace {

enum Phase { Reading = 0, Saving = 1, Totalling = 2 };

// The ledger's first or last live instant (index order: one row read).
// The time of the first or last live transaction, through the repository's keyset page (one
// step down the time index; an ad-hoc query here once sorted all of a 1,000,000-row vault on the
// GUI thread).
std::optional<Timestamp> edgeInstant(const QSqlDatabase& db, bool last) {
    store::TransactionRepository repository(db);
    const Result<store::TransactionPage> page =
        repository.page(store::TransactionFilter{}, std::nullopt, 1,
                        last ? store::PageDirection::Backward : store::PageDirection::Forward);
    if (!page || page.value().rows.isEmpty())
        return std::nullopt;
    return page.value().rows.first().timestamp;
}

QTableView* makeTable(QAbstractItemModel* model, const QString& name, QWidget* parent) {
    auto* table = new QTableView(parent);
    table->setObjectName(name);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setAlternatingRowColors(true);
    table->setShowGrid(false);
    table->setWordWrap(false);
    // Fixed row heights: the view never measures rows, so a huge report costs nothing to show.
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 10);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setHighlightSections(false);
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

void sizeColumns(QTableView* table, const QStringList& samples) {
    const QFontMetrics fm = table->fontMetrics();
    for (int c = 0; c < samples.size(); ++c)
        table->horizontalHeader()->resizeSection(c, fm.horizontalAdvance(samples.at(c)) + 28);
}

QString settingOr(const char* key, const QString& fallback) {
    const QString value = QSettings().value(QString::fromLatin1(key)).toString();
    return value.isEmpty() ? fallback : value;
}

} // namespace

TaxView::TaxView(AppController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_cancel(std::make_shared<std::atomic<bool>>(false))
    , m_permille(std::make_shared<std::atomic<int>>(0))
    , m_phase(std::make_shared<std::atomic<int>>(Reading)) {
    m_disposals = new DisposalTableModel(this);
    m_income = new TaxIncomeModel(this);
    m_warnings = new TaxWarningModel(this);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 16, 8);
    auto* header = new QHBoxLayout;
    auto* title = ViewPage::makeTitle(tr("Tax"), this);
    header->addWidget(title);
    header->addStretch();
    m_exportButton = new QToolButton(this);
    m_exportButton->setObjectName(QStringLiteral("exportButton"));
    m_exportButton->setText(tr("Export"));
    m_exportButton->setIcon(Icons::icon(QStringLiteral("export")));
    m_exportButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    m_exportButton->setMenu(new QMenu(m_exportButton));
    m_exportButton->setToolTip(tr("Save this report for your tax software or your records"));
    header->addWidget(m_exportButton);
    layout->addLayout(header);

    auto* bar = new QHBoxLayout;
    buildOptionsBar(this, bar);
    layout->addLayout(bar);
    m_methodNote = new QLabel(this);
    m_methodNote->setObjectName(QStringLiteral("methodNote"));
    m_methodNote->setWordWrap(true);
    layout->addWidget(m_methodNote);

    m_progressRow = new QWidget(this);
    auto* progress = new QHBoxLayout(m_progressRow);
    progress->setContentsMargins(0, 0, 0, 0);
    m_progress = new QProgressBar(m_progressRow);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(8);
    m_progressText = new QLabel(m_progressRow);
    progress->addWidget(m_progressText);
    progress->addWidget(m_progress, 1);
    layout->addWidget(m_progressRow);

    m_stack = new QStackedWidget(this);
    m_empty = new EmptyState(QStringLiteral("tax"), tr("No report yet"),
                             tr("Choose the tax year and the rules, then press Run. Every "
                                "disposal is explained down to the lots it used."),
                             m_stack);
    m_stack->addWidget(m_empty);

    auto* results = new QWidget(m_stack);
    auto* resultsLayout = new QVBoxLayout(results);
    resultsLayout->setContentsMargins(0, 4, 0, 0);
    auto* cards = new QHBoxLayout;
    cards->setSpacing(10);
    const QString captions[] = {tr("Proceeds"), tr("Cost basis"), tr("Net gain / loss"),
                                tr("Income"), tr("Warnings")};
    for (int i = 0; i < 5; ++i) {
        m_cards[i] = new SummaryCard(captions[i], results);
        m_cards[i]->setObjectName(QStringLiteral("card%1").arg(i));
        cards->addWidget(m_cards[i]);
    }
    resultsLayout->addLayout(cards);

    auto* split = new QSplitter(Qt::Vertical, results);
    split->setChildrenCollapsible(false);
    m_tabs = new QTabWidget(split);
    m_tabs->setDocumentMode(true);
    m_disposalTable = makeTable(m_disposals, QStringLiteral("disposalsTable"), m_tabs);
    sizeColumns(m_disposalTable, {QStringLiteral("0000-00-00"), QStringLiteral("MATIC"),
                                  QStringLiteral("000,000.00000000"),
                                  QStringLiteral("Transfer loss"), QStringLiteral("0000-00-00"),
                                  QStringLiteral("$000,000.00"), QStringLiteral("$000,000.00"),
                                  QStringLiteral("+$000,000.00"), QStringLiteral("Short")});
    m_incomeTable = makeTable(m_income, QStringLiteral("incomeTable"), m_tabs);
    sizeColumns(m_incomeTable, {QStringLiteral("0000-00-00"), QStringLiteral("Staking reward"),
                                QStringLiteral("MATIC"), QStringLiteral("000,000.00000000"),
                                QStringLiteral("Value when received")});
    m_warningTable = makeTable(m_warnings, QStringLiteral("warningsTable"), m_tabs);
    sizeColumns(m_warningTable,
                {QStringLiteral("0000-00-00"), QStringLiteral("Transfer amounts differ"),
                 QStringLiteral("MATIC")});
    m_tabs->addTab(m_disposalTable, tr("Disposals"));
    m_tabs->addTab(m_incomeTable, tr("Income"));
    m_tabs->addTab(m_warningTable, tr("Warnings"));
    m_drill = new LotDrillDown(split);
    split->addWidget(m_tabs);
    split->addWidget(m_drill);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setSizes({480, 200});
    resultsLayout->addWidget(split, 1);
    m_stack->addWidget(results);
    layout->addWidget(m_stack, 1);

    connect(m_disposalTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TaxView::showDrillDown);
    connect(m_drill, &LotDrillDown::chooseLotsRequested, this, &TaxView::chooseLotsForSelection);
    connect(m_warningTable, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const QString id = index.data(TaxWarningModel::TransactionIdRole).toString();
        if (!id.isEmpty())
            emit transactionRequested(id);
    });
    connect(m_incomeTable, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const QString id = index.data(TaxIncomeModel::TransactionIdRole).toString();
        if (!id.isEmpty())
            emit transactionRequested(id);
    });

    m_poll = new QTimer(this);
    m_poll->setInterval(100);
    connect(m_poll, &QTimer::timeout, this, [this] {
        m_progress->setValue(m_permille->load());
        switch (m_phase->load()) {
        case Saving:
            m_progressText->setText(tr("Saving lots and checkpoints…"));
            break;
        case Totalling:
            m_progressText->setText(tr("Adding up the report…"));
            break;
        default:
            m_progressText->setText(
                tr("Matching disposals to lots… %1%").arg(m_permille->load() / 10));
            break;
        }
    });
    m_runWatcher = new QFutureWatcher<void>(this);
    connect(m_runWatcher, &QFutureWatcher<void>::finished, this, &TaxView::finishRun);
    m_exportWatcher = new QFutureWatcher<void>(this);

    connect(controller, &AppController::unlocked, this, &TaxView::attach);
    connect(controller, &AppController::aboutToLock, this, &TaxView::detach);
    if (controller->isUnlocked())
        attach();
    optionsChanged();
    updateState();
}

TaxView::~TaxView() {
    m_cancel->store(true);
    m_runWatcher->waitForFinished();
    m_exportWatcher->waitForFinished();
}

void TaxView::buildOptionsBar(QWidget* host, QHBoxLayout* bar) {
    const auto labelled = [&](const QString& text, QWidget* field) {
        auto* label = new QLabel(text, host);
        label->setBuddy(field);
        bar->addWidget(label);
        bar->addWidget(field);
        bar->addSpacing(8);
    };
    m_year = new QComboBox(host);
    m_year->setObjectName(QStringLiteral("yearBox"));
    labelled(tr("&Year"), m_year);

    m_jurisdiction = new QComboBox(host);
    m_jurisdiction->setObjectName(QStringLiteral("jurisdictionBox"));
    m_jurisdiction->addItem(tr("United States"), QStringLiteral("US"));
    m_jurisdiction->addItem(tr("United Kingdom"), QStringLiteral("UK"));
    labelled(tr("&Rules"), m_jurisdiction);

    m_method = new QComboBox(host);
    m_method->setObjectName(QStringLiteral("methodBox"));
    m_method->addItem(tr("FIFO"), QStringLiteral("fifo"));
    m_method->addItem(tr("LIFO"), QStringLiteral("lifo"));
    m_method->addItem(tr("HIFO"), QStringLiteral("hifo"));
    m_method->addItem(tr("Specific ID"), QStringLiteral("specific"));
    m_method->setToolTip(tr("Which lots a sale takes first (US)"));
    m_method->setPlaceholderText(tr("Share pooling"));
    labelled(tr("&Method"), m_method);

    m_scope = new QComboBox(host);
    m_scope->setObjectName(QStringLiteral("scopeBox"));
    m_scope->addItem(tr("Per wallet"), QStringLiteral("wallet"));
    m_scope->addItem(tr("Universal"), QStringLiteral("universal"));
    m_scope->setToolTip(tr("Whether lots are kept per wallet or across all wallets (US)"));
    m_scope->setPlaceholderText(tr("One pool"));
    labelled(tr("&Lots"), m_scope);

    m_zone = new QComboBox(host);
    m_zone->setObjectName(QStringLiteral("zoneBox"));
    for (const char* id : {"UTC", "America/New_York", "America/Chicago", "America/Denver",
                           "America/Los_Angeles", "Europe/London"})
        m_zone->addItem(QString::fromLatin1(id), QByteArray(id));
    m_zone->setToolTip(tr("Dates of disposals and tax years are dates in this time zone"));
    labelled(tr("&Time zone"), m_zone);
    bar->addStretch();

    m_runButton = new QPushButton(Icons::icon(QStringLiteral("tax")), tr("Run"), host);
    m_runButton->setObjectName(QStringLiteral("runButton"));
    m_runButton->setDefault(true);
    m_runAction = new QAction(tr("Run tax report"), this);
    m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_runAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_runAction);
    m_runButton->setToolTip(
        tr("Run the report (%1)").arg(m_runAction->shortcut().toString(QKeySequence::NativeText)));
    connect(m_runAction, &QAction::triggered, this, &TaxView::run);
    connect(m_runButton, &QPushButton::clicked, this, &TaxView::run);
    bar->addWidget(m_runButton);
    m_cancelButton = new QPushButton(tr("Cancel"), host);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    connect(m_cancelButton, &QPushButton::clicked, this, &TaxView::cancel);
    bar->addWidget(m_cancelButton);

    // Defaults from the shared settings.
    const QString jurisdiction = settingOr("tax/jurisdiction", QStringLiteral("US")).toUpper();
    m_jurisdiction->setCurrentIndex(jurisdiction == QLatin1String("UK") ? 1 : 0);
    const int method = m_method->findData(settingOr("tax/method", QStringLiteral("fifo")));
    m_method->setCurrentIndex(method < 0 ? 0 : method);
    const int scope = m_scope->findData(settingOr("tax/scope", QStringLiteral("wallet")));
    m_scope->setCurrentIndex(scope < 0 ? 0 : scope);
    setTimeZone(settingOr("tax/timezone", jurisdiction == QLatin1String("UK")
                                              ? QStringLiteral("Europe/London")
                                              : QStringLiteral("UTC"))
                    .toUtf8());
    connect(m_jurisdiction, &QComboBox::currentIndexChanged, this, [this] {
        // Each jurisdiction's usual zone, unless the user picked another one.
        const QByteArray zone = m_zone->currentData().toByteArray();
        const bool uk = m_jurisdiction->currentData().toString() == QLatin1String("UK");
        if (uk && zone == "UTC")
            setTimeZone("Europe/London");
        else if (!uk && zone == "Europe/London")
            setTimeZone("UTC");
        optionsChanged();
    });
    connect(m_method, &QComboBox::currentIndexChanged, this, &TaxView::optionsChanged);
    connect(m_scope, &QComboBox::currentIndexChanged, this, &TaxView::optionsChanged);
}

void TaxView::setYear(int year) {
    int index = m_year->findData(year);
    if (index < 0) {
        m_year->addItem(QString::number(year), year);
        index = m_year->count() - 1;
    }
    m_year->setCurrentIndex(index);
}

int TaxView::year() const {
    return m_year->currentData().toInt();
}

void TaxView::setJurisdiction(tax::Jurisdiction jurisdiction) {
    m_jurisdiction->setCurrentIndex(jurisdiction == tax::Jurisdiction::UnitedKingdom ? 1 : 0);
}

void TaxView::setMethod(CostBasisMethod method) {
    const QString key = method == CostBasisMethod::Lifo       ? QStringLiteral("lifo")
                        : method == CostBasisMethod::Hifo     ? QStringLiteral("hifo")
                        : method == CostBasisMethod::Specific ? QStringLiteral("specific")
                                                              : QStringLiteral("fifo");
    m_usMethodIndex = m_method->findData(key);
    if (m_method->currentIndex() >= 0 || m_method->isEnabled())
        m_method->setCurrentIndex(m_usMethodIndex);
}

void TaxView::setScope(tax::LotScope scope) {
    m_usScopeIndex = scope == tax::LotScope::Universal ? 1 : 0;
    if (m_scope->currentIndex() >= 0 || m_scope->isEnabled())
        m_scope->setCurrentIndex(m_usScopeIndex);
}

void TaxView::setTimeZone(const QByteArray& ianaId) {
    int index = m_zone->findData(ianaId);
    if (index < 0 && QTimeZone(ianaId).isValid()) {
        m_zone->addItem(QString::fromUtf8(ianaId), ianaId);
        index = m_zone->count() - 1;
    }
    if (index >= 0)
        m_zone->setCurrentIndex(index);
}

tax::TaxOptions TaxView::currentOptions() const {
    const bool uk = m_jurisdiction->currentData().toString() == QLatin1String("UK");
    const int y = year() > 0 ? year() : QDate::currentDate().year();
    tax::TaxOptions o = tax::TaxOptions::forTaxYear(
        uk ? tax::Jurisdiction::UnitedKingdom : tax::Jurisdiction::UnitedStates, y);
    // The vault keeps values in US dollars: the report is in its currency; the screen converts.
    o.currency = QStringLiteral("USD");
    if (!uk) {
        const QString m = m_method->currentData().toString();
        o.method = m == QLatin1String("lifo")       ? CostBasisMethod::Lifo
                   : m == QLatin1String("hifo")     ? CostBasisMethod::Hifo
                   : m == QLatin1String("specific") ? CostBasisMethod::Specific
                                                    : CostBasisMethod::Fifo;
        o.scope = m_scope->currentData().toString() == QLatin1String("universal")
                      ? tax::LotScope::Universal
                      : tax::LotScope::Wallet;
    }
    const QTimeZone zone(m_zone->currentData().toByteArray());
    if (zone.isValid())
        o.timeZone = zone;
    return o;
}

void TaxView::optionsChanged() {
    const bool uk = m_jurisdiction->currentData().toString() == QLatin1String("UK");
    // UK rules have no lot method and no lot scope: the boxes show what applies instead, and
    // remember the US choice for when the rules change back.
    for (const auto& [box, remembered] :
         {std::pair{m_method, &m_usMethodIndex}, std::pair{m_scope, &m_usScopeIndex}}) {
        if (uk && box->currentIndex() >= 0) {
            *remembered = box->currentIndex();
            box->setCurrentIndex(-1);
        } else if (!uk && box->currentIndex() < 0) {
            box->setCurrentIndex(*remembered);
        }
    }
    if (uk) {
        m_methodNote->setText(
            tr("UK rules fix the matching: same-day acquisitions first, then those of the next 30 "
               "days, then the section 104 pool at average cost. Tax years run from 6 April."));
    } else if (m_method->currentData().toString() == QLatin1String("specific")) {
        m_methodNote->setText(tr("Specific ID: select a disposal and choose its lots; disposals "
                                 "without a choice take the earliest lots."));
    } else {
        m_methodNote->clear();
    }
    m_methodNote->setVisible(!m_methodNote->text().isEmpty());
    QPalette muted = m_methodNote->palette();
    muted.setColor(QPalette::WindowText, Theme::mutedText());
    m_methodNote->setPalette(muted);
    updateState();
}

void TaxView::attach() {
    m_attached = true;
    loadYears();
    updateState();
}

void TaxView::loadYears() {
    // Two index lookups on the GUI connection: the first and the last live row.
    const int current = QDate::currentDate().year();
    int first = current;
    int last = current;
    if (m_controller->isUnlocked()) {
        QSqlDatabase db = m_controller->database();
        const Result<std::optional<QString>> user = store::LocalUser::find(db);
        if (user && *user) {
            if (const std::optional<Timestamp> a = edgeInstant(db, false))
                first = a->dateIn(QTimeZone::utc()).year();
            if (const std::optional<Timestamp> b = edgeInstant(db, true))
                last = b->dateIn(QTimeZone::utc()).year();
        }
    }
    const int keep = year();
    m_year->clear();
    for (int y = std::max(current, last); y >= std::min(first, current); --y)
        m_year->addItem(QString::number(y), y);
    // The year people usually report: the last complete one with data.
    const int preferred =
        keep > 0 ? keep : (last >= current && first < current ? current - 1 : last);
    setYear(preferred);
}

bool TaxView::isRunning() const {
    return m_runWatcher->isRunning();
}

void TaxView::updateState() {
    const bool unlocked = m_attached && m_controller->isUnlocked();
    const bool running = isRunning();
    const bool uk = m_jurisdiction->currentData().toString() == QLatin1String("UK");
    m_runButton->setEnabled(unlocked && !running);
    m_runAction->setEnabled(unlocked && !running);
    m_cancelButton->setVisible(running);
    m_progressRow->setVisible(running);
    for (QWidget* w : {static_cast<QWidget*>(m_year), static_cast<QWidget*>(m_jurisdiction),
                       static_cast<QWidget*>(m_zone)})
        w->setEnabled(!running);
    m_method->setEnabled(!running && !uk);
    m_scope->setEnabled(!running && !uk);
    m_method->setToolTip(uk ? tr("UK rules have no lot method to choose")
                            : tr("Which lots a sale takes first (US)"));
    m_exportButton->setEnabled(unlocked && m_hasResult && !running);
    m_stack->setCurrentIndex(m_hasResult ? 1 : 0);
}

void TaxView::saveSettings() const {
    QSettings settings;
    settings.setValue(QStringLiteral("tax/jurisdiction"), m_jurisdiction->currentData());
    if (m_method->isEnabled())
        settings.setValue(QStringLiteral("tax/method"), m_method->currentData());
    if (m_scope->isEnabled())
        settings.setValue(QStringLiteral("tax/scope"), m_scope->currentData());
    settings.setValue(QStringLiteral("tax/timezone"),
                      QString::fromUtf8(m_zone->currentData().toByteArray()));
}

void TaxView::run() {
    if (isRunning())
        return;
    std::shared_ptr<const vault::Vault> vault = m_controller->vault();
    if (!m_attached || !m_controller->isUnlocked() || !vault) {
        emit statusMessage(tr("Unlock the vault to run a tax report."));
        emit runFinished(false);
        return;
    }
    const tax::TaxOptions options = currentOptions();
    saveSettings();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_permille->store(0);
    m_phase->store(Reading);
    m_outcome = std::make_shared<RunOutcome>();
    std::shared_ptr<RunOutcome> out = m_outcome;
    std::shared_ptr<std::atomic<bool>> cancel = m_cancel;
    std::shared_ptr<std::atomic<int>> permille = m_permille;
    std::shared_ptr<std::atomic<int>> phase = m_phase;
    m_runWatcher->setFuture(app::runInBackground([vault, options, out, cancel, permille, phase] {
        QElapsedTimer clock;
        clock.start();
        app::WorkerConnection connection(*vault);
        if (!connection.isOpen()) {
            out->error = connection.error();
            return;
        }
        {
            QSqlDatabase db = connection.database();
            const Result<QString> user = store::LocalUser::ensure(db);
            if (!user) {
                out->error = user.error();
                return;
            }
            tax::TaxOptions o = options;
            if (o.jurisdiction == tax::Jurisdiction::UnitedStates &&
                o.method == CostBasisMethod::Specific) {
                tax::LotSelectionRepository saved(db);
                const Result<QHash<QString, QList<tax::LotSelection>>> chosen =
                    saved.all(user.value());
                if (!chosen) {
                    out->error = chosen.error();
                    return;
                }
                o.lotSelections = chosen.value();
            }
            // Progress by time: how far into the ledger the rows being fed are.
            const std::optional<Timestamp> first = edgeInstant(db, false);
            const std::optional<Timestamp> last = edgeInstant(db, true);
            tax::VaultRunOptions runOptions;
            runOptions.openReader = [vault](const QString& name, QString* error) {
                return vault->openConnection(name, error);
            };
            runOptions.progress = [&](qint64, const Timestamp& at) {
                if (first && last && *last > *first)
                    permille->store(int(std::clamp<qint64>(
                        (at.microsecondsSinceEpoch() - first->microsecondsSinceEpoch()) /
                            std::max<qint64>(1, (last->microsecondsSinceEpoch() -
                                                 first->microsecondsSinceEpoch()) /
                                                    1000),
                        0, 1000)));
                return !cancel->load();
            };
            tax::VaultTaxRun run(db, o, runOptions);
            Result<tax::TaxResult> result = run.compute();
            if (cancel->load()) {
                out->cancelled = true;
                return;
            }
            if (!result) {
                out->error = result.error();
                return;
            }
            permille->store(1000);
            phase->store(Saving);
            if (Status s = run.save(result.value()); !s)
                out->saveError = s.error();
            out->rows = run.stats().rowsFed;
            // The cards show the sums of the rows as printed, like the exports.
            phase->store(Totalling);
            const tax::TaxResult& r = result.value();
            for (int i = 0; i < r.disposalCount(); ++i) {
                if ((i & 4095) == 0 && cancel->load()) {
                    out->cancelled = true;
                    return;
                }
                const tax::Disposal d = r.printedDisposal(i);
                out->proceeds += d.proceeds;
                out->costBasis += d.costBasis;
            }
            out->result = r;
            out->ok = true;
        }
        out->milliseconds = clock.elapsed();
    }));
    m_progress->setValue(0);
    m_progressText->setText(tr("Reading the ledger…"));
    m_poll->start();
    updateState();
    emit statusMessage(tr("Running the %1 tax report…").arg(year()));
}

void TaxView::cancel() {
    if (!isRunning())
        return;
    m_cancel->store(true);
    m_progressText->setText(tr("Cancelling…"));
}

void TaxView::finishRun() {
    m_poll->stop();
    const std::shared_ptr<RunOutcome> out = std::move(m_outcome);
    m_outcome.reset();
    if (!out || !m_attached) {
        updateState();
        emit runFinished(false);
        return;
    }
    if (out->cancelled) {
        updateState();
        emit statusMessage(tr("Tax report cancelled."));
        emit runFinished(false);
        return;
    }
    if (!out->ok) {
        updateState();
        emit statusMessage(tr("The tax report failed: %1").arg(out->error));
        emit runFinished(false);
        return;
    }
    m_result = out->result;
    m_proceeds = out->proceeds;
    m_costBasis = out->costBasis;
    m_hasResult = true;
    showResult();
    updateState();
    QString message =
        tr("Tax report %1: %n disposal(s), %2 s", nullptr, m_result.disposalCount())
            .arg(year())
            .arg(QString::number(out->milliseconds / 1000) + QLocale().decimalPoint() +
                 QString::number((out->milliseconds % 1000) / 100));
    if (!out->saveError.isEmpty())
        message += QLatin1Char(' ') + tr("(not saved: %1)").arg(out->saveError);
    emit statusMessage(message);
    emit runFinished(true);
}

void TaxView::showResult() {
    m_disposals->setResult(m_result);
    m_income->setResult(m_result);
    m_warnings->setResult(m_result);
    m_drill->clear();
    const tax::TaxSummary s = m_result.summary();
    const bool uk = m_result.options().jurisdiction == tax::Jurisdiction::UnitedKingdom;
    m_cards[int(Card::Proceeds)]->setValue(MoneyFormat::money(m_proceeds));
    m_cards[int(Card::Proceeds)]->setDetail(
        tr("%n disposal(s)", nullptr, m_result.disposalCount()));
    m_cards[int(Card::CostBasis)]->setValue(MoneyFormat::money(m_costBasis));
    QString method;
    switch (m_result.options().method) {
    case CostBasisMethod::Lifo:
        method = tr("LIFO");
        break;
    case CostBasisMethod::Hifo:
        method = tr("HIFO");
        break;
    case CostBasisMethod::Specific:
        method = tr("Specific ID");
        break;
    case CostBasisMethod::Fifo:
        method = tr("FIFO");
        break;
    }
    m_cards[int(Card::CostBasis)]->setDetail(
        uk ? tr("Same day, 30 days, pool")
           : tr("%1, %2").arg(method, m_result.options().scope == tax::LotScope::Universal
                                          ? tr("universal")
                                          : tr("per wallet")));
    const QColor net = s.netCapitalGains.isNegative()   ? Theme::negative()
                       : s.netCapitalGains.isPositive() ? Theme::positive()
                                                        : QColor();
    m_cards[int(Card::NetGain)]->setValue(MoneyFormat::signedMoney(s.netCapitalGains), net);
    m_cards[int(Card::NetGain)]->setDetail(
        uk ? tr("Gains %1 · losses %2")
                 .arg(MoneyFormat::money(s.totalCapitalGains),
                      MoneyFormat::money(s.totalCapitalLosses))
           : tr("Short %1 · long %2")
                 .arg(MoneyFormat::signedMoney(s.shortTermGains),
                      MoneyFormat::signedMoney(s.longTermGains)));
    m_cards[int(Card::Income)]->setValue(MoneyFormat::money(s.totalIncome));
    m_cards[int(Card::Income)]->setDetail(
        tr("Expenses %1").arg(MoneyFormat::money(s.totalExpenses)));
    const int warnings = m_result.warningCount();
    m_cards[int(Card::Warnings)]->setValue(QLocale().toString(warnings),
                                           warnings > 0 ? Theme::warning() : QColor());
    m_cards[int(Card::Warnings)]->setDetail(warnings > 0 ? tr("Review before filing")
                                                         : tr("Nothing assumed"));
    m_tabs->setTabText(0, tr("Disposals (%1)").arg(QLocale().toString(m_result.disposalCount())));
    m_tabs->setTabText(1, tr("Income (%1)").arg(QLocale().toString(m_result.incomeCount())));
    m_tabs->setTabText(2, tr("Warnings (%1)").arg(QLocale().toString(warnings)));

    // The export menu: every format this report can be written to.
    QMenu* menu = m_exportButton->menu();
    menu->clear();
    for (const QString& format : TaxExport::formats(m_result.options().jurisdiction)) {
        QAction* action = menu->addAction(TaxExport::label(format));
        action->setData(format);
        connect(action, &QAction::triggered, this, [this, format] { exportWithDialog(format); });
    }
    if (m_result.disposalCount() > 0)
        m_disposalTable->selectRow(0);
}

void TaxView::clearResult() {
    m_result = tax::TaxResult();
    m_hasResult = false;
    m_proceeds = Decimal();
    m_costBasis = Decimal();
    m_disposals->clear();
    m_income->clear();
    m_warnings->clear();
    m_drill->clear();
    for (SummaryCard* card : m_cards)
        card->clear();
    m_tabs->setTabText(0, tr("Disposals"));
    m_tabs->setTabText(1, tr("Income"));
    m_tabs->setTabText(2, tr("Warnings"));
    m_exportButton->menu()->clear();
}

void TaxView::detach() {
    // Stop every worker before the vault closes, then forget every figure.
    m_attached = false;
    m_cancel->store(true);
    m_runWatcher->waitForFinished();
    m_exportWatcher->waitForFinished();
    m_poll->stop();
    if (m_dialog)
        delete m_dialog.data();
    clearResult();
    m_year->clear();
    updateState();
}

QString TaxView::cardValue(Card card) const {
    return m_cards[int(card)]->value();
}

void TaxView::showDrillDown() {
    const QModelIndex current = m_disposalTable->currentIndex();
    if (!current.isValid()) {
        m_drill->clear();
        return;
    }
    const tax::TaxOptions& o = m_result.options();
    const tax::Disposal d = m_disposals->disposal(current.row());
    m_drill->showDisposal(d, o.jurisdiction == tax::Jurisdiction::UnitedStates &&
                                 o.method == CostBasisMethod::Specific &&
                                 d.kind != tax::DisposalKind::Fee);
}

void TaxView::chooseLotsForSelection() {
    const QModelIndex current = m_disposalTable->currentIndex();
    if (current.isValid())
        chooseLots(current.row());
}

SpecificIdDialog* TaxView::chooseLots(int row) {
    const tax::TaxOptions& o = m_result.options();
    if (!m_hasResult || row < 0 || row >= m_disposals->rowCount() ||
        o.jurisdiction != tax::Jurisdiction::UnitedStates || o.method != CostBasisMethod::Specific)
        return nullptr;
    const tax::Disposal d = m_disposals->disposal(row);
    if (d.kind == tax::DisposalKind::Fee)
        return nullptr;
    // A disposal that took short- and long-term lots is two rows next to each other.
    Decimal amount = d.amount;
    for (const int step : {-1, 1}) {
        for (int r = row + step; r >= 0 && r < m_disposals->rowCount(); r += step) {
            const tax::Disposal other = m_disposals->disposal(r);
            if (other.transactionId != d.transactionId)
                break;
            // A crypto fee of the same transaction is a disposal of its own, without a choice.
            if (other.kind != tax::DisposalKind::Fee && other.asset == d.asset)
                amount += other.amount;
        }
    }
    SpecificIdDialog::Target target{d.transactionId, d.asset, d.wallet, d.soldAt, amount};
    if (m_dialog)
        delete m_dialog.data();
    m_dialog = new SpecificIdDialog(m_controller->vault(), o, target,
                                    o.lotSelections.value(d.transactionId), this);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString id = d.transactionId;
    connect(m_dialog, &QDialog::accepted, this, [this, id] {
        if (!m_dialog)
            return;
        if (Status s = saveLotSelection(id, m_dialog->selections()); !s) {
            emit statusMessage(s.error());
            return;
        }
        emit statusMessage(tr("Lot choice saved; running the report again."));
        QTimer::singleShot(0, this, &TaxView::run);
    });
    m_dialog->open();
    return m_dialog;
}

Status TaxView::saveLotSelection(const QString& disposalId,
                                 const QList<tax::LotSelection>& selections) {
    if (!m_controller->isUnlocked())
        return Status::failure(tr("The vault is locked."));
    QSqlDatabase db = m_controller->database();
    const Result<QString> user = store::LocalUser::ensure(db);
    if (!user)
        return Status::failure(user.error());
    tax::LotSelectionRepository repository(db);
    return repository.save(user.value(), disposalId, selections);
}

void TaxView::exportWithDialog(const QString& format) {
    const QString name = tr("tax-report-%1.%2").arg(year()).arg(TaxExport::suffix(format));
    const QString path = QFileDialog::getSaveFileName(this, TaxExport::label(format), name,
                                                      TaxExport::fileFilter(format));
    if (!path.isEmpty())
        exportTo(format, path);
}

void TaxView::exportTo(const QString& format, const QString& path) {
    if (!m_hasResult || m_exportWatcher->isRunning()) {
        emit exportFinished(false, tr("There is no report to export."));
        return;
    }
    auto status = std::make_shared<Status>();
    const tax::TaxResult result = m_result;
    disconnect(m_exportWatcher, nullptr, this, nullptr);
    connect(m_exportWatcher, &QFutureWatcher<void>::finished, this, [this, status, path] {
        const QString message = status->ok() ? tr("Saved %1").arg(path) : status->error();
        emit statusMessage(message);
        emit exportFinished(status->ok(), message);
    });
    m_exportWatcher->setFuture(app::runInBackground(
        [result, format, path, status] { *status = TaxExport::write(result, format, path); }));
    emit statusMessage(tr("Exporting…"));
}

} // namespace llamadesk::ui
