#pragma once

#include "domain/TaxTransaction.h"
#include "import/ImportProblem.h"
#include "import/LedgerReader.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace llamadesk::import {

// Turns the records of one layout into TaxTransaction rows. One subclass per format; this base
// holds the header and the value parsers, which report every problem with its line, column and
// code instead of stopping at the first.
class RowParser {
    Q_DECLARE_TR_FUNCTIONS(RowParser)

public:
    RowParser(const ReadOptions& options, QString file);
    virtual ~RowParser();
    RowParser(const RowParser&) = delete;
    RowParser& operator=(const RowParser&) = delete;

    // The format a header row (names trimmed) belongs to; nullopt when none.
    static std::optional<SourceFormat> detect(const QStringList& header);
    // The columns each format expects, for the "unrecognized format" message.
    static QString expectedColumns();
    static std::unique_ptr<RowParser> create(SourceFormat format, const ReadOptions& options,
                                             const QString& file);

    // Takes the header. False, with file-level problems, when the layout cannot be read.
    bool setHeader(const QStringList& header, qint64 line, QList<ImportProblem>* problems);
    // One record with exactly as many fields as the header. False, with at least one problem,
    // when the row is bad. Sets every column the file gives; ids are the caller's.
    bool parse(const QStringList& fields, qint64 line, TaxTransaction* out,
               QList<ImportProblem>* problems);

    // The header's name of a column index (empty when out of range).
    QString columnNameOf(int index) const { return columnName(index); }

protected:
    // One record being parsed.
    struct Row {
        const QStringList* fields = nullptr;
        qint64 line = 0;
        QList<ImportProblem>* problems = nullptr;
        bool ok = true;
    };

    // The header's index of a column (matched case-insensitively), -1 when absent.
    int column(const QString& name) const;
    // The first of several spellings that the header has, -1 when none.
    int column(std::initializer_list<const char*> names) const;
    QString columnName(int index) const;

    virtual bool checkHeader(qint64 line, QList<ImportProblem>* problems) = 0;
    virtual void parseRow(Row& row, TaxTransaction* out) = 0;

    void problem(Row& row, int column, ProblemCode code, const QString& message);
    void problem(Row& row, const QString& column, ProblemCode code, const QString& message);
    void fileProblem(QList<ImportProblem>* problems, qint64 line, const QString& column,
                     ProblemCode code, const QString& message) const;

    // The trimmed text of a column; empty when the header has no such column.
    QString text(const Row& row, int column) const;
    std::optional<QString> optText(Row& row, int column, int maxLength);
    // A decimal that DECIMAL(precision, scale) holds; nullopt when empty or bad (then a problem
    // is recorded). Amounts, prices and values are never negative unless allowNegative.
    std::optional<Decimal> decimal(Row& row, int column, int precision, int scale,
                                   bool allowNegative = false);
    // The same, rounded half-even to `scale` digits (for third-party values in fiat).
    std::optional<Decimal> roundedDecimal(Row& row, int column, int precision, int scale);
    // ISO 8601 / RFC 3339 with an explicit zone; a date-time without one is refused.
    std::optional<Timestamp> isoTimestamp(Row& row, int column);
    std::optional<qint64> integer(Row& row, int column, qint64 min, qint64 max);

    // The Koinly and CoinTracker rows: a received side, a sent side, a fee and a label; decides
    // the transaction type (docs/import.md has the table).
    struct Movement {
        std::optional<QString> inSymbol;
        std::optional<Decimal> inAmount;
        std::optional<QString> outSymbol;
        std::optional<Decimal> outAmount;
        std::optional<QString> feeSymbol;
        std::optional<Decimal> feeAmount;
        std::optional<Decimal> netWorth; // value of the movement in the value currency
        QString label;                   // lowercase, trimmed
        int labelColumn = -1;
    };
    // Type and sides from a movement. `incomeLabels` etc. map lowercase labels to types.
    void mapMovement(Row& row, const Movement& m, const QHash<QString, TransactionType>& inLabels,
                     const QHash<QString, TransactionType>& outLabels, TaxTransaction* out);
    // A symbol and its amount read from two columns: both or neither.
    void side(Row& row, int amountColumn, int symbolColumn, std::optional<Decimal>* amount,
              std::optional<QString>* symbol);
    bool isFiat(const QString& symbol) const;

    const ReadOptions& m_options;
    QString m_file;
    QStringList m_header;
    QHash<QString, int> m_columns; // lowercase name -> index
};

} // namespace llamadesk::import
