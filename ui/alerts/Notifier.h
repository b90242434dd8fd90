#pragma once

#include "domain/AlertHistoryEntry.h"

#include <QObject>
#include <QString>

class QSystemTrayIcon;

namespace llamadesk::ui {

// Where a triggered alert is shown to the user: the system tray when the desktop has one, an
// in-app banner otherwise (and a recording double in tests).
class Notifier {
public:
    virtual ~Notifier();
    virtual void notify(const QString& title, const QString& message, Severity severity) = 0;
};

// A desktop notification through the system tray icon.
class TrayNotifier : public QObject, public Notifier {
    Q_OBJECT
public:
    explicit TrayNotifier(QObject* parent = nullptr);
    ~TrayNotifier() override;
    static bool isAvailable();
    void notify(const QString& title, const QString& message, Severity severity) override;

private:
    QSystemTrayIcon* m_tray = nullptr;
};

} // namespace llamadesk::ui
