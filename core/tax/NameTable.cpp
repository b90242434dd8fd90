#include "tax/NameTable.h"

namespace llamadesk::tax {

quint32 NameTable::intern(const QString& name) {
    if (m_hasLast && name == m_lastName)
        return m_lastId;
    auto it = m_ids.constFind(name);
    quint32 id = 0;
    if (it != m_ids.cend()) {
        id = quint32(it.value());
    } else {
        id = quint32(m_names.size());
        m_names.append(name);
        m_ids.insert(name, qint64(id));
    }
    m_lastName = name;
    m_lastId = id;
    m_hasLast = true;
    return id;
}

} // namespace llamadesk::tax
