#pragma once

#include "Result.h"
#include "tax/TaxResult.h"

#include <QChar>
#include <QCoreApplication>
#include <QDate>
#include <QIODevice>
#include <QString>

namespace llamadesk::tax {

// What the US form exports need besides the result.
struct ExportOptions {
    // Form 8949 (2025) boxes for digital assets: G/J basis reported on Form 1099-DA, H/K
    // reported without basis, I/L no Form 1099-DA. The engine does not know which 1099-DA a
    // disposal appears on, so every row goes in one box per term: I and L by default.
    QChar shortTermBox = QLatin1Char('I');
    QChar longTermBox = QLatin1Char('L');
};

// Helpers shared by the export writers.
class ExportFormat {
    Q_DECLARE_TR_FUNCTIONS(ExportFormat)

public:
    // Money as printed: cents, two decimals, a minus sign for negatives ("-12.30").
    static QString money(const Decimal& value);
    // MM/DD/YYYY, the date form of US tax software and the IRS forms.
    static QString usDate(const QDate& date);
    // The Form 8949 box of a row.
    static QChar box(Term term, const ExportOptions& options);
    // Failure unless the options are US boxes and the result is a US report.
    static Status checkUsForm(const TaxResult& result, const ExportOptions& options,
                              const QString& format);
};

} // namespace llamadesk::tax
