#pragma once

#include <QLatin1String>
#include <QString>
#include <QStringView>

#include <cstddef>
#include <optional>

namespace llamadesk {

// Maps the enumerations of the schema's CHECK constraints to their stored text and back.
// Each enum keeps one table {value, text}; the stored text is ASCII and matched exactly
// (the database compares case-sensitively, so must we).
class EnumText {
public:
    template <typename E> struct Entry {
        E value;
        const char* text;
    };

    template <typename E, std::size_t N>
    static QString toString(const Entry<E> (&table)[N], E value) {
        for (const Entry<E>& e : table) {
            if (e.value == value)
                return QLatin1String(e.text);
        }
        return QString();
    }

    template <typename E, std::size_t N>
    static std::optional<E> fromString(const Entry<E> (&table)[N], QStringView text) {
        for (const Entry<E>& e : table) {
            if (text == QLatin1String(e.text))
                return e.value;
        }
        return std::nullopt;
    }
};

} // namespace llamadesk
