#include "GdprExport.h"

#include "domain/Timestamp.h"

#include <QByteArray>
#include <QSaveFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QVariant>

namespace llamadesk::app {

namespace {

// A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259).
void appendJsonString(QByteArray* out, const QString& text) {
    out->append('"');
    const QByteArray utf8 = text.toUtf8();
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out->append("\\\"");
            break;
        case '\\':
            out->append("\\\\");
            break;
        case '\n':
            out->append("\\n");
            break;
        case '\r':
            out->append("\\r");
            break;
        case '\t':
            out->append("\\t");
            break;
        default:
            if (u < 0x20) {
                out->append("\\u00");
                out->append("0123456789abcdef"[u >> 4]);
                out->append("0123456789abcdef"[u & 0xf]);
            } else {
                out->append(c);
            }
        }
    }
    out->append('"');
}

void appendJsonValue(QByteArray* out, const QVariant& value) {
    if (value.isNull()) {
        out->append("null");
        return;
    }
    switch (value.metaType().id()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        out->append(value.toString().toLatin1()); // digits, never through a double
        return;
    case QMetaType::Double:
        // SQLite REAL (the schema keeps none); text keeps the value as SQLite printed it.
        appendJsonString(out, value.toString());
        return;
    case QMetaType::QByteArray:
        appendJsonString(out, QString::fromLatin1(value.toByteArray().toBase64()));
        return;
    default:
        appendJsonString(out, value.toString());
    }
}

// Identifiers cannot be bound as parameters: table names come from sqlite_master (the schema
// itself, never user input) and are quoted.
QString quoted(const QString& identifier) {
    QString q = identifier;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

} // namespace

bool GdprExport::isSecretSetting(const QString& key) {
    const QString k = key.toLower();
    for (const char* word : {"token", "password", "passphrase", "secret", "key"}) {
        if (k.contains(QLatin1String(word)))
            return true;
    }
    return false;
}

Result<QStringList> GdprExport::tables(const QSqlDatabase& db) {
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                  "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")) ||
        !q.exec()) {
        return Result<QStringList>::failure(
            tr("Export: cannot list the tables: %1").arg(q.lastError().text()));
    }
    QStringList names;
    while (q.next())
        names.append(q.value(0).toString());
    return names;
}

Result<GdprExportSummary> GdprExport::write(const QSqlDatabase& db, const QString& path,
                                            const GdprExportOptions& options) {
    using R = Result<GdprExportSummary>;
    const Result<QStringList> names = tables(db);
    if (!names)
        return R::failure(names.error());

    // Row counts first: they drive the progress and are checked against what was written.
    QList<qint64> counts;
    qint64 total = 0;
    for (const QString& table : names.value()) {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.prepare(QStringLiteral("SELECT count(*) FROM ") + quoted(table)) || !q.exec() ||
            !q.next()) {
            return R::failure(
                tr("Export: cannot count the rows of %1: %2").arg(table, q.lastError().text()));
        }
        counts.append(q.value(0).toLongLong());
        total += counts.constLast();
    }

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return R::failure(tr("Export: cannot write %1: %2").arg(path, file.errorString()));
    GdprExportSummary summary;
    QByteArray buffer;
    buffer.reserve(1 << 20);
    auto flush = [&](bool force) {
        if (!force && buffer.size() < (1 << 20))
            return true;
        const bool ok = file.write(buffer) == buffer.size();
        summary.bytes += buffer.size();
        buffer.clear();
        return ok;
    };
    auto fail = [&](const QString& message) {
        file.cancelWriting();
        return R::failure(message);
    };

    buffer.append("{\"format\":");
    appendJsonString(&buffer, formatName());
    buffer.append(",\"version\":" + QByteArray::number(kFormatVersion) + ",\"exported_at\":");
    appendJsonString(&buffer, Timestamp::now().toString());
    buffer.append(",\"tables\":{");
    qint64 done = 0;
    int lastPercent = -1;
    for (int t = 0; t < names.value().size(); ++t) {
        const QString& table = names.value().at(t);
        if (options.progress)
            options.progress(total > 0 ? int(done * 100 / total) : 0, table);
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.prepare(QStringLiteral("SELECT * FROM ") + quoted(table)) || !q.exec())
            return fail(tr("Export: cannot read %1: %2").arg(table, q.lastError().text()));
        const QSqlRecord record = q.record();
        const bool settings = table == QLatin1String("settings");
        const int keyColumn = record.indexOf(QStringLiteral("key"));
        if (t > 0)
            buffer.append(',');
        appendJsonString(&buffer, table);
        buffer.append(":{\"columns\":[");
        QList<QByteArray> keys;
        for (int c = 0; c < record.count(); ++c) {
            QByteArray key;
            appendJsonString(&key, record.fieldName(c));
            keys.append(key);
            if (c > 0)
                buffer.append(',');
            buffer.append(key);
        }
        buffer.append("],\"rows\":[");
        qint64 written = 0;
        qint64 read = 0;
        while (q.next()) {
            ++read;
            if (options.cancel != nullptr && options.cancel->load())
                return fail(tr("Export cancelled."));
            if (settings && keyColumn >= 0 && isSecretSetting(q.value(keyColumn).toString())) {
                ++summary.redactedSettings;
                continue;
            }
            if (written > 0)
                buffer.append(',');
            buffer.append('{');
            for (int c = 0; c < keys.size(); ++c) {
                if (c > 0)
                    buffer.append(',');
                buffer.append(keys.at(c));
                buffer.append(':');
                appendJsonValue(&buffer, q.value(c));
            }
            buffer.append('}');
            ++written;
            if (!flush(false))
                return fail(tr("Export: cannot write %1: %2").arg(path, file.errorString()));
            const int percent = total > 0 ? int((done + read) * 100 / total) : 100;
            if (options.progress && percent != lastPercent) {
                lastPercent = percent;
                options.progress(percent, table);
            }
        }
        if (q.lastError().isValid())
            return fail(tr("Export: reading %1 failed: %2").arg(table, q.lastError().text()));
        if (read != counts.at(t)) {
            return fail(tr("Export: %1 changed while it was exported (%2 rows counted, %3 read).")
                            .arg(table)
                            .arg(counts.at(t))
                            .arg(read));
        }
        buffer.append("],\"row_count\":" + QByteArray::number(written) + '}');
        done += read;
        summary.rows += written;
        summary.tables.append({table, written});
    }
    buffer.append("}}\n");
    if (!flush(true) || !file.commit())
        return fail(tr("Export: cannot write %1: %2").arg(path, file.errorString()));
    if (options.progress)
        options.progress(100, QString());
    return summary;
}

} // namespace llamadesk::app
