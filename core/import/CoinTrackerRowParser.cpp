#include "CoinTrackerRowParser.h"

#include <QDateTime>
#include <QRegularExpression>

namespace llamadesk::import {

CoinTrackerRowParser::CoinTrackerRowParser(const ReadOptions& options, QString file)
    : RowParser(options, std::move(file)) {
    // CoinTracker's send/receive tags, lowercase.
    m_inTags = {
        {QStringLiteral("staking"), TransactionType::StakingReward},
        {QStringLiteral("staked"), TransactionType::StakingReward},
        {QStringLiteral("mined"), TransactionType::MiningReward},
        {QStringLiteral("mining"), TransactionType::MiningReward},
        {QStringLiteral("airdrop"), TransactionType::Airdrop},
        {QStringLiteral("fork"), TransactionType::Airdrop},
        {QStringLiteral("income"), TransactionType::Income},
        {QStringLiteral("interest"), TransactionType::Income},
        {QStringLiteral("gift"), TransactionType::Gift},
    };
    m_outTags = {
        {QStringLiteral("gift"), TransactionType::Gift},
        {QStringLiteral("donation"), TransactionType::Gift},
        {QStringLiteral("payment"), TransactionType::Expense},
    };
}

bool CoinTrackerRowParser::checkHeader(qint64 line, QList<ImportProblem>* problems) {
    m_date = column({"Date"});
    m_receivedQuantity = column({"Received Quantity"});
    m_receivedCurrency = column({"Received Currency"});
    m_sentQuantity = column({"Sent Quantity"});
    m_sentCurrency = column({"Sent Currency"});
    m_feeAmount = column({"Fee Amount"});
    m_feeCurrency = column({"Fee Currency"});
    m_tag = column({"Tag"});
    // CoinTracker's template requires all eight columns.
    bool ok = true;
    const std::pair<int, const char*> required[] = {
        {m_date, "Date"},
        {m_receivedQuantity, "Received Quantity"},
        {m_receivedCurrency, "Received Currency"},
        {m_sentQuantity, "Sent Quantity"},
        {m_sentCurrency, "Sent Currency"},
        {m_feeAmount, "Fee Amount"},
        {m_feeCurrency, "Fee Currency"},
        {m_tag, "Tag"},
    };
    for (const auto& [index, name] : required) {
        if (index < 0) {
            fileProblem(problems, line, QString::fromLatin1(name), ProblemCode::MissingColumn,
                        tr("CoinTracker's layout needs this column"));
            ok = false;
        }
    }
    return ok;
}

std::optional<Timestamp> CoinTrackerRowParser::date(Row& row) {
    const QString s = text(row, m_date);
    if (s.isEmpty()) {
        problem(row, m_date, ProblemCode::MissingValue, tr("a date is required"));
        return std::nullopt;
    }
    // CoinTracker's form, "MM/DD/YYYY[ HH:MM[:SS]]", read in the configured source zone.
    static const QRegularExpression us(QStringLiteral(
        "^(\\d{1,2})/(\\d{1,2})/(\\d{4})(?:\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?$"));
    const QRegularExpressionMatch m = us.match(s);
    if (m.hasMatch()) {
        const QDate d(m.captured(3).toInt(), m.captured(1).toInt(), m.captured(2).toInt());
        const QTime t(m.captured(4).isEmpty() ? 0 : m.captured(4).toInt(),
                      m.captured(5).isEmpty() ? 0 : m.captured(5).toInt(),
                      m.captured(6).isEmpty() ? 0 : m.captured(6).toInt());
        const Timestamp ts =
            d.isValid() && t.isValid()
                ? Timestamp::fromDateTime(QDateTime(d, t, m_options.sourceTimeZone))
                : Timestamp();
        if (ts.isValid())
            return ts;
        problem(row, m_date, ProblemCode::BadTimestamp,
                tr("'%1' is not a real date and time (MM/DD/YYYY HH:MM:SS)").arg(s.left(40)));
        return std::nullopt;
    }
    return isoTimestamp(row, m_date);
}

void CoinTrackerRowParser::parseRow(Row& row, TaxTransaction* t) {
    if (const std::optional<Timestamp> ts = date(row))
        t->timestamp = *ts;
    Movement m;
    side(row, m_receivedQuantity, m_receivedCurrency, &m.inAmount, &m.inSymbol);
    side(row, m_sentQuantity, m_sentCurrency, &m.outAmount, &m.outSymbol);
    side(row, m_feeAmount, m_feeCurrency, &m.feeAmount, &m.feeSymbol);
    m.label = text(row, m_tag).toLower();
    m.labelColumn = m_tag;
    mapMovement(row, m, m_inTags, m_outTags, t);
}

} // namespace llamadesk::import
