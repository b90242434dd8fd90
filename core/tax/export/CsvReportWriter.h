#pragma once

#include "Result.h"
#include "tax/TaxResult.h"

#include <QCoreApplication>
#include <QIODevice>

namespace llamadesk::tax {

// The whole report as one generic CSV, one record per line with a "section" column: the
// summary (one line per tax_reports field), disposal rows, income, expenses, holdings and
// warnings. Money as printed (cents), units exact, dates ISO 8601.
class CsvReportWriter {
    Q_DECLARE_TR_FUNCTIONS(CsvReportWriter)

public:
    static QStringList header();
    static Status write(const TaxResult& result, QIODevice* device);
};

} // namespace llamadesk::tax
