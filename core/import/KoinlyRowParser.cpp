#include "KoinlyRowParser.h"

#include <QDateTime>
#include <QRegularExpression>

namespace llamadesk::import {

KoinlyRowParser::KoinlyRowParser(const ReadOptions& options, QString file)
    : RowParser(options, std::move(file)) {
    // Koinly's deposit and withdrawal labels (tags), lowercase.
    m_inLabels = {
        {QStringLiteral("airdrop"), TransactionType::Airdrop},
        {QStringLiteral("fork"), TransactionType::Airdrop},
        {QStringLiteral("mining"), TransactionType::MiningReward},
        {QStringLiteral("reward"), TransactionType::StakingReward},
        {QStringLiteral("staking"), TransactionType::StakingReward},
        {QStringLiteral("income"), TransactionType::Income},
        {QStringLiteral("other income"), TransactionType::Income},
        {QStringLiteral("salary"), TransactionType::Income},
        {QStringLiteral("loan interest"), TransactionType::Income},
        {QStringLiteral("lending interest"), TransactionType::Income},
        {QStringLiteral("gift"), TransactionType::Gift},
    };
    m_outLabels = {
        {QStringLiteral("gift"), TransactionType::Gift},
        {QStringLiteral("donation"), TransactionType::Gift},
        {QStringLiteral("cost"), TransactionType::Expense},
        {QStringLiteral("tax"), TransactionType::Expense},
        {QStringLiteral("margin fee"), TransactionType::Expense},
        {QStringLiteral("loan fee"), TransactionType::Expense},
        {QStringLiteral("interest payment"), TransactionType::Expense},
    };
}

bool KoinlyRowParser::checkHeader(qint64 line, QList<ImportProblem>* problems) {
    m_date = column({"Date", "Koinly Date", "Date (UTC)"});
    m_sentAmount = column({"Sent Amount"});
    m_sentCurrency = column({"Sent Currency"});
    m_receivedAmount = column({"Received Amount"});
    m_receivedCurrency = column({"Received Currency"});
    m_feeAmount = column({"Fee Amount"});
    m_feeCurrency = column({"Fee Currency"});
    m_netWorth = column({"Net Worth Amount"});
    m_netWorthCurrency = column({"Net Worth Currency"});
    m_label = column({"Label", "Tag"});
    m_description = column({"Description"});
    m_hash = column({"TxHash"});
    if (m_date < 0) {
        fileProblem(problems, line, QStringLiteral("Date"), ProblemCode::MissingColumn,
                    tr("Koinly's universal layout needs a Date column"));
        return false;
    }
    return true;
}

std::optional<Timestamp> KoinlyRowParser::date(Row& row) {
    const QString s = text(row, m_date);
    if (s.isEmpty()) {
        problem(row, m_date, ProblemCode::MissingValue, tr("a date is required"));
        return std::nullopt;
    }
    // Koinly's own form, "YYYY-MM-DD HH:MM[:SS] [UTC]": Koinly documents these dates as UTC.
    static const QRegularExpression koinly(QStringLiteral(
        "^(\\d{4})-(\\d{2})-(\\d{2})[ T](\\d{2}):(\\d{2})(?::(\\d{2}))?(?:\\s*(?:UTC|Z))?$"));
    const QRegularExpressionMatch m = koinly.match(s);
    if (m.hasMatch()) {
        const QDate d(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
        const QTime t(m.captured(4).toInt(), m.captured(5).toInt(),
                      m.captured(6).isEmpty() ? 0 : m.captured(6).toInt());
        const Timestamp ts = Timestamp::fromDateTime(QDateTime(d, t, QTimeZone::utc()));
        if (d.isValid() && t.isValid() && ts.isValid())
            return ts;
        problem(row, m_date, ProblemCode::BadTimestamp,
                tr("'%1' is not a real date and time").arg(s.left(40)));
        return std::nullopt;
    }
    return isoTimestamp(row, m_date);
}

void KoinlyRowParser::parseRow(Row& row, TaxTransaction* t) {
    if (const std::optional<Timestamp> ts = date(row))
        t->timestamp = *ts;
    Movement m;
    side(row, m_receivedAmount, m_receivedCurrency, &m.inAmount, &m.inSymbol);
    side(row, m_sentAmount, m_sentCurrency, &m.outAmount, &m.outSymbol);
    side(row, m_feeAmount, m_feeCurrency, &m.feeAmount, &m.feeSymbol);
    m.netWorth = roundedDecimal(row, m_netWorth, 20, 2);
    const QString netWorthCurrency = text(row, m_netWorthCurrency);
    if (m.netWorth && !netWorthCurrency.isEmpty() &&
        netWorthCurrency.compare(m_options.valueCurrency, Qt::CaseInsensitive) != 0) {
        problem(row, m_netWorthCurrency, ProblemCode::InvalidValue,
                tr("the net worth is in %1 but the ledger's values are in %2")
                    .arg(netWorthCurrency.left(20), m_options.valueCurrency));
    }
    m.label = text(row, m_label).toLower();
    m.labelColumn = m_label;
    if (const std::optional<QString> h = optText(row, m_hash, 66))
        t->transactionHash = *h;
    if (const QString d = text(row, m_description); !d.isEmpty())
        t->notes = d;
    mapMovement(row, m, m_inLabels, m_outLabels, t);
}

} // namespace llamadesk::import
