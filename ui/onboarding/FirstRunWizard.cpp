#include "FirstRunWizard.h"

#include "RecoveryCodePanel.h"
#include "app/AppController.h"
#include "app/Icons.h"
#include "app/SampleData.h"
#include "app/Theme.h"
#include "app/WorkerConnection.h"
#include "app/WorkerPool.h"
#include "widgets/PassphraseForm.h"

#include <QButtonGroup>
#include <QFutureWatcher>
#include <QLabel>
#include <QProgressBar>
#include <QRadioButton>
#include <QSettings>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace llamadesk::ui {

namespace {

QLabel* paragraph(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    return label;
}

QLabel* note(const QString& text, QWidget* parent) {
    QLabel* label = paragraph(text, parent);
    label->setContentsMargins(26, 0, 0, 0);
    QPalette muted = label->palette();
    muted.setColor(QPalette::WindowText, Theme::mutedText());
    label->setPalette(muted);
    return label;
}

} // namespace

// The protection page: Next creates the vault, off the GUI thread, and only then moves on.
class ProtectionPageImpl : public QWizardPage {
public:
    explicit ProtectionPageImpl(FirstRunWizard* wizard)
        : m_wizard(wizard) {}
    bool isComplete() const override {
        if (m_wizard->m_working)
            return false;
        if (m_wizard->m_passphraseOption->isChecked())
            return m_wizard->m_passphrase->isAcceptable();
        return m_wizard->m_keychain->isChecked() && m_wizard->m_keychain->isEnabled();
    }
    bool validatePage() override { return m_wizard->m_created || m_wizard->startCreate(); }
    void refresh() { emit completeChanged(); }

private:
    FirstRunWizard* m_wizard;
};

class RecoveryPageImpl : public QWizardPage {
public:
    explicit RecoveryPageImpl(RecoveryCodePanel** panel)
        : m_panel(panel) {}
    bool isComplete() const override { return *m_panel && (*m_panel)->isConfirmed(); }
    void refresh() { emit completeChanged(); }

private:
    RecoveryCodePanel** m_panel;
};

class DataPageImpl : public QWizardPage {
public:
    explicit DataPageImpl(FirstRunWizard* wizard)
        : m_wizard(wizard) {}
    bool isComplete() const override { return !m_wizard->m_working; }
    bool validatePage() override { return m_wizard->m_dataDone || m_wizard->startData(); }
    void refresh() { emit completeChanged(); }

private:
    FirstRunWizard* m_wizard;
};

FirstRunWizard::FirstRunWizard(AppController* controller, QWidget* parent)
    : QWizard(parent)
    , m_controller(controller) {
    setWindowTitle(tr("Welcome to LlamaDesk"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    setPixmap(QWizard::LogoPixmap, Icons::pixmap(QStringLiteral("app"), 48, devicePixelRatioF()));
    setPage(WelcomePage, makeWelcome());
    setPage(ProtectionPage, makeProtection());
    setPage(RecoveryPage, makeRecovery());
    setPage(SyncPage, makeSync());
    setPage(DataPage, makeData());
    setStartId(WelcomePage);
    resize(680, 560);

    connect(controller, &AppController::keychainChecked, this,
            [this](bool available, const QString& message) {
                m_keychain->setEnabled(available);
                if (available) {
                    m_keychainNote->setText(
                        tr("Your system keychain works here. LlamaDesk unlocks when you log in."));
                } else {
                    m_keychainNote->setText(
                        tr("The system keychain is not available on this computer (%1). Use a "
                           "passphrase.")
                            .arg(message.isEmpty() ? tr("no answer") : message.toHtmlEscaped()));
                    m_passphraseOption->setChecked(true);
                }
                static_cast<ProtectionPageImpl*>(page(ProtectionPage))->refresh();
            });
    connect(controller, &AppController::created, this, [this](const QString& code) {
        m_created = true;
        setWorking(false, QString());
        m_recovery->setCode(code);
        m_passphrase->clear();
        next();
    });
    connect(controller, &AppController::createFailed, this, [this](const QString& message) {
        setWorking(false, QString());
        m_protectionStatus->setText(
            tr("The vault could not be created: %1").arg(message.toHtmlEscaped()));
    });
    controller->checkKeychain();
}

FirstRunWizard::~FirstRunWizard() {
    if (m_cancel)
        m_cancel->store(true);
}

QRadioButton* FirstRunWizard::dataOption(DataChoice choice) const {
    return qobject_cast<QRadioButton*>(m_dataGroup->button(int(choice)));
}

QWizardPage* FirstRunWizard::makeWelcome() {
    auto* page = new QWizardPage(this);
    page->setTitle(tr("Welcome to LlamaDesk"));
    page->setSubTitle(tr("Your portfolio, PnL and taxes, on your own computer."));
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(paragraph(
        tr("LlamaDesk keeps your transactions in an <b>encrypted vault</b> on this computer. "
           "Nothing leaves it unless you turn on sync."),
        page));
    layout->addSpacing(6);
    layout->addWidget(paragraph(tr("In the next steps you will:<ul>"
                                   "<li>choose how the vault is unlocked,</li>"
                                   "<li>save a recovery code, in case you forget your "
                                   "passphrase,</li>"
                                   "<li>start empty, import a file, or explore sample data.</li>"
                                   "</ul>"),
                                page));
    layout->addStretch();
    return page;
}

QWizardPage* FirstRunWizard::makeProtection() {
    auto* page = new ProtectionPageImpl(this);
    page->setTitle(tr("Protect your vault"));
    page->setSubTitle(tr("Choose how LlamaDesk unlocks your encrypted data."));
    page->setCommitPage(true);
    page->setButtonText(QWizard::CommitButton, tr("Create vault"));
    auto* layout = new QVBoxLayout(page);
    m_keychain = new QRadioButton(tr("Use the system &keychain"), page);
    m_keychain->setObjectName(QStringLiteral("keychainOption"));
    m_keychain->setEnabled(false);
    layout->addWidget(m_keychain);
    m_keychainNote = note(tr("Checking the system keychain…"), page);
    layout->addWidget(m_keychainNote);
    layout->addSpacing(10);
    m_passphraseOption = new QRadioButton(tr("Use a &passphrase"), page);
    m_passphraseOption->setObjectName(QStringLiteral("passphraseOption"));
    m_passphraseOption->setChecked(true);
    layout->addWidget(m_passphraseOption);
    layout->addWidget(note(tr("You type it when LlamaDesk starts. Nobody, not even us, can "
                              "recover your data without it or the recovery code."),
                           page));
    m_passphrase = new PassphraseForm(page);
    m_passphrase->setContentsMargins(26, 4, 0, 0);
    layout->addWidget(m_passphrase);
    layout->addStretch();
    m_protectionBusy = new QProgressBar(page);
    m_protectionBusy->setRange(0, 0);
    m_protectionBusy->setTextVisible(false);
    m_protectionBusy->setFixedHeight(4);
    m_protectionBusy->hide();
    layout->addWidget(m_protectionBusy);
    m_protectionStatus = paragraph(QString(), page);
    m_protectionStatus->setObjectName(QStringLiteral("protectionStatus"));
    layout->addWidget(m_protectionStatus);

    auto update = [this, page] {
        m_passphrase->setEnabled(m_passphraseOption->isChecked());
        page->refresh();
    };
    connect(m_keychain, &QRadioButton::toggled, page, update);
    connect(m_passphraseOption, &QRadioButton::toggled, page, update);
    connect(m_passphrase, &PassphraseForm::changed, page, [page] { page->refresh(); });
    return page;
}

QWizardPage* FirstRunWizard::makeRecovery() {
    auto* page = new RecoveryPageImpl(&m_recovery);
    page->setTitle(tr("Save your recovery code"));
    page->setSubTitle(tr("It is shown only this once."));
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(paragraph(
        tr("If you forget your passphrase or lose your keychain, this code is the <b>only</b> "
           "way back into your vault. Write it down, print it or save it somewhere safe and "
           "offline."),
        page));
    layout->addSpacing(8);
    m_recovery = new RecoveryCodePanel(page);
    layout->addWidget(m_recovery);
    layout->addStretch();
    connect(m_recovery, &RecoveryCodePanel::confirmedChanged, page, [page] { page->refresh(); });
    return page;
}

QWizardPage* FirstRunWizard::makeSync() {
    auto* page = new QWizardPage(this);
    page->setTitle(tr("Sync (coming later)"));
    page->setSubTitle(tr("Optional. You can skip this step."));
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(
        paragraph(tr("Syncing your vault between computers through your DeFiLlama Premium "
                     "account is not available in this version yet. When it is, you can sign "
                     "in from <b>Settings</b>."),
                  page));
    layout->addWidget(paragraph(
        tr("Everything else works fully offline: your data stays on this computer."), page));
    layout->addStretch();
    return page;
}

QWizardPage* FirstRunWizard::makeData() {
    auto* page = new DataPageImpl(this);
    page->setTitle(tr("How do you want to start?"));
    page->setSubTitle(tr("You can import or add transactions at any time."));
    auto* layout = new QVBoxLayout(page);
    m_dataGroup = new QButtonGroup(page);
    auto* empty = new QRadioButton(tr("Start with an &empty vault"), page);
    auto* csv = new QRadioButton(tr("&Import transactions from a CSV file"), page);
    auto* sample = new QRadioButton(tr("E&xplore with sample data"), page);
    empty->setChecked(true);
    m_dataGroup->addButton(empty, int(DataChoice::Empty));
    m_dataGroup->addButton(csv, int(DataChoice::ImportCsv));
    m_dataGroup->addButton(sample, int(DataChoice::Sample));
    layout->addWidget(empty);
    layout->addWidget(note(tr("Add transactions by hand or import them later."), page));
    layout->addSpacing(6);
    layout->addWidget(csv);
    layout->addWidget(
        note(tr("Exports from LlamaDesk, Koinly or CoinTracker. The import assistant opens "
                "next: you see every row checked before anything is written."),
             page));
    layout->addSpacing(6);
    layout->addWidget(sample);
    layout->addWidget(note(tr("A few years of realistic made-up trades, transfers and staking "
                              "income across several wallets. Delete them whenever you like."),
                           page));
    layout->addStretch();
    m_dataProgress = new QProgressBar(page);
    m_dataProgress->hide();
    layout->addWidget(m_dataProgress);
    m_dataStatus = paragraph(QString(), page);
    layout->addWidget(m_dataStatus);
    return page;
}

void FirstRunWizard::setWorking(bool working, const QString& what) {
    m_working = working;
    m_protectionBusy->setVisible(working && currentId() == ProtectionPage);
    if (currentId() == ProtectionPage)
        m_protectionStatus->setText(what);
    static_cast<ProtectionPageImpl*>(page(ProtectionPage))->refresh();
    static_cast<DataPageImpl*>(page(DataPage))->refresh();
    button(QWizard::CancelButton)->setEnabled(!working);
}

bool FirstRunWizard::startCreate() {
    if (m_working)
        return false;
    const bool keychain = m_keychain->isChecked();
    setWorking(true, tr("Creating your encrypted vault…"));
    m_controller->create(keychain, keychain ? QString() : m_passphrase->passphrase());
    return false; // created() moves on
}

bool FirstRunWizard::startData() {
    if (m_working)
        return false;
    const auto choice = DataChoice(m_dataGroup->checkedId());
    QSettings settings;
    settings.setValue(dataChoiceSettingsKey(),
                      choice == DataChoice::Sample      ? QStringLiteral("sample")
                      : choice == DataChoice::ImportCsv ? QStringLiteral("import")
                                                        : QStringLiteral("empty"));
    if (choice != DataChoice::Sample) {
        m_dataDone = true;
        return true;
    }
    const std::shared_ptr<const vault::Vault> vault = m_controller->vault();
    if (!vault) {
        m_dataStatus->setText(tr("The vault is locked; sample data cannot be added."));
        return false;
    }
    setWorking(true, QString());
    for (QAbstractButton* b : m_dataGroup->buttons())
        b->setEnabled(false);
    m_dataProgress->setRange(0, int(m_sampleRows));
    m_dataProgress->setValue(0);
    m_dataProgress->show();
    m_dataStatus->setText(tr("Writing sample transactions…"));
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const std::shared_ptr<std::atomic<bool>> cancel = m_cancel;
    const qint64 rows = m_sampleRows;
    // The worker only counts; a timer here shows the count (widgets stay on this thread).
    auto written = std::make_shared<std::atomic<qint64>>(0);
    auto* poll = new QTimer(this);
    connect(poll, &QTimer::timeout, this,
            [this, written] { m_dataProgress->setValue(int(written->load())); });
    poll->start(100);
    auto* watcher = new QFutureWatcher<QPair<qint64, QString>>(this);
    connect(watcher, &QFutureWatcher<QPair<qint64, QString>>::finished, this,
            [this, watcher, poll] {
                watcher->deleteLater();
                poll->deleteLater();
                const QPair<qint64, QString> result = watcher->result();
                m_dataProgress->setValue(int(result.first));
                setWorking(false, QString());
                if (!result.second.isEmpty()) {
                    m_dataStatus->setText(result.second.toHtmlEscaped());
                    for (QAbstractButton* b : m_dataGroup->buttons())
                        b->setEnabled(true);
                    return;
                }
                m_sampleWritten = result.first;
                m_dataDone = true;
                m_dataStatus->setText(
                    tr("%n sample transaction(s) added.", nullptr, int(result.first)));
                next();
                if (currentId() == DataPage)
                    accept();
            });
    watcher->setFuture(app::runInBackground([vault, rows, cancel, written] {
        app::WorkerConnection connection(*vault);
        if (!connection.isOpen())
            return qMakePair(qint64(0), connection.error());
        app::SampleDataOptions options;
        options.transactions = rows;
        const Result<qint64> outcome = app::SampleData::generate(
            connection.database(), options, [cancel, written](qint64 done, qint64) {
                written->store(done);
                return !cancel->load();
            });
        if (!outcome)
            return qMakePair(qint64(0), outcome.error());
        return qMakePair(outcome.value(), QString());
    }));
    return false;
}
void FirstRunWizard::done(int result) {
    if (m_working)
        return; // the vault is being written: closing now would leave it half made
    m_recovery->clear();
    m_passphrase->clear();
    QWizard::done(result);
}

} // namespace llamadesk::ui
