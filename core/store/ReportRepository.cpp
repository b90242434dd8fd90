#include "ReportRepository.h"

#include <QLatin1String>
#include <QSqlError>

namespace llamadesk::store {

namespace {

const QLatin1String kColumns(
    "id, user_id, report_type, tax_year, country_code, start_date, end_date, total_transactions, "
    "total_capital_gains_usd, total_capital_losses_usd, net_capital_gains_usd, total_income_usd, "
    "total_expenses_usd, long_term_gains_usd, short_term_gains_usd, report_format, file_url, "
    "file_size_bytes, status, error_message, generated_at, created_at, updated_at, deleted_at, "
    "row_version");

QVariant optionalFormat(const std::optional<ReportFormat>& f) {
    return f ? QVariant(toString(*f)) : QVariant();
}

} // namespace

ReportRepository::ReportRepository(QSqlDatabase db)
    : SqlRepository(std::move(db), "ReportRepository") {}

bool ReportRepository::readRow(const QSqlQuery& query, TaxReport* t, QString* error) {
    Row r(query);
    t->id = r.text(0);
    t->userId = r.text(1);
    t->reportType = r.enumeration(2, &reportTypeFromString, ReportType::Annual);
    t->taxYear = r.integer(3);
    t->countryCode = r.text(4);
    t->startDate = r.text(5);
    t->endDate = r.text(6);
    t->totalTransactions = r.integer(7, 0);
    t->totalCapitalGainsUsd = r.decimal(8, Decimal());
    t->totalCapitalLossesUsd = r.decimal(9, Decimal());
    t->netCapitalGainsUsd = r.decimal(10, Decimal());
    t->totalIncomeUsd = r.decimal(11, Decimal());
    t->totalExpensesUsd = r.decimal(12, Decimal());
    t->longTermGainsUsd = r.decimal(13, Decimal());
    t->shortTermGainsUsd = r.decimal(14, Decimal());
    t->reportFormat = r.optEnumeration(15, &reportFormatFromString);
    t->fileUrl = r.optText(16);
    t->fileSizeBytes = r.optInteger(17);
    t->status = r.enumeration(18, &reportStatusFromString, ReportStatus::Pending);
    t->errorMessage = r.optText(19);
    t->generatedAt = r.optTimestamp(20);
    t->createdAt = r.optTimestamp(21);
    t->updatedAt = r.optTimestamp(22);
    t->deletedAt = r.optTimestamp(23);
    t->rowVersion = r.integer(24);
    if (!r.ok()) {
        *error = tr("tax_reports row %1, %2").arg(t->id, r.error());
        return false;
    }
    return true;
}

Status ReportRepository::insert(const TaxReport& t) {
    const QString what = QStringLiteral("insert");
    if (const QStringList errors = t.validate(); !errors.isEmpty())
        return Status::failure(failure(what, errors.join(QLatin1Char(' '))));
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("INSERT INTO tax_reports (id, user_id, report_type, tax_year, country_code, "
                       "start_date, end_date, total_transactions, total_capital_gains_usd, "
                       "total_capital_losses_usd, net_capital_gains_usd, total_income_usd, "
                       "total_expenses_usd, long_term_gains_usd, short_term_gains_usd, "
                       "report_format, file_url, file_size_bytes, status, error_message, "
                       "generated_at, created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, ?, "
                       "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    const QString now = Timestamp::now().toString();
    int i = 0;
    q.bindValue(i++, text(t.id));
    q.bindValue(i++, text(t.userId));
    q.bindValue(i++, toString(t.reportType));
    q.bindValue(i++, integer(t.taxYear));
    q.bindValue(i++, text(t.countryCode));
    q.bindValue(i++, text(t.startDate));
    q.bindValue(i++, text(t.endDate));
    q.bindValue(i++, integer(t.totalTransactions));
    q.bindValue(i++, decimal(t.totalCapitalGainsUsd));
    q.bindValue(i++, decimal(t.totalCapitalLossesUsd));
    q.bindValue(i++, decimal(t.netCapitalGainsUsd));
    q.bindValue(i++, decimal(t.totalIncomeUsd));
    q.bindValue(i++, decimal(t.totalExpensesUsd));
    q.bindValue(i++, decimal(t.longTermGainsUsd));
    q.bindValue(i++, decimal(t.shortTermGainsUsd));
    q.bindValue(i++, optionalFormat(t.reportFormat));
    q.bindValue(i++, text(t.fileUrl));
    q.bindValue(i++, integer(t.fileSizeBytes));
    q.bindValue(i++, toString(t.status));
    q.bindValue(i++, text(t.errorMessage));
    q.bindValue(i++, timestamp(t.generatedAt));
    q.bindValue(i++, t.createdAt ? timestamp(*t.createdAt) : QVariant(now));
    q.bindValue(i++, t.updatedAt ? timestamp(*t.updatedAt) : QVariant(now));
    q.bindValue(i++, timestamp(t.deletedAt));
    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, t.id)); !s)
        return s;
    if (Status s = execute(q, what); !s)
        return s;
    return tx.commit();
}

Status ReportRepository::update(const TaxReport& t) {
    const QString what = QStringLiteral("update");
    if (const QStringList errors = t.validate(); !errors.isEmpty())
        return Status::failure(failure(what, errors.join(QLatin1Char(' '))));
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("UPDATE tax_reports SET report_type = ?, tax_year = ?, country_code = ?, "
                       "start_date = ?, end_date = ?, total_transactions = ?, "
                       "total_capital_gains_usd = ?, total_capital_losses_usd = ?, "
                       "net_capital_gains_usd = ?, total_income_usd = ?, total_expenses_usd = ?, "
                       "long_term_gains_usd = ?, short_term_gains_usd = ?, report_format = ?, "
                       "file_url = ?, file_size_bytes = ?, status = ?, error_message = ?, "
                       "generated_at = ?, updated_at = ? "
                       "WHERE id = ? AND user_id = ? AND deleted_at IS NULL"),
        what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    int i = 0;
    q.bindValue(i++, toString(t.reportType));
    q.bindValue(i++, integer(t.taxYear));
    q.bindValue(i++, text(t.countryCode));
    q.bindValue(i++, text(t.startDate));
    q.bindValue(i++, text(t.endDate));
    q.bindValue(i++, integer(t.totalTransactions));
    q.bindValue(i++, decimal(t.totalCapitalGainsUsd));
    q.bindValue(i++, decimal(t.totalCapitalLossesUsd));
    q.bindValue(i++, decimal(t.netCapitalGainsUsd));
    q.bindValue(i++, decimal(t.totalIncomeUsd));
    q.bindValue(i++, decimal(t.totalExpensesUsd));
    q.bindValue(i++, decimal(t.longTermGainsUsd));
    q.bindValue(i++, decimal(t.shortTermGainsUsd));
    q.bindValue(i++, optionalFormat(t.reportFormat));
    q.bindValue(i++, text(t.fileUrl));
    q.bindValue(i++, integer(t.fileSizeBytes));
    q.bindValue(i++, toString(t.status));
    q.bindValue(i++, text(t.errorMessage));
    q.bindValue(i++, timestamp(t.generatedAt));
    q.bindValue(i++, timestamp(Timestamp::now()));
    q.bindValue(i++, text(t.id));
    q.bindValue(i++, text(t.userId));
    return executeOne(q, what, t.id, tr("no live report %1 of user %2").arg(t.id, t.userId));
}

Status ReportRepository::setStatus(const QString& id, ReportStatus status,
                                   const QString& errorMessage) {
    const QString what = QStringLiteral("setStatus");
    if (status == ReportStatus::Failed && errorMessage.trimmed().isEmpty())
        return Status::failure(failure(what, tr("a failed report needs the reason it failed")));
    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, id)); !s)
        return s;
    Result<std::optional<TaxReport>> current = get(id);
    if (!current)
        return Status::failure(current.error());
    if (!*current || (*current)->deletedAt)
        return Status::failure(failure(what, tr("no live report %1").arg(id)));
    const ReportStatus from = (*current)->status;
    // A completed report is final; a failed one may be retried.
    if (from == ReportStatus::Completed && status != ReportStatus::Completed) {
        return Status::failure(failure(what, tr("report %1 is already %2 and cannot become %3")
                                                 .arg(id, toString(from), toString(status))));
    }
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("UPDATE tax_reports SET status = ?, error_message = ?, generated_at = ?, "
                       "updated_at = ? WHERE id = ?"),
        what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    const QString now = Timestamp::now().toString();
    q.bindValue(0, toString(status));
    q.bindValue(1, status == ReportStatus::Failed ? QVariant(errorMessage) : QVariant());
    q.bindValue(2, status == ReportStatus::Completed ? QVariant(now)
                                                     : timestamp((*current)->generatedAt));
    q.bindValue(3, now);
    q.bindValue(4, id);
    if (Status s = execute(q, what); !s)
        return s;
    return tx.commit();
}

Status ReportRepository::softDelete(const QString& id) {
    const QString what = QStringLiteral("softDelete");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("UPDATE tax_reports SET deleted_at = ?, updated_at = ? "
                                 "WHERE id = ? AND deleted_at IS NULL"),
                  what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    const QString now = Timestamp::now().toString();
    q.bindValue(0, now);
    q.bindValue(1, now);
    q.bindValue(2, id);
    return executeOne(q, what, id, tr("no live report %1").arg(id));
}

Result<std::optional<TaxReport>> ReportRepository::get(const QString& id) {
    using R = Result<std::optional<TaxReport>>;
    const QString what = QStringLiteral("get");
    Result<QSqlQuery*> rq = statement(QStringLiteral("SELECT ") + kColumns +
                                          QStringLiteral(" FROM tax_reports WHERE id = ?"),
                                      what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, id);
    return readFirst(q, &readRow, what);
}

Result<QList<TaxReport>> ReportRepository::list(const QString& userId,
                                                std::optional<qint64> taxYear) {
    using R = Result<QList<TaxReport>>;
    const QString what = QStringLiteral("list");
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("SELECT ") + kColumns +
            (taxYear
                 ? QStringLiteral(" FROM tax_reports WHERE user_id = ? AND deleted_at IS NULL "
                                  "AND tax_year = ?")
                 : QStringLiteral(" FROM tax_reports WHERE user_id = ? AND deleted_at IS NULL")) +
            QStringLiteral(" ORDER BY tax_year DESC, created_at DESC, id"),
        what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, userId);
    if (taxYear)
        q.bindValue(1, *taxYear);
    return readAll(q, &readRow, what);
}

} // namespace llamadesk::store
