#pragma once

#include "domain/TaxReport.h"
#include "store/SqlRepository.h"

#include <QList>
#include <QString>

#include <optional>

namespace llamadesk::store {

// tax_reports: a report's row from request (pending) to its file (completed) or failure.
class ReportRepository : public SqlRepository {
public:
    explicit ReportRepository(QSqlDatabase db);

    Status insert(const TaxReport& report);
    // Replaces every editable column of a live report; updated_at becomes now.
    Status update(const TaxReport& report);
    // Moves a report along pending -> processing -> completed or failed. generated_at is set to
    // now on completion; a failure needs its reason. A completed report is final; a failed one
    // may go back to pending or processing (a retry).
    Status setStatus(const QString& id, ReportStatus status, const QString& errorMessage = {});
    Status softDelete(const QString& id);

    Result<std::optional<TaxReport>> get(const QString& id);
    // Live reports of a user, newest tax year first, then newest first; taxYear narrows it.
    Result<QList<TaxReport>> list(const QString& userId, std::optional<qint64> taxYear = {});

private:
    static bool readRow(const QSqlQuery& query, TaxReport* report, QString* error);
};

} // namespace llamadesk::store
