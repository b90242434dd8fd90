#include "tax/TextPool.h"

#include "domain/Uuid.h"

#include <QByteArray>

#include <cstring>

namespace llamadesk::tax {

namespace {

// Layout of one entry: a tag byte, then the payload.
enum Tag : unsigned char {
    kEmpty = 0,
    kUtf8 = 1,  // 2-byte little-endian length, then UTF-8 bytes
    kUuid = 2,  // 16 bytes: the canonical (lowercase, hyphenated) UUID
    kHex0x = 3, // 1-byte count of bytes, then bytes: "0x" + lowercase hex, even length
};

int hexValue(char16_t c) {
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    return -1;
}

bool isPackableHex(QStringView text) {
    // "0x" and an even number (2..510) of lowercase hex digits.
    if (text.size() < 4 || text.size() > 512 || (text.size() % 2) != 0)
        return false;
    if (text[0] != u'0' || text[1] != u'x')
        return false;
    for (qsizetype i = 2; i < text.size(); ++i) {
        if (hexValue(text[i].unicode()) < 0)
            return false;
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
        m_chunks.push_back(std::make_unique<unsigned char[]>(static_cast<size_t>(kChunkSize)));
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

TextPool::Handle TextPool::add(QStringView text) {
    Handle handle = kNone;
    if (text.isEmpty()) {
        unsigned char* p = reserve(1, &handle);
        p[0] = kEmpty;
        return handle;
    }
    if (isCanonicalUuid(text)) {
        unsigned char* p = reserve(17, &handle);
        p[0] = kUuid;
        int byte = 0;
        for (qsizetype i = 0; i < text.size(); i += 2) {
            if (text[i] == u'-')
                ++i;
            p[1 + byte++] = static_cast<unsigned char>((hexValue(text[i].unicode()) << 4) |
                                                       hexValue(text[i + 1].unicode()));
        }
        return handle;
    }
    if (isPackableHex(text)) {
        const qsizetype count = (text.size() - 2) / 2;
        unsigned char* p = reserve(2 + count, &handle);
        p[0] = kHex0x;
        p[1] = static_cast<unsigned char>(count);
        for (qsizetype i = 0; i < count; ++i) {
            p[2 + i] = static_cast<unsigned char>((hexValue(text[2 + 2 * i].unicode()) << 4) |
                                                  hexValue(text[3 + 2 * i].unicode()));
        }
        return handle;
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
