#pragma once

#include "http/HttpResponse.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <initializer_list>

namespace llamadesk::server {

// Reads the fields of a JSON object with checks, and remembers the first problem as a
// field path ("mutations[3].fields.name") and a reason, which become the 400 answer.
class JsonReader {
    Q_DECLARE_TR_FUNCTIONS(JsonReader)

public:
    explicit JsonReader(QJsonObject object, QString path = {});

    // Parses a request body that must be one JSON object.
    static bool parseObject(const QByteArray& body, QJsonObject* out, HttpResponse* error);

    bool string(const char* name, QString* out, bool required, int maxLength, int minLength = 0);
    // A string, or null (sets *isNull); absent leaves *present false.
    bool nullableString(const char* name, QString* out, bool* present, int maxLength);
    bool integer(const char* name, qint64* out, bool required, qint64 min, qint64 max);
    bool boolean(const char* name, bool* out, bool required);
    bool uuid(const char* name, QString* out, bool required);
    bool stringList(const char* name, QStringList* out, bool required, const QStringList& allowed,
                    int maxItems);
    bool object(const char* name, QJsonObject* out, bool required);
    bool array(const char* name, QJsonArray* out, bool required, int maxItems);
    // Refuses fields the endpoint does not know (usually a client typo).
    bool onlyKnown(std::initializer_list<const char*> known);

    bool has(const char* name) const { return m_object.contains(QLatin1String(name)); }
    QString path(const QString& name) const;
    bool failed() const { return !m_field.isEmpty(); }
    bool fail(const QString& field, const QString& reason);
    HttpResponse errorResponse() const { return HttpResponse::invalid(m_field, m_reason); }
    QString field() const { return m_field; }
    QString reason() const { return m_reason; }

    static bool isUuid(const QString& text);

private:
    // The field's value (undefined when absent); false, with the failure noted, when a
    // required field is absent.
    bool field(const char* name, bool required, QJsonValue* out);
    // Length of a string (or, with items, of an array) within min..max.
    bool checkSize(const QString& field, qsizetype size, qsizetype max, qsizetype min = 0,
                   bool items = false);
    bool array(const char* name, QJsonArray* out, bool required, int maxItems,
               const QString& notAnArray);

    QJsonObject m_object;
    QString m_path;
    QString m_field;
    QString m_reason;
};

} // namespace llamadesk::server
