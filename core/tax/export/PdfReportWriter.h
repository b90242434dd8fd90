#pragma once

#include "Result.h"
#include "tax/TaxResult.h"
#include "tax/export/ExportFormat.h"

#include <QCoreApplication>
#include <QIODevice>

namespace llamadesk::tax {

// The report a preparer hands to a client, as PDF: a summary page (the tax_reports totals,
// period, method and holdings), the disposals laid out like Form 8949 (US: Part I short term
// and Part II long term, each with its box and totals; UK: one list with the matching rule of
// each row), income, expenses and warnings. Printed figures (cents): every total on the page
// is the sum of the lines above it. US Letter for US reports, A4 for UK ones.
class PdfReportWriter {
    Q_DECLARE_TR_FUNCTIONS(PdfReportWriter)

public:
    static Status write(const TaxResult& result, QIODevice* device,
                        const ExportOptions& options = ExportOptions());
};

} // namespace llamadesk::tax
