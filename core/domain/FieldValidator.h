#pragma once

#include "money/Decimal.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace llamadesk {

class Timestamp;

// Collects the validation messages of one row. Every message names the field (the column name,
// so the UI can map it to its editor) and says why the value is refused. Messages are translated.
class FieldValidator {
    Q_DECLARE_TR_FUNCTIONS(FieldValidator)

public:
    enum class Sign { Any, NonNegative, Positive };

    // A canonical lowercase UUID; an empty value is refused unless `required` is false.
    void uuid(const char* field, const QString& value, bool required = true);
    // Text of at most maxLength characters; `required` refuses empty or blank text.
    void text(const char* field, const QString& value, int maxLength, bool required);
    void text(const char* field, const std::optional<QString>& value, int maxLength);
    // A decimal that a DECIMAL(precision, scale) column stores without rounding.
    void decimal(const char* field, const Decimal& value, int precision, int scale, Sign sign);
    void decimal(const char* field, const std::optional<Decimal>& value, int precision, int scale,
                 Sign sign);
    void integer(const char* field, qint64 value, qint64 min, qint64 max);
    void integer(const char* field, const std::optional<qint64>& value, qint64 min, qint64 max);
    void timestamp(const char* field, const Timestamp& value);
    void timestamp(const char* field, const std::optional<Timestamp>& value);
    // Well-formed JSON whose top level is an object or an array; nullopt is SQL NULL.
    void json(const char* field, const QString& value);
    void json(const char* field, const std::optional<QString>& value);
    // A calendar date "YYYY-MM-DD".
    void date(const char* field, const QString& value);
    void add(const QString& message) { m_errors.append(message); }

    bool ok() const { return m_errors.isEmpty(); }
    const QStringList& errors() const { return m_errors; }

private:
    static QString missing(const char* field);

    QStringList m_errors;
};

} // namespace llamadesk
