#pragma once

#include <QByteArrayView>
#include <QString>
#include <QtGlobal>

namespace llamadesk::text {

// Fast paths for the ASCII text that makes up nearly every stored value (ids, hashes, amounts,
// times, symbols): widening bytes to UTF-16 without a decoder. Sixteen bytes at a time where
// the processor has SSE2 (every x86-64), one at a time elsewhere; the results are the same.
class AsciiText {
public:
    // Whether every byte is below 0x80.
    static bool isAscii(const char* bytes, qsizetype size);
    // out[i] = bytes[i] for i < size. Only for ASCII (see isAscii); out holds size units.
    static void widen(const char* bytes, qsizetype size, char16_t* out);
    // isAscii and widen in one pass over the bytes: widens them into out (size units) and says
    // whether they were all ASCII. When not, out holds some of them and is to be discarded.
    static bool widenIfAscii(const char* bytes, qsizetype size, char16_t* out);
    // *out = QString::fromUtf8(utf8), but ASCII goes into out's own buffer when it has one big
    // enough: a reader that refills the same rows allocates nothing for text that never repeats
    // (ids, hashes).
    static void assignUtf8(QString* out, QByteArrayView utf8);
};

} // namespace llamadesk::text
