#include "RowParser.h"

#include "import/CanonicalRowParser.h"
#include "import/CoinTrackerRowParser.h"
#include "import/KoinlyRowParser.h"

#include <QRegularExpression>
#include <QSet>

namespace llamadesk::import {

namespace {

// "[+-]digits[.digits]": what Decimal accepts. Anything else gets a reason of its own.
bool plainNumberSyntax(const QString& s) {
    qsizetype i = 0;
    const qsizetype n = s.size();
    if (i < n && (s.at(i) == QLatin1Char('+') || s.at(i) == QLatin1Char('-')))
        ++i;
    const qsizetype intStart = i;
    while (i < n && s.at(i) >= QLatin1Char('0') && s.at(i) <= QLatin1Char('9'))
        ++i;
    if (i == intStart)
        return false;
    if (i == n)
        return true;
    if (s.at(i) != QLatin1Char('.'))
        return false;
    ++i;
    const qsizetype fracStart = i;
    while (i < n && s.at(i) >= QLatin1Char('0') && s.at(i) <= QLatin1Char('9'))
        ++i;
    return i > fracStart && i == n;
}

} // namespace

RowParser::RowParser(const ReadOptions& options, QString file)
    : m_options(options)
    , m_file(std::move(file)) {}

RowParser::~RowParser() = default;

std::optional<SourceFormat> RowParser::detect(const QStringList& header) {
    QSet<QString> names;
    for (const QString& h : header)
        names.insert(h.toLower());
    const auto has = [&](const char* name) {
        return names.contains(QLatin1String(name));
    };
    if (has("sent amount") && has("sent currency") && has("received amount") &&
        has("received currency"))
        return SourceFormat::Koinly;
    if (has("received quantity") && has("received currency") && has("sent quantity") &&
        has("sent currency"))
        return SourceFormat::CoinTracker;
    for (const QString& h : header) {
        if (CanonicalRowParser::isCanonicalColumn(h))
            return SourceFormat::Canonical;
    }
    return std::nullopt;
}

QString RowParser::expectedColumns() {
    return tr("canonical: timestamp, transaction_type and the tax_transactions columns the rows "
              "need (asset_in_symbol, asset_in_amount, asset_out_symbol, asset_out_amount, "
              "values, fees, wallet, transaction_hash, ...); Koinly universal: Date, Sent Amount, "
              "Sent Currency, Received Amount, Received Currency (Fee Amount, Fee Currency, Net "
              "Worth Amount, Net Worth Currency, Label, Description, TxHash); CoinTracker: Date, "
              "Received Quantity, Received Currency, Sent Quantity, Sent Currency, Fee Amount, Fee "
              "Currency, Tag");
}

std::unique_ptr<RowParser> RowParser::create(SourceFormat format, const ReadOptions& options,
                                             const QString& file) {
    switch (format) {
    case SourceFormat::Canonical:
        return std::make_unique<CanonicalRowParser>(options, file);
    case SourceFormat::Koinly:
        return std::make_unique<KoinlyRowParser>(options, file);
    case SourceFormat::CoinTracker:
        return std::make_unique<CoinTrackerRowParser>(options, file);
    }
    return nullptr;
}

bool RowParser::setHeader(const QStringList& header, qint64 line, QList<ImportProblem>* problems) {
    m_header = header;
    m_columns.clear();
    for (int i = 0; i < header.size(); ++i)
        m_columns.insert(header.at(i).toLower(), i);
    return checkHeader(line, problems);
}

bool RowParser::parse(const QStringList& fields, qint64 line, TaxTransaction* out,
                      QList<ImportProblem>* problems) {
    Row row;
    row.fields = &fields;
    row.line = line;
    row.problems = problems;
    *out = TaxTransaction();
    out->wallet = m_options.defaultWallet;
    out->userId = m_options.userId;
    out->chainId = 1; // the schema needs a positive chain id; 1 when the file gives none
    parseRow(row, out);
    return row.ok;
}

int RowParser::column(const QString& name) const {
    return m_columns.value(name.toLower(), -1);
}

int RowParser::column(std::initializer_list<const char*> names) const {
    for (const char* name : names) {
        const int i = column(QString::fromLatin1(name));
        if (i >= 0)
            return i;
    }
    return -1;
}

QString RowParser::columnName(int index) const {
    return index >= 0 && index < m_header.size() ? m_header.at(index) : QString();
}

void RowParser::problem(Row& row, int column, ProblemCode code, const QString& message) {
    problem(row, columnName(column), code, message);
}

void RowParser::problem(Row& row, const QString& column, ProblemCode code, const QString& message) {
    row.ok = false;
    row.problems->append({m_file, row.line, column, code, message});
}

void RowParser::fileProblem(QList<ImportProblem>* problems, qint64 line, const QString& column,
                            ProblemCode code, const QString& message) const {
    problems->append({m_file, line, column, code, message});
}

QString RowParser::text(const Row& row, int column) const {
    if (column < 0 || column >= row.fields->size())
        return QString();
    return row.fields->at(column).trimmed();
}

std::optional<QString> RowParser::optText(Row& row, int column, int maxLength) {
    const QString s = text(row, column);
    if (s.isEmpty())
        return std::nullopt;
    if (s.size() > maxLength) {
        problem(row, column, ProblemCode::InvalidValue,
                tr("at most %1 characters (this has %2)").arg(maxLength).arg(s.size()));
        return std::nullopt;
    }
    return s;
}

std::optional<Decimal> RowParser::decimal(Row& row, int column, int precision, int scale,
                                          bool allowNegative) {
    const QString s = text(row, column);
    if (s.isEmpty())
        return std::nullopt;
    if (!plainNumberSyntax(s)) {
        QString why;
        if (s.contains(QLatin1Char(',')))
            why = tr("'%1' is not a plain number: no thousands separators or decimal commas "
                     "(write 1000.5)");
        else if (s.contains(QLatin1Char('e'), Qt::CaseInsensitive) &&
                 !s.contains(QLatin1String("inf"), Qt::CaseInsensitive))
            why = tr("'%1' is not a plain number: no exponents (write the digits out)");
        else
            why = tr("'%1' is not a number (digits with an optional point, e.g. 0.5)");
        problem(row, column, ProblemCode::BadNumber, why.arg(s.left(40)));
        return std::nullopt;
    }
    const Result<Decimal> d = Decimal::parse(QStringView(s));
    if (!d) {
        problem(row, column, ProblemCode::NumberOutOfRange,
                tr("'%1' cannot be stored exactly: %2").arg(s.left(60), d.error()));
        return std::nullopt;
    }
    if (d->isNegative() && !allowNegative) {
        problem(row, column, ProblemCode::NegativeAmount,
                tr("'%1' is negative; amounts, prices, values and fees are magnitudes (the "
                   "column says the direction)")
                    .arg(s.left(60)));
        return std::nullopt;
    }
    if (!d->fitsPrecision(precision, scale)) {
        problem(row, column, ProblemCode::NumberOutOfRange,
                tr("'%1' does not fit: at most %2 digits before the point and %3 after")
                    .arg(s.left(60))
                    .arg(precision - scale)
                    .arg(scale));
        return std::nullopt;
    }
    return *d;
}

std::optional<Decimal> RowParser::roundedDecimal(Row& row, int column, int precision, int scale) {
    const QString s = text(row, column);
    if (s.isEmpty())
        return std::nullopt;
    if (!plainNumberSyntax(s))
        return decimal(row, column, precision, scale); // reports the syntax problem
    const Result<Decimal> d = Decimal::parse(QStringView(s), scale, RoundingMode::HalfEven);
    if (!d || !d->fitsPrecision(precision, scale)) {
        problem(row, column, ProblemCode::NumberOutOfRange,
                tr("'%1' does not fit: at most %2 digits before the point")
                    .arg(s.left(60))
                    .arg(precision - scale));
        return std::nullopt;
    }
    if (d->isNegative()) {
        problem(row, column, ProblemCode::NegativeAmount,
                tr("'%1' is negative; values are magnitudes").arg(s.left(60)));
        return std::nullopt;
    }
    return *d;
}

std::optional<Timestamp> RowParser::isoTimestamp(Row& row, int column) {
    const QString s = text(row, column);
    if (s.isEmpty()) {
        problem(row, column, ProblemCode::MissingValue, tr("a timestamp is required"));
        return std::nullopt;
    }
    const Result<Timestamp> t = Timestamp::parse(QStringView(s));
    if (t)
        return *t;
    static const QRegularExpression naive(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?$"));
    if (naive.match(s).hasMatch()) {
        problem(row, column, ProblemCode::NaiveTimestamp,
                tr("'%1' has no time zone, so its instant is unknown: add Z for UTC or an "
                   "offset such as +01:00")
                    .arg(s.left(60)));
    } else {
        problem(row, column, ProblemCode::BadTimestamp,
                tr("'%1' is not an ISO 8601 date-time with a zone (e.g. "
                   "2025-03-15T10:00:00Z): %2")
                    .arg(s.left(60), t.error()));
    }
    return std::nullopt;
}

std::optional<qint64> RowParser::integer(Row& row, int column, qint64 min, qint64 max) {
    const QString s = text(row, column);
    if (s.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 v = s.toLongLong(&ok);
    if (!ok || v < min || v > max) {
        problem(row, column, ProblemCode::InvalidValue,
                tr("'%1' is not a whole number from %2 to %3").arg(s.left(40)).arg(min).arg(max));
        return std::nullopt;
    }
    return v;
}

bool RowParser::isFiat(const QString& symbol) const {
    return m_options.fiatCurrencies.contains(symbol, Qt::CaseInsensitive);
}

void RowParser::side(Row& row, int amountColumn, int symbolColumn, std::optional<Decimal>* amount,
                     std::optional<QString>* symbol) {
    *amount = decimal(row, amountColumn, 30, 18);
    const bool amountGiven = !text(row, amountColumn).isEmpty();
    *symbol = optText(row, symbolColumn, 20);
    const bool symbolGiven = !text(row, symbolColumn).isEmpty();
    if (amountGiven && !symbolGiven)
        problem(row, symbolColumn >= 0 ? columnName(symbolColumn) : QString(),
                ProblemCode::MissingValue, tr("an amount needs its currency"));
    else if (symbolGiven && !amountGiven)
        problem(row, amountColumn, ProblemCode::MissingValue, tr("a currency needs its amount"));
}

void RowParser::mapMovement(Row& row, const Movement& m,
                            const QHash<QString, TransactionType>& inLabels,
                            const QHash<QString, TransactionType>& outLabels, TaxTransaction* out) {
    if (!row.ok)
        return;
    const bool in = m.inSymbol && m.inAmount;
    const bool sent = m.outSymbol && m.outAmount;
    out->assetInSymbol = in ? m.inSymbol : std::nullopt;
    out->assetInAmount = in ? m.inAmount : std::nullopt;
    out->assetOutSymbol = sent ? m.outSymbol : std::nullopt;
    out->assetOutAmount = sent ? m.outAmount : std::nullopt;
    if (m.feeAmount && m.feeSymbol) {
        out->feeAmount = m.feeAmount;
        out->feeSymbol = m.feeSymbol;
        if (m.feeSymbol->compare(m_options.valueCurrency, Qt::CaseInsensitive) == 0)
            out->feeValueUsd = m.feeAmount->round(2, RoundingMode::HalfEven);
    }
    const auto unknownLabel = [&](const QString& what) {
        problem(row, m.labelColumn, ProblemCode::UnknownType,
                tr("the label '%1' has no equivalent for %2 (see docs/import.md for the labels "
                   "that are understood)")
                    .arg(m.label.left(40), what));
    };

    if (in && sent) {
        if (!m.label.isEmpty()) {
            unknownLabel(tr("a trade"));
            return;
        }
        const bool fiatIn = isFiat(*m.inSymbol);
        const bool fiatOut = isFiat(*m.outSymbol);
        if (fiatIn && fiatOut) {
            problem(row, QString(), ProblemCode::InvalidRow,
                    tr("a trade of one fiat currency for another is not a crypto transaction"));
            return;
        }
        if (fiatOut) {
            out->transactionType = TransactionType::Buy;
            if (m.netWorth)
                out->assetInValueUsd = m.netWorth;
        } else if (fiatIn) {
            out->transactionType = TransactionType::Sell;
            if (m.netWorth)
                out->assetOutValueUsd = m.netWorth;
        } else {
            out->transactionType = TransactionType::Swap;
            if (m.netWorth) {
                out->assetInValueUsd = m.netWorth;
                out->assetOutValueUsd = m.netWorth;
            }
        }
        return;
    }
    if (in) {
        if (m.label.isEmpty()) {
            out->transactionType = TransactionType::TransferIn;
        } else if (const auto it = inLabels.constFind(m.label); it != inLabels.constEnd()) {
            out->transactionType = *it;
        } else {
            unknownLabel(tr("a deposit"));
            return;
        }
        if (m.netWorth)
            out->assetInValueUsd = m.netWorth;
        return;
    }
    if (sent) {
        if (m.label.isEmpty()) {
            out->transactionType = TransactionType::TransferOut;
        } else if (const auto it = outLabels.constFind(m.label); it != outLabels.constEnd()) {
            out->transactionType = *it;
        } else {
            unknownLabel(tr("a withdrawal"));
            return;
        }
        if (m.netWorth)
            out->assetOutValueUsd = m.netWorth;
        return;
    }
    if (out->feeAmount) {
        out->transactionType = TransactionType::Fee;
        if (m.netWorth && !out->feeValueUsd)
            out->feeValueUsd = m.netWorth;
        return;
    }
    problem(row, QString(), ProblemCode::MissingValue,
            tr("the row has no received, sent or fee amount"));
}

} // namespace llamadesk::import
