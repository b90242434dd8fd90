#pragma once

#include "Notifier.h"

#include <QFrame>

class QLabel;

namespace llamadesk::ui {

// The in-app notification: a coloured strip with the latest alert, shown when the desktop has
// no system tray. It stays until dismissed.
class AlertBanner : public QFrame, public Notifier {
    Q_OBJECT
public:
    explicit AlertBanner(QWidget* parent = nullptr);
    void notify(const QString& title, const QString& message, Severity severity) override;
    QString title() const;
    QString message() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void restyle();
    Severity m_severity = Severity::Info;
    bool m_restyling = false;
    QLabel* m_title = nullptr;
    QLabel* m_message = nullptr;
    int m_count = 0;
};

} // namespace llamadesk::ui
