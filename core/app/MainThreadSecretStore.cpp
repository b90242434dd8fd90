#include "app/MainThreadSecretStore.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QThread>

namespace llamadesk::app {

namespace {

// Runs `call` on the main thread and returns when it has finished.
template <typename Call> void onMainThread(Call&& call) {
    QCoreApplication* app = QCoreApplication::instance();
    if (app == nullptr || QThread::currentThread() == app->thread()) {
        call();
        return;
    }
    QMetaObject::invokeMethod(app, std::forward<Call>(call), Qt::BlockingQueuedConnection);
}

} // namespace

MainThreadSecretStore::MainThreadSecretStore(vault::SecretStore& target)
    : m_target(target) {}

MainThreadSecretStore::~MainThreadSecretStore() = default;

QString MainThreadSecretStore::serviceName() const {
    return m_target.serviceName();
}

vault::SecretStore::ReadResult MainThreadSecretStore::read(const QString& account) {
    ReadResult result;
    onMainThread([&] { result = m_target.read(account); });
    return result;
}

vault::SecretStore::Error MainThreadSecretStore::write(const QString& account,
                                                       const vault::SecureBytes& secret,
                                                       QString* message) {
    Error error = Error::Other;
    onMainThread([&] { error = m_target.write(account, secret, message); });
    return error;
}

vault::SecretStore::Error MainThreadSecretStore::remove(const QString& account, QString* message) {
    Error error = Error::Other;
    onMainThread([&] { error = m_target.remove(account, message); });
    return error;
}

vault::SecretStore::Error MainThreadSecretStore::probe(QString* message) {
    Error error = Error::Other;
    onMainThread([&] { error = m_target.probe(message); });
    return error;
}

} // namespace llamadesk::app
