#include "TaxReport.h"

#include "domain/EnumText.h"
#include "domain/FieldValidator.h"

#include <limits>

namespace llamadesk {

namespace {

const EnumText::Entry<ReportType> kReportTypes[] = {
    {ReportType::Annual, "annual"},
    {ReportType::Quarterly, "quarterly"},
    {ReportType::Custom, "custom"},
};

const EnumText::Entry<ReportFormat> kReportFormats[] = {
    {ReportFormat::Pdf, "PDF"},
    {ReportFormat::Csv, "CSV"},
    {ReportFormat::TurboTax, "TurboTax"},
    {ReportFormat::TaxAct, "TaxAct"},
};

const EnumText::Entry<ReportStatus> kReportStatuses[] = {
    {ReportStatus::Pending, "pending"},
    {ReportStatus::Processing, "processing"},
    {ReportStatus::Completed, "completed"},
    {ReportStatus::Failed, "failed"},
};

bool isCountryCode(const QString& code) {
    return code.size() == 2 && code.at(0) >= QLatin1Char('A') && code.at(0) <= QLatin1Char('Z') &&
           code.at(1) >= QLatin1Char('A') && code.at(1) <= QLatin1Char('Z');
}

} // namespace

QString toString(ReportType type) {
    return EnumText::toString(kReportTypes, type);
}
std::optional<ReportType> reportTypeFromString(QStringView text) {
    return EnumText::fromString(kReportTypes, text);
}
QString toString(ReportFormat format) {
    return EnumText::toString(kReportFormats, format);
}
std::optional<ReportFormat> reportFormatFromString(QStringView text) {
    return EnumText::fromString(kReportFormats, text);
}
QString toString(ReportStatus status) {
    return EnumText::toString(kReportStatuses, status);
}
std::optional<ReportStatus> reportStatusFromString(QStringView text) {
    return EnumText::fromString(kReportStatuses, text);
}

QStringList TaxReport::validate() const {
    using Sign = FieldValidator::Sign;
    FieldValidator v;
    v.uuid("id", id);
    v.uuid("user_id", userId);
    v.integer("tax_year", taxYear, 1970, 9999);
    if (!isCountryCode(countryCode))
        v.add(tr("country_code must be two capital letters (ISO 3166-1), e.g. US."));
    v.date("start_date", startDate);
    v.date("end_date", endDate);
    if (startDate.size() == 10 && endDate.size() == 10 && endDate < startDate)
        v.add(tr("end_date must not be earlier than start_date."));
    v.integer("total_transactions", totalTransactions, 0, std::numeric_limits<qint32>::max());
    v.decimal("total_capital_gains_usd", totalCapitalGainsUsd, 20, 2, Sign::NonNegative);
    v.decimal("total_capital_losses_usd", totalCapitalLossesUsd, 20, 2, Sign::NonNegative);
    v.decimal("net_capital_gains_usd", netCapitalGainsUsd, 20, 2, Sign::Any);
    v.decimal("total_income_usd", totalIncomeUsd, 20, 2, Sign::NonNegative);
    v.decimal("total_expenses_usd", totalExpensesUsd, 20, 2, Sign::NonNegative);
    v.decimal("long_term_gains_usd", longTermGainsUsd, 20, 2, Sign::Any);
    v.decimal("short_term_gains_usd", shortTermGainsUsd, 20, 2, Sign::Any);
    if (netCapitalGainsUsd.isValid() && totalCapitalGainsUsd.isValid() &&
        totalCapitalLossesUsd.isValid() &&
        netCapitalGainsUsd != totalCapitalGainsUsd - totalCapitalLossesUsd) {
        v.add(tr("net_capital_gains_usd must equal total_capital_gains_usd minus "
                 "total_capital_losses_usd."));
    }
    v.text("file_url", fileUrl, 500);
    v.integer("file_size_bytes", fileSizeBytes, 0, std::numeric_limits<qint64>::max());
    v.text("error_message", errorMessage, std::numeric_limits<int>::max());
    if (status == ReportStatus::Failed && !(errorMessage && !errorMessage->trimmed().isEmpty()))
        v.add(tr("A failed report needs an error_message that says why."));
    if (status == ReportStatus::Completed && !generatedAt)
        v.add(tr("A completed report needs generated_at."));
    v.timestamp("generated_at", generatedAt);
    v.timestamp("created_at", createdAt);
    v.timestamp("updated_at", updatedAt);
    v.timestamp("deleted_at", deletedAt);
    return v.errors();
}

bool operator==(const TaxReport& a, const TaxReport& b) {
    return a.id == b.id && a.userId == b.userId && a.reportType == b.reportType &&
           a.taxYear == b.taxYear && a.countryCode == b.countryCode && a.startDate == b.startDate &&
           a.endDate == b.endDate && a.totalTransactions == b.totalTransactions &&
           a.totalCapitalGainsUsd == b.totalCapitalGainsUsd &&
           a.totalCapitalLossesUsd == b.totalCapitalLossesUsd &&
           a.netCapitalGainsUsd == b.netCapitalGainsUsd && a.totalIncomeUsd == b.totalIncomeUsd &&
           a.totalExpensesUsd == b.totalExpensesUsd && a.longTermGainsUsd == b.longTermGainsUsd &&
           a.shortTermGainsUsd == b.shortTermGainsUsd && a.reportFormat == b.reportFormat &&
           a.fileUrl == b.fileUrl && a.fileSizeBytes == b.fileSizeBytes && a.status == b.status &&
           a.errorMessage == b.errorMessage && a.generatedAt == b.generatedAt &&
           a.createdAt == b.createdAt && a.updatedAt == b.updatedAt && a.deletedAt == b.deletedAt &&
           a.rowVersion == b.rowVersion;
}

} // namespace llamadesk
