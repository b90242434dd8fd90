#include "OccurrenceCounter.h"

#include <limits>

namespace llamadesk::import {

quint32 OccurrenceCounter::take(quint64 key) {
    const auto bump = [](quint32& count) {
        const quint32 before = count;
        if (count < std::numeric_limits<quint32>::max()) // saturate, never wrap
            ++count;
        return before;
    };
    if (key == 0) {
        if (m_zeroCount == 0)
            ++m_size;
        return bump(m_zeroCount);
    }
    if (m_keys.empty() || (m_size + 1) * 8 > qsizetype(m_keys.size()) * 5)
        grow();
    const size_t mask = m_keys.size() - 1;
    for (size_t i = slotOf(key, mask);; i = (i + 1) & mask) {
        if (m_keys[i] == key)
            return bump(m_counts[i]);
        if (m_keys[i] == 0) {
            m_keys[i] = key;
            m_counts[i] = 1;
            ++m_size;
            return 0;
        }
    }
}

void OccurrenceCounter::grow() {
    std::vector<quint64> keys(m_keys.empty() ? 1024 : m_keys.size() * 2, 0);
    std::vector<quint32> counts(keys.size(), 0);
    const size_t mask = keys.size() - 1;
    for (size_t j = 0; j < m_keys.size(); ++j) {
        if (m_keys[j] == 0)
            continue;
        size_t i = slotOf(m_keys[j], mask);
        while (keys[i] != 0)
            i = (i + 1) & mask;
        keys[i] = m_keys[j];
        counts[i] = m_counts[j];
    }
    m_keys.swap(keys);
    m_counts.swap(counts);
}

void OccurrenceCounter::clear() {
    m_keys.clear();
    m_counts.clear();
    m_zeroCount = 0;
    m_size = 0;
}

} // namespace llamadesk::import
