#include "UnlockScreen.h"

#include "app/AppController.h"
#include "app/Icons.h"
#include "app/Theme.h"
#include "vault/SecureBytes.h"

#include <QFileInfo>
#include <QFrame>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace llamadesk::ui {

UnlockScreen::UnlockScreen(AppController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller) {
    auto* outer = new QVBoxLayout(this);
    outer->addStretch(2);
    auto* card = new QFrame(this);
    card->setObjectName(QStringLiteral("unlockCard"));
    card->setFrameShape(QFrame::StyledPanel);
    card->setFixedWidth(440);
    auto* layout = new QVBoxLayout(card);
    layout->setContentsMargins(32, 28, 32, 28);
    layout->setSpacing(10);

    auto* icon = new QLabel(card);
    icon->setPixmap(
        Icons::pixmap(QStringLiteral("lock"), 48, devicePixelRatioF(), Theme::accent()));
    icon->setAlignment(Qt::AlignCenter);
    layout->addWidget(icon);
    auto* title = new QLabel(tr("LlamaDesk is locked"), card);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    title->setFont(big);
    title->setAlignment(Qt::AlignCenter);
    layout->addWidget(title);
    m_vaultName = new QLabel(card);
    m_vaultName->setAlignment(Qt::AlignCenter);
    m_vaultName->setWordWrap(true);
    QPalette muted = m_vaultName->palette();
    muted.setColor(QPalette::WindowText, Theme::mutedText());
    m_vaultName->setPalette(muted);
    layout->addWidget(m_vaultName);
    layout->addSpacing(8);

    m_fields = new QStackedWidget(card);
    m_passphrase = new QLineEdit(card);
    m_passphrase->setObjectName(QStringLiteral("unlockPassphrase"));
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setPlaceholderText(tr("Passphrase"));
    m_passphrase->installEventFilter(this);
    m_recovery = new QLineEdit(card);
    m_recovery->setObjectName(QStringLiteral("unlockRecoveryCode"));
    m_recovery->setPlaceholderText(tr("Recovery code, e.g. XXXXX-XXXXX-XXXXX-…"));
    m_fields->addWidget(m_passphrase);
    m_fields->addWidget(m_recovery);
    m_fields->setFixedHeight(m_passphrase->sizeHint().height());
    layout->addWidget(m_fields);

    m_capsLock = new QLabel(tr("Caps Lock seems to be on."), card);
    QPalette warn = m_capsLock->palette();
    warn.setColor(QPalette::WindowText, Theme::warning());
    m_capsLock->setPalette(warn);
    m_capsLock->hide();
    layout->addWidget(m_capsLock);

    m_error = new QLabel(card);
    m_error->setObjectName(QStringLiteral("unlockError"));
    m_error->setWordWrap(true);
    QPalette bad = m_error->palette();
    bad.setColor(QPalette::WindowText, Theme::negative());
    m_error->setPalette(bad);
    m_error->hide();
    layout->addWidget(m_error);

    m_busy = new QProgressBar(card);
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setFixedHeight(4);
    m_busy->hide();
    layout->addWidget(m_busy);

    m_unlock = new QPushButton(tr("&Unlock"), card);
    m_unlock->setObjectName(QStringLiteral("unlockButton"));
    m_unlock->setDefault(true);
    layout->addWidget(m_unlock);
    m_switchMode = new QPushButton(tr("Forgot your passphrase? Use the recovery code"), card);
    m_switchMode->setFlat(true);
    m_switchMode->setCursor(Qt::PointingHandCursor);
    QPalette link = m_switchMode->palette();
    link.setColor(QPalette::ButtonText, Theme::accent());
    m_switchMode->setPalette(link);
    layout->addWidget(m_switchMode);

    auto* row = new QHBoxLayout;
    row->addStretch();
    row->addWidget(card);
    row->addStretch();
    outer->addLayout(row);
    outer->addStretch(3);

    connect(m_unlock, &QPushButton::clicked, this, &UnlockScreen::submit);
    connect(m_passphrase, &QLineEdit::returnPressed, this, &UnlockScreen::submit);
    connect(m_recovery, &QLineEdit::returnPressed, this, &UnlockScreen::submit);
    connect(m_switchMode, &QPushButton::clicked, this,
            [this] { setRecoveryMode(!isRecoveryMode()); });
    m_retryTimer.setInterval(250);
    connect(&m_retryTimer, &QTimer::timeout, this, &UnlockScreen::updateRetry);

    connect(controller, &AppController::busyChanged, this, &UnlockScreen::setBusy);
    connect(controller, &AppController::unlockFailed, this,
            [this](vault::VaultError error, const QString& message) {
                m_pendingRecovery = false;
                showError(messageFor(error, message));
                if (error == vault::VaultError::WrongPassphrase)
                    m_passphrase->selectAll();
                updateRetry();
                m_retryTimer.start();
            });
    connect(controller, &AppController::unlocked, this, [this] {
        const bool recovered = m_pendingRecovery;
        reset();
        if (recovered)
            emit recoveredWithCode();
    });
    reset();
}

QString UnlockScreen::messageFor(vault::VaultError error, const QString& detail) {
    switch (error) {
    case vault::VaultError::WrongPassphrase:
        return tr("That passphrase is not right. Check Caps Lock and try again.");
    case vault::VaultError::WrongRecoveryCode:
        return tr("That recovery code does not unlock this vault. %1").arg(detail);
    case vault::VaultError::KeychainUnavailable:
        return tr("The system keychain is not available right now (it may be locked or not "
                  "running), so LlamaDesk cannot unlock by itself. Enter your passphrase.");
    case vault::VaultError::KeychainEntryMissing:
        return tr("The system keychain has no key for this vault. Enter your passphrase or your "
                  "recovery code.");
    case vault::VaultError::MethodNotConfigured:
        return tr("This vault has no passphrase. Unlock it with the system keychain or your "
                  "recovery code.");
    case vault::VaultError::NotAVault:
        return tr("This file is not a LlamaDesk vault, or its key file (ending in .keys) is "
                  "missing or belongs to another vault. Nothing was changed.");
    case vault::VaultError::DatabaseDamaged:
        return tr("Your passphrase is right, but the vault file is damaged and cannot be read. "
                  "Restore it from a backup. Nothing was changed.");
    case vault::VaultError::NewerVersion:
        return tr("This vault was saved by a newer version of LlamaDesk. Update LlamaDesk to open "
                  "it; the file was not changed.");
    case vault::VaultError::NotFound:
        return tr("There is no vault at this location any more. %1").arg(detail);
    case vault::VaultError::Io:
        return tr("The vault's files could not be read: %1").arg(detail);
    case vault::VaultError::None:
    case vault::VaultError::AlreadyExists:
    case vault::VaultError::Other:
        break;
    }
    return detail.isEmpty() ? vault::describe(error) : detail;
}

bool UnlockScreen::isRecoveryMode() const {
    return m_fields->currentWidget() == m_recovery;
}

void UnlockScreen::setRecoveryMode(bool recovery) {
    m_fields->setCurrentWidget(recovery ? m_recovery : m_passphrase);
    m_switchMode->setText(recovery ? tr("Use the passphrase instead")
                                   : tr("Forgot your passphrase? Use the recovery code"));
    m_capsLock->hide();
    (recovery ? m_recovery : m_passphrase)->setFocus();
}

void UnlockScreen::showError(const QString& text) {
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void UnlockScreen::reset() {
    m_passphrase->clear();
    m_recovery->clear();
    showError(m_controller->state() == AppController::State::Locked &&
                      m_controller->lastErrorCode() == vault::VaultError::KeychainUnavailable
                  ? messageFor(vault::VaultError::KeychainUnavailable, QString())
                  : QString());
    m_vaultName->setText(QFileInfo(m_controller->vaultPath()).fileName());
    m_vaultName->setToolTip(m_controller->vaultPath());
    setRecoveryMode(false);
    setBusy(false, QString());
}

void UnlockScreen::submit() {
    if (m_controller->retryWaitMs() > 0 || m_controller->state() == AppController::State::Busy)
        return;
    if (isRecoveryMode()) {
        QString code = m_recovery->text();
        if (code.trimmed().isEmpty())
            return;
        m_pendingRecovery = true;
        m_controller->unlockWithRecoveryCode(code);
        vault::wipe(code);
    } else {
        QString passphrase = m_passphrase->text();
        if (passphrase.isEmpty())
            return;
        m_controller->unlockWithPassphrase(passphrase);
        vault::wipe(passphrase);
    }
}

void UnlockScreen::updateRetry() {
    const qint64 wait = m_controller->retryWaitMs();
    if (wait <= 0) {
        m_retryTimer.stop();
        m_unlock->setEnabled(m_controller->state() != AppController::State::Busy);
        m_unlock->setText(tr("&Unlock"));
        return;
    }
    m_unlock->setEnabled(false);
    m_unlock->setText(tr("Try again in %n second(s)", nullptr, int((wait + 999) / 1000)));
}

void UnlockScreen::setBusy(bool busy, const QString& what) {
    m_busy->setVisible(busy);
    m_unlock->setEnabled(!busy && m_controller->retryWaitMs() <= 0);
    m_passphrase->setEnabled(!busy);
    m_recovery->setEnabled(!busy);
    if (busy) {
        showError(QString());
        m_unlock->setText(what);
    } else if (m_controller->retryWaitMs() <= 0) {
        m_unlock->setText(tr("&Unlock"));
    }
}

bool UnlockScreen::eventFilter(QObject* watched, QEvent* event) {
    // Qt cannot ask the keyboard for Caps Lock; a letter whose case contradicts Shift tells.
    if (watched == m_passphrase && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        const QString text = key->text();
        if (text.size() == 1 && text.at(0).isLetter() &&
            text.at(0).toUpper() != text.at(0).toLower()) {
            const bool shift = key->modifiers().testFlag(Qt::ShiftModifier);
            m_capsLock->setVisible(text.at(0).isUpper() != shift);
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace llamadesk::ui
