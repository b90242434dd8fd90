#pragma once

#include <QString>
#include <QStringView>

#include <cstring>

namespace llamadesk::tax {

// Copies the characters of `from` into `to`'s own buffer, which it keeps when it is big enough.
// Plain QString assignment shares the characters instead: when the source is a row that a
// reader thread refills, or a string the engine recycles, the sharing makes its owner copy
// them on its next reuse, one allocation per row on each side.
inline void assignOwned(QString* to, QStringView from) {
    if (from.isNull()) {
        *to = QString(); // a null string stays null, as a plain copy would
        return;
    }
    to->resize(from.size());
    if (!from.isEmpty())
        std::memcpy(to->data(), from.data(), size_t(from.size()) * sizeof(QChar));
}

} // namespace llamadesk::tax
