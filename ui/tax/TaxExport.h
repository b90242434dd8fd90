#pragma once

#include "Result.h"
#include "tax/TaxResult.h"
#include "tax/export/ExportFormat.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace llamadesk::ui {

// The export formats of a tax report, written by the same writers as `llamadesk-cli tax
// --format`: json, csv, 8949, schedule-d, turbotax, taxact and pdf (a UK report: json, csv, pdf).
class TaxExport {
    Q_DECLARE_TR_FUNCTIONS(TaxExport)

public:
    // The formats a result can be exported to, in menu order (the CLI's names).
    static QStringList formats(tax::Jurisdiction jurisdiction);
    // "Form 8949 (CSV)", ...
    static QString label(const QString& format);
    // The file dialog's filter and the default file suffix of a format.
    static QString fileFilter(const QString& format);
    static QString suffix(const QString& format);
    // Writes the report atomically (an earlier file stays as it was on failure). Any thread.
    static Status write(const tax::TaxResult& result, const QString& format, const QString& path,
                        const tax::ExportOptions& options = {});
};

} // namespace llamadesk::ui
