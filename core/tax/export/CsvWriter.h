#pragma once

#include "Result.h"

#include <QByteArray>
#include <QIODevice>
#include <QString>
#include <QStringList>

namespace llamadesk::tax {

// RFC 4180 CSV: fields with a comma, a quote or a line break are quoted (quotes doubled), lines
// end with CRLF, UTF-8 without a byte-order mark. Writes go through a buffer; the first write
// error is kept and reported by status().
class CsvWriter {
public:
    explicit CsvWriter(QIODevice* device);
    ~CsvWriter();
    CsvWriter(const CsvWriter&) = delete;
    CsvWriter& operator=(const CsvWriter&) = delete;

    void row(const QStringList& fields);
    // Flushes the buffer; failure when any write failed.
    Status finish();

private:
    void flush();

    QIODevice* m_device;
    QByteArray m_buffer;
    bool m_failed = false;
};

} // namespace llamadesk::tax
