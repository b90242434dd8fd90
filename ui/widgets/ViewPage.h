#pragma once

#include <QString>

class QLabel;
class QScrollArea;
class QVBoxLayout;
class QWidget;

namespace llamadesk::ui {

// The pieces every main view is built from, so that the views line up with each other.
namespace ViewPage {

// The large bold heading at the top of a view.
QLabel* makeTitle(const QString& text, QWidget* parent);

// Turns `scroll` into a frameless, vertically scrolling host for a new page widget and returns
// the page's layout with the views' standard margins (16 px sides, 14 px top).
QVBoxLayout* makeScrollingPage(QScrollArea* scroll, int bottomMargin = 14);

} // namespace ViewPage

} // namespace llamadesk::ui
