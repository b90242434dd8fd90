#include "ImportProblem.h"

namespace llamadesk::import {

QString toString(ProblemCode code) {
    switch (code) {
    case ProblemCode::EmptyFile:
        return QStringLiteral("empty_file");
    case ProblemCode::NoRows:
        return QStringLiteral("no_rows");
    case ProblemCode::UnrecognizedFormat:
        return QStringLiteral("unrecognized_format");
    case ProblemCode::DuplicateColumn:
        return QStringLiteral("duplicate_column");
    case ProblemCode::MissingColumn:
        return QStringLiteral("missing_column");
    case ProblemCode::UnknownColumn:
        return QStringLiteral("unknown_column");
    case ProblemCode::BadUtf8:
        return QStringLiteral("bad_utf8");
    case ProblemCode::UnterminatedQuote:
        return QStringLiteral("unterminated_quote");
    case ProblemCode::StrayQuote:
        return QStringLiteral("stray_quote");
    case ProblemCode::FieldTooLong:
        return QStringLiteral("field_too_long");
    case ProblemCode::FieldCount:
        return QStringLiteral("field_count");
    case ProblemCode::MissingValue:
        return QStringLiteral("missing_value");
    case ProblemCode::BadNumber:
        return QStringLiteral("bad_number");
    case ProblemCode::NumberOutOfRange:
        return QStringLiteral("number_out_of_range");
    case ProblemCode::NegativeAmount:
        return QStringLiteral("negative_amount");
    case ProblemCode::BadTimestamp:
        return QStringLiteral("bad_timestamp");
    case ProblemCode::NaiveTimestamp:
        return QStringLiteral("naive_timestamp");
    case ProblemCode::UnknownType:
        return QStringLiteral("unknown_type");
    case ProblemCode::InvalidValue:
        return QStringLiteral("invalid_value");
    case ProblemCode::InvalidRow:
        return QStringLiteral("invalid_row");
    }
    return QString();
}

QString ImportProblem::toString() const {
    QString text = file;
    if (line > 0)
        text += QLatin1Char(':') + QString::number(line);
    text += QStringLiteral(": ");
    if (!column.isEmpty())
        text += column + QStringLiteral(": ");
    text += message + QStringLiteral(" (") + import::toString(code) + QLatin1Char(')');
    return text;
}

} // namespace llamadesk::import
