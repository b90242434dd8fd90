#include "tax/export/ExportFormat.h"

namespace llamadesk::tax {

QString ExportFormat::money(const Decimal& value) {
    return TaxResult::cents(value).toString(2);
}

QString ExportFormat::usDate(const QDate& date) {
    return date.isValid() ? date.toString(QStringLiteral("MM/dd/yyyy")) : QString();
}

QChar ExportFormat::box(Term term, const ExportOptions& options) {
    return term == Term::Long ? options.longTermBox : options.shortTermBox;
}

Status ExportFormat::checkUsForm(const TaxResult& result, const ExportOptions& options,
                                 const QString& format) {
    if (result.options().jurisdiction != Jurisdiction::UnitedStates) {
        return Status::failure(tr("%1 is a US format; this report follows the rules of %2.")
                                   .arg(format, toString(result.options().jurisdiction)));
    }
    const QString shortBoxes = QStringLiteral("GHI");
    const QString longBoxes = QStringLiteral("JKL");
    if (!shortBoxes.contains(options.shortTermBox) || !longBoxes.contains(options.longTermBox)) {
        return Status::failure(tr("Form 8949 digital-asset boxes are G, H or I for short term and "
                                  "J, K or L for long term (given: %1 and %2).")
                                   .arg(options.shortTermBox)
                                   .arg(options.longTermBox));
    }
    return Status::success();
}

} // namespace llamadesk::tax
