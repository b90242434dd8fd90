#include "tax/export/ScheduleDWriter.h"

#include "tax/export/CsvWriter.h"

namespace llamadesk::tax {

QStringList ScheduleDWriter::header() {
    return {QStringLiteral("Line"),
            QStringLiteral("Description"),
            QStringLiteral("(d) Proceeds (sales price)"),
            QStringLiteral("(e) Cost or other basis"),
            QStringLiteral("(g) Adjustments"),
            QStringLiteral("(h) Gain or (loss)")};
}

QString ScheduleDWriter::lineForBox(QChar box) {
    switch (box.unicode()) {
    case u'G':
        return QStringLiteral("1b");
    case u'H':
        return QStringLiteral("2");
    case u'I':
        return QStringLiteral("3");
    case u'J':
        return QStringLiteral("8b");
    case u'K':
        return QStringLiteral("9");
    case u'L':
        return QStringLiteral("10");
    default:
        return QString();
    }
}

Status ScheduleDWriter::write(const TaxResult& result, QIODevice* device,
                              const ExportOptions& options) {
    if (Status s = ExportFormat::checkUsForm(result, options, QStringLiteral("Schedule D")); !s)
        return s;
    if (!device || !device->isWritable())
        return Status::failure(tr("Schedule D has nowhere to go: the output is not open for "
                                  "writing."));
    Decimal proceeds[2];
    Decimal cost[2];
    Decimal gain[2];
    for (int i = 0; i < result.disposalCount(); ++i) {
        const Disposal d = result.printedDisposal(i);
        const int k = d.term == Term::Long ? 1 : 0;
        proceeds[k] += d.proceeds;
        cost[k] += d.costBasis;
        gain[k] += d.gain;
    }
    CsvWriter csv(device);
    csv.row(header());
    const QChar shortBox = ExportFormat::box(Term::Short, options);
    const QChar longBox = ExportFormat::box(Term::Long, options);
    csv.row({lineForBox(shortBox),
             tr("Short-term totals from Form 8949 with box %1 checked").arg(shortBox),
             ExportFormat::money(proceeds[0]), ExportFormat::money(cost[0]),
             ExportFormat::money(Decimal()), ExportFormat::money(gain[0])});
    csv.row({QStringLiteral("7"), tr("Net short-term capital gain or (loss)"), QString(), QString(),
             QString(), ExportFormat::money(gain[0])});
    csv.row({lineForBox(longBox),
             tr("Long-term totals from Form 8949 with box %1 checked").arg(longBox),
             ExportFormat::money(proceeds[1]), ExportFormat::money(cost[1]),
             ExportFormat::money(Decimal()), ExportFormat::money(gain[1])});
    csv.row({QStringLiteral("15"), tr("Net long-term capital gain or (loss)"), QString(), QString(),
             QString(), ExportFormat::money(gain[1])});
    csv.row({QStringLiteral("16"), tr("Combine lines 7 and 15"), QString(), QString(), QString(),
             ExportFormat::money(gain[0] + gain[1])});
    return csv.finish();
}

} // namespace llamadesk::tax
