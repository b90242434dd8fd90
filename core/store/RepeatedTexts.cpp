#include "store/RepeatedTexts.h"

#include <cstring>

namespace llamadesk::store {

QString RepeatedTexts::text(const char* utf8, int bytes) {
    if (!m_enabled || bytes > kMaxBytes)
        return QString::fromUtf8(utf8, bytes);
    ++m_lookups;
    for (const Recent& r : m_recent) {
        // The last byte first: values of one length (times, amounts) mostly differ at the end.
        if (bytes == r.size && (bytes == 0 || (utf8[bytes - 1] == r.bytes[bytes - 1] &&
                                               std::memcmp(utf8, r.bytes, size_t(bytes)) == 0))) {
            ++m_hits;
            return r.text;
        }
    }
    // fromRawData: the lookup key borrows the statement's bytes, no copy.
    const auto found = m_known.constFind(QByteArray::fromRawData(utf8, bytes));
    if (found != m_known.constEnd()) {
        ++m_hits;
        remember(utf8, bytes, *found);
        return *found;
    }
    QString text = QString::fromUtf8(utf8, bytes);
    if (m_lookups >= kProbeLookups && m_hits * 2 < m_lookups) {
        // Mostly new values (ids, amounts, times): looking them up only costs.
        m_enabled = false;
        m_known = QHash<QByteArray, QString>();
    } else if (m_known.size() < kMaxValues) {
        m_known.insert(QByteArray(utf8, bytes), text);
        remember(utf8, bytes, text);
    }
    return text;
}

void RepeatedTexts::remember(const char* utf8, int bytes, const QString& text) {
    Recent& r = m_recent[m_nextRecent];
    m_nextRecent = (m_nextRecent + 1) % kRecent;
    if (bytes > 0)
        std::memcpy(r.bytes, utf8, size_t(bytes));
    r.size = bytes;
    r.text = text;
}

} // namespace llamadesk::store
