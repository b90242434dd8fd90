#include "tax/export/CsvReportWriter.h"

#include "tax/export/CsvWriter.h"
#include "tax/export/ExportFormat.h"

namespace llamadesk::tax {

namespace {

enum Column {
    Section,
    Date,
    TransactionId,
    TransactionHash,
    Asset,
    Wallet,
    Kind,
    Description,
    Amount,
    DateAcquired,
    DateSold,
    Proceeds,
    CostBasis,
    Gain,
    TermColumn,
    Value,
    Code,
    Message,
    ColumnCount
};

QString iso(const QDate& date) {
    return date.isValid() ? date.toString(Qt::ISODate) : QString();
}

QStringList blank() {
    QStringList row;
    for (int i = 0; i < ColumnCount; ++i)
        row << QString();
    return row;
}

} // namespace

QStringList CsvReportWriter::header() {
    return {QStringLiteral("section"),        QStringLiteral("date"),
            QStringLiteral("transaction_id"), QStringLiteral("transaction_hash"),
            QStringLiteral("asset"),          QStringLiteral("wallet"),
            QStringLiteral("kind"),           QStringLiteral("description"),
            QStringLiteral("amount"),         QStringLiteral("date_acquired"),
            QStringLiteral("date_sold"),      QStringLiteral("proceeds"),
            QStringLiteral("cost_basis"),     QStringLiteral("gain"),
            QStringLiteral("term"),           QStringLiteral("value"),
            QStringLiteral("code"),           QStringLiteral("message")};
}

Status CsvReportWriter::write(const TaxResult& result, QIODevice* device) {
    if (!device || !device->isWritable())
        return Status::failure(tr("The CSV report has nowhere to go: the output is not open for "
                                  "writing."));
    CsvWriter csv(device);
    csv.row(header());

    const TaxSummary s = result.summary();
    const QList<QPair<const char*, QString>> summary = {
        {"total_transactions", QString::number(s.totalTransactions)},
        {"short_term_gains", ExportFormat::money(s.shortTermGains)},
        {"long_term_gains", ExportFormat::money(s.longTermGains)},
        {"total_capital_gains", ExportFormat::money(s.totalCapitalGains)},
        {"total_capital_losses", ExportFormat::money(s.totalCapitalLosses)},
        {"net_capital_gains", ExportFormat::money(s.netCapitalGains)},
        {"total_income", ExportFormat::money(s.totalIncome)},
        {"total_expenses", ExportFormat::money(s.totalExpenses)}};
    for (const auto& [name, value] : summary) {
        QStringList row = blank();
        row[Section] = QStringLiteral("summary");
        row[Code] = QLatin1String(name);
        row[Value] = value;
        csv.row(row);
    }

    for (int i = 0; i < result.disposalCount(); ++i) {
        const Disposal d = result.printedDisposal(i);
        QStringList row = blank();
        row[Section] = QStringLiteral("disposal");
        row[Date] = iso(d.dateSold);
        row[TransactionId] = d.transactionId;
        row[TransactionHash] = d.transactionHash;
        row[Asset] = d.asset;
        row[Wallet] = d.wallet;
        row[Kind] = toString(d.kind);
        row[Description] = d.description();
        row[Amount] = d.amount.toString();
        row[DateAcquired] = d.variousAcquired ? QStringLiteral("VARIOUS") : iso(d.dateAcquired);
        row[DateSold] = iso(d.dateSold);
        row[Proceeds] = ExportFormat::money(d.proceeds);
        row[CostBasis] = ExportFormat::money(d.costBasis);
        row[Gain] = ExportFormat::money(d.gain);
        row[TermColumn] = toString(d.term);
        csv.row(row);
    }

    for (int pass = 0; pass < 2; ++pass) {
        const int count = pass == 0 ? result.incomeCount() : result.expenseCount();
        for (int i = 0; i < count; ++i) {
            const IncomeLine line = pass == 0 ? result.printedIncome(i) : result.printedExpense(i);
            QStringList row = blank();
            row[Section] = pass == 0 ? QStringLiteral("income") : QStringLiteral("expense");
            row[Date] = iso(line.date);
            row[TransactionId] = line.transactionId;
            row[TransactionHash] = line.transactionHash;
            row[Asset] = line.asset;
            row[Wallet] = line.wallet;
            row[Kind] = llamadesk::toString(line.type);
            row[Amount] = line.amount.toString();
            row[Value] = ExportFormat::money(line.value);
            csv.row(row);
        }
    }

    for (int i = 0; i < result.holdings().size(); ++i) {
        const Holding h = result.printedHolding(i);
        QStringList row = blank();
        row[Section] = QStringLiteral("holding");
        row[Asset] = h.asset;
        row[Wallet] = h.wallet;
        row[Amount] = h.amount.toString();
        row[CostBasis] = ExportFormat::money(h.costBasis);
        csv.row(row);
    }

    for (int i = 0; i < result.warningCount(); ++i) {
        const TaxWarning w = result.warning(i);
        QStringList row = blank();
        row[Section] = QStringLiteral("warning");
        row[Date] = iso(w.date);
        row[TransactionId] = w.transactionId;
        row[Asset] = w.asset;
        row[Wallet] = w.wallet;
        row[Amount] = w.amount.toString();
        row[Code] = toString(w.code);
        row[Message] = w.message;
        csv.row(row);
    }
    return csv.finish();
}

} // namespace llamadesk::tax
