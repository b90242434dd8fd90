#include "JsonReader.h"

#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

namespace llamadesk::server {

JsonReader::JsonReader(QJsonObject object, QString path)
    : m_object(std::move(object))
    , m_path(std::move(path)) {}

bool JsonReader::parseObject(const QByteArray& body, QJsonObject* out, HttpResponse* error) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        QJsonObject extra;
        extra.insert(QStringLiteral("offset"), parseError.offset);
        *error = HttpResponse::error(400, QStringLiteral("invalid_json"),
                                     tr("the body is not valid JSON: %1 at offset %2")
                                         .arg(parseError.errorString())
                                         .arg(parseError.offset),
                                     extra);
        return false;
    }
    if (!doc.isObject()) {
        *error = HttpResponse::error(400, QStringLiteral("invalid_json"),
                                     tr("the body must be a JSON object"));
        return false;
    }
    *out = doc.object();
    return true;
}

QString JsonReader::path(const QString& name) const {
    return m_path.isEmpty() ? name : m_path + QLatin1Char('.') + name;
}

bool JsonReader::fail(const QString& field, const QString& reason) {
    if (m_field.isEmpty()) {
        m_field = field;
        m_reason = reason;
    }
    return false;
}

bool JsonReader::isUuid(const QString& text) {
    static const QRegularExpression re(QStringLiteral(
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    return re.match(text).hasMatch();
}

bool JsonReader::field(const char* name, bool required, QJsonValue* out) {
    *out = m_object.value(QLatin1String(name));
    if (out->isUndefined() && required)
        return fail(path(QLatin1String(name)), tr("is required"));
    return true;
}

bool JsonReader::checkSize(const QString& field, qsizetype size, qsizetype max, qsizetype min,
                           bool items) {
    if (size > max)
        return fail(field, items ? tr("must have at most %1 items").arg(max)
                                 : tr("must be at most %1 characters").arg(max));
    if (size < min)
        return fail(field, tr("must be at least %1 characters").arg(min));
    return true;
}

bool JsonReader::string(const char* name, QString* out, bool required, int maxLength,
                        int minLength) {
    QJsonValue v;
    if (!field(name, required, &v))
        return false;
    if (v.isUndefined())
        return true;
    const QString key = path(QLatin1String(name));
    if (!v.isString())
        return fail(key, tr("must be a string"));
    if (!checkSize(key, v.toString().size(), maxLength, minLength))
        return false;
    *out = v.toString();
    return true;
}

bool JsonReader::nullableString(const char* name, QString* out, bool* present, int maxLength) {
    QJsonValue v;
    field(name, false, &v);
    *present = !v.isUndefined();
    if (!*present)
        return true;
    if (v.isNull()) {
        *out = QString();
        return true;
    }
    if (!v.isString())
        return fail(path(QLatin1String(name)), tr("must be a string or null"));
    if (!checkSize(path(QLatin1String(name)), v.toString().size(), maxLength))
        return false;
    *out = v.toString();
    return true;
}

bool JsonReader::integer(const char* name, qint64* out, bool required, qint64 min, qint64 max) {
    QJsonValue v;
    if (!field(name, required, &v))
        return false;
    if (v.isUndefined())
        return true;
    // JSON numbers arrive as doubles: only whole numbers inside the exact range are taken.
    const double d = v.toDouble();
    if (!v.isDouble() || std::trunc(d) != d || std::fabs(d) > 9007199254740991.0)
        return fail(path(QLatin1String(name)), tr("must be a whole number"));
    const auto n = static_cast<qint64>(d);
    if (n < min || n > max)
        return fail(path(QLatin1String(name)), tr("must be from %1 to %2").arg(min).arg(max));
    *out = n;
    return true;
}

bool JsonReader::boolean(const char* name, bool* out, bool required) {
    QJsonValue v;
    if (!field(name, required, &v))
        return false;
    if (v.isUndefined())
        return true;
    if (!v.isBool())
        return fail(path(QLatin1String(name)), tr("must be true or false"));
    *out = v.toBool();
    return true;
}

bool JsonReader::uuid(const char* name, QString* out, bool required) {
    QString s;
    if (!string(name, &s, required, 36))
        return false;
    if (!has(name))
        return true;
    if (!isUuid(s))
        return fail(path(QLatin1String(name)), tr("must be a UUID"));
    *out = s.toLower();
    return true;
}

bool JsonReader::stringList(const char* name, QStringList* out, bool required,
                            const QStringList& allowed, int maxItems) {
    QJsonArray a;
    if (!array(name, &a, required, maxItems, tr("must be an array of strings")))
        return false;
    if (!has(name))
        return true;
    QStringList list;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const QString itemPath = path(QLatin1String(name)) + QStringLiteral("[%1]").arg(i);
        if (!a.at(i).isString())
            return fail(itemPath, tr("must be a string"));
        const QString s = a.at(i).toString();
        if (!allowed.isEmpty() && !allowed.contains(s))
            return fail(itemPath, tr("must be one of: %1").arg(allowed.join(QStringLiteral(", "))));
        if (!checkSize(itemPath, s.size(), 255))
            return false;
        if (!list.contains(s))
            list.append(s);
    }
    *out = list;
    return true;
}

bool JsonReader::object(const char* name, QJsonObject* out, bool required) {
    QJsonValue v;
    if (!field(name, required, &v))
        return false;
    if (v.isUndefined())
        return true;
    if (!v.isObject())
        return fail(path(QLatin1String(name)), tr("must be an object"));
    *out = v.toObject();
    return true;
}

bool JsonReader::array(const char* name, QJsonArray* out, bool required, int maxItems) {
    return array(name, out, required, maxItems, tr("must be an array"));
}

bool JsonReader::array(const char* name, QJsonArray* out, bool required, int maxItems,
                       const QString& notAnArray) {
    QJsonValue v;
    if (!field(name, required, &v))
        return false;
    if (v.isUndefined())
        return true;
    if (!v.isArray())
        return fail(path(QLatin1String(name)), notAnArray);
    if (!checkSize(path(QLatin1String(name)), v.toArray().size(), maxItems, 0, true))
        return false;
    *out = v.toArray();
    return true;
}

bool JsonReader::onlyKnown(std::initializer_list<const char*> known) {
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        bool ok = false;
        for (const char* k : known)
            ok = ok || it.key() == QLatin1String(k);
        if (!ok)
            return fail(path(it.key()), tr("is not a field of this request"));
    }
    return true;
}

} // namespace llamadesk::server
