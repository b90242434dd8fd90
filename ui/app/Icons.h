#pragma once

#include <QColor>
#include <QIcon>
#include <QPixmap>
#include <QString>

namespace llamadesk::ui {

// The app's line icons (resources/icons/*.svg), drawn in a colour that suits the theme and
// rendered from the vector source at every size and device pixel ratio asked for.
class Icons {
public:
    // name: "dashboard", "transactions", "lock", ...; an invalid colour means the theme's text.
    static QIcon icon(const QString& name, const QColor& color = QColor());
    static QPixmap pixmap(const QString& name, int size, qreal devicePixelRatio,
                          const QColor& color = QColor());
};

} // namespace llamadesk::ui
