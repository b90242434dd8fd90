#pragma once

#include "Result.h"
#include "tax/TaxResult.h"
#include "tax/export/ExportFormat.h"

#include <QCoreApplication>
#include <QIODevice>

namespace llamadesk::tax {

// IRS Form 8949 (2025) as CSV: Part I (short term) then Part II (long term), each row in the
// digital-asset box of ExportOptions (I and L by default: no Form 1099-DA), with the form's
// columns (a) to (h) and a totals line per box (the form's line 2, which goes to Schedule D).
// Dates MM/DD/YYYY, "VARIOUS" when a row's lots were acquired on several dates; no adjustment
// codes (column f and g stay empty). The rows and totals are the printed figures of the report.
class Form8949Writer {
    Q_DECLARE_TR_FUNCTIONS(Form8949Writer)

public:
    static QStringList header();
    static Status write(const TaxResult& result, QIODevice* device,
                        const ExportOptions& options = ExportOptions());
};

} // namespace llamadesk::tax
