#pragma once

#include "Result.h"
#include "tax/TaxResult.h"

#include <QCoreApplication>
#include <QIODevice>

namespace llamadesk::tax {

// The machine-readable report: one JSON object with "currency", "summary" (the tax_reports
// fields without "_usd"), "disposals" (each with its lots), "income", "expenses", "warnings"
// (each with a "code"), "holdings" and the "safe_harbor_allocation". Money is printed (cents,
// the figures the summary adds up), units exact; every number is a decimal string, so no
// reader turns them into floating point. Written as a stream: a million rows are never all in
// memory as JSON values.
class JsonReportWriter {
    Q_DECLARE_TR_FUNCTIONS(JsonReportWriter)

public:
    static Status write(const TaxResult& result, QIODevice* device);
};

} // namespace llamadesk::tax
