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
            csv.row({d.asset, ExportFormat::usDate(m.acquired), ExportFormat::money(m.costBasis),
                     ExportFormat::usDate(d.dateSold), ExportFormat::money(m.proceeds)});
        }
    }
    return csv.finish();
}

} // namespace llamadesk::tax
