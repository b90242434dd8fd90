#include "tax/NameTable.h"

namespace llamadesk::tax {

quint32 NameTable::intern(QStringView name) {
    Slot& slot = m_cache[qHash(name) % kCacheSlots];
    if (slot.id >= 0 && QStringView(slot.name) == name)
        return quint32(slot.id);
    const QString key = name.toString();
    auto it = m_ids.constFind(key);
    qint64 id = 0;
    if (it != m_ids.cend()) {
        id = it.value();
    } else {
        id = m_names.size();
        m_names.append(key);
        m_ids.insert(key, id);
    }
    slot.id = id;
    slot.name = key;
    return quint32(id);
}

} // namespace llamadesk::tax
