#include "tax/export/Form8949Writer.h"

#include "tax/export/CsvWriter.h"

namespace llamadesk::tax {

QStringList Form8949Writer::header() {
    return {QStringLiteral("Part"),
            QStringLiteral("Box"),
            QStringLiteral("(a) Description of property"),
            QStringLiteral("(b) Date acquired"),
            QStringLiteral("(c) Date sold or disposed of"),
            QStringLiteral("(d) Proceeds (sales price)"),
            QStringLiteral("(e) Cost or other basis"),
            QStringLiteral("(f) Code(s)"),
            QStringLiteral("(g) Amount of adjustment"),
            QStringLiteral("(h) Gain or (loss)")};
}

Status Form8949Writer::write(const TaxResult& result, QIODevice* device,
                             const ExportOptions& options) {
    if (Status s = ExportFormat::checkUsForm(result, options, QStringLiteral("Form 8949")); !s)
        return s;
    if (!device || !device->isWritable())
        return Status::failure(tr("Form 8949 has nowhere to go: the output is not open for "
                                  "writing."));
    CsvWriter csv(device);
    csv.row(header());
    for (const Term term : {Term::Short, Term::Long}) {
        const QString part = term == Term::Short ? QStringLiteral("I") : QStringLiteral("II");
        const QString box = ExportFormat::box(term, options);
        Decimal proceeds;
        Decimal cost;
        Decimal gain;
        for (int i = 0; i < result.disposalCount(); ++i) {
            const Disposal d = result.printedDisposal(i);
            if (d.term != term)
                continue;
            csv.row({part, box, d.description(),
                     d.variousAcquired ? QStringLiteral("VARIOUS")
                                       : ExportFormat::usDate(d.dateAcquired),
                     ExportFormat::usDate(d.dateSold), ExportFormat::money(d.proceeds),
                     ExportFormat::money(d.costBasis), QString(), QString(),
                     ExportFormat::money(d.gain)});
            proceeds += d.proceeds;
            cost += d.costBasis;
            gain += d.gain;
        }
        csv.row({part, box, tr("Totals (line 2)"), QString(), QString(),
                 ExportFormat::money(proceeds), ExportFormat::money(cost), QString(), QString(),
                 ExportFormat::money(gain)});
    }
    return csv.finish();
}

} // namespace llamadesk::tax
