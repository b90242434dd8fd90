#pragma once

#include <QFrame>

class QVBoxLayout;

namespace llamadesk::ui {

// A rounded card on the window background that holds one section of a view.
class Panel : public QFrame {
    Q_OBJECT
public:
    explicit Panel(QWidget* parent = nullptr);
    QVBoxLayout* body() const { return m_body; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QVBoxLayout* m_body = nullptr;
};

} // namespace llamadesk::ui
