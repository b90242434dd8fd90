#pragma once

#include "Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <utility>

namespace llamadesk::app {

struct GdprExportOptions {
    // Called as tables are written: percent 0..100 and the table being written.
    std::function<void(int percent, const QString& table)> progress;
    // Checked between rows; when set the export stops and no file is left behind.
    const std::atomic<bool>* cancel = nullptr;
};

struct GdprExportSummary {
    QList<std::pair<QString, qint64>> tables; // every table written, with its row count
    qint64 rows = 0;
    qint64 bytes = 0;
    qint64 redactedSettings = 0; // settings rows left out because they may hold a secret
};

// "Export everything": every table of the local vault written to one JSON file, the data
// protection export a user may ask for. Streamed row by row (a vault of a million transactions
// never sits in memory), written to a temporary file that replaces `path` only when complete.
//
// Format: {"format":"llamadesk-export","version":1,"exported_at":"...","tables":{"<name>":
// {"columns":[...],"rows":[{"<column>":value,...},...],"row_count":N},...}}. Text stays text
// (decimals are their exact strings), integers stay integers (written as digits, not through a
// double), NULL is null, blobs are base64. The vault's keys are not in the database at all; the
// settings rows whose key names a secret (token, password, passphrase, secret, key) are left
// out and counted.
class GdprExport {
    Q_DECLARE_TR_FUNCTIONS(GdprExport)

public:
    static QString formatName() { return QStringLiteral("llamadesk-export"); }
    static constexpr int kFormatVersion = 1;

    // The tables written, in order (every table of the schema but SQLite's own).
    static Result<QStringList> tables(const QSqlDatabase& db);
    static Result<GdprExportSummary> write(const QSqlDatabase& db, const QString& path,
                                           const GdprExportOptions& options = {});
    // Whether a settings key may name a secret, so its value is not exported.
    static bool isSecretSetting(const QString& key);
};

} // namespace llamadesk::app
