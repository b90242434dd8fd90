#pragma once

#include "Result.h"
#include "tax/TaxResult.h"
#include "tax/export/ExportFormat.h"

#include <QCoreApplication>
#include <QIODevice>

namespace llamadesk::tax {

// The Schedule D (Form 1040) lines the report fills, as CSV: the Form 8949 totals of the short
// term box on line 1b, 2 or 3 (boxes G, H, I) and of the long term box on line 8b, 9 or 10
// (J, K, L), with proceeds, cost, adjustments and gain; line 7 (net short term), line 15 (net
// long term) and line 16 (their sum). Lines the ledger cannot know (other forms, carryovers,
// capital gain distributions) are left to the preparer.
class ScheduleDWriter {
    Q_DECLARE_TR_FUNCTIONS(ScheduleDWriter)

public:
    static QStringList header();
    // The Schedule D line a Form 8949 box totals to ("3" for box I).
    static QString lineForBox(QChar box);
    static Status write(const TaxResult& result, QIODevice* device,
                        const ExportOptions& options = ExportOptions());
};

} // namespace llamadesk::tax
