#include "vault/KeychainSecretStore.h"

#include "Logging.h"

#include <QEventLoop>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>
#include <utility>

namespace llamadesk::vault {

namespace {

// QtKeychain runs one job at a time, process-wide. A job we stopped waiting for still occupies
// that slot; remembering it lets later calls fail fast instead of queueing behind it.
QPointer<QKeychain::Job>& abandonedJob() {
    static QPointer<QKeychain::Job> job;
    return job;
}

SecretStore::Error mapError(QKeychain::Error error) {
    switch (error) {
    case QKeychain::NoError:
        return SecretStore::Error::None;
    case QKeychain::EntryNotFound:
        return SecretStore::Error::NotFound;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    // With no D-Bus session or a keyring that does not exist QtKeychain only says OtherError;
    // either way the keychain cannot be used now.
    case QKeychain::OtherError:
        return SecretStore::Error::Unavailable;
    case QKeychain::CouldNotDeleteEntry:
        return SecretStore::Error::Other;
    }
    return SecretStore::Error::Other;
}

void setMessage(QString* message, const QString& text) {
    if (message != nullptr) {
        *message = text;
    }
}

// Why a call could not even start; empty when it can.
QString precondition() {
    const QCoreApplication* app = QCoreApplication::instance();
    if (app == nullptr) {
        return QCoreApplication::translate("KeychainSecretStore",
                                           "The keychain needs a running application object.");
    }
    if (QThread::currentThread() != app->thread()) {
        return QCoreApplication::translate("KeychainSecretStore",
                                           "The keychain can only be used from the main thread.");
    }
    if (!abandonedJob().isNull()) {
        return QCoreApplication::translate(
            "KeychainSecretStore",
            "The keychain service has not answered an earlier request and is not available.");
    }
    return {};
}

// Starts `job` and waits for it. True when it finished (its error() tells how); false on
// timeout, in which case the job has been handed over to clean up after itself.
template <typename JobType> bool runJob(std::unique_ptr<JobType>& job, int timeoutMs) {
    job->setAutoDelete(false);
    job->setInsecureFallback(false); // never fall back to a plain-text settings file

    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    timer.setTimerType(Qt::PreciseTimer);
    bool done = false;
    QObject::connect(job.get(), &QKeychain::Job::finished, &loop, [&done, &loop] {
        done = true;
        loop.quit();
    });
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);

    job->start(); // queued: cannot finish before the loop runs
    timer.start(timeoutMs);
    if (!done) {
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }
    if (done) {
        return true;
    }
    // The backend still holds a pointer to the job and will call it back later, so it must not
    // be deleted now. Let it delete itself when it finally ends.
    QObject::disconnect(job.get(), nullptr, &loop, nullptr);
    JobType* orphan = job.release();
    orphan->setAutoDelete(true);
    abandonedJob() = orphan;
    qCWarning(lcVault, "keychain job did not finish within %d ms", timeoutMs);
    return false;
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service)
    : m_service(std::move(service)) {}

KeychainSecretStore::~KeychainSecretStore() = default;

QString KeychainSecretStore::timeoutMessage() const {
    const int seconds = (m_timeoutMs + 999) / 1000;
    return tr("The system keychain did not answer within %n second(s).", nullptr, seconds);
}

QString KeychainSecretStore::probeAccount() {
    return QStringLiteral("llamadesk-keychain-probe");
}

SecretStore::ReadResult KeychainSecretStore::read(const QString& account) {
    ReadResult result;
    const QString blocked = precondition();
    if (!blocked.isEmpty()) {
        result.error = Error::Unavailable;
        result.message = blocked;
        return result;
    }

    auto job = std::make_unique<QKeychain::ReadPasswordJob>(m_service);
    job->setKey(account);
    if (!runJob(job, m_timeoutMs)) {
        result.error = Error::Unavailable;
        result.message = timeoutMessage();
        return result;
    }

    result.error = mapError(job->error());
    switch (result.error) {
    case Error::None: {
        QByteArray data = job->binaryData();
        job.reset(); // drop the job's reference so that `data` owns the buffer and can be wiped
        result.secret = SecureBytes::fromBytes(data);
        const bool copied = result.secret.size() == data.size();
        wipe(data);
        if (!copied) {
            result.error = Error::Other;
            result.message = tr("Out of secure memory while reading the system keychain.");
        }
        break;
    }
    case Error::NotFound:
        result.message =
            tr("The system keychain has no entry \"%1\" for \"%2\".").arg(account, m_service);
        break;
    case Error::Unavailable:
        result.message = tr("The system keychain is not available: %1").arg(job->errorString());
        break;
    case Error::Other:
        result.message = tr("Reading the system keychain failed: %1").arg(job->errorString());
        break;
    }
    return result;
}

SecretStore::Error KeychainSecretStore::write(const QString& account, const SecureBytes& secret,
                                              QString* message) {
    const QString blocked = precondition();
    if (!blocked.isEmpty()) {
        setMessage(message, blocked);
        return Error::Unavailable;
    }

    QByteArray data = secret.toByteArray();
    auto job = std::make_unique<QKeychain::WritePasswordJob>(m_service);
    job->setKey(account);
    job->setBinaryData(data);
    if (!runJob(job, m_timeoutMs)) {
        setMessage(message, timeoutMessage());
        return Error::Unavailable;
    }

    Error error = mapError(job->error());
    if (error == Error::NotFound) {
        error = Error::Unavailable; // "not found" on a write means the keyring itself is missing
    }
    if (error != Error::None) {
        setMessage(message,
                   tr("The system keychain could not store the entry: %1").arg(job->errorString()));
    }
    job.reset();
    wipe(data);
    return error;
}

SecretStore::Error KeychainSecretStore::remove(const QString& account, QString* message) {
    const QString blocked = precondition();
    if (!blocked.isEmpty()) {
        setMessage(message, blocked);
        return Error::Unavailable;
    }

    auto job = std::make_unique<QKeychain::DeletePasswordJob>(m_service);
    job->setKey(account);
    if (!runJob(job, m_timeoutMs)) {
        setMessage(message, timeoutMessage());
        return Error::Unavailable;
    }

    const Error error = mapError(job->error());
    if (error == Error::NotFound) {
        return Error::None; // already gone
    }
    if (error != Error::None) {
        setMessage(
            message,
            tr("The system keychain could not delete the entry: %1").arg(job->errorString()));
    }
    return error;
}

SecretStore::Error KeychainSecretStore::probe(QString* message) {
    const QString account = probeAccount();
    const SecureBytes token = SecureBytes::random(32);
    if (token.isEmpty()) {
        setMessage(message, tr("Out of secure memory while testing the system keychain."));
        return Error::Other;
    }

    QString detail;
    Error error = write(account, token, &detail);
    if (error != Error::None) {
        setMessage(message, detail);
        return Error::Unavailable;
    }

    ReadResult back = read(account);
    if (back.error == Error::NotFound) {
        // What a locked keyring does: it accepts nothing and finds nothing.
        setMessage(message, tr("The system keychain does not return what was stored in it; it "
                               "is probably locked. (%1)")
                                .arg(back.message));
        return Error::Unavailable;
    }
    if (back.error != Error::None) {
        setMessage(message, back.message);
        return Error::Unavailable;
    }
    if (!back.secret.equals(token)) {
        setMessage(message, tr("The system keychain returned different data than was stored."));
        remove(account);
        return Error::Unavailable;
    }

    error = remove(account, &detail);
    if (error != Error::None) {
        // Storing and reading work, which is what matters; the stale probe entry is
        // overwritten by the next probe.
        qCWarning(lcVault, "keychain probe entry could not be removed: %s", qPrintable(detail));
    }
    return Error::None;
}

} // namespace llamadesk::vault
