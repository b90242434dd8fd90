#include "store/RepeatedTexts.h"

#include "text/AsciiText.h"

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#define LLAMADESK_TEXTS_SSE2 1
#include <emmintrin.h>
#endif

#include <cstring>

namespace llamadesk::store {

namespace {

template <typename Word> Word loadWord(const char* p) {
    Word word;
    std::memcpy(&word, p, sizeof word);
    return word;
}

// a[0, n) == b[0, n): a few word compares instead of a call to memcmp, whose branches on the
// length mispredict down a column of values of mixed lengths (symbols of 3 and 4 letters).
bool sameBytes(const char* a, const char* b, int n) {
    if (n >= 16) {
#ifdef LLAMADESK_TEXTS_SSE2
        const auto load = [](const char* p) {
            return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        };
        __m128i diff = _mm_setzero_si128();
        int i = 0;
        for (; i + 16 <= n; i += 16)
            diff = _mm_or_si128(diff, _mm_xor_si128(load(a + i), load(b + i)));
        if (i < n) // the last 16 bytes, overlapping the chunk before
            diff = _mm_or_si128(diff, _mm_xor_si128(load(a + n - 16), load(b + n - 16)));
        return _mm_movemask_epi8(_mm_cmpeq_epi8(diff, _mm_setzero_si128())) == 0xffff;
#else
        return std::memcmp(a, b, size_t(n)) == 0;
#endif
    }
    if (n >= 8) {
        const auto load = loadWord<std::uint64_t>;
        return ((load(a) ^ load(b)) | (load(a + n - 8) ^ load(b + n - 8))) == 0;
    }
    if (n >= 4) {
        const auto load = loadWord<std::uint32_t>;
        return ((load(a) ^ load(b)) | (load(a + n - 4) ^ load(b + n - 4))) == 0;
    }
    // Up to three bytes: the first, the middle and the last are all of them.
    return n <= 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
}

} // namespace

const QString& RepeatedTexts::lookUp(const char* utf8, int bytes) {
    ++m_lookups;
    const unsigned slot = slotOf(utf8, bytes);
    if (const int index = m_slots[slot]; index >= 0) {
        const Value& value = m_values[size_t(index)];
        if (value.bytes.size() == bytes && sameBytes(value.bytes.constData(), utf8, bytes)) {
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
    decodeToScratch(utf8, bytes);
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

// A value that is not kept: into the scratch string's own buffer when no reader holds it any
// more (a reader drops each value before the next row's), so a column of values that never repeat
// (ids, amounts, times) needs no allocation per row. A fresh buffer leaves room for longer values;
// a buffer much bigger than the value is not refilled, as a reader that keeps the string keeps
// its whole buffer.
const QString& RepeatedTexts::decodeToScratch(const char* utf8, int bytes) {
    constexpr int kRoom = 16;
    const qsizetype capacity = m_decoded.capacity();
    if (!m_decoded.isDetached() || capacity < bytes || capacity > 2 * qsizetype(bytes) + kRoom) {
        m_decoded = QString();
        m_decoded.reserve(bytes + kRoom);
    }
    text::AsciiText::assignUtf8(&m_decoded, QByteArrayView(utf8, bytes));
    return m_decoded;
}

} // namespace llamadesk::store
