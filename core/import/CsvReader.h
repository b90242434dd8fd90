#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QIODevice>
#include <QList>
#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace llamadesk::import {

// What went wrong with one record (or the whole input) while splitting it into fields.
enum class CsvError {
    None,
    BadUtf8,           // a field's bytes are not UTF-8 (the record is skipped)
    StrayQuote,        // a quote inside an unquoted field, or text after a closing quote
    FieldTooLong,      // a field beyond maxFieldBytes (its bytes are not kept)
    RecordTooLong,     // a record beyond maxRecordBytes (its bytes are not kept)
    UnterminatedQuote, // end of input inside a quoted field: fatal, nothing more is read
    ReadError,         // the device failed: fatal
};

struct CsvLimits {
    qint64 maxFieldBytes = 64 * 1024;
    qint64 maxRecordBytes = 1024 * 1024;
};

// One record: its fields decoded from UTF-8, the physical line (1-based) where it starts and,
// when something was wrong with it, what and in which field (0-based; -1 when not one field).
struct CsvRecord {
    QStringList fields;
    qint64 line = 0;
    CsvError error = CsvError::None;
    int errorField = -1;
    QString errorMessage; // translated
};

// A streaming RFC 4180 reader: comma separated, fields optionally in double quotes, a quote
// inside quotes written twice, commas and line breaks allowed inside quotes. Records end at
// CRLF, LF or CR (all three count as one physical line each, inside quotes too). A UTF-8 byte
// order mark at the very start is skipped. A completely empty line is not a record. Reads the
// device in blocks, so memory stays bounded by the limits whatever the file size.
class CsvReader {
    Q_DECLARE_TR_FUNCTIONS(CsvReader)

public:
    explicit CsvReader(QIODevice* device, CsvLimits limits = {});

    // The next record, possibly with a recoverable error (the caller reports it and goes on).
    // False at the end of input and after a fatal error (then `record` holds the error and its
    // line, and fatalError() is set).
    bool next(CsvRecord* record);

    CsvError fatalError() const { return m_fatal; }
    qint64 bytesRead() const { return m_consumed; }
    static QString describe(CsvError error); // translated, for messages

private:
    bool fill(); // reads the next block; false at end of input or on error
    int peek();  // next byte or -1
    int take();  // consumes and returns the next byte or -1
    void finishField(CsvRecord* record, bool quoted);
    void fail(CsvRecord* record, CsvError error, int field, const QString& message);

    QIODevice* m_device;
    CsvLimits m_limits;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qint64 m_consumed = 0;
    qint64 m_line = 1;
    bool m_started = false;
    bool m_eof = false;
    CsvError m_fatal = CsvError::None;

    // The record being built.
    QByteArray m_field;
    qint64 m_recordBytes = 0;
    bool m_discardField = false;
    bool m_discardRecord = false;
};

// True when `bytes` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool isValidUtf8(const char* bytes, qsizetype size);

} // namespace llamadesk::import
