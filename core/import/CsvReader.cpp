#include "CsvReader.h"

namespace llamadesk::import {

namespace {
constexpr qint64 kBlockSize = 64 * 1024;
constexpr int kMaxFields = 4096; // far beyond any ledger layout; bounds a record of commas
} // namespace

bool isValidUtf8(const char* bytes, qsizetype size) {
    const auto* s = reinterpret_cast<const unsigned char*>(bytes);
    qsizetype i = 0;
    while (i < size) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int extra = 0;
        quint32 cp = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false; // continuation byte, overlong lead (C0, C1) or beyond F4
        }
        if (size - i <= extra)
            return false;
        for (int k = 1; k <= extra; ++k) {
            const unsigned char cc = s[i + k];
            if ((cc & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false; // overlong or out of range
        if (cp >= 0xD800 && cp <= 0xDFFF)
            return false; // surrogates are not characters
        i += extra + 1;
    }
    return true;
}

CsvReader::CsvReader(QIODevice* device, CsvLimits limits)
    : m_device(device)
    , m_limits(limits) {}

QString CsvReader::describe(CsvError error) {
    switch (error) {
    case CsvError::None:
        return tr("no error");
    case CsvError::BadUtf8:
        return tr("the text is not valid UTF-8");
    case CsvError::StrayQuote:
        return tr("a double quote inside an unquoted field, or text after a closing quote");
    case CsvError::FieldTooLong:
        return tr("the field is too long");
    case CsvError::RecordTooLong:
        return tr("the record is too long");
    case CsvError::UnterminatedQuote:
        return tr("a quoted field is never closed");
    case CsvError::ReadError:
        return tr("the file could not be read");
    }
    return QString();
}

bool CsvReader::fill() {
    if (m_eof)
        return false;
    m_buffer.resize(kBlockSize);
    const qint64 n = m_device->read(m_buffer.data(), kBlockSize);
    if (n < 0) {
        m_buffer.clear();
        m_pos = 0;
        m_eof = true;
        m_fatal = CsvError::ReadError;
        return false;
    }
    m_buffer.resize(n);
    m_pos = 0;
    if (n == 0) {
        m_eof = true;
        return false;
    }
    return true;
}

int CsvReader::peek() {
    if (m_pos >= m_buffer.size() && !fill())
        return -1;
    return static_cast<unsigned char>(m_buffer.at(m_pos));
}

int CsvReader::take() {
    const int c = peek();
    if (c >= 0) {
        ++m_pos;
        ++m_consumed;
    }
    return c;
}

void CsvReader::fail(CsvRecord* record, CsvError error, int field, const QString& message) {
    if (record->error != CsvError::None)
        return; // the first problem of a record is the one reported
    record->error = error;
    record->errorField = field;
    record->errorMessage = message;
}

void CsvReader::finishField(CsvRecord* record, bool quoted) {
    Q_UNUSED(quoted);
    if (m_discardRecord) {
        m_field.clear();
        return;
    }
    const int index = int(record->fields.size());
    if (index >= kMaxFields) {
        m_discardRecord = true;
        record->fields.clear();
        fail(record, CsvError::RecordTooLong, -1,
             tr("more than %1 fields in one record").arg(kMaxFields));
        m_field.clear();
        return;
    }
    if (m_discardField) {
        record->fields.append(QString());
    } else if (!isValidUtf8(m_field.constData(), m_field.size())) {
        fail(record, CsvError::BadUtf8, index, describe(CsvError::BadUtf8));
        record->fields.append(QString());
    } else {
        record->fields.append(QString::fromUtf8(m_field));
    }
    m_field.clear();
    m_discardField = false;
}

bool CsvReader::next(CsvRecord* record) {
    record->fields.clear();
    record->error = CsvError::None;
    record->errorField = -1;
    record->errorMessage.clear();
    if (m_fatal != CsvError::None)
        return false;

    if (!m_started) {
        m_started = true;
        // A UTF-8 byte order mark is an encoding signature, not part of the first field.
        if (peek() == 0xEF && m_buffer.size() - m_pos >= 3 &&
            static_cast<unsigned char>(m_buffer.at(m_pos + 1)) == 0xBB &&
            static_cast<unsigned char>(m_buffer.at(m_pos + 2)) == 0xBF) {
            m_pos += 3;
            m_consumed += 3;
        }
    }

    // Skip empty lines: they carry no record.
    for (;;) {
        const int c = peek();
        if (c < 0) {
            if (m_fatal != CsvError::None) {
                record->line = m_line;
                fail(record, m_fatal, -1, describe(m_fatal));
            }
            return false;
        }
        if (c == '\r') {
            take();
            if (peek() == '\n')
                take();
            ++m_line;
        } else if (c == '\n') {
            take();
            ++m_line;
        } else {
            break;
        }
    }

    record->line = m_line;
    m_field.clear();
    m_recordBytes = 0;
    m_discardField = false;
    m_discardRecord = false;

    const auto append = [&](char ch) {
        ++m_recordBytes;
        if (m_recordBytes > m_limits.maxRecordBytes && !m_discardRecord) {
            m_discardRecord = true;
            record->fields.clear();
            m_field.clear();
            fail(record, CsvError::RecordTooLong, -1,
                 tr("the record is longer than %1 bytes").arg(m_limits.maxRecordBytes));
        }
        if (m_discardRecord || m_discardField)
            return;
        if (m_field.size() >= m_limits.maxFieldBytes) {
            m_discardField = true;
            m_field.clear();
            fail(record, CsvError::FieldTooLong, int(record->fields.size()),
                 tr("the field is longer than %1 bytes").arg(m_limits.maxFieldBytes));
            return;
        }
        m_field.append(ch);
    };

    for (;;) { // one field per turn
        bool quoted = false;
        if (peek() == '"') {
            quoted = true;
            const qint64 openedAt = m_line;
            take();
            for (;;) {
                const int c = take();
                if (c < 0) {
                    const CsvError why =
                        m_fatal == CsvError::ReadError ? m_fatal : CsvError::UnterminatedQuote;
                    m_fatal = why;
                    record->fields.clear();
                    record->error = CsvError::None;
                    fail(record, why, int(record->fields.size()),
                         why == CsvError::ReadError
                             ? describe(why)
                             : tr("the quoted field opened on line %1 is never closed; "
                                  "nothing after it can be read")
                                   .arg(openedAt));
                    return false;
                }
                if (c == '"') {
                    if (peek() == '"') {
                        take();
                        append('"');
                        continue;
                    }
                    break;
                }
                if (c == '\r') {
                    append('\r');
                    if (peek() == '\n') {
                        take();
                        append('\n');
                    }
                    ++m_line;
                    continue;
                }
                if (c == '\n')
                    ++m_line;
                append(char(c));
            }
            const int after = peek();
            if (after != ',' && after != '\r' && after != '\n' && after >= 0)
                fail(record, CsvError::StrayQuote, int(record->fields.size()),
                     tr("text after the closing quote of a quoted field"));
        }
        // Unquoted text (or what follows a closing quote) up to the end of the field.
        for (;;) {
            const int c = peek();
            if (c < 0 || c == ',' || c == '\r' || c == '\n')
                break;
            if (c == '"' && !quoted)
                fail(record, CsvError::StrayQuote, int(record->fields.size()),
                     tr("a double quote inside an unquoted field (quote the whole field and "
                        "double the quote)"));
            take();
            append(char(c));
        }
        finishField(record, quoted);
        const int c = take();
        if (c == ',') {
            if (++m_recordBytes > m_limits.maxRecordBytes && !m_discardRecord) {
                m_discardRecord = true;
                record->fields.clear();
                fail(record, CsvError::RecordTooLong, -1,
                     tr("the record is longer than %1 bytes").arg(m_limits.maxRecordBytes));
            }
            continue;
        }
        if (c == '\r') {
            if (peek() == '\n')
                take();
            ++m_line;
        } else if (c == '\n') {
            ++m_line;
        } else if (c < 0 && m_fatal != CsvError::None) {
            record->fields.clear();
            record->error = CsvError::None;
            fail(record, m_fatal, -1, describe(m_fatal));
            return false;
        }
        return true;
    }
}

} // namespace llamadesk::import
