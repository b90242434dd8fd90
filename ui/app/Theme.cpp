#include "Theme.h"

#include <QApplication>
#include <QSettings>
#include <QStyleFactory>

#include <optional>

namespace llamadesk::ui {

namespace {

std::optional<QPalette>& systemPalette() {
    static std::optional<QPalette> palette;
    return palette;
}

bool g_dark = false;

QPalette lightPalette() {
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xf4, 0xf5, 0xf7));
    p.setColor(QPalette::WindowText, QColor(0x1d, 0x23, 0x2b));
    p.setColor(QPalette::Base, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::AlternateBase, QColor(0xf7, 0xf8, 0xfa));
    p.setColor(QPalette::Text, QColor(0x1d, 0x23, 0x2b));
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x93, 0xa0));
    p.setColor(QPalette::Button, QColor(0xfb, 0xfb, 0xfc));
    p.setColor(QPalette::ButtonText, QColor(0x1d, 0x23, 0x2b));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xdf));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x2a, 0x2f, 0x36));
    p.setColor(QPalette::ToolTipText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x2f, 0x6f, 0xdf));
    p.setColor(QPalette::Mid, QColor(0xd5, 0xd9, 0xdf));
    p.setColor(QPalette::Midlight, QColor(0xe6, 0xe9, 0xed));
    p.setColor(QPalette::Dark, QColor(0xb8, 0xbe, 0xc6));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0xa0, 0xa6, 0xae));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0xa0, 0xa6, 0xae));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0xa0, 0xa6, 0xae));
    return p;
}

QPalette darkPalette() {
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x1e, 0x21, 0x26));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::Base, QColor(0x16, 0x18, 0x1c));
    p.setColor(QPalette::AlternateBase, QColor(0x1c, 0x1f, 0x24));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::PlaceholderText, QColor(0x80, 0x87, 0x91));
    p.setColor(QPalette::Button, QColor(0x2a, 0x2e, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xf0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x2a, 0x2e, 0x35));
    p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe8, 0xeb));
    p.setColor(QPalette::Link, QColor(0x6f, 0xa3, 0xff));
    p.setColor(QPalette::Light, QColor(0x3a, 0x3f, 0x47));
    p.setColor(QPalette::Mid, QColor(0x3a, 0x3f, 0x47));
    p.setColor(QPalette::Midlight, QColor(0x30, 0x34, 0x3b));
    p.setColor(QPalette::Dark, QColor(0x10, 0x12, 0x15));
    p.setColor(QPalette::Shadow, QColor(0x08, 0x09, 0x0b));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6b, 0x71, 0x7a));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6b, 0x71, 0x7a));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6b, 0x71, 0x7a));
    return p;
}

} // namespace

void Theme::captureSystemPalette() {
    if (!systemPalette())
        systemPalette() = QGuiApplication::palette();
}

bool Theme::systemIsDark() {
    captureSystemPalette();
    return systemPalette()->color(QPalette::Window).lightness() < 128;
}

Theme::Choice Theme::savedChoice() {
    const QString value = QSettings().value(settingsKey()).toString();
    if (value == QLatin1String("light"))
        return Choice::Light;
    if (value == QLatin1String("dark"))
        return Choice::Dark;
    return Choice::System;
}

void Theme::saveChoice(Choice choice) {
    QSettings settings;
    switch (choice) {
    case Choice::System:
        settings.setValue(settingsKey(), QStringLiteral("system"));
        break;
    case Choice::Light:
        settings.setValue(settingsKey(), QStringLiteral("light"));
        break;
    case Choice::Dark:
        settings.setValue(settingsKey(), QStringLiteral("dark"));
        break;
    }
}

void Theme::apply(Choice choice) {
    captureSystemPalette();
    g_dark = choice == Choice::Dark || (choice == Choice::System && systemIsDark());
    // Fusion draws the same on every platform and honours the whole palette.
    if (QStyle* fusion = QStyleFactory::create(QStringLiteral("Fusion")))
        QApplication::setStyle(fusion);
    QApplication::setPalette(g_dark ? darkPalette() : lightPalette());
}

bool Theme::isDark() {
    return g_dark;
}

QColor Theme::accent() {
    return g_dark ? QColor(0x6f, 0xa3, 0xff) : QColor(0x2f, 0x6f, 0xdf);
}
QColor Theme::positive() {
    return g_dark ? QColor(0x4c, 0xc3, 0x8a) : QColor(0x1b, 0x8a, 0x4f);
}
QColor Theme::negative() {
    return g_dark ? QColor(0xff, 0x7a, 0x7a) : QColor(0xc6, 0x28, 0x28);
}
QColor Theme::warning() {
    return g_dark ? QColor(0xf2, 0xb5, 0x4a) : QColor(0xb2, 0x6a, 0x00);
}
QColor Theme::mutedText() {
    return g_dark ? QColor(0x9a, 0xa1, 0xab) : QColor(0x5f, 0x68, 0x74);
}

} // namespace llamadesk::ui
