// The work behind the transactions table on a vault of 1,000,000 rows (or N from argv[1]): what
// the GUI thread waits for and what runs beside it. The table model is a thin wrapper over
// app::TransactionPager, so this measures the pager, the count and the key scan directly.
//   BenchTransactionModel [rows] [vault path to reuse]
#include "app/TransactionPager.h"
#include "store/LocalUser.h"
#include "store/TransactionRepository.h"
#include "tax/LedgerGenerator.h"
#include "vault/MemorySecretStore.h"
#include "vault/Vault.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <atomic>
#include <cstdio>

using namespace llamadesk;

namespace {

double ms(const QElapsedTimer& t) {
    return double(t.nsecsElapsed()) / 1e6;
}

// Peak resident memory of this process in MB (Linux); -1 elsewhere.
long peakRssMb() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLong() / 1024;
    }
    return -1;
}

struct Timed {
    double countMs = 0;
    double edgeMs = 0;
    double firstPageMs = 0;
};

// What the model does for a new filter: count and read the pages at the end it opens on
// (worker), then the rows of the first screen (GUI thread, from the pages the worker read).
Timed openListing(app::TransactionPager& pager, store::TransactionRepository& repository,
                  const store::TransactionFilter& filter, bool descending) {
    Timed timed;
    QElapsedTimer t;
    t.start();
    const qint64 count = repository.count(filter).value();
    timed.countMs = ms(t);
    t.restart();
    const QList<TaxTransaction> edge =
        app::TransactionPager::readEdge(repository.database(), filter, count, pager.pageSize(),
                                        descending)
            .value();
    timed.edgeMs = ms(t);
    pager.reset(filter, count);
    pager.adoptEdge(edge, descending);
    t.restart();
    for (qint64 i = 0; i < std::min<qint64>(40, count); ++i)
        pager.row(descending ? count - 1 - i : i);
    timed.firstPageMs = ms(t);
    return timed;
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    const qint64 rows = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1000000;
    QTemporaryDir temporary;
    const QString path = argc > 2 ? QString::fromLocal8Bit(argv[2])
                                  : temporary.filePath(QStringLiteral("bench.llamadesk"));
    vault::MemorySecretStore secrets;
    const QString passphrase = QStringLiteral("bench passphrase");
    vault::VaultError error = vault::VaultError::None;
    QString message;
    std::unique_ptr<vault::Vault> vault;
    QElapsedTimer t;
    if (QFileInfo::exists(path)) {
        vault = vault::Vault::open(path, vault::UnlockRequest::passphrase(passphrase), secrets,
                                   &error, &message);
    } else {
        vault::CreateOptions options;
        options.useKeychain = false;
        options.passphrase = passphrase;
        options.kdf = vault::KdfParams::fastForTests();
        vault = vault::Vault::create(path, options, secrets, nullptr, &error, &message);
        if (vault) {
            t.start();
            const QString owner = store::LocalUser::ensure(vault->database()).value();
            tax::LedgerGeneratorOptions ledger;
            ledger.transactions = rows;
            ledger.userId = owner;
            tax::LedgerGenerator generator(ledger);
            store::TransactionRepository writer(vault->database());
            QList<TaxTransaction> batch;
            TaxTransaction row;
            qint64 written = 0;
            while (written + batch.size() < rows && generator.next(&row)) {
                batch.append(row);
                if (batch.size() == 20000) {
                    if (!writer.insertBatch(batch)) {
                        std::fprintf(stderr, "insert failed\n");
                        return 1;
                    }
                    written += batch.size();
                    batch.clear();
                }
            }
            if (!batch.isEmpty() && !writer.insertBatch(batch)) {
                std::fprintf(stderr, "insert failed\n");
                return 1;
            }
            std::printf("setup: %lld rows written in %.1f s (not part of the figures)\n",
                        written + batch.size(), ms(t) / 1000);
        }
    }
    if (!vault) {
        std::fprintf(stderr, "cannot open the vault: %s\n", qPrintable(message));
        return 1;
    }
    QSqlDatabase db = vault->database();
    store::TransactionRepository repository(db);
    app::TransactionPager pager(200, 24);
    pager.setDatabase(db);

    std::printf("BenchTransactionModel: %lld rows, page 200 rows, at most 24 pages resident\n",
                repository.count({}).value());
    const Timed open = openListing(pager, repository, {}, true);
    std::printf("  open: count %.1f ms + first pages %.1f ms (worker) + first screen %.1f ms "
                "(GUI thread)\n",
                open.countMs, open.edgeMs, open.firstPageMs);

    t.restart();
    const qint64 count = pager.count();
    for (qint64 i = 0; i < 40; ++i)
        pager.row(i); // descending view: its last screen is the start of the listing
    std::printf("  jump to the end: %.1f ms (GUI thread)\n", ms(t));

    // Scrolling up from the end, a screen at a time: the slowest single page load.
    double slowest = 0;
    for (qint64 i = 0; i < 200 * 50; i += 40) {
        QElapsedTimer one;
        one.start();
        for (qint64 j = i; j < i + 40; ++j)
            pager.row(j);
        slowest = std::max(slowest, ms(one));
    }
    std::printf("  scrolling 50 pages: slowest screen %.1f ms, %d pages resident\n", slowest,
                pager.residentPages());

    t.restart();
    std::atomic<bool> cancel{false};
    qint64 anchors = 0;
    app::TransactionPager::scanAnchors(db, {}, 200, cancel, [&](const QList<app::PageAnchor>& a) {
        anchors += a.size();
        pager.addAnchors(a);
    });
    std::printf("  key scan (worker, makes every row reachable): %.0f ms, %lld keys\n", ms(t),
                anchors);
    t.restart();
    for (qint64 i = 1; i <= 20; ++i)
        pager.row(count * i / 21);
    std::printf("  random jumps after the scan: %.1f ms per screen\n", ms(t) / 20);

    struct Case {
        const char* name;
        store::TransactionFilter filter;
    };
    store::TransactionFilter asset;
    asset.assets = {QStringLiteral("ETH")};
    store::TransactionFilter wallet;
    wallet.wallets = {QStringLiteral("kraken")};
    store::TransactionFilter type;
    type.types = {TransactionType::StakingReward};
    store::TransactionFilter search;
    search.search = QStringLiteral("0xab");
    store::TransactionFilter searchBare;
    searchBare.search = QStringLiteral("abc");
    store::TransactionFilter searchSymbol;
    searchSymbol.search = QStringLiteral("eth");
    store::TransactionFilter searchWallet;
    searchWallet.search = QStringLiteral("kra");
    store::TransactionFilter searchNone;
    searchNone.search = QStringLiteral("zzz");
    for (const Case& c :
         {Case{"asset ETH", asset}, Case{"wallet kraken", wallet},
          Case{"type staking_reward", type}, Case{"search \"0xab\"", search},
          Case{"search \"abc\"", searchBare}, Case{"search \"eth\"", searchSymbol},
          Case{"search \"kra\"", searchWallet}, Case{"search \"zzz\"", searchNone}}) {
        const Timed f = openListing(pager, repository, c.filter, true);
        std::printf("  filter %-22s %8lld rows: count %.1f ms + first pages %.1f ms (worker) + "
                    "first screen %.1f ms (GUI)\n",
                    c.name, pager.count(), f.countMs, f.edgeMs, f.firstPageMs);
    }
    std::printf("  peak memory of the process: %ld MB\n", peakRssMb());
    vault->close();
    return 0;
}
