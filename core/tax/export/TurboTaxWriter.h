#pragma once

#include "Result.h"
#include "tax/TaxResult.h"
#include "tax/export/ExportFormat.h"

#include <QCoreApplication>
#include <QIODevice>

namespace llamadesk::tax {

// TurboTax's CSV of crypto gains and losses ("Currency Name, Purchase Date, Cost Basis, Date
// Sold, Proceeds"): one line per lot of each disposal row, so every line has its own purchase
// date and TurboTax derives the holding period itself. Dates MM/DD/YYYY, amounts in dollars and
// cents without signs or symbols. The lines add up to the report's printed rows.
class TurboTaxWriter {
    Q_DECLARE_TR_FUNCTIONS(TurboTaxWriter)

public:
    static QStringList header();
    static Status write(const TaxResult& result, QIODevice* device,
                        const ExportOptions& options = ExportOptions());
};

} // namespace llamadesk::tax
