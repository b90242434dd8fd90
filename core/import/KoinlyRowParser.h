#pragma once

#include "import/RowParser.h"

namespace llamadesk::import {

// Koinly's universal CSV template (docs/import.md says where the layout was checked).
class KoinlyRowParser : public RowParser {
    Q_DECLARE_TR_FUNCTIONS(KoinlyRowParser)

public:
    KoinlyRowParser(const ReadOptions& options, QString file);

protected:
    bool checkHeader(qint64 line, QList<ImportProblem>* problems) override;
    void parseRow(Row& row, TaxTransaction* out) override;

private:
    std::optional<Timestamp> date(Row& row);

    int m_date = -1, m_sentAmount = -1, m_sentCurrency = -1, m_receivedAmount = -1,
        m_receivedCurrency = -1, m_feeAmount = -1, m_feeCurrency = -1, m_netWorth = -1,
        m_netWorthCurrency = -1, m_label = -1, m_description = -1, m_hash = -1;
    QHash<QString, TransactionType> m_inLabels;
    QHash<QString, TransactionType> m_outLabels;
};

} // namespace llamadesk::import
