#pragma once

#include "domain/TaxTransaction.h"

#include <QByteArray>
#include <QIODevice>

namespace llamadesk::import {

// Writes rows in the canonical layout that LedgerReader reads back unchanged (every column the
// importer reads; ids and bookkeeping columns are left out). RFC 4180 quoting, LF line ends.
class CanonicalCsvWriter {
public:
    explicit CanonicalCsvWriter(QIODevice* device)
        : m_device(device) {}

    static QByteArray header();
    static QByteArray row(const TaxTransaction& t);

    bool writeHeader() { return write(header()); }
    bool write(const TaxTransaction& t) { return write(row(t)); }

private:
    bool write(const QByteArray& bytes) { return m_device->write(bytes) == bytes.size(); }
    QIODevice* m_device;
};

} // namespace llamadesk::import
