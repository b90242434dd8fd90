#include "SqlText.h"

namespace llamadesk::server {

QByteArray SqlText::array(const QStringList& items) {
    QByteArray out = "{";
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += ',';
        out += '"';
        for (char c : items.at(i).toUtf8()) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    out += '}';
    return out;
}

} // namespace llamadesk::server
