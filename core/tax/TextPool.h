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
    // The same, but text equal to one of the last few added returns their handle: one
    // transaction's id and hash are asked for by each of its rows.
    Handle add(const QString& text);
    // The stored text; empty for kNone.
    QString text(Handle handle) const;
    // Whether the stored text equals `text`, without building a QString.
    bool equals(Handle handle, QStringView text) const;
    // Bytes held (capacity of the chunks in use).
    qsizetype bytesReserved() const;

private:
    static constexpr int kChunkBits = 21; // 2 MiB chunks (BlockMemory::kBlockBytes)
    static constexpr qsizetype kChunkSize = qsizetype(1) << kChunkBits;

    unsigned char* reserve(qsizetype bytes, Handle* handle);
    const unsigned char* at(Handle handle) const;

    struct Recent {
        QString text;
        Handle handle = kNone;
    };
    static constexpr int kRecent = 4;

    struct Free {
        void operator()(unsigned char* p) const;
    };
    std::vector<std::unique_ptr<unsigned char, Free>> m_chunks;
    Recent m_recent[kRecent];
    int m_nextRecent = 0;
    qsizetype m_used = kChunkSize; // bytes used in the last chunk; full until one exists
};

} // namespace llamadesk::tax
