#include "AppController.h"

#include "app/LocalDataEraser.h"
#include "app/MainThreadSecretStore.h"
#include "app/WorkerPool.h"

#include <QCoreApplication>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QSettings>
#include <QtConcurrent>

namespace llamadesk::ui {

struct AppController::Outcome {
    std::shared_ptr<vault::Vault> vault;
    vault::VaultInfo info;
    vault::VaultError error = vault::VaultError::None;
    QString message;
    QString recoveryCode;
};

namespace {

// Detaches the vault from the worker thread that opened it: the info that needs its main
// connection is read there, then that connection closes (connections belong to one thread).
void detachFromWorker(vault::Vault& vault, vault::VaultInfo* info) {
    *info = vault.info();
    const QString name = vault.database().connectionName();
    vault::Vault::closeConnection(name);
}

} // namespace

AppController::AppController(vault::SecretStore& secrets, QObject* parent)
    : QObject(parent)
    , m_secrets(secrets)
    , m_forwarding(std::make_shared<app::MainThreadSecretStore>(secrets))
    , m_path(vault::Vault::defaultPath())
    , m_uiConnection(QStringLiteral("llamadesk-ui")) {
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Unlocked) {
            lock();
            emit lockedByIdle();
        }
    });
    m_autoLockMinutes = QSettings().value(autoLockSettingsKey(), kDefaultAutoLockMinutes).toInt();
    if (QCoreApplication* app = QCoreApplication::instance())
        app->installEventFilter(this);
}

AppController::~AppController() {
    if (m_state == State::Unlocked)
        lock();
}

void AppController::setVaultPath(const QString& path) {
    m_path = QFileInfo(path).absoluteFilePath();
}

QSqlDatabase AppController::database() const {
    if (!m_vault)
        return QSqlDatabase();
    return QSqlDatabase::database(m_uiConnection, false);
}

qint64 AppController::retryWaitMs() const {
    if (m_failures == 0 || !m_sinceFailure.isValid())
        return 0;
    // 1, 2, 4, 8 ... times the base, capped at 30 s: guessing gets slow, typos stay cheap.
    const qint64 delay =
        std::min<qint64>(30000, qint64(m_retryBaseMs) << std::min(m_failures - 1, 10));
    return std::max<qint64>(0, delay - m_sinceFailure.elapsed());
}

void AppController::setAutoLockMilliseconds(int milliseconds) {
    m_autoLockMs = std::max(0, milliseconds);
    restartIdleTimer();
}

void AppController::setAutoLockMinutes(int minutes) {
    m_autoLockMinutes = std::max(0, minutes);
    m_autoLockMs = m_autoLockMinutes * 60 * 1000;
    QSettings().setValue(autoLockSettingsKey(), m_autoLockMinutes);
    restartIdleTimer();
}

void AppController::restartIdleTimer() {
    if (m_state == State::Unlocked && m_autoLockMs > 0)
        m_idleTimer.start(m_autoLockMs);
    else
        m_idleTimer.stop();
}

bool AppController::eventFilter(QObject* watched, QEvent* event) {
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
        // Called for every event of the app: only restart when the timer is armed.
        if (m_idleTimer.isActive() && m_idleTimer.remainingTime() < m_autoLockMs - 200)
            restartIdleTimer();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

void AppController::setState(State state) {
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void AppController::start() {
    if (!QFileInfo::exists(m_path)) {
        setState(State::FirstRun);
        return;
    }
    setState(State::Locked);
    runOpen(vault::UnlockRequest::keychain(), tr("system keychain"), true);
}

void AppController::unlockWithPassphrase(const QString& passphrase) {
    runOpen(vault::UnlockRequest::passphrase(passphrase), tr("passphrase"), false);
}

void AppController::unlockWithRecoveryCode(const QString& code) {
    runOpen(vault::UnlockRequest::recoveryCode(code), tr("recovery code"), false);
}

void AppController::runOpen(const vault::UnlockRequest& request, const QString& method,
                            bool quietFailure) {
    if (m_state == State::Busy || m_state == State::Unlocked)
        return;
    if (const qint64 wait = retryWaitMs(); wait > 0 && !quietFailure) {
        const QString text =
            tr("Please wait %n second(s) before trying again.", nullptr, int((wait + 999) / 1000));
        // None: not a verdict on the secret, only the wait.
        emit unlockFailed(vault::VaultError::None, text);
        return;
    }
    setState(State::Busy);
    emit busyChanged(true, tr("Unlocking…"));
    const QString path = m_path;
    const std::shared_ptr<vault::SecretStore> secrets = m_forwarding;
    auto* watcher = new QFutureWatcher<std::shared_ptr<Outcome>>(this);
    connect(watcher, &QFutureWatcher<std::shared_ptr<Outcome>>::finished, this,
            [this, watcher, method, quietFailure] {
                watcher->deleteLater();
                finishOpen(watcher->result(), method, quietFailure);
            });
    watcher->setFuture(app::runInBackground([path, request, secrets] {
        auto outcome = std::make_shared<Outcome>();
        std::unique_ptr<vault::Vault> opened =
            vault::Vault::open(path, request, *secrets, &outcome->error, &outcome->message);
        if (opened) {
            detachFromWorker(*opened, &outcome->info);
            outcome->vault = std::move(opened);
        }
        return outcome;
    }));
}

void AppController::finishOpen(const std::shared_ptr<Outcome>& outcome, const QString& method,
                               bool quietFailure) {
    emit busyChanged(false, QString());
    if (outcome->vault) {
        QString message;
        QSqlDatabase db = outcome->vault->openConnection(m_uiConnection, &message);
        if (!db.isOpen()) {
            outcome->vault->close();
            outcome->vault.reset();
            outcome->error = vault::VaultError::DatabaseDamaged;
            outcome->message = message;
        }
    }
    if (!outcome->vault) {
        m_lastErrorCode = outcome->error;
        m_lastError =
            outcome->message.isEmpty() ? vault::describe(outcome->error) : outcome->message;
        setState(State::Locked);
        const bool wrongSecret = outcome->error == vault::VaultError::WrongPassphrase ||
                                 outcome->error == vault::VaultError::WrongRecoveryCode;
        if (wrongSecret) {
            ++m_failures;
            m_sinceFailure.start();
        }
        // A vault without the keychain method simply asks for its passphrase: not an error.
        const bool expected =
            quietFailure && (outcome->error == vault::VaultError::MethodNotConfigured);
        if (!expected)
            emit unlockFailed(outcome->error, m_lastError);
        return;
    }
    m_failures = 0;
    m_vault = outcome->vault;
    m_info = outcome->info;
    m_method = method;
    m_lastError.clear();
    m_lastErrorCode = vault::VaultError::None;
    setState(State::Unlocked);
    restartIdleTimer();
    emit unlocked();
}

void AppController::create(bool useKeychain, const QString& passphrase) {
    if (m_state == State::Busy || m_state == State::Unlocked)
        return;
    setState(State::Busy);
    emit busyChanged(true, tr("Creating your encrypted vault…"));
    vault::CreateOptions options;
    options.useKeychain = useKeychain;
    options.passphrase = passphrase;
    options.kdf = m_kdf;
    const QString path = m_path;
    const std::shared_ptr<vault::SecretStore> secrets = m_forwarding;
    auto* watcher = new QFutureWatcher<std::shared_ptr<Outcome>>(this);
    const QString method = passphrase.isEmpty() ? tr("system keychain") : tr("passphrase");
    connect(watcher, &QFutureWatcher<std::shared_ptr<Outcome>>::finished, this,
            [this, watcher, method] {
                watcher->deleteLater();
                const std::shared_ptr<Outcome> outcome = watcher->result();
                if (!outcome->vault) {
                    emit busyChanged(false, QString());
                    m_lastError = outcome->message.isEmpty() ? vault::describe(outcome->error)
                                                             : outcome->message;
                    setState(State::FirstRun);
                    emit createFailed(m_lastError);
                    return;
                }
                const QString code = outcome->recoveryCode;
                outcome->recoveryCode.clear();
                finishOpen(outcome, method, false);
                if (m_state == State::Unlocked)
                    emit created(code);
                else
                    emit createFailed(m_lastError);
            });
    watcher->setFuture(app::runInBackground([path, options, secrets] {
        auto outcome = std::make_shared<Outcome>();
        QDir().mkpath(QFileInfo(path).absolutePath());
        vault::RecoveryCode recovery;
        std::unique_ptr<vault::Vault> made = vault::Vault::create(
            path, options, *secrets, &recovery, &outcome->error, &outcome->message);
        if (made) {
            outcome->recoveryCode = recovery.toString();
            detachFromWorker(*made, &outcome->info);
            outcome->vault = std::move(made);
        }
        return outcome;
    }));
}

void AppController::checkKeychain() {
    QTimer::singleShot(0, this, [this] {
        QString message;
        const bool works = m_secrets.probe(&message) == vault::SecretStore::Error::None;
        emit keychainChecked(works, message);
    });
}

void AppController::lock() {
    if (m_state != State::Unlocked)
        return;
    emit aboutToLock();
    m_idleTimer.stop();
    vault::Vault::closeConnection(m_uiConnection);
    m_vault->close();
    // Workers that still hold the vault keep it alive until they end; its key is wiped now.
    m_vault.reset();
    m_info = vault::VaultInfo();
    m_method.clear();
    setState(State::Locked);
}

void AppController::runSecurityAction(const QString& what,
                                      std::function<QString(vault::Vault&, QString* code)> work,
                                      std::function<void()> onSuccess) {
    if (m_state != State::Unlocked || !m_vault || m_securityBusy) {
        emit securityActionFinished(false, tr("%1: the vault is locked or busy.").arg(what));
        return;
    }
    m_securityBusy = true;
    emit busyChanged(true, what);
    struct Done {
        QString error;
        QString code;
    };
    const std::shared_ptr<vault::Vault> target = m_vault;
    auto* watcher = new QFutureWatcher<std::shared_ptr<Done>>(this);
    connect(watcher, &QFutureWatcher<std::shared_ptr<Done>>::finished, this,
            [this, watcher, what, onSuccess] {
                watcher->deleteLater();
                m_securityBusy = false;
                emit busyChanged(false, QString());
                const std::shared_ptr<Done> done = watcher->result();
                if (!done->error.isEmpty()) {
                    emit securityActionFinished(false, tr("%1: %2").arg(what, done->error));
                    return;
                }
                if (onSuccess)
                    onSuccess();
                if (!done->code.isEmpty()) {
                    const QString code = done->code;
                    done->code.clear();
                    emit recoveryCodeRegenerated(code);
                }
                emit securityActionFinished(true, QString());
            });
    watcher->setFuture(app::runInBackground([target, work] {
        auto done = std::make_shared<Done>();
        done->error = work(*target, &done->code);
        return done;
    }));
}

void AppController::changePassphrase(const QString& current, const QString& newPassphrase) {
    const vault::KdfParams kdf = m_kdf;
    const bool hadPassphrase = m_info.hasPassphrase;
    runSecurityAction(
        tr("Changing the passphrase"),
        [current, newPassphrase, kdf, hadPassphrase](vault::Vault& v, QString*) {
            const Status s = hadPassphrase ? v.changePassphrase(current, newPassphrase, kdf)
                                           : v.setPassphrase(newPassphrase, kdf);
            return s ? QString() : s.error();
        },
        [this] { m_info.hasPassphrase = true; });
}

void AppController::setKeychainEnabled(bool enabled) {
    // The keychain answers on the main thread: the worker goes through the forwarding store.
    const std::shared_ptr<vault::SecretStore> secrets = m_forwarding;
    runSecurityAction(
        enabled ? tr("Turning the system keychain on") : tr("Turning the system keychain off"),
        [secrets, enabled](vault::Vault& v, QString*) {
            const Status s = enabled ? v.enableKeychain(*secrets) : v.disableKeychain(*secrets);
            return s ? QString() : s.error();
        },
        [this, enabled] { m_info.hasKeychain = enabled; });
}

void AppController::regenerateRecoveryCode() {
    const vault::KdfParams kdf = m_kdf;
    runSecurityAction(
        tr("Making a new recovery code"),
        [kdf](vault::Vault& v, QString* code) {
            const Result<vault::RecoveryCode> made = v.regenerateRecoveryCode(kdf);
            if (!made)
                return made.error();
            *code = made.value().toString();
            return QString();
        },
        [this] { m_info.hasRecoveryCode = true; });
}

void AppController::deleteVault() {
    if (m_securityBusy || m_state == State::Busy) {
        emit vaultDeleted(false, tr("The vault is busy; try again in a moment."));
        return;
    }
    const QString path = m_path;
    lock();
    // Runs here: the keychain answers on the main thread, and the files are few.
    const Status erased = app::LocalDataEraser::erase(path, m_secrets);
    m_failures = 0;
    setState(QFileInfo::exists(path) ? State::Locked : State::FirstRun);
    emit vaultDeleted(erased.ok(), erased ? QString() : erased.error());
}

} // namespace llamadesk::ui
