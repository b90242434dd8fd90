#pragma once

#include <QtGlobal>

#include <vector>

namespace llamadesk::import {

// Counts how often each 64-bit key has been seen: take(key) returns the count before this call.
// An open-addressing table (linear probing, power-of-two size, at most 5/8 full) of 12 bytes per
// slot with no allocation per key: a million-row file costs two lookups per row in a ~24 MB table
// instead of two heap nodes per row in a std::unordered_map (which dominated reading a big file).
class OccurrenceCounter {
public:
    quint32 take(quint64 key);
    qsizetype size() const { return m_size; }
    void clear();

private:
    void grow();
    static size_t slotOf(quint64 key, size_t mask) {
        // The keys are already hashes, but mix once so that structured keys spread too.
        key ^= key >> 33;
        key *= 0xff51afd7ed558ccdULL;
        key ^= key >> 33;
        return size_t(key) & mask;
    }

    // Key 0 marks an empty slot, so a real key 0 is counted on its own.
    std::vector<quint64> m_keys;
    std::vector<quint32> m_counts;
    quint32 m_zeroCount = 0;
    qsizetype m_size = 0;
};

} // namespace llamadesk::import
