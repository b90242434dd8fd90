#pragma once

#include "domain/Timestamp.h"
#include "money/Decimal.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace llamadesk {

enum class ReportType { Annual, Quarterly, Custom };
QString toString(ReportType type); // "annual", "quarterly", "custom"
std::optional<ReportType> reportTypeFromString(QStringView text);

enum class ReportFormat { Pdf, Csv, TurboTax, TaxAct };
QString toString(ReportFormat format); // "PDF", "CSV", "TurboTax", "TaxAct"
std::optional<ReportFormat> reportFormatFromString(QStringView text);

enum class ReportStatus { Pending, Processing, Completed, Failed };
QString toString(ReportStatus status); // "pending", "processing", "completed", "failed"
std::optional<ReportStatus> reportStatusFromString(QStringView text);

// One row of tax_reports. USD totals are DECIMAL(20,2); losses are stored as a positive
// magnitude, so net = gains - losses.
struct TaxReport {
    QString id;
    QString userId;

    ReportType reportType = ReportType::Annual;
    qint64 taxYear = 0;
    QString countryCode; // ISO 3166-1 alpha-2, e.g. "US"
    QString startDate;   // "YYYY-MM-DD"
    QString endDate;     // "YYYY-MM-DD", inclusive

    qint64 totalTransactions = 0;
    Decimal totalCapitalGainsUsd;
    Decimal totalCapitalLossesUsd;
    Decimal netCapitalGainsUsd;
    Decimal totalIncomeUsd;
    Decimal totalExpensesUsd;
    Decimal longTermGainsUsd; // net, may be negative
    Decimal shortTermGainsUsd;

    std::optional<ReportFormat> reportFormat;
    std::optional<QString> fileUrl; // at most 500 characters
    std::optional<qint64> fileSizeBytes;

    ReportStatus status = ReportStatus::Pending;
    std::optional<QString> errorMessage;

    std::optional<Timestamp> generatedAt;
    std::optional<Timestamp> createdAt; // set by the repository when empty
    std::optional<Timestamp> updatedAt;
    std::optional<Timestamp> deletedAt;
    qint64 rowVersion = 0; // server-assigned, 0 until synced; never written locally

    QStringList validate() const;

    friend bool operator==(const TaxReport& a, const TaxReport& b);
    friend bool operator!=(const TaxReport& a, const TaxReport& b) { return !(a == b); }

    Q_DECLARE_TR_FUNCTIONS(TaxReport)
};

} // namespace llamadesk
