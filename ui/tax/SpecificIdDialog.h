#pragma once

#include "money/Decimal.h"
#include "tax/LotState.h"
#include "tax/TaxOptions.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QList>

#include <atomic>
#include <memory>

class QDialogButtonBox;
class QLabel;
class QPushButton;
class QTableWidget;
class QTableWidgetItem;

namespace llamadesk::vault {
class Vault;
}

namespace llamadesk::ui {

// Specific identification for one disposal: lists the lots open just before it (read from the
// engine's state on a worker thread) and lets the user say how much of each it takes. OK is only
// possible when the amounts add up to exactly the amount disposed of.
class SpecificIdDialog : public QDialog {
    Q_OBJECT
public:
    struct Target {
        QString transactionId;
        QString asset;
        QString wallet;
        Timestamp soldAt;
        Decimal amount; // the whole amount the transaction disposed of
    };
    // One lot on offer: the records of a lot (split by moves) added together.
    struct Lot {
        QString lotId;
        Timestamp acquiredAt;
        Decimal amount;
        Decimal costBasis;
    };
    enum Column { AcquiredColumn, LotColumn, AvailableColumn, CostColumn, TakeColumn, ColumnCount };

    SpecificIdDialog(std::shared_ptr<const vault::Vault> vault, const tax::TaxOptions& options,
                     const Target& target, const QList<tax::LotSelection>& current,
                     QWidget* parent = nullptr);
    ~SpecificIdDialog() override;

    bool isLoading() const;
    const Target& target() const { return m_target; }
    QPushButton* saveButton() const;
    const QList<Lot>& lots() const { return m_lots; }
    // Sets the amount taken from a lot (decimal text); the validation updates at once.
    void setTake(int row, const QString& amount);
    // The lots named with a positive amount, in the table's order.
    QList<tax::LotSelection> selections() const;
    // Whether the amounts are valid and add up to the amount disposed of.
    bool isComplete() const;
    QLabel* statusLabel() const { return m_status; }

    // Groups a state's records by lot (an accessor for tests of the grouping as well).
    static QList<Lot> group(const QList<tax::LotRecord>& records);

signals:
    void lotsLoaded(bool ok);

private:
    void showLots();
    void validate();
    void stopWorker();

    std::shared_ptr<const vault::Vault> m_vault;
    Target m_target;
    QList<tax::LotSelection> m_current;
    QList<Lot> m_lots;
    QLabel* m_intro = nullptr;
    QLabel* m_status = nullptr;
    QTableWidget* m_table = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QFutureWatcher<void>* m_watcher = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    bool m_filling = false;
};

} // namespace llamadesk::ui
