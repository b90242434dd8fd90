#include "text/AsciiText.h"

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#define LLAMADESK_ASCII_SSE2 1
#include <emmintrin.h>
#endif

#include <cstring>

namespace llamadesk::text {

bool AsciiText::isAscii(const char* bytes, qsizetype size) {
    qsizetype i = 0;
#ifdef LLAMADESK_ASCII_SSE2
    for (; i + 16 <= size; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
        if (_mm_movemask_epi8(v) != 0) // the top bit of each byte
            return false;
    }
#endif
    // Eight bytes at a time: a high bit anywhere in the word.
    for (; i + 8 <= size; i += 8) {
        quint64 word;
        std::memcpy(&word, bytes + i, sizeof word);
        if (word & 0x8080808080808080ULL)
            return false;
    }
    for (; i < size; ++i) {
        if (static_cast<unsigned char>(bytes[i]) >= 0x80)
            return false;
    }
    return true;
}

void AsciiText::widen(const char* bytes, qsizetype size, char16_t* out) {
    qsizetype i = 0;
#ifdef LLAMADESK_ASCII_SSE2
    const __m128i zero = _mm_setzero_si128();
    for (; i + 16 <= size; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm_unpacklo_epi8(v, zero));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i + 8), _mm_unpackhi_epi8(v, zero));
    }
    if (i + 8 <= size) {
        const __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(bytes + i));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm_unpacklo_epi8(v, zero));
        i += 8;
    }
#endif
    for (; i < size; ++i)
        out[i] = char16_t(static_cast<unsigned char>(bytes[i]));
}

bool AsciiText::widenIfAscii(const char* bytes, qsizetype size, char16_t* out) {
#ifdef LLAMADESK_ASCII_SSE2
    const __m128i zero = _mm_setzero_si128();
    if (size >= 16) {
        const auto chunk = [&](qsizetype at) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + at));
            if (_mm_movemask_epi8(v) != 0)
                return false;
            _mm_storeu_si128(reinterpret_cast<__m128i*>(out + at), _mm_unpacklo_epi8(v, zero));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(out + at + 8), _mm_unpackhi_epi8(v, zero));
            return true;
        };
        qsizetype i = 0;
        for (; i + 16 <= size; i += 16) {
            if (!chunk(i))
                return false;
        }
        // The last bytes as one more chunk that ends at `size`, overlapping the one before
        // (the overlap is widened twice to the same units): no byte-at-a-time tail.
        return i == size || chunk(size - 16);
    }
    if (size >= 8) {
        // Eight bytes at each end, overlapping when size < 16.
        const auto half = [&](qsizetype at) {
            const __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(bytes + at));
            if (_mm_movemask_epi8(v) != 0) // the upper eight bytes loaded as zero
                return false;
            _mm_storeu_si128(reinterpret_cast<__m128i*>(out + at), _mm_unpacklo_epi8(v, zero));
            return true;
        };
        return half(0) && half(size - 8);
    }
#endif
    unsigned high = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const auto byte = static_cast<unsigned char>(bytes[i]);
        high |= byte;
        out[i] = char16_t(byte);
    }
    return high < 0x80;
}

void AsciiText::assignUtf8(QString* out, QByteArrayView utf8) {
    const qsizetype n = utf8.size();
    out->resize(n); // keeps the buffer when it is out's own and big enough
    if (!widenIfAscii(utf8.data(), n, reinterpret_cast<char16_t*>(out->data())))
        *out = QString::fromUtf8(utf8); // not ASCII: let QString decode it
}

} // namespace llamadesk::text
