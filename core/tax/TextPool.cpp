#include "tax/TextPool.h"

#include "tax/BlockMemory.h"
#include "tax/OwnedText.h"

#include <QByteArray>

#include <cstring>

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#define LLAMADESK_TEXTPOOL_SSE2 1
#include <emmintrin.h>
#endif

namespace llamadesk::tax {

namespace {

// Layout of one entry: a tag byte, then the payload.
enum Tag : unsigned char {
    kEmpty = 0,
    kUtf8 = 1,  // 2-byte little-endian length, then UTF-8 bytes
    kUuid = 2,  // 16 bytes: the canonical (lowercase, hyphenated) UUID
    kHex0x = 3, // 1-byte count of bytes, then bytes: "0x" + lowercase hex, even length
};

// Value of a lowercase hex digit, -1 for anything else.
struct HexTable {
    signed char value[128];
    constexpr HexTable()
        : value() {
        for (int i = 0; i < 128; ++i)
            value[i] = -1;
        for (int i = 0; i < 10; ++i)
            value['0' + i] = static_cast<signed char>(i);
        for (int i = 0; i < 6; ++i)
            value['a' + i] = static_cast<signed char>(10 + i);
    }
};
constexpr HexTable kHexTable;

inline int hexValue(char16_t c) {
    return c < 128 ? kHexTable.value[c] : -1;
}

// bytes[i] = the value of the lowercase hex digits c[2i], c[2i+1], for i < count; false when a
// character is not a lowercase hex digit (bytes is then partly written). Sixteen characters at a
// time with SSE2: every id and hash of a tax run passes through here.
bool decodeHex(const char16_t* c, qsizetype count, unsigned char* bytes) {
    qsizetype i = 0;
#ifdef LLAMADESK_TEXTPOOL_SSE2
    const __m128i below0 = _mm_set1_epi16(0x2f);
    const __m128i above9 = _mm_set1_epi16(0x3a);
    const __m128i belowA = _mm_set1_epi16(0x60);
    const __m128i aboveF = _mm_set1_epi16(0x67);
    const __m128i low4 = _mm_set1_epi16(0x0f);
    const __m128i nine = _mm_set1_epi16(9);
    const __m128i lowByte = _mm_set1_epi16(0x00ff);
    // Eight characters in, their values as 16-bit lanes; `valid` loses a bit for each bad one.
    const auto values = [&](const char16_t* at, int* valid) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
        // Signed compares: a character from 0x8000 up is negative, so in neither range.
        const __m128i digit = _mm_and_si128(_mm_cmpgt_epi16(x, below0), _mm_cmplt_epi16(x, above9));
        const __m128i letter =
            _mm_and_si128(_mm_cmpgt_epi16(x, belowA), _mm_cmplt_epi16(x, aboveF));
        *valid &= _mm_movemask_epi8(_mm_or_si128(digit, letter));
        return _mm_add_epi16(_mm_and_si128(x, low4), _mm_and_si128(letter, nine));
    };
    for (; i + 8 <= count; i += 8) {
        int valid = 0xffff;
        const __m128i a = values(c + 2 * i, &valid);
        const __m128i b = values(c + 2 * i + 8, &valid);
        if (valid != 0xffff)
            return false;
        // Sixteen digit values as bytes; each 16-bit lane holds one pair, high digit first.
        const __m128i digits = _mm_packus_epi16(a, b);
        const __m128i pairs = _mm_or_si128(_mm_slli_epi16(_mm_and_si128(digits, lowByte), 4),
                                           _mm_srli_epi16(digits, 8));
        _mm_storel_epi64(reinterpret_cast<__m128i*>(bytes + i), _mm_packus_epi16(pairs, pairs));
    }
#endif
    for (; i < count; ++i) {
        const int hi = hexValue(c[2 * i]);
        const int lo = hexValue(c[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        bytes[i] = static_cast<unsigned char>((hi << 4) | lo);
    }
    return true;
}

const char kHexDigits[] = "0123456789abcdef";

void appendHex(QString* out, unsigned char byte) {
    out->append(QLatin1Char(kHexDigits[byte >> 4]));
    out->append(QLatin1Char(kHexDigits[byte & 0x0f]));
}

} // namespace

unsigned char* TextPool::reserve(qsizetype bytes, Handle* handle) {
    if (m_used + bytes > kChunkSize) {
        // Not zeroed: every byte is written before it is read.
        m_chunks.emplace_back(
            static_cast<unsigned char*>(BlockMemory::allocate(static_cast<size_t>(kChunkSize))));
        m_used = 0;
    }
    const qsizetype chunk = qsizetype(m_chunks.size()) - 1;
    *handle = Handle((quint64(chunk) << kChunkBits) | quint64(m_used));
    unsigned char* p = m_chunks.back().get() + m_used;
    m_used += bytes;
    return p;
}

const unsigned char* TextPool::at(Handle handle) const {
    const size_t chunk = handle >> kChunkBits;
    const size_t offset = handle & ((Handle(1) << kChunkBits) - 1);
    return m_chunks[chunk].get() + offset;
}

void TextPool::Free::operator()(unsigned char* p) const {
    BlockMemory::release(p, static_cast<size_t>(kChunkSize));
}

TextPool::Handle TextPool::add(const QString& text) {
    // Compared by content, and kept as copies in the cache's own buffers: holding a reference
    // to the caller's string would make its owner copy it on its next reuse.
    const QStringView view(text);
    for (const Recent& r : m_recent) {
        if (r.handle != kNone && QStringView(r.text) == view)
            return r.handle;
    }
    const Handle handle = add(view);
    Recent& slot = m_recent[m_nextRecent];
    assignOwned(&slot.text, view);
    slot.handle = handle;
    m_nextRecent = (m_nextRecent + 1) % kRecent;
    return handle;
}

TextPool::Handle TextPool::add(QStringView text) {
    Handle handle = kNone;
    const qsizetype n = text.size();
    const char16_t* c = text.utf16();
    if (n == 0) {
        unsigned char* p = reserve(1, &handle);
        p[0] = kEmpty;
        return handle;
    }
    unsigned char packed[256];
    // A canonical UUID: 16 bytes.
    if (n == 36 && c[8] == u'-' && c[13] == u'-' && c[18] == u'-' && c[23] == u'-') {
        char16_t digits[32];
        std::memcpy(digits, c, 8 * sizeof(char16_t));
        std::memcpy(digits + 8, c + 9, 4 * sizeof(char16_t));
        std::memcpy(digits + 12, c + 14, 4 * sizeof(char16_t));
        std::memcpy(digits + 16, c + 19, 4 * sizeof(char16_t));
        std::memcpy(digits + 20, c + 24, 12 * sizeof(char16_t));
        if (decodeHex(digits, 16, packed)) {
            unsigned char* p = reserve(17, &handle);
            p[0] = kUuid;
            std::memcpy(p + 1, packed, 16);
            return handle;
        }
    }
    // "0x" and lowercase hex of even length: half the characters.
    if (n >= 4 && n <= 512 && (n % 2) == 0 && c[0] == u'0' && c[1] == u'x') {
        const qsizetype count = (n - 2) / 2;
        if (decodeHex(c + 2, count, packed)) {
            unsigned char* p = reserve(2 + count, &handle);
            p[0] = kHex0x;
            p[1] = static_cast<unsigned char>(count);
            std::memcpy(p + 2, packed, static_cast<size_t>(count));
            return handle;
        }
    }
    QByteArray utf8 = text.toUtf8();
    if (utf8.size() > 0xffff) {
        qsizetype cut = 0xffff;
        while (cut > 0 && (static_cast<unsigned char>(utf8[cut]) & 0xc0) == 0x80)
            --cut; // never split a multi-byte character
        utf8.truncate(cut);
    }
    const qsizetype size = utf8.size();
    unsigned char* p = reserve(3 + size, &handle);
    p[0] = kUtf8;
    p[1] = static_cast<unsigned char>(size & 0xff);
    p[2] = static_cast<unsigned char>(size >> 8);
    std::memcpy(p + 3, utf8.constData(), static_cast<size_t>(size));
    return handle;
}

QString TextPool::text(Handle handle) const {
    if (handle == kNone)
        return QString();
    const unsigned char* p = at(handle);
    switch (p[0]) {
    case kUuid: {
        QString s;
        s.reserve(36);
        for (int i = 0; i < 16; ++i) {
            if (i == 4 || i == 6 || i == 8 || i == 10)
                s.append(QLatin1Char('-'));
            appendHex(&s, p[1 + i]);
        }
        return s;
    }
    case kHex0x: {
        QString s;
        s.reserve(2 + 2 * p[1]);
        s.append(QLatin1String("0x"));
        for (int i = 0; i < p[1]; ++i)
            appendHex(&s, p[2 + i]);
        return s;
    }
    case kUtf8: {
        const int size = p[1] | (p[2] << 8);
        return QString::fromUtf8(reinterpret_cast<const char*>(p + 3), size);
    }
    default:
        return QString();
    }
}

bool TextPool::equals(Handle handle, QStringView text) const {
    if (handle == kNone)
        return false;
    return this->text(handle) == text;
}

qsizetype TextPool::bytesReserved() const {
    return qsizetype(m_chunks.size()) * kChunkSize;
}

} // namespace llamadesk::tax
