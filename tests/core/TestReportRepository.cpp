#include "TestSupport.h"

#include "domain/Uuid.h"
#include "store/Migrator.h"
#include "store/ReportRepository.h"
#include "store/SqlCipherDriver.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

#include <algorithm>
#include <memory>

Q_DECLARE_METATYPE(llamadesk::TaxReport)

using namespace llamadesk;
using namespace llamadesk::store;

namespace {

const QString kUser = QStringLiteral("88888888-2222-4333-8444-555555555555");

Decimal dec(const char* text) {
    Result<Decimal> d = Decimal::parse(QStringView(QString::fromLatin1(text)));
    if (!d)
        qFatal("bad decimal in test data: %s", text);
    return *d;
}

Timestamp ts(const char* text) {
    Result<Timestamp> t = Timestamp::parse(QStringView(QString::fromLatin1(text)));
    if (!t)
        qFatal("bad timestamp in test data: %s", text);
    return *t;
}

TaxReport annual(qint64 year, const char* created = "2025-01-01T00:00:00.000000Z") {
    TaxReport r;
    r.id = newUuid();
    r.userId = kUser;
    r.taxYear = year;
    r.countryCode = QStringLiteral("US");
    r.startDate = QStringLiteral("%1-01-01").arg(year);
    r.endDate = QStringLiteral("%1-12-31").arg(year);
    r.createdAt = ts(created);
    r.updatedAt = ts(created);
    return r;
}

} // namespace

class TestReportRepository : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void roundTrip_data();
    void roundTrip();
    void validation_data();
    void validation();
    void update();
    void statusTransitions();
    void listOrderAndFilter();
    void softDelete();

private:
    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QSqlDatabase m_db;
    std::unique_ptr<ReportRepository> m_repo;
};

void TestReportRepository::initTestCase() {
    m_dir = std::make_unique<testsupport::ScratchDir>();
    QVERIFY(m_dir->isValid());
    QByteArray key(SqlCipherDriver::kRawKeySize, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    QString error;
    m_db = SqlCipherDriver::openDatabase(QStringLiteral("report-repo"),
                                         m_dir->filePath(QStringLiteral("vault.db")), key, {},
                                         nullptr, &error);
    QVERIFY2(m_db.isOpen(), qPrintable(error));
    const Status migrated = Migrator(m_db).migrate();
    QVERIFY2(migrated.ok(), qPrintable(migrated.error()));
    QSqlQuery q(m_db);
    QVERIFY(q.prepare(QStringLiteral("INSERT INTO users (id, email) VALUES (?, ?)")));
    q.addBindValue(kUser);
    q.addBindValue(QStringLiteral("reports@example.org"));
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    m_repo = std::make_unique<ReportRepository>(m_db);
}

void TestReportRepository::cleanupTestCase() {
    m_repo.reset();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("report-repo"));
}

void TestReportRepository::init() {
    QSqlQuery q(m_db);
    QVERIFY(q.exec(QStringLiteral("DELETE FROM tax_reports")));
}

void TestReportRepository::roundTrip_data() {
    QTest::addColumn<TaxReport>("report");
    QTest::newRow("pending, zero totals, optionals NULL") << annual(2024);

    TaxReport done = annual(2025);
    done.reportType = ReportType::Custom;
    done.countryCode = QStringLiteral("DE");
    done.startDate = QStringLiteral("2025-02-28");
    done.endDate = QStringLiteral("2025-03-01");
    done.totalTransactions = 2147483647;
    done.totalCapitalGainsUsd = dec("999999999999999999.99");
    done.totalCapitalLossesUsd = dec("0.01");
    done.netCapitalGainsUsd = dec("999999999999999999.98");
    done.totalIncomeUsd = dec("1234.5");
    done.totalExpensesUsd = dec("0");
    done.longTermGainsUsd = dec("-999999999999999999.99");
    done.shortTermGainsUsd = dec("0.01");
    done.reportFormat = ReportFormat::TurboTax;
    done.fileUrl = QStringLiteral("file:///home/me/reports/2025 Übersicht.txf");
    done.fileSizeBytes = std::numeric_limits<qint64>::max();
    done.status = ReportStatus::Completed;
    done.generatedAt = ts("2026-01-15T10:11:12.131415Z");
    done.deletedAt = ts("2026-02-01T00:00:00.000000Z");
    QTest::newRow("completed, every field, extremes") << done;

    TaxReport failed = annual(2023);
    failed.reportType = ReportType::Quarterly;
    failed.status = ReportStatus::Failed;
    failed.errorMessage = QStringLiteral("price for PEPE missing on 2023-04-01");
    failed.reportFormat = ReportFormat::Csv;
    QTest::newRow("failed with reason") << failed;
}

void TestReportRepository::roundTrip() {
    QFETCH(TaxReport, report);
    QVERIFY2(report.validate().isEmpty(), qPrintable(report.validate().join(QLatin1Char('\n'))));
    const Status s = m_repo->insert(report);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    Result<std::optional<TaxReport>> back = m_repo->get(report.id);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QVERIFY(back->has_value());
    QCOMPARE((*back)->totalCapitalGainsUsd, report.totalCapitalGainsUsd);
    QCOMPARE((*back)->longTermGainsUsd, report.longTermGainsUsd);
    QVERIFY((*back)->reportFormat == report.reportFormat);
    QCOMPARE((*back)->fileSizeBytes, report.fileSizeBytes);
    QVERIFY(**back == report);
}

void TestReportRepository::validation_data() {
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("expected");
    QTest::newRow("country lowercase") << "country"
                                       << "country_code";
    QTest::newRow("country 3 letters") << "country3"
                                       << "country_code";
    QTest::newRow("end before start") << "dates"
                                      << "end_date";
    QTest::newRow("impossible date") << "badDate"
                                     << "start_date";
    QTest::newRow("year 1969") << "year"
                               << "tax_year";
    QTest::newRow("gains 3 decimals") << "gains"
                                      << "total_capital_gains_usd";
    QTest::newRow("losses negative") << "losses"
                                     << "total_capital_losses_usd";
    QTest::newRow("net does not add up") << "net"
                                         << "net_capital_gains_usd";
    QTest::newRow("failed without reason") << "failed"
                                           << "error_message";
    QTest::newRow("completed without time") << "completed"
                                            << "generated_at";
    QTest::newRow("file url 501 chars") << "url"
                                        << "file_url";
    QTest::newRow("file size negative") << "size"
                                        << "file_size_bytes";
    QTest::newRow("transactions negative") << "count"
                                           << "total_transactions";
}

void TestReportRepository::validation() {
    QFETCH(QString, change);
    QFETCH(QString, expected);
    TaxReport r = annual(2024);
    QVERIFY(r.validate().isEmpty());
    if (change == QLatin1String("country"))
        r.countryCode = QStringLiteral("us");
    else if (change == QLatin1String("country3"))
        r.countryCode = QStringLiteral("USA");
    else if (change == QLatin1String("dates"))
        r.endDate = QStringLiteral("2023-12-31");
    else if (change == QLatin1String("badDate"))
        r.startDate = QStringLiteral("2024-02-30");
    else if (change == QLatin1String("year"))
        r.taxYear = 1969;
    else if (change == QLatin1String("gains")) {
        r.totalCapitalGainsUsd = dec("1.005");
        r.netCapitalGainsUsd = dec("1.005");
    } else if (change == QLatin1String("losses")) {
        r.totalCapitalLossesUsd = dec("-1");
        r.netCapitalGainsUsd = dec("1");
    } else if (change == QLatin1String("net"))
        r.netCapitalGainsUsd = dec("5");
    else if (change == QLatin1String("failed"))
        r.status = ReportStatus::Failed;
    else if (change == QLatin1String("completed"))
        r.status = ReportStatus::Completed;
    else if (change == QLatin1String("url"))
        r.fileUrl = QString(501, QLatin1Char('u'));
    else if (change == QLatin1String("size"))
        r.fileSizeBytes = -1;
    else if (change == QLatin1String("count"))
        r.totalTransactions = -1;
    else
        QFAIL("unknown change");
    const QStringList errors = r.validate();
    QVERIFY2(!errors.isEmpty(), "the change must be refused");
    QVERIFY2(std::any_of(errors.begin(), errors.end(),
                         [&](const QString& e) { return e.contains(expected); }),
             qPrintable(errors.join(QLatin1Char('\n'))));
    QVERIFY(!m_repo->insert(r).ok());
}

void TestReportRepository::update() {
    TaxReport r = annual(2024);
    QVERIFY(m_repo->insert(r).ok());
    r.totalCapitalGainsUsd = dec("100.10");
    r.totalCapitalLossesUsd = dec("0.20");
    r.netCapitalGainsUsd = dec("99.9");
    r.totalTransactions = 42;
    r.reportFormat = ReportFormat::Pdf;
    QVERIFY(m_repo->update(r).ok());
    const TaxReport back = m_repo->get(r.id).value().value();
    QCOMPARE(back.netCapitalGainsUsd, dec("99.90"));
    QCOMPARE(back.totalTransactions, 42LL);
    QVERIFY(back.reportFormat == std::optional<ReportFormat>(ReportFormat::Pdf));
    TaxReport ghost = annual(2024);
    QVERIFY(!m_repo->update(ghost).ok());
}

void TestReportRepository::statusTransitions() {
    const TaxReport r = annual(2024);
    QVERIFY(m_repo->insert(r).ok());
    QVERIFY(m_repo->setStatus(r.id, ReportStatus::Processing).ok());
    QVERIFY(!m_repo->setStatus(r.id, ReportStatus::Failed).ok()); // needs a reason
    QVERIFY(m_repo->setStatus(r.id, ReportStatus::Failed, QStringLiteral("no prices")).ok());
    TaxReport back = m_repo->get(r.id).value().value();
    QCOMPARE(toString(back.status), toString(ReportStatus::Failed));
    QCOMPARE(back.errorMessage, std::optional<QString>(QStringLiteral("no prices")));
    QVERIFY(back.validate().isEmpty());

    QVERIFY(m_repo->setStatus(r.id, ReportStatus::Pending).ok()); // a retry
    QVERIFY(!m_repo->get(r.id).value()->errorMessage.has_value());
    QVERIFY(m_repo->setStatus(r.id, ReportStatus::Completed).ok());
    back = m_repo->get(r.id).value().value();
    QVERIFY(back.generatedAt.has_value());
    QVERIFY(back.validate().isEmpty());
    const Status again = m_repo->setStatus(r.id, ReportStatus::Processing);
    QVERIFY(!again.ok()); // completed is final
    QVERIFY2(again.error().contains(QLatin1String("completed")), qPrintable(again.error()));
    QVERIFY(!m_repo->setStatus(newUuid(), ReportStatus::Processing).ok());
}

void TestReportRepository::listOrderAndFilter() {
    const TaxReport r2023 = annual(2023, "2024-01-01T00:00:00.000000Z");
    const TaxReport r2024a = annual(2024, "2025-01-01T00:00:00.000000Z");
    const TaxReport r2024b = annual(2024, "2025-02-01T00:00:00.000000Z");
    for (const TaxReport& r : {r2024a, r2023, r2024b})
        QVERIFY(m_repo->insert(r).ok());
    QStringList ids;
    const QList<TaxReport> all = m_repo->list(kUser).value();
    for (const TaxReport& r : all)
        ids << r.id;
    QCOMPARE(ids, (QStringList{r2024b.id, r2024a.id, r2023.id}));
    QCOMPARE(m_repo->list(kUser, 2023).value().size(), qsizetype(1));
    QCOMPARE(m_repo->list(kUser, 2022).value().size(), qsizetype(0));
}

void TestReportRepository::softDelete() {
    const TaxReport r = annual(2024);
    QVERIFY(m_repo->insert(r).ok());
    QVERIFY(m_repo->softDelete(r.id).ok());
    QVERIFY(m_repo->list(kUser).value().isEmpty());
    QVERIFY(m_repo->get(r.id).value()->deletedAt.has_value());
    QVERIFY(!m_repo->softDelete(r.id).ok());
    QVERIFY(!m_repo->setStatus(r.id, ReportStatus::Processing).ok());
}

QTEST_GUILESS_MAIN(TestReportRepository)
#include "TestReportRepository.moc"
