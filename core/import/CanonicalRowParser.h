#pragma once

#include "import/RowParser.h"

namespace llamadesk::import {

// The seed's tax_transactions column names plus wallet, in any order (docs/import.md).
class CanonicalRowParser : public RowParser {
    Q_DECLARE_TR_FUNCTIONS(CanonicalRowParser)

public:
    using RowParser::RowParser;

    // One of the columns this layout reads or knowingly ignores.
    static bool isCanonicalColumn(const QString& name);

protected:
    bool checkHeader(qint64 line, QList<ImportProblem>* problems) override;
    void parseRow(Row& row, TaxTransaction* out) override;

private:
    struct Columns {
        int hash = -1, block = -1, chain = -1, timestamp = -1, type = -1, wallet = -1;
        int inSymbol = -1, inAmount = -1, inPrice = -1, inValue = -1;
        int outSymbol = -1, outAmount = -1, outPrice = -1, outValue = -1;
        int feeAmount = -1, feeSymbol = -1, feeValue = -1;
        int method = -1, basis = -1, gain = -1, holding = -1, longTerm = -1;
        int category = -1, taxable = -1, notes = -1;
    } c;
    std::optional<bool> boolean(Row& row, int column);
};

} // namespace llamadesk::import
