#pragma once

#include <QWidget>

class QLabel;

namespace llamadesk::ui {

// A calm placeholder for a view with nothing to show yet: an icon, a title and one sentence.
class EmptyState : public QWidget {
    Q_OBJECT
public:
    EmptyState(const QString& icon, const QString& title, const QString& text,
               QWidget* parent = nullptr);

    void setText(const QString& text);
    QString text() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void refreshIcon();

    QString m_iconName;
    QLabel* m_icon = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_text = nullptr;
};

} // namespace llamadesk::ui
