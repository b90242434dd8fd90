#pragma once

#include "Result.h"
#include "tax/TaxResult.h"
#include "tax/export/ExportFormat.h"

#include <QCoreApplication>
#include <QIODevice>

namespace llamadesk::tax {

// TaxAct's CSV import of capital gains (its "create your own spreadsheet" layout for Form
// 1099-B entries): Description, Date Acquired, Date Sold, Sales Proceeds, Cost or Other Basis,
// plus Reporting Category (the Form 8949 box) and Long/Short (needed with "Various"). One line
// per printed disposal row; dates MM/DD/YYYY.
class TaxActWriter {
    Q_DECLARE_TR_FUNCTIONS(TaxActWriter)

public:
    static QStringList header();
    static Status write(const TaxResult& result, QIODevice* device,
                        const ExportOptions& options = ExportOptions());
};

} // namespace llamadesk::tax
