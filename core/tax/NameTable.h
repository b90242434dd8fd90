#pragma once

#include <QHash>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <QtGlobal>

#include <array>

namespace llamadesk::tax {

// Small dense ids for the few distinct asset symbols and wallet names of a ledger, so the hot
// path compares integers instead of strings.
class NameTable {
public:
    // Looking a known name up copies no string and touches no reference count: the rows the
    // engine reads share their strings with the reader threads that decoded them, and counting
    // references to them from another core costs more than the lookup itself.
    quint32 intern(QStringView name);
    // The id of a name already interned, or -1.
    qint64 find(const QString& name) const { return m_ids.value(name, -1); }
    const QString& name(quint32 id) const { return m_names[qsizetype(id)]; }
    qsizetype size() const { return m_names.size(); }
    const QStringList& names() const { return m_names; }

private:
    // Direct-mapped cache in front of the hash: a ledger has a few dozen names, so nearly every
    // lookup is one hash of a short string and one comparison.
    static constexpr size_t kCacheSlots = 256;
    struct Slot {
        qint64 id = -1;
        QString name;
    };

    QHash<QString, qint64> m_ids;
    QStringList m_names;
    std::array<Slot, kCacheSlots> m_cache;
};

} // namespace llamadesk::tax
