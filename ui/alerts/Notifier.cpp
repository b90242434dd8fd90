#include "Notifier.h"

#include "app/Icons.h"

#include <QSystemTrayIcon>

namespace llamadesk::ui {

Notifier::~Notifier() = default;

TrayNotifier::TrayNotifier(QObject* parent)
    : QObject(parent)
    , m_tray(new QSystemTrayIcon(Icons::icon(QStringLiteral("app")), this)) {
    m_tray->setToolTip(tr("LlamaDesk alerts"));
}

TrayNotifier::~TrayNotifier() = default;

bool TrayNotifier::isAvailable() {
    return QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages();
}

void TrayNotifier::notify(const QString& title, const QString& message, Severity severity) {
    if (!m_tray->isVisible())
        m_tray->show();
    const QSystemTrayIcon::MessageIcon icon =
        severity == Severity::Critical  ? QSystemTrayIcon::Critical
        : severity == Severity::Warning ? QSystemTrayIcon::Warning
                                        : QSystemTrayIcon::Information;
    m_tray->showMessage(title, message, icon, 10000);
}

} // namespace llamadesk::ui
