#include "ViewPage.h"

#include <QFont>
#include <QFrame>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace llamadesk::ui::ViewPage {

QLabel* makeTitle(const QString& text, QWidget* parent) {
    auto* title = new QLabel(text, parent);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    title->setFont(big);
    return title;
}

QVBoxLayout* makeScrollingPage(QScrollArea* scroll, int bottomMargin) {
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* page = new QWidget(scroll);
    scroll->setWidget(page);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(16, 14, 16, bottomMargin);
    layout->setSpacing(12);
    return layout;
}

} // namespace llamadesk::ui::ViewPage
