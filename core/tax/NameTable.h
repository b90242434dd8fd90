#pragma once

#include <QHash>
#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace llamadesk::tax {

// Small dense ids for the few distinct asset symbols and wallet names of a ledger, so the hot
// path compares integers instead of strings.
class NameTable {
public:
    quint32 intern(const QString& name);
    // The id of a name already interned, or -1.
    qint64 find(const QString& name) const { return m_ids.value(name, -1); }
    const QString& name(quint32 id) const { return m_names[qsizetype(id)]; }
    qsizetype size() const { return m_names.size(); }
    const QStringList& names() const { return m_names; }

private:
    QHash<QString, qint64> m_ids;
    QStringList m_names;
    // The last name looked up: ledgers repeat the same wallet and asset row after row.
    QString m_lastName;
    quint32 m_lastId = 0;
    bool m_hasLast = false;
};

} // namespace llamadesk::tax
