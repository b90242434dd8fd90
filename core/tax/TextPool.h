#pragma once

#include <QString>
#include <QStringView>
#include <QtGlobal>

#include <memory>
#include <vector>

namespace llamadesk::tax {

// Append-only store for the many short identifiers a tax run keeps (transaction ids, hashes,
// lot ids): one allocation per megabyte instead of one per string. Canonical UUIDs take 17 bytes
// and "0x" + lowercase hex hashes half their length, so a million rows stay small.
class TextPool {
public:
    using Handle = quint32;
    static constexpr Handle kNone = 0xffffffffu;

    TextPool() = default;
    TextPool(const TextPool&) = delete;
    TextPool& operator=(const TextPool&) = delete;
    TextPool(TextPool&&) noexcept = default;
    TextPool& operator=(TextPool&&) noexcept = default;
    ~TextPool() = default;

    // Stores text (at most 65535 UTF-8 bytes; longer text is cut at a character boundary).
    Handle add(QStringView text);
    // The stored text; empty for kNone.
    QString text(Handle handle) const;
    // Whether the stored text equals `text`, without building a QString.
    bool equals(Handle handle, QStringView text) const;
    // Bytes held (capacity of the chunks in use).
    qsizetype bytesReserved() const;

private:
    static constexpr int kChunkBits = 20; // 1 MiB chunks
    static constexpr qsizetype kChunkSize = qsizetype(1) << kChunkBits;

    unsigned char* reserve(qsizetype bytes, Handle* handle);
    const unsigned char* at(Handle handle) const;

    std::vector<std::unique_ptr<unsigned char[]>> m_chunks;
    qsizetype m_used = kChunkSize; // bytes used in the last chunk; full until one exists
};

} // namespace llamadesk::tax
