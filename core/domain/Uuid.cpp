#include "domain/Uuid.h"

#include <QUuid>

namespace llamadesk {

QString newUuid() {
    // QUuid::createUuid() makes a version 4 UUID from QRandomGenerator::system(); toString()
    // writes lowercase hex. toLower() keeps the canonical form even if that ever changed.
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toLower();
}

bool isCanonicalUuid(QStringView text) {
    if (text.size() != 36)
        return false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != u'-')
                return false;
        } else if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'))) {
            return false;
        }
    }
    return true;
}

} // namespace llamadesk
