#include "RealizedPnl.h"

#include "store/LocalUser.h"
#include "store/ReportRepository.h"
#include "tax/persist/VaultTaxRun.h"

#include <QSettings>
#include <QTimeZone>

#include <algorithm>

namespace llamadesk::portfolio {

tax::TaxOptions RealizedPnl::optionsFromSettings(const QDate& today) {
    QSettings settings;
    const QString j = settings.value(QStringLiteral("tax/jurisdiction"), QStringLiteral("US"))
                          .toString()
                          .toUpper();
    const tax::Jurisdiction jurisdiction = j == QLatin1String("UK")
                                               ? tax::Jurisdiction::UnitedKingdom
                                               : tax::Jurisdiction::UnitedStates;
    tax::TaxOptions probe;
    probe.jurisdiction = jurisdiction;
    tax::TaxOptions o = tax::TaxOptions::forTaxYear(jurisdiction, probe.taxYearOf(today));
    o.currency = QStringLiteral("USD");

    const QString method =
        settings.value(QStringLiteral("tax/method"), QStringLiteral("fifo")).toString().toLower();
    if (method == QLatin1String("lifo"))
        o.method = CostBasisMethod::Lifo;
    else if (method == QLatin1String("hifo"))
        o.method = CostBasisMethod::Hifo;
    else if (method == QLatin1String("specific"))
        o.method = CostBasisMethod::Specific;
    else
        o.method = CostBasisMethod::Fifo;

    if (jurisdiction == tax::Jurisdiction::UnitedStates) {
        const QString scope = settings.value(QStringLiteral("tax/scope"), QStringLiteral("wallet"))
                                  .toString()
                                  .toLower();
        o.scope =
            scope == QLatin1String("universal") ? tax::LotScope::Universal : tax::LotScope::Wallet;
    }
    const QString zone = settings.value(QStringLiteral("tax/timezone")).toString();
    if (!zone.isEmpty()) {
        const QTimeZone tz(zone.toUtf8());
        if (tz.isValid())
            o.timeZone = tz;
    }
    return o;
}

Result<std::optional<Decimal>> RealizedPnl::savedYearToDate(const QSqlDatabase& db, int taxYear) {
    using R = Result<std::optional<Decimal>>;
    const Result<QString> owner = store::LocalUser::ensure(db);
    if (!owner)
        return R::failure(owner.error());
    store::ReportRepository reports(db);
    const Result<QList<TaxReport>> list = reports.list(owner.value(), taxYear);
    if (!list)
        return R::failure(list.error());
    // Newest first: the first completed annual report is the latest one saved.
    for (const TaxReport& r : list.value()) {
        if (r.status == ReportStatus::Completed && r.reportType == ReportType::Annual)
            return std::optional<Decimal>(r.netCapitalGainsUsd);
    }
    return std::optional<Decimal>();
}

Result<RealizedPnl> RealizedPnl::compute(const QSqlDatabase& db, tax::TaxOptions options,
                                         const QDate& today, int monthCount) {
    using R = Result<RealizedPnl>;
    if (!today.isValid() || monthCount < 1)
        return R::failure(tr("RealizedPnl.compute: no valid day or month count was given."));
    RealizedPnl out;
    out.taxYear = options.taxYearOf(today);
    const QDate yearStart = options.taxYearStart(out.taxYear);
    const QDate firstMonth = QDate(today.year(), today.month(), 1).addMonths(1 - monthCount);
    for (int i = 0; i < monthCount; ++i)
        out.months.append(MonthlyPnl{firstMonth.addMonths(i), Decimal()});

    options.periodStart = std::min(yearStart, firstMonth);
    options.periodEnd = today;
    if (const QStringList problems = options.validate(); !problems.isEmpty())
        return R::failure(tr("RealizedPnl.compute: the tax settings are not usable: %1")
                              .arg(problems.join(QStringLiteral("; "))));
    tax::VaultTaxRun run(db, options);
    const Result<tax::TaxResult> result = run.compute();
    if (!result)
        return R::failure(result.error());
    const int rows = result->disposalCount();
    for (int i = 0; i < rows; ++i) {
        const tax::Disposal d = result->printedDisposal(i);
        if (!d.dateSold.isValid() || d.dateSold > today)
            continue;
        if (d.dateSold >= yearStart)
            out.yearToDate += d.gain;
        const QDate month(d.dateSold.year(), d.dateSold.month(), 1);
        if (month >= firstMonth) {
            const int index =
                (month.year() - firstMonth.year()) * 12 + month.month() - firstMonth.month();
            if (index >= 0 && index < out.months.size())
                out.months[index].gain += d.gain;
        }
    }
    return out;
}

} // namespace llamadesk::portfolio
