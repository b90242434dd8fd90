#pragma once

#include <QColor>
#include <QFrame>

class QLabel;

namespace llamadesk::ui {

// One headline figure: a caption, a large value and a line of detail, on a rounded card.
class SummaryCard : public QFrame {
    Q_OBJECT
public:
    SummaryCard(const QString& caption, QWidget* parent = nullptr);

    void setCaption(const QString& caption);
    void setValue(const QString& value, const QColor& color = QColor());
    void setDetail(const QString& detail, const QColor& color = QColor());
    void clear();
    QString value() const;
    QString detail() const;

protected:
    void changeEvent(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    void restyle();

    QLabel* m_caption = nullptr;
    QLabel* m_value = nullptr;
    QLabel* m_detail = nullptr;
    QColor m_valueColor;
    QColor m_detailColor;
    bool m_restyling = false;
};

} // namespace llamadesk::ui
