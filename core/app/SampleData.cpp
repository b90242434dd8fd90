#include "app/SampleData.h"

#include "store/LocalUser.h"
#include "store/TransactionRepository.h"
#include "tax/LedgerGenerator.h"

namespace llamadesk::app {

Result<qint64> SampleData::generate(const QSqlDatabase& db, const SampleDataOptions& options,
                                    const Progress& progress) {
    const Result<QString> owner = store::LocalUser::ensure(db);
    if (!owner)
        return Result<qint64>::failure(tr("Cannot prepare the sample data: %1").arg(owner.error()));
    tax::LedgerGeneratorOptions ledger;
    ledger.transactions = options.transactions;
    ledger.seed = options.seed;
    ledger.userId = owner.value();
    // End the ledger around today so that the views show recent activity.
    ledger.days = 4 * 365;
    ledger.start = QDate::currentDate().addDays(-ledger.days);
    tax::LedgerGenerator generator(ledger);

    store::TransactionRepository repository(db);
    QList<TaxTransaction> batch;
    batch.reserve(options.batchSize);
    qint64 written = 0;
    TaxTransaction row;
    bool more = true;
    while (more) {
        more = generator.next(&row);
        if (more)
            batch.append(row);
        if (batch.size() >= options.batchSize || (!more && !batch.isEmpty())) {
            if (const Status status = repository.insertBatch(batch); !status)
                return Result<qint64>::failure(
                    tr("Cannot write the sample data: %1").arg(status.error()));
            written += batch.size();
            batch.clear();
            if (progress && !progress(written, std::max(written, options.transactions)))
                break;
        }
    }
    return written;
}

} // namespace llamadesk::app
