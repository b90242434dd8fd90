#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

namespace llamadesk::store {

// Shared QStrings for the repeating text values of one column (a wallet, a symbol, the user):
// the same stored bytes give the same QString, shared instead of decoded and allocated again.
// Values that mostly do not repeat (ids, amounts, times) turn the cache off after a probe, so it
// never costs more than a few lookups.
class RepeatedTexts {
public:
    QString text(const char* utf8, int bytes);

private:
    void remember(const char* utf8, int bytes, const QString& text);

    static constexpr int kMaxBytes = 64;     // longer values (hashes, notes) never repeat
    static constexpr int kMaxValues = 1024;  // distinct values kept
    static constexpr int kProbeLookups = 64; // lookups before judging the column
    QHash<QByteArray, QString> m_known;
    // The values returned last: a column of a few values is answered by a compare or two
    // instead of a hash lookup.
    static constexpr int kRecent = 8;
    struct Recent {
        char bytes[kMaxBytes] = {};
        int size = -1;
        QString text;
    };
    Recent m_recent[kRecent];
    int m_nextRecent = 0;
    int m_lookups = 0;
    int m_hits = 0;
    bool m_enabled = true;
};

} // namespace llamadesk::store
