#include "TaxExport.h"

#include "tax/export/CsvReportWriter.h"
#include "tax/export/Form8949Writer.h"
#include "tax/export/JsonReportWriter.h"
#include "tax/export/PdfReportWriter.h"
#include "tax/export/ScheduleDWriter.h"
#include "tax/export/TaxActWriter.h"
#include "tax/export/TurboTaxWriter.h"

#include <QSaveFile>

namespace llamadesk::ui {

QStringList TaxExport::formats(tax::Jurisdiction jurisdiction) {
    if (jurisdiction == tax::Jurisdiction::UnitedKingdom)
        return {QStringLiteral("json"), QStringLiteral("csv"), QStringLiteral("pdf")};
    return {QStringLiteral("pdf"),      QStringLiteral("8949"),   QStringLiteral("schedule-d"),
            QStringLiteral("turbotax"), QStringLiteral("taxact"), QStringLiteral("csv"),
            QStringLiteral("json")};
}

QString TaxExport::label(const QString& format) {
    if (format == QLatin1String("json"))
        return tr("Full report (JSON)");
    if (format == QLatin1String("csv"))
        return tr("Disposals (CSV)");
    if (format == QLatin1String("8949"))
        return tr("Form 8949 (CSV)");
    if (format == QLatin1String("schedule-d"))
        return tr("Schedule D totals (CSV)");
    if (format == QLatin1String("turbotax"))
        return tr("TurboTax import (CSV)");
    if (format == QLatin1String("taxact"))
        return tr("TaxAct import (CSV)");
    if (format == QLatin1String("pdf"))
        return tr("Printable report (PDF)");
    return format;
}

QString TaxExport::suffix(const QString& format) {
    if (format == QLatin1String("json"))
        return QStringLiteral("json");
    if (format == QLatin1String("pdf"))
        return QStringLiteral("pdf");
    return QStringLiteral("csv");
}

QString TaxExport::fileFilter(const QString& format) {
    if (format == QLatin1String("json"))
        return tr("JSON files (*.json)");
    if (format == QLatin1String("pdf"))
        return tr("PDF files (*.pdf)");
    return tr("CSV files (*.csv)");
}

Status TaxExport::write(const tax::TaxResult& result, const QString& format, const QString& path,
                        const tax::ExportOptions& options) {
    if (!formats(result.options().jurisdiction).contains(format))
        return Status::failure(
            tr("TaxExport: '%1' is not an export format of this report.").arg(format));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Status::failure(tr("TaxExport: cannot write %1: %2").arg(path, file.errorString()));
    Status written;
    if (format == QLatin1String("json"))
        written = tax::JsonReportWriter::write(result, &file);
    else if (format == QLatin1String("csv"))
        written = tax::CsvReportWriter::write(result, &file);
    else if (format == QLatin1String("8949"))
        written = tax::Form8949Writer::write(result, &file, options);
    else if (format == QLatin1String("schedule-d"))
        written = tax::ScheduleDWriter::write(result, &file, options);
    else if (format == QLatin1String("turbotax"))
        written = tax::TurboTaxWriter::write(result, &file, options);
    else if (format == QLatin1String("taxact"))
        written = tax::TaxActWriter::write(result, &file, options);
    else
        written = tax::PdfReportWriter::write(result, &file, options);
    if (!written) {
        file.cancelWriting();
        return written;
    }
    if (!file.commit())
        return Status::failure(tr("TaxExport: cannot write %1: %2").arg(path, file.errorString()));
    return Status::success();
}

} // namespace llamadesk::ui
