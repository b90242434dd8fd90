#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <array>
#include <cstdint>
#include <vector>

namespace llamadesk::store {

// Shared QStrings for the repeating text values of one column (a wallet, a symbol, the user):
// the same stored bytes give the same QString, shared instead of decoded and allocated again.
// Values that mostly do not repeat (ids, amounts, times) turn the cache off after a probe, so it
// never costs more than a few lookups; they are decoded into one scratch string whose buffer is
// refilled once its reader has let go of it (decodeToScratch()), so they cost no allocation per
// value either.
class RepeatedTexts {
public:
    RepeatedTexts() { m_slots.fill(-1); }

    // The QString of the bytes, valid until the next call: a shared one for a repeating value,
    // else one decoded into this object's scratch string. Returned by reference so that a
    // repeated value costs its reader one reference count, not three.
    const QString& text(const char* utf8, int bytes) {
        if (!m_enabled || bytes > kMaxBytes)
            return decodeToScratch(utf8, bytes);
        return lookUp(utf8, bytes);
    }

private:
    static constexpr int kMaxBytes = 64;     // longer values (hashes, notes) never repeat
    static constexpr int kMaxValues = 1024;  // distinct values kept
    static constexpr int kProbeLookups = 64; // lookups before judging the column
    // Most lookups are answered by one slot chosen from the value's length and three of its
    // bytes: one compare instead of a hash of every byte and a lookup.
    static constexpr int kSlotBits = 6;
    static unsigned slotOf(const char* utf8, int bytes) {
        std::uint32_t key = std::uint32_t(bytes) & 0xffu;
        if (bytes > 0) {
            key |= std::uint32_t(std::uint8_t(utf8[0])) << 8;
            key |= std::uint32_t(std::uint8_t(utf8[bytes / 2])) << 16;
            key |= std::uint32_t(std::uint8_t(utf8[bytes - 1])) << 24;
        }
        // Fibonacci hashing: the top bits depend on all four bytes.
        return (key * 0x9e3779b1u) >> (32 - kSlotBits);
    }
    const QString& lookUp(const char* utf8, int bytes);
    const QString& decodeToScratch(const char* utf8, int bytes);

    struct Value {
        QByteArray bytes;
        QString text;
    };
    std::vector<Value> m_values;                      // every distinct value seen, up to kMaxValues
    QHash<QByteArray, int> m_index;                   // bytes to their index in m_values
    std::array<std::int16_t, 1 << kSlotBits> m_slots; // index in m_values, or -1
    QString m_decoded; // the last value decoded (shared with m_values when kept)
    int m_lookups = 0;
    int m_hits = 0;
    bool m_enabled = true;
};

} // namespace llamadesk::store
