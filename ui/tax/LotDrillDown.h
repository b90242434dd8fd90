#pragma once

#include "tax/Disposal.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace llamadesk::ui {

// The "why" behind one disposal row: every lot (or UK match) it consumed, with the acquisition
// date, the amount, its cost, its share of the proceeds, its gain and how long it was held, and
// for the UK which rule matched (same day, 30 days, section 104 pool).
class LotDrillDown : public QWidget {
    Q_OBJECT
public:
    enum Column {
        RuleColumn,
        AcquiredColumn,
        AmountColumn,
        CostColumn,
        ProceedsColumn,
        GainColumn,
        HeldColumn,
        ColumnCount
    };

    explicit LotDrillDown(QWidget* parent = nullptr);

    // Shows a printed disposal; `canChooseLots` enables "Choose lots…" (US, Specific-ID).
    void showDisposal(const tax::Disposal& disposal, bool canChooseLots);
    void clear();

    QTableWidget* table() const { return m_table; }
    QLabel* headline() const { return m_headline; }
    QPushButton* chooseButton() const { return m_choose; }

    static QString ruleText(tax::MatchRule rule);

signals:
    void chooseLotsRequested();

private:
    QLabel* m_headline = nullptr;
    QLabel* m_explanation = nullptr;
    QTableWidget* m_table = nullptr;
    QPushButton* m_choose = nullptr;
};

} // namespace llamadesk::ui
