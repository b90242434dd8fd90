// Helper process for TestCrashSafety: inserts batches of transactions into a vault, one
// transaction per batch through TransactionRepository, until it is killed.
//
// Usage: CrashInserter <vault file> <user id> <first batch number> <rows per batch>
// The 32-byte key comes as 64 hex digits in the environment variable LLAMADESK_CRASH_KEY, never
// on the command line (other users of the machine can read command lines).
//
// Once the vault is open it prints "ready"; after each COMMIT has returned it prints
// "committed <batch> <rows>" and flushes, so the parent knows which batches must survive a
// kill. Rows of batch n have wallet "batch-<n>".

#include "domain/Uuid.h"
#include "store/Migrator.h"
#include "store/SqlCipherDriver.h"
#include "store/TransactionRepository.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QStringList>

#include <cstdio>

using namespace llamadesk;
using namespace llamadesk::store;

namespace {

int fail(const QString& why) {
    std::fprintf(stderr, "CrashInserter: %s\n", why.toLocal8Bit().constData());
    return 2;
}

TaxTransaction row(const QString& userId, qint64 batch, int index) {
    static const char* const assets[] = {"ETH", "BTC", "SOL", "USDC", "ARB"};
    TaxTransaction t;
    t.id = newUuid();
    t.userId = userId;
    t.wallet = QStringLiteral("batch-%1").arg(batch);
    t.transactionHash = QStringLiteral("0x%1%2")
                            .arg(batch, 16, 16, QLatin1Char('0'))
                            .arg(index, 48, 16, QLatin1Char('0'));
    t.blockNumber = batch * 1000 + index;
    t.chainId = 1;
    t.timestamp = Timestamp::now();
    t.transactionType = index % 3 == 0 ? TransactionType::Swap : TransactionType::Buy;
    t.assetInSymbol = QLatin1String(assets[index % 5]);
    t.assetInAmount = Decimal::fromScaled(123456789012345678LL + index, 15);
    t.assetInPriceUsd = Decimal::fromScaled(250012345678LL, 8);
    if (t.transactionType == TransactionType::Swap) {
        t.assetOutSymbol = QLatin1String(assets[(index + 1) % 5]);
        t.assetOutAmount = Decimal::fromScaled(987654321LL * (index + 1), 18);
    }
    t.feeAmount = Decimal::fromScaled(21000LL * (index + 1), 9);
    t.feeSymbol = QStringLiteral("ETH");
    t.notes = QStringLiteral("crash test batch %1 row %2").arg(batch).arg(index);
    return t;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 5)
        return fail(QStringLiteral("usage: CrashInserter <vault> <user id> <first batch> <rows>"));
    const QString path = args[1];
    const QString userId = args[2];
    bool okBatch = false;
    bool okRows = false;
    qint64 batch = args[3].toLongLong(&okBatch);
    const int rows = args[4].toInt(&okRows);
    if (!okBatch || !okRows || rows < 1)
        return fail(QStringLiteral("the first batch and the row count must be numbers"));
    const QByteArray key = QByteArray::fromHex(qgetenv("LLAMADESK_CRASH_KEY"));
    if (key.size() != SqlCipherDriver::kRawKeySize)
        return fail(QStringLiteral("LLAMADESK_CRASH_KEY must hold 64 hex digits"));

    QString error;
    QSqlDatabase db = SqlCipherDriver::openDatabase(QStringLiteral("crash"), path, key,
                                                    QStringLiteral("CREATE=0"), nullptr, &error);
    if (!db.isOpen())
        return fail(error);
    if (const Status s = Migrator(db).migrate(); !s)
        return fail(s.error());

    TransactionRepository repo(db);
    std::printf("ready\n");
    std::fflush(stdout);
    for (;; ++batch) {
        QList<TaxTransaction> list;
        list.reserve(rows);
        for (int i = 0; i < rows; ++i)
            list << row(userId, batch, i);
        if (const Status s = repo.insertBatch(list); !s)
            return fail(s.error());
        std::printf("committed %lld %d\n", static_cast<long long>(batch), rows);
        std::fflush(stdout);
    }
}
