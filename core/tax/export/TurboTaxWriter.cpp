#include "tax/export/TurboTaxWriter.h"

#include "tax/export/CsvWriter.h"

namespace llamadesk::tax {

QStringList TurboTaxWriter::header() {
    return {QStringLiteral("Currency Name"), QStringLiteral("Purchase Date"),
            QStringLiteral("Cost Basis"), QStringLiteral("Date Sold"), QStringLiteral("Proceeds")};
}

Status TurboTaxWriter::write(const TaxResult& result, QIODevice* device,
                             const ExportOptions& options) {
    if (Status s = ExportFormat::checkUsForm(result, options, QStringLiteral("TurboTax")); !s)
        return s;
    if (!device || !device->isWritable())
        return Status::failure(tr("The TurboTax file has nowhere to go: the output is not open "
                                  "for writing."));
    CsvWriter csv(device);
    csv.row(header());
    for (int i = 0; i < result.disposalCount(); ++i) {
        const Disposal d = result.printedDisposal(i);
        for (const LotMatch& m : d.lots) {
            // Intuit's import fails on negative numbers. Negative proceeds (fees above the value
            // received) are shown as 0 proceeds and a basis larger by as much: the same gain.
            Decimal cost = m.costBasis;
            Decimal proceeds = m.proceeds;
            if (proceeds.isNegative()) {
                cost = cost - proceeds;
                proceeds = Decimal();
            }
            csv.row({d.asset, ExportFormat::usDate(m.acquired), ExportFormat::money(cost),
                     ExportFormat::usDate(d.dateSold), ExportFormat::money(proceeds)});
        }
    }
    return csv.finish();
}

} // namespace llamadesk::tax
