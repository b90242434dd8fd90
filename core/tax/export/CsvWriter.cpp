#include "tax/export/CsvWriter.h"

#include <QCoreApplication>

namespace llamadesk::tax {

CsvWriter::CsvWriter(QIODevice* device)
    : m_device(device) {
    m_buffer.reserve(1 << 16);
}

CsvWriter::~CsvWriter() {
    flush();
}

void CsvWriter::row(const QStringList& fields) {
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            m_buffer.append(',');
        const QString& f = fields[i];
        const bool quote = f.contains(QLatin1Char(',')) || f.contains(QLatin1Char('"')) ||
                           f.contains(QLatin1Char('\n')) || f.contains(QLatin1Char('\r'));
        if (quote) {
            QString escaped = f;
            escaped.replace(QLatin1Char('"'), QLatin1String("\"\""));
            m_buffer.append('"').append(escaped.toUtf8()).append('"');
        } else {
            m_buffer.append(f.toUtf8());
        }
    }
    m_buffer.append("\r\n");
    if (m_buffer.size() > (1 << 16))
        flush();
}

void CsvWriter::flush() {
    if (m_buffer.isEmpty() || m_failed)
        return;
    if (!m_device || m_device->write(m_buffer) != m_buffer.size())
        m_failed = true;
    m_buffer.clear();
}

Status CsvWriter::finish() {
    flush();
    if (m_failed) {
        return Status::failure(
            QCoreApplication::translate("CsvWriter", "Writing the CSV file failed: %1")
                .arg(m_device ? m_device->errorString() : QString()));
    }
    return Status::success();
}

} // namespace llamadesk::tax
