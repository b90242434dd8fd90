#pragma once

#include <QString>
#include <QtGlobal>

namespace llamadesk::import {

// Why a file or a row was refused. Stable codes for tests and for the UI; the message says the
// same in words.
enum class ProblemCode {
    EmptyFile,          // no header row at all
    NoRows,             // a header and no data rows
    UnrecognizedFormat, // the header matches none of the known layouts
    DuplicateColumn,    // the same column name twice in the header
    MissingColumn,      // a column the format needs is not in the header
    UnknownColumn,      // a canonical header with a column that is not one of ours (a typo?)
    BadUtf8,            // bytes that are not UTF-8
    UnterminatedQuote,  // a quoted field that never ends: the rest of the file is unreadable
    StrayQuote,         // a quote inside an unquoted field, or text after a closing quote
    FieldTooLong,       // a field or record beyond the configured limits
    FieldCount,         // a row with more or fewer fields than the header
    MissingValue,       // a value the transaction type needs is empty
    BadNumber,          // not a plain decimal number (1,000 / 1e5 / NaN / spaces)
    NumberOutOfRange,   // too many digits before or after the point for the column
    NegativeAmount,     // amounts, prices, values and fees are magnitudes
    BadTimestamp,       // not an ISO 8601 date-time, or an impossible one
    NaiveTimestamp,     // a date-time without a zone: its instant is unknown
    UnknownType,        // a transaction type (or label) that has no mapping
    InvalidValue,       // another value the schema refuses (too long, bad integer, ...)
    InvalidRow,         // the row as a whole breaks a rule (e.g. a swap of one asset)
};
QString toString(ProblemCode code); // "bad_number", "naive_timestamp", ...

struct ImportProblem {
    QString file;    // the file name as given
    qint64 line = 0; // 1-based physical line; 0 for the file as a whole
    QString column;  // the header's column name; empty when the problem is not one column's
    ProblemCode code = ProblemCode::InvalidRow;
    QString message; // translated, says why

    // "file:line: column: message (code)", the form the CLI prints.
    QString toString() const;
};

} // namespace llamadesk::import
