#include "tax/export/TaxActWriter.h"

#include "tax/export/CsvWriter.h"

namespace llamadesk::tax {

QStringList TaxActWriter::header() {
    return {QStringLiteral("Description"),         QStringLiteral("Date Acquired"),
            QStringLiteral("Date Sold"),           QStringLiteral("Sales Proceeds"),
            QStringLiteral("Cost or Other Basis"), QStringLiteral("Reporting Category"),
            QStringLiteral("Long/Short")};
}

Status TaxActWriter::write(const TaxResult& result, QIODevice* device,
                           const ExportOptions& options) {
    if (Status s = ExportFormat::checkUsForm(result, options, QStringLiteral("TaxAct")); !s)
        return s;
    if (!device || !device->isWritable())
        return Status::failure(tr("The TaxAct file has nowhere to go: the output is not open "
                                  "for writing."));
    CsvWriter csv(device);
    csv.row(header());
    for (int i = 0; i < result.disposalCount(); ++i) {
        const Disposal d = result.printedDisposal(i);
        csv.row(
            {d.description(),
             d.variousAcquired ? QStringLiteral("Various") : ExportFormat::usDate(d.dateAcquired),
             ExportFormat::usDate(d.dateSold), ExportFormat::money(d.proceeds),
             ExportFormat::money(d.costBasis), QString(ExportFormat::box(d.term, options)),
             d.term == Term::Long ? QStringLiteral("Long") : QStringLiteral("Short")});
    }
    return csv.finish();
}

} // namespace llamadesk::tax
