#include "FieldValidator.h"

#include "domain/Timestamp.h"
#include "domain/Uuid.h"

#include <QDate>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLatin1String>

namespace llamadesk {

namespace {

QString name(const char* field) {
    return QLatin1String(field);
}

} // namespace

QString FieldValidator::missing(const char* field) {
    return tr("%1 is required.").arg(name(field));
}

void FieldValidator::uuid(const char* field, const QString& value, bool required) {
    if (value.isEmpty()) {
        if (required)
            add(missing(field));
        return;
    }
    if (!isCanonicalUuid(value))
        add(tr("%1 must be a lowercase UUID (8-4-4-4-12 hexadecimal digits).").arg(name(field)));
}

void FieldValidator::text(const char* field, const QString& value, int maxLength, bool required) {
    if (required && value.trimmed().isEmpty()) {
        add(missing(field));
        return;
    }
    // VARCHAR(n) on the server counts characters (code points), not UTF-16 units.
    if (value.size() > maxLength) {
        const qsizetype characters = value.toUcs4().size();
        if (characters > maxLength) {
            add(tr("%1 is too long: %2 characters, at most %3 are allowed.")
                    .arg(name(field))
                    .arg(characters)
                    .arg(maxLength));
        }
    }
}

void FieldValidator::text(const char* field, const std::optional<QString>& value, int maxLength) {
    if (value)
        text(field, *value, maxLength, false);
}

void FieldValidator::decimal(const char* field, const Decimal& value, int precision, int scale,
                             Sign sign) {
    if (!value.isValid()) {
        add(tr("%1 is not a valid number.").arg(name(field)));
        return;
    }
    if (sign == Sign::NonNegative && value.isNegative()) {
        add(tr("%1 must not be negative.").arg(name(field)));
    } else if (sign == Sign::Positive && !value.isPositive()) {
        add(tr("%1 must be greater than zero.").arg(name(field)));
    }
    if (!value.fitsPrecision(precision, scale)) {
        if (value.scale() > scale) {
            add(tr("%1 has %2 decimal places, at most %3 are allowed.")
                    .arg(name(field))
                    .arg(value.scale())
                    .arg(scale));
        } else {
            add(tr("%1 is too large: at most %2 digits before the decimal point are allowed.")
                    .arg(name(field))
                    .arg(precision - scale));
        }
    }
}

void FieldValidator::decimal(const char* field, const std::optional<Decimal>& value, int precision,
                             int scale, Sign sign) {
    if (value)
        decimal(field, *value, precision, scale, sign);
}

void FieldValidator::integer(const char* field, qint64 value, qint64 min, qint64 max) {
    if (value < min || value > max) {
        add(tr("%1 must be between %2 and %3 (it is %4).")
                .arg(name(field))
                .arg(min)
                .arg(max)
                .arg(value));
    }
}

void FieldValidator::integer(const char* field, const std::optional<qint64>& value, qint64 min,
                             qint64 max) {
    if (value)
        integer(field, *value, min, max);
}

void FieldValidator::timestamp(const char* field, const Timestamp& value) {
    if (!value.isValid())
        add(tr("%1 is not a valid point in time.").arg(name(field)));
}

void FieldValidator::timestamp(const char* field, const std::optional<Timestamp>& value) {
    if (value)
        timestamp(field, *value);
}

void FieldValidator::json(const char* field, const QString& value) {
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(value.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || doc.isNull()) {
        add(tr("%1 is not valid JSON (%2 at offset %3).")
                .arg(name(field), error.errorString())
                .arg(error.offset));
    }
}

void FieldValidator::json(const char* field, const std::optional<QString>& value) {
    if (value)
        json(field, *value);
}

void FieldValidator::date(const char* field, const QString& value) {
    if (value.isEmpty()) {
        add(missing(field));
        return;
    }
    const QDate d = QDate::fromString(value, Qt::ISODate);
    if (value.size() != 10 || !d.isValid() || d.year() < 1)
        add(tr("%1 must be a date written as YYYY-MM-DD.").arg(name(field)));
}

} // namespace llamadesk
