#include "store/RepeatedTexts.h"

#include "text/AsciiText.h"

#include <cstring>

namespace llamadesk::store {

const QString& RepeatedTexts::lookUp(const char* utf8, int bytes) {
    ++m_lookups;
    const unsigned slot = slotOf(utf8, bytes);
    if (const int index = m_slots[slot]; index >= 0) {
        const Value& value = m_values[size_t(index)];
        if (value.bytes.size() == bytes &&
            std::memcmp(value.bytes.constData(), utf8, size_t(bytes)) == 0) {
            ++m_hits;
            return value.text;
        }
    }
    // fromRawData: the lookup key borrows the statement's bytes, no copy.
    const auto found = m_index.constFind(QByteArray::fromRawData(utf8, bytes));
    if (found != m_index.constEnd()) {
        ++m_hits;
        m_slots[slot] = std::int16_t(*found);
        return m_values[size_t(*found)].text;
    }
    m_decoded = decode(utf8, bytes);
    if (m_lookups >= kProbeLookups && m_hits * 2 < m_lookups) {
        // Mostly new values (ids, amounts, times): looking them up only costs.
        m_enabled = false;
        m_values = std::vector<Value>();
        m_index = QHash<QByteArray, int>();
        m_slots.fill(-1);
    } else if (m_values.size() < size_t(kMaxValues)) {
        m_values.push_back(Value{QByteArray(utf8, bytes), m_decoded});
        const int index = int(m_values.size()) - 1;
        m_index.insert(m_values.back().bytes, index);
        m_slots[slot] = std::int16_t(index);
    }
    return m_decoded;
}

QString RepeatedTexts::decode(const char* utf8, int bytes) {
    return text::AsciiText::toQString(QByteArrayView(utf8, bytes));
}

} // namespace llamadesk::store
