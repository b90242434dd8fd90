#pragma once

#include "import/RowParser.h"

namespace llamadesk::import {

// CoinTracker's CSV import template (docs/import.md says where the layout was checked).
class CoinTrackerRowParser : public RowParser {
    Q_DECLARE_TR_FUNCTIONS(CoinTrackerRowParser)

public:
    CoinTrackerRowParser(const ReadOptions& options, QString file);

protected:
    bool checkHeader(qint64 line, QList<ImportProblem>* problems) override;
    void parseRow(Row& row, TaxTransaction* out) override;

private:
    std::optional<Timestamp> date(Row& row);

    int m_date = -1, m_receivedQuantity = -1, m_receivedCurrency = -1, m_sentQuantity = -1,
        m_sentCurrency = -1, m_feeAmount = -1, m_feeCurrency = -1, m_tag = -1;
    QHash<QString, TransactionType> m_inTags;
    QHash<QString, TransactionType> m_outTags;
};

} // namespace llamadesk::import
