#pragma once

#include <QByteArray>
#include <QStringList>

namespace llamadesk::server {

// Small helpers for values bound to statements (never for SQL text).
class SqlText {
public:
    // A PostgreSQL array literal ({"a","b"}) to bind as text and cast with ::text[].
    static QByteArray array(const QStringList& items);
    // The one timestamp form the API sends: UTC, microseconds, "Z".
    static constexpr const char* kTimestampFormat = "YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"";
};

} // namespace llamadesk::server
