#include "RecoveryResetDialog.h"

#include "app/AppController.h"
#include "app/WorkerPool.h"
#include "onboarding/RecoveryCodePanel.h"
#include "widgets/PassphraseForm.h"

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace llamadesk::ui {

RecoveryResetDialog::RecoveryResetDialog(AppController* controller, QWidget* parent)
    : QDialog(parent)
    , m_controller(controller) {
    setWindowTitle(tr("Choose a new passphrase"));
    auto* layout = new QVBoxLayout(this);
    m_pages = new QStackedWidget(this);

    auto* first = new QWidget(m_pages);
    auto* f = new QVBoxLayout(first);
    auto* intro = new QLabel(tr("You unlocked with your recovery code. Choose a new passphrase; "
                                "you will then get a new recovery code, as the old one has been "
                                "used."),
                             first);
    intro->setWordWrap(true);
    f->addWidget(intro);
    m_form = new PassphraseForm(first);
    f->addWidget(m_form);
    f->addStretch();
    m_pages->addWidget(first);

    auto* second = new QWidget(m_pages);
    auto* s = new QVBoxLayout(second);
    auto* saved = new QLabel(tr("Your new passphrase is set. Save your <b>new</b> recovery code; "
                                "it is shown only this once."),
                             second);
    saved->setWordWrap(true);
    s->addWidget(saved);
    m_panel = new RecoveryCodePanel(second);
    s->addWidget(m_panel);
    s->addStretch();
    m_pages->addWidget(second);
    layout->addWidget(m_pages);

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    m_next = new QPushButton(tr("Set passphrase"), this);
    m_next->setDefault(true);
    buttons->addWidget(m_next);
    layout->addLayout(buttons);

    auto update = [this] {
        if (m_pages->currentIndex() == 0)
            m_next->setEnabled(!m_working && m_form->isAcceptable());
        else
            m_next->setEnabled(m_panel->isConfirmed());
    };
    connect(m_form, &PassphraseForm::changed, this, update);
    connect(m_panel, &RecoveryCodePanel::confirmedChanged, this, update);
    connect(m_next, &QPushButton::clicked, this, [this] {
        if (m_pages->currentIndex() == 0)
            apply();
        else
            accept();
    });
    update();
    resize(560, 420);
}

void RecoveryResetDialog::apply() {
    vault::Vault* target = m_controller->mutableVault();
    if (target == nullptr || m_working || !m_form->isAcceptable())
        return;
    m_working = true;
    m_next->setEnabled(false);
    m_status->setText(tr("Saving…"));
    // Keep the vault alive while the worker uses it, even if the app locks meanwhile.
    const std::shared_ptr<const vault::Vault> keep = m_controller->vault();
    const QString passphrase = m_form->passphrase();
    const vault::KdfParams kdf = m_controller->kdf();
    using Outcome = QPair<QString, QString>; // error, new code
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher] {
        watcher->deleteLater();
        m_working = false;
        const Outcome outcome = watcher->result();
        if (!outcome.first.isEmpty()) {
            m_status->setText(outcome.first);
            m_next->setEnabled(m_form->isAcceptable());
            return;
        }
        m_status->clear();
        m_form->clear();
        m_panel->setCode(outcome.second);
        m_pages->setCurrentIndex(1);
        m_next->setText(tr("Done"));
        m_next->setEnabled(false);
    });
    watcher->setFuture(app::runInBackground([target, keep, passphrase, kdf] {
        Q_UNUSED(keep);
        if (const Status set = target->setPassphrase(passphrase, kdf); !set)
            return Outcome(set.error(), QString());
        Result<vault::RecoveryCode> code = target->regenerateRecoveryCode(kdf);
        if (!code)
            return Outcome(code.error(), QString());
        return Outcome(QString(), code.value().toString());
    }));
}

void RecoveryResetDialog::reject() {
    // The old recovery code still works until a new one is made; leaving early is allowed only
    // before that, and never while the key file is being written.
    if (m_working || (m_pages->currentIndex() == 1 && !m_panel->isConfirmed()))
        return;
    QDialog::reject();
}

} // namespace llamadesk::ui
