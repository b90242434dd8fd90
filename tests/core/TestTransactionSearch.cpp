// Search over a real encrypted vault and the first pages a worker reads for the table: a search
// is a prefix of the hash, a symbol or the wallet; rare and broad searches (which the repository
// plans differently) list exactly the matching rows in (timestamp, id) order; and the pages
// TransactionPager::readEdge reads off the GUI thread are the ones the pager would have loaded.

#include "app/TransactionPager.h"
#include "store/LocalUser.h"
#include "store/Migrator.h"
#include "store/SqlCipherDriver.h"
#include "store/TransactionRepository.h"
#include "tax/LedgerGenerator.h"

#include "TestSupport.h"

#include <QRandomGenerator>
#include <QtTest>

#include <memory>

using namespace llamadesk;

class TestTransactionSearch : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void searchListsExactlyTheMatches_data();
    void searchListsExactlyTheMatches();
    void edgePagesMatchPagedRows_data();
    void edgePagesMatchPagedRows();
    void smallListingComesWhole_data();
    void smallListingComesWhole();

private:
    static bool matches(const TaxTransaction& t, const QString& term);

    static constexpr int kRows = 9000;
    testsupport::ScratchDir m_dir;
    QSqlDatabase m_db;
    QList<TaxTransaction> m_all; // ascending (timestamp, id)
};

void TestTransactionSearch::initTestCase() {
    QByteArray key(store::SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    QString error;
    m_db = store::SqlCipherDriver::openDatabase(QStringLiteral("search"),
                                                m_dir.filePath(QStringLiteral("vault.db")), key, {},
                                                nullptr, &error);
    QVERIFY2(m_db.isOpen(), qPrintable(error));
    const Status migrated = store::Migrator(m_db).migrate();
    QVERIFY2(migrated.ok(), qPrintable(migrated.error()));
    const Result<QString> owner = store::LocalUser::ensure(m_db);
    QVERIFY(owner.ok());
    tax::LedgerGeneratorOptions options;
    options.transactions = kRows;
    options.userId = owner.value();
    tax::LedgerGenerator generator(options);
    QList<TaxTransaction> rows;
    TaxTransaction row;
    while (rows.size() < kRows && generator.next(&row))
        rows.append(row);
    store::TransactionRepository repository(m_db);
    const Status inserted = repository.insertBatch(rows);
    QVERIFY2(inserted.ok(), qPrintable(inserted.error()));
    const Result<QList<TaxTransaction>> all = repository.list({});
    QVERIFY(all.ok());
    m_all = all.value();
    QCOMPARE(m_all.size(), qsizetype(kRows));
}

void TestTransactionSearch::cleanupTestCase() {
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("search"));
}

bool TestTransactionSearch::matches(const TaxTransaction& t, const QString& term) {
    const QString lower = term.toLower();
    const QString upper = term.toUpper();
    bool hex = !lower.isEmpty();
    for (const QChar ch : lower)
        hex = hex && (ch.isDigit() || (ch >= QLatin1Char('a') && ch <= QLatin1Char('f')));
    return t.transactionHash.startsWith(lower) || t.transactionHash.startsWith(term) ||
           (hex && t.transactionHash.startsWith(QLatin1String("0x") + lower)) ||
           (t.assetInSymbol && t.assetInSymbol->startsWith(upper)) ||
           (t.assetOutSymbol && t.assetOutSymbol->startsWith(upper)) || t.wallet.startsWith(term) ||
           t.wallet.startsWith(lower);
}

void TestTransactionSearch::searchListsExactlyTheMatches_data() {
    QTest::addColumn<QString>("term");
    QTest::addColumn<bool>("broad"); // at least 5,000 matches: the time-index plan
    QTest::newRow("hash with 0x, rare") << QStringLiteral("0xab") << false;
    QTest::newRow("hash without 0x, upper case") << QStringLiteral("AB") << false;
    QTest::newRow("symbol, lower case") << QStringLiteral("eth") << false;
    QTest::newRow("every hash: broad") << QStringLiteral("0x") << true;
    QTest::newRow("LIKE wildcard is literal") << QStringLiteral("%") << false;
    QTest::newRow("nothing") << QStringLiteral("zzz") << false;
}

void TestTransactionSearch::searchListsExactlyTheMatches() {
    QFETCH(QString, term);
    QFETCH(bool, broad);
    QStringList expected;
    for (const TaxTransaction& t : m_all) {
        if (matches(t, term))
            expected.append(t.id);
    }
    QCOMPARE(expected.size() >= 5000, broad);
    store::TransactionFilter filter;
    filter.search = term;
    store::TransactionRepository repository(m_db);
    const Result<qint64> count = repository.count(filter);
    QVERIFY(count.ok());
    QCOMPARE(count.value(), qint64(expected.size()));
    // Streamed both ways, and paged from both ends with keys: the same rows in the same order.
    for (const bool descending : {false, true}) {
        QStringList listed;
        QVERIFY(repository
                    .forEach(
                        filter,
                        [&listed](const TaxTransaction& t) {
                            listed.append(t.id);
                            return true;
                        },
                        descending)
                    .ok());
        if (descending)
            std::reverse(listed.begin(), listed.end());
        QCOMPARE(listed, expected);
    }
    QStringList paged;
    std::optional<store::TransactionKey> key;
    for (;;) {
        const Result<store::TransactionPage> page = repository.page(filter, key, 700);
        QVERIFY(page.ok());
        for (const TaxTransaction& t : page->rows)
            paged.append(t.id);
        if (!page->hasMore)
            break;
        key = store::TransactionKey::of(page->rows.constLast());
    }
    QCOMPARE(paged, expected);
}

void TestTransactionSearch::edgePagesMatchPagedRows_data() {
    QTest::addColumn<QString>("term");
    QTest::addColumn<bool>("atEnd");
    QTest::newRow("all, newest first") << QString() << true;
    QTest::newRow("all, oldest first") << QString() << false;
    QTest::newRow("search, newest first") << QStringLiteral("0xa") << true;
    QTest::newRow("search, oldest first") << QStringLiteral("0xa") << false;
    QTest::newRow("one page only") << QStringLiteral("0xabc") << true;
    QTest::newRow("empty") << QStringLiteral("zzz") << true;
}

void TestTransactionSearch::edgePagesMatchPagedRows() {
    QFETCH(QString, term);
    QFETCH(bool, atEnd);
    constexpr int kPage = 50;
    store::TransactionFilter filter;
    filter.search = term;
    store::TransactionRepository repository(m_db);
    const qint64 count = repository.count(filter).value();
    const Result<QList<TaxTransaction>> edge =
        app::TransactionPager::readEdge(m_db, filter, count, kPage, atEnd);
    QVERIFY2(edge.ok(), qPrintable(edge.error()));
    QVERIFY(edge->size() <= 2 * kPage);

    app::TransactionPager adopted(kPage, 8);
    adopted.setDatabase(m_db);
    adopted.reset(filter, count);
    adopted.adoptEdge(edge.value(), atEnd);
    const QList<TaxTransaction> listing = repository.list(filter).value();
    QCOMPARE(qint64(listing.size()), count);
    // The first screen (40 rows from the end the view opens on) is there without a query.
    const qint64 screen = std::min<qint64>(40, count);
    for (qint64 i = 0; i < screen; ++i) {
        const qint64 index = atEnd ? count - 1 - i : i;
        QVERIFY2(adopted.isResident(index), qPrintable(QString::number(index)));
        QCOMPARE(adopted.row(index)->id, listing.at(index).id);
    }
    // Rows beyond the adopted pages still load (from the adopted pages' keys).
    if (count > 2 * kPage) {
        const qint64 beyond = atEnd ? count - 1 - 2 * kPage - 5 : 2 * kPage + 5;
        const TaxTransaction* row = adopted.row(beyond);
        QVERIFY(row != nullptr);
        QCOMPARE(row->id, listing.at(beyond).id);
    }
    // Rows of another listing are refused instead of being shown under the wrong filter.
    app::TransactionPager tiny(kPage, 8);
    tiny.setDatabase(m_db);
    tiny.reset(filter, 0);
    tiny.adoptEdge(edge.value(), atEnd);
    QCOMPARE(tiny.residentPages(), 0);
}

void TestTransactionSearch::smallListingComesWhole_data() {
    QTest::addColumn<QString>("term");
    QTest::addColumn<bool>("atEnd");
    QTest::newRow("rare search, newest first") << QStringLiteral("0xa") << true;
    QTest::newRow("rare search, oldest first") << QStringLiteral("0xa") << false;
    QTest::newRow("everything (too many)") << QString() << true;
}

void TestTransactionSearch::smallListingComesWhole() {
    // A listing that fits in the resident pages is read whole with the count: every row is
    // there without a query (scrolling a search never reads on the GUI thread); a bigger one
    // still comes as its two edge pages.
    QFETCH(QString, term);
    QFETCH(bool, atEnd);
    constexpr int kPage = 50;
    constexpr int kResident = 8;
    store::TransactionFilter filter;
    filter.search = term;
    store::TransactionRepository repository(m_db);
    const qint64 count = repository.count(filter).value();
    const qint64 wholeUpTo = qint64(kPage) * kResident;
    const Result<QList<TaxTransaction>> edge =
        app::TransactionPager::readEdge(m_db, filter, count, kPage, atEnd, wholeUpTo);
    QVERIFY2(edge.ok(), qPrintable(edge.error()));
    app::TransactionPager adopted(kPage, kResident);
    adopted.reset(filter, count);
    adopted.adoptEdge(edge.value(), atEnd);
    const QList<TaxTransaction> listing = repository.list(filter).value();
    if (count <= wholeUpTo) {
        QVERIFY(count > 2 * kPage); // the case is only worth having when it is more than the edges
        QCOMPARE(qint64(edge->size()), count);
        for (qint64 i = 0; i < count; ++i) {
            QVERIFY2(adopted.isResident(i), qPrintable(QString::number(i)));
            QCOMPARE(adopted.row(i)->id, listing.at(i).id); // no database set: resident only
        }
    } else {
        QVERIFY(edge->size() <= 2 * kPage);
        QVERIFY(!adopted.isResident(atEnd ? 0 : count - 1));
    }
}

QTEST_GUILESS_MAIN(TestTransactionSearch)
#include "TestTransactionSearch.moc"
