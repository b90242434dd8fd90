#pragma once

#include <QColor>
#include <QObject>
#include <QPalette>
#include <QString>

namespace llamadesk::ui {

// Light and dark appearance. "System" follows the platform: Qt 6.4 has no colour-scheme hint, so
// the system palette's window colour decides (a dark window means a dark theme).
class Theme : public QObject {
    Q_OBJECT
public:
    enum class Choice { System, Light, Dark };

    // Remembers the platform palette; call once, before any palette is changed.
    static void captureSystemPalette();
    static Choice savedChoice();
    static void saveChoice(Choice choice);
    // Applies the choice (or the saved one) to the application.
    static void apply(Choice choice);
    static void applySaved() { apply(savedChoice()); }
    static bool isDark();
    static bool systemIsDark();
    // The accent used for highlights, links and the strength meter's "strong".
    static QColor accent();
    static QColor positive();
    static QColor negative();
    static QColor warning();
    static QColor mutedText();

    static QString settingsKey() { return QStringLiteral("appearance/theme"); }
};

} // namespace llamadesk::ui
