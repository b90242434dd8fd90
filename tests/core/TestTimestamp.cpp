#include "domain/Timestamp.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>

#include <algorithm>

using llamadesk::Timestamp;

class TestTimestamp : public QObject {
    Q_OBJECT

private slots:
    void parsesToTheStoredForm_data();
    void parsesToTheStoredForm();
    void refusesInvalidText_data();
    void refusesInvalidText();
    void storedFormReadsAsTheGeneralForm_data();
    void storedFormReadsAsTheGeneralForm();
    void roundTripsMicroseconds_data();
    void roundTripsMicroseconds();
    void textOrderIsTimeOrder();
    void rangeIsYears1To9999();
    void invalidByDefault();
    void convertsFromQDateTime_data();
    void convertsFromQDateTime();
    void convertsToQDateTime_data();
    void convertsToQDateTime();
    void dateInZone_data();
    void dateInZone();
    void nowIsTheSystemClock();
    void comparesByInstant();
};

void TestTimestamp::parsesToTheStoredForm_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("stored");

    const auto row = [](const char* name, const char* text, const char* stored) {
        QTest::newRow(name) << QString::fromLatin1(text) << QString::fromLatin1(stored);
    };
    row("stored form", "2025-03-15T10:00:00.123456Z", "2025-03-15T10:00:00.123456Z");
    row("iso, positive offset", "2025-03-15T10:00:00+01:00", "2025-03-15T09:00:00.000000Z");
    row("space, half second, Z", "2025-03-15 10:00:00.5Z", "2025-03-15T10:00:00.500000Z");
    row("iso, Z", "2025-03-15T10:00:00Z", "2025-03-15T10:00:00.000000Z");
    row("postgres +00", "2025-03-15 10:00:00.123456+00", "2025-03-15T10:00:00.123456Z");
    row("postgres +05:30", "2025-03-15 15:30:00.000001+05:30", "2025-03-15T10:00:00.000001Z");
    row("postgres -03", "2025-03-15 07:00:00-03", "2025-03-15T10:00:00.000000Z");
    row("postgres LMT seconds offset", "1900-01-01 00:00:00+00:53:28",
        "1899-12-31T23:06:32.000000Z");
    // Verbatim PostgreSQL 15 output of one instant under different TimeZone settings.
    row("postgres output, UTC, trimmed fraction", "2025-03-15 09:00:00.5+00",
        "2025-03-15T09:00:00.500000Z");
    row("postgres output, Asia/Kolkata", "2025-03-15 15:30:00.000001+05:30",
        "2025-03-15T10:00:00.000001Z");
    row("postgres output, America/St_Johns", "2025-03-15 07:30:00-02:30",
        "2025-03-15T10:00:00.000000Z");
    row("postgres output, Europe/Amsterdam 1900 (LMT)", "1900-01-01 00:19:32+00:19:32",
        "1900-01-01T00:00:00.000000Z");
    row("postgres output, year 1", "0001-01-01 00:00:00+00", "0001-01-01T00:00:00.000000Z");
    row("basic offset -0330", "2025-03-15T10:00:00-0330", "2025-03-15T13:30:00.000000Z");
    row("basic offset with seconds", "2025-03-15T10:00:00+005328", "2025-03-15T09:06:32.000000Z");
    row("negative offset crosses midnight", "2025-03-15 23:30:00-05",
        "2025-03-16T04:30:00.000000Z");
    row("positive offset crosses new year", "2025-01-01T00:30:00+01:00",
        "2024-12-31T23:30:00.000000Z");
    row("offset +14", "2025-03-15T10:00:00.000001+14:00", "2025-03-14T20:00:00.000001Z");
    row("offset -15:59:59 (PostgreSQL's limit)", "2025-03-15T00:00:00-15:59:59",
        "2025-03-15T15:59:59.000000Z");
    row("lowercase t and z", "2025-03-15t10:00:00z", "2025-03-15T10:00:00.000000Z");
    row("comma fraction", "2025-03-15T10:00:00,25Z", "2025-03-15T10:00:00.250000Z");
    row("leap day 2024", "2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000000Z");
    row("leap day 2000 (divisible by 400)", "2000-02-29T00:00:00Z", "2000-02-29T00:00:00.000000Z");
    row("offset moves onto a leap day", "2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00.000000Z");
    // UTC has no daylight saving: the hour that does not exist in Berlin is an ordinary one here.
    row("European DST gap hour", "2025-03-30T02:30:00Z", "2025-03-30T02:30:00.000000Z");
    row("same instant in CET", "2025-03-30T01:30:00+01:00", "2025-03-30T00:30:00.000000Z");
    row("before 1970", "1969-12-31T23:59:59.999999Z", "1969-12-31T23:59:59.999999Z");
    row("epoch", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000000Z");
    row("minimum", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000000Z");
    row("maximum", "9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999Z");
    row("minimum through an offset", "0001-01-01T01:00:00+01:00", "0001-01-01T00:00:00.000000Z");
    row("maximum through an offset", "9999-12-31T22:59:59.999999-01:00",
        "9999-12-31T23:59:59.999999Z");
}

void TestTimestamp::parsesToTheStoredForm() {
    QFETCH(QString, text);
    QFETCH(QString, stored);
    const Result<Timestamp> parsed = Timestamp::parse(text);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    QVERIFY(parsed->isValid());
    QCOMPARE(parsed->toString(), stored);
    // The stored form reads back as itself.
    const Result<Timestamp> again = Timestamp::parse(stored);
    QVERIFY2(again.ok(), qPrintable(again.error()));
    QCOMPARE(again->microsecondsSinceEpoch(), parsed->microsecondsSinceEpoch());
}

void TestTimestamp::refusesInvalidText_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("why"); // a word the error must contain

    const auto row = [](const char* name, const QString& text, const char* why) {
        QTest::newRow(name) << text << QString::fromLatin1(why);
    };
    const auto l1 = [](const char* s) {
        return QString::fromLatin1(s);
    };
    row("empty", QString(), "date");
    row("date only", l1("2025-03-15"), "time");
    row("no offset", l1("2025-03-15T10:00:00"), "offset");
    row("no offset after fraction", l1("2025-03-15 10:00:00.123456"), "offset");
    row("no seconds", l1("2025-03-15T10:00Z"), "HH:MM:SS");
    row("slashes", l1("2025/03/15 10:00:00Z"), "date");
    row("two-digit year", l1("25-03-15T10:00:00Z"), "date");
    row("five-digit year", l1("10000-01-01T00:00:00Z"), "date");
    row("not a leap year", l1("2025-02-29T00:00:00Z"), "date");
    row("1900 is not a leap year", l1("1900-02-29T00:00:00Z"), "date");
    row("month 13", l1("2025-13-01T00:00:00Z"), "date");
    row("month 00", l1("2025-00-10T00:00:00Z"), "date");
    row("april 31", l1("2025-04-31T00:00:00Z"), "date");
    row("day 00", l1("2025-04-00T00:00:00Z"), "date");
    row("hour 24", l1("2025-03-15T24:00:00Z"), "time");
    row("minute 60", l1("2025-03-15T10:60:00Z"), "time");
    row("leap second", l1("2016-12-31T23:59:60Z"), "time");
    row("seven fractional digits", l1("2025-03-15T10:00:00.1234567Z"), "six");
    row("nanoseconds", l1("2025-03-15T10:00:00.123456000Z"), "six");
    row("point without digits", l1("2025-03-15T10:00:00.Z"), "digits");
    row("one-digit offset hour", l1("2025-03-15T10:00:00+1:00"), "offset");
    row("offset hour 16", l1("2025-03-15T10:00:00+16:00"), "offset");
    row("offset minute 60", l1("2025-03-15T10:00:00+01:60"), "offset");
    row("mixed offset separators", l1("2025-03-15T10:00:00+01:0030"), "offset");
    row("dangling offset colon", l1("2025-03-15T10:00:00+01:"), "offset");
    row("trailing space", l1("2025-03-15T10:00:00Z "), "after");
    row("leading space", l1(" 2025-03-15T10:00:00Z"), "date");
    row("postgres BC", l1("0044-03-15 10:00:00+00 BC"), "offset");
    row("postgres infinity", l1("infinity"), "date");
    row("year 0", l1("0000-12-31T23:59:59Z"), "date");
    row("UTC before year 1", l1("0001-01-01T00:00:00+00:01"), "0001");
    row("UTC after year 9999", l1("9999-12-31T23:59:59.999999-00:01"), "9999");
    row("non-ASCII digits", QStringLiteral("\uff12\uff10\uff12\uff15-03-15T10:00:00Z"), "date");
    row("T without time", l1("2025-03-15T"), "HH:MM:SS");
    // In the stored form's exact shape, which has its own reader.
    row("stored form, 29 February of a common year", l1("2023-02-29T10:00:00.000000Z"),
        "such date");
    row("stored form, 29 February 1900", l1("1900-02-29T10:00:00.000000Z"), "such date");
    row("stored form, 31 April", l1("2024-04-31T10:00:00.000000Z"), "such date");
    row("stored form, month 13", l1("2024-13-01T10:00:00.000000Z"), "such date");
    row("stored form, month 00", l1("2024-00-10T10:00:00.000000Z"), "such date");
    row("stored form, day 00", l1("2024-01-00T10:00:00.000000Z"), "such date");
    row("stored form, year 0000", l1("0000-06-01T10:00:00.000000Z"), "such date");
    row("stored form, hour 24", l1("2024-01-01T24:00:00.000000Z"), "time of day");
    row("stored form, minute 60", l1("2024-01-01T23:60:00.000000Z"), "time of day");
    row("stored form, second 60", l1("2024-01-01T23:59:60.000000Z"), "time of day");
    row("stored form, letter in the month", l1("2024-0a-01T10:00:00.000000Z"), "YYYY-MM-DD");
    row("stored form, letter in the fraction", l1("2024-01-01T10:00:00.00000xZ"), "offset");
    row("stored form, colon for a digit", l1("2024-01-01T10:00:0:.000000Z"), "HH:MM:SS");
}

void TestTimestamp::refusesInvalidText() {
    QFETCH(QString, text);
    QFETCH(QString, why);
    const Result<Timestamp> parsed = Timestamp::parse(text);
    QVERIFY2(!parsed.ok(), qPrintable(QStringLiteral("accepted: ") + text));
    // The error names the text (shortened when long) and says why.
    QVERIFY2(parsed.error().contains(text.left(20)), qPrintable(parsed.error()));
    QVERIFY2(parsed.error().contains(why, Qt::CaseInsensitive), qPrintable(parsed.error()));
}

void TestTimestamp::storedFormReadsAsTheGeneralForm_data() {
    // The stored form has its own reader (fixed positions, its own calendar arithmetic). Every
    // day of years that test the leap rule, and the ends of the range, must read as the same
    // instant through the general reader (the same time with "+00:00") and as QDateTime says.
    QTest::addColumn<QDate>("date");
    for (const int year : {1, 4, 100, 1600, 1899, 1900, 1969, 1970, 2000, 2023, 2024, 2100, 9999}) {
        for (QDate d(year, 1, 1); d.year() == year; d = d.addDays(1)) {
            if (year > 2 && year < 9998 && d.day() != 1 && d.day() < 27 && year != 2024)
                continue; // month starts and ends are enough outside the leap years of interest
            QTest::addRow("%s", qPrintable(d.toString(Qt::ISODate))) << d;
        }
    }
}

void TestTimestamp::storedFormReadsAsTheGeneralForm() {
    QFETCH(QDate, date);
    const QString day = date.toString(QStringLiteral("yyyy-MM-dd"));
    for (const char* time : {"00:00:00.000000", "23:59:59.999999", "12:34:56.000789"}) {
        const QString stored = day + QLatin1Char('T') + QLatin1String(time) + QLatin1Char('Z');
        const QString general =
            day + QLatin1Char('T') + QLatin1String(time) + QLatin1String("+00:00");
        const Result<Timestamp> a = Timestamp::parse(stored);
        const Result<Timestamp> b = Timestamp::parse(general);
        QVERIFY2(a.ok(), qPrintable(stored));
        QVERIFY2(b.ok(), qPrintable(general));
        QCOMPARE(a->microsecondsSinceEpoch(), b->microsecondsSinceEpoch());
        QCOMPARE(a->toString(), stored);
        const QTime t =
            QTime::fromString(QString::fromLatin1(time).left(12), QStringLiteral("HH:mm:ss.zzz"));
        const qint64 micros = QString::fromLatin1(time).mid(12).toLongLong();
        const QDateTime expected(date, t, QTimeZone::utc());
        QCOMPARE(a->microsecondsSinceEpoch(), expected.toMSecsSinceEpoch() * 1000 + micros);
    }
}

void TestTimestamp::roundTripsMicroseconds_data() {
    QTest::addColumn<qint64>("microseconds");
    QTest::addColumn<QString>("stored");

    QTest::newRow("epoch") << qint64(0) << QStringLiteral("1970-01-01T00:00:00.000000Z");
    QTest::newRow("one before epoch")
        << qint64(-1) << QStringLiteral("1969-12-31T23:59:59.999999Z");
    QTest::newRow("one after epoch") << qint64(1) << QStringLiteral("1970-01-01T00:00:00.000001Z");
    QTest::newRow("minimum") << Timestamp::kMinMicroseconds
                             << QStringLiteral("0001-01-01T00:00:00.000000Z");
    QTest::newRow("maximum") << Timestamp::kMaxMicroseconds
                             << QStringLiteral("9999-12-31T23:59:59.999999Z");
    // 2025-03-15T10:00:00.123456Z
    QTest::newRow("2025") << qint64(1742032800123456LL)
                          << QStringLiteral("2025-03-15T10:00:00.123456Z");
    // PostgreSQL's own epoch, 2000-01-01.
    QTest::newRow("2000") << qint64(946684800000000LL)
                          << QStringLiteral("2000-01-01T00:00:00.000000Z");
    QTest::newRow("leap day end") << qint64(1709251199999999LL)
                                  << QStringLiteral("2024-02-29T23:59:59.999999Z");
}

void TestTimestamp::roundTripsMicroseconds() {
    QFETCH(qint64, microseconds);
    QFETCH(QString, stored);
    const Timestamp t = Timestamp::fromMicrosecondsSinceEpoch(microseconds);
    QVERIFY(t.isValid());
    QCOMPARE(t.toString(), stored);
    const Result<Timestamp> back = Timestamp::parse(stored);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QCOMPARE(back->microsecondsSinceEpoch(), microseconds);
}

void TestTimestamp::textOrderIsTimeOrder() {
    // Fixed seed: the same values every run, spread over the whole range.
    QRandomGenerator random(20250315);
    QList<Timestamp> values;
    values << Timestamp::fromMicrosecondsSinceEpoch(Timestamp::kMinMicroseconds)
           << Timestamp::fromMicrosecondsSinceEpoch(Timestamp::kMaxMicroseconds)
           << Timestamp::fromMicrosecondsSinceEpoch(-1) << Timestamp::fromMicrosecondsSinceEpoch(0);
    const quint64 span = quint64(Timestamp::kMaxMicroseconds - Timestamp::kMinMicroseconds);
    for (int i = 0; i < 5000; ++i) {
        const qint64 us = Timestamp::kMinMicroseconds + qint64(random.bounded(span));
        values << Timestamp::fromMicrosecondsSinceEpoch(us);
        // Neighbours a microsecond apart sort correctly too.
        if (us < Timestamp::kMaxMicroseconds)
            values << Timestamp::fromMicrosecondsSinceEpoch(us + 1);
    }
    QList<QString> texts;
    for (const Timestamp& t : values) {
        QVERIFY(t.isValid());
        const QString s = t.toString();
        QCOMPARE(s.size(), 27);
        const Result<Timestamp> back = Timestamp::parse(s);
        QVERIFY2(back.ok(), qPrintable(back.error()));
        QCOMPARE(*back, t);
        texts << s;
    }
    std::sort(values.begin(), values.end());
    std::sort(texts.begin(), texts.end());
    for (qsizetype i = 0; i < values.size(); ++i)
        QCOMPARE(texts.at(i), values.at(i).toString());
}

void TestTimestamp::rangeIsYears1To9999() {
    QVERIFY(!Timestamp::fromMicrosecondsSinceEpoch(Timestamp::kMinMicroseconds - 1).isValid());
    QVERIFY(!Timestamp::fromMicrosecondsSinceEpoch(Timestamp::kMaxMicroseconds + 1).isValid());
    QVERIFY(!Timestamp::fromMicrosecondsSinceEpoch(std::numeric_limits<qint64>::min()).isValid());
    QVERIFY(!Timestamp::fromMicrosecondsSinceEpoch(std::numeric_limits<qint64>::max()).isValid());
    QVERIFY(Timestamp::fromMicrosecondsSinceEpoch(Timestamp::kMinMicroseconds).isValid());
    QVERIFY(Timestamp::fromMicrosecondsSinceEpoch(Timestamp::kMaxMicroseconds).isValid());
}

void TestTimestamp::invalidByDefault() {
    const Timestamp unset;
    QVERIFY(!unset.isValid());
    QVERIFY(unset.toString().isEmpty());
    QVERIFY(!unset.toDateTime().isValid());
    QVERIFY(!unset.dateIn(QTimeZone::utc()).isValid());
    QVERIFY(unset < Timestamp::fromMicrosecondsSinceEpoch(Timestamp::kMinMicroseconds));
}

void TestTimestamp::convertsFromQDateTime_data() {
    QTest::addColumn<QDateTime>("dateTime");
    QTest::addColumn<QString>("stored");

    QTest::newRow("utc with milliseconds")
        << QDateTime(QDate(2025, 3, 15), QTime(10, 0, 0, 123), QTimeZone::utc())
        << QStringLiteral("2025-03-15T10:00:00.123000Z");
    QTest::newRow("fixed offset +05:30")
        << QDateTime(QDate(2025, 3, 15), QTime(15, 30, 0), QTimeZone(5 * 3600 + 30 * 60))
        << QStringLiteral("2025-03-15T10:00:00.000000Z");
    QTest::newRow("before 1970") << QDateTime(QDate(1969, 7, 20), QTime(20, 17, 40),
                                              QTimeZone::utc())
                                 << QStringLiteral("1969-07-20T20:17:40.000000Z");
    QTest::newRow("year 1") << QDateTime(QDate(1, 1, 1), QTime(0, 0), QTimeZone::utc())
                            << QStringLiteral("0001-01-01T00:00:00.000000Z");
    QTest::newRow("year 10000 is out of range")
        << QDateTime(QDate(10000, 1, 1), QTime(0, 0), QTimeZone::utc()) << QString();
    QTest::newRow("year -1 is out of range")
        << QDateTime(QDate(-1, 12, 31), QTime(23, 0), QTimeZone::utc()) << QString();
    QTest::newRow("invalid") << QDateTime() << QString();
}

void TestTimestamp::convertsFromQDateTime() {
    QFETCH(QDateTime, dateTime);
    QFETCH(QString, stored);
    const Timestamp t = Timestamp::fromDateTime(dateTime);
    QCOMPARE(t.isValid(), !stored.isEmpty());
    QCOMPARE(t.toString(), stored);
}

void TestTimestamp::convertsToQDateTime_data() {
    QTest::addColumn<QString>("stored");
    QTest::addColumn<qint64>("milliseconds");

    QTest::newRow("whole milliseconds")
        << QStringLiteral("2025-03-15T10:00:00.123000Z") << qint64(1742032800123LL);
    QTest::newRow("microseconds are truncated")
        << QStringLiteral("2025-03-15T10:00:00.123999Z") << qint64(1742032800123LL);
    // Truncated toward the past, so ordering is kept before 1970 as well.
    QTest::newRow("before 1970 truncates downward")
        << QStringLiteral("1969-12-31T23:59:59.999999Z") << qint64(-1);
}

void TestTimestamp::convertsToQDateTime() {
    QFETCH(QString, stored);
    QFETCH(qint64, milliseconds);
    const Result<Timestamp> t = Timestamp::parse(stored);
    QVERIFY2(t.ok(), qPrintable(t.error()));
    const QDateTime dt = t->toDateTime();
    QVERIFY(dt.isValid());
    QCOMPARE(dt.offsetFromUtc(), 0);
    QCOMPARE(dt.toMSecsSinceEpoch(), milliseconds);
}

void TestTimestamp::dateInZone_data() {
    QTest::addColumn<QString>("stored");
    QTest::addColumn<QByteArray>("zone");
    QTest::addColumn<QDate>("date");

    const QString lateEvening = QStringLiteral("2025-03-15T23:30:00.000000Z");
    QTest::newRow("UTC") << lateEvening << QByteArray("UTC") << QDate(2025, 3, 15);
    QTest::newRow("Berlin is already tomorrow")
        << lateEvening << QByteArray("Europe/Berlin") << QDate(2025, 3, 16);
    QTest::newRow("New York is still today")
        << lateEvening << QByteArray("America/New_York") << QDate(2025, 3, 15);
    QTest::newRow("Kiritimati (+14)") << QStringLiteral("2025-03-15T10:00:00.000000Z")
                                      << QByteArray("Pacific/Kiritimati") << QDate(2025, 3, 16);
    // New Year's Eve decides the tax year.
    QTest::newRow("tax year in Tokyo") << QStringLiteral("2024-12-31T15:00:00.000000Z")
                                       << QByteArray("Asia/Tokyo") << QDate(2025, 1, 1);
    QTest::newRow("tax year in Los Angeles")
        << QStringLiteral("2025-01-01T07:59:59.999999Z") << QByteArray("America/Los_Angeles")
        << QDate(2024, 12, 31);
    // After the spring-forward change Berlin is UTC+2.
    QTest::newRow("Berlin summer time") << QStringLiteral("2025-03-30T22:30:00.000000Z")
                                        << QByteArray("Europe/Berlin") << QDate(2025, 3, 31);
}

void TestTimestamp::dateInZone() {
    QFETCH(QString, stored);
    QFETCH(QByteArray, zone);
    QFETCH(QDate, date);
    const QTimeZone tz(zone);
    if (!tz.isValid())
        QSKIP("the system time zone database lacks this zone");
    const Result<Timestamp> t = Timestamp::parse(stored);
    QVERIFY2(t.ok(), qPrintable(t.error()));
    QCOMPARE(t->dateIn(tz), date);
    QVERIFY(!t->dateIn(QTimeZone()).isValid());
}

void TestTimestamp::nowIsTheSystemClock() {
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const Timestamp now = Timestamp::now();
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(now.isValid());
    QVERIFY(now.microsecondsSinceEpoch() >= before * 1000);
    QVERIFY(now.microsecondsSinceEpoch() < (after + 1) * 1000);
    QCOMPARE(now.toString().size(), 27);
}

void TestTimestamp::comparesByInstant() {
    const Result<Timestamp> a = Timestamp::parse(u"2025-03-15T10:00:00+01:00");
    const Result<Timestamp> b = Timestamp::parse(u"2025-03-15 09:00:00Z");
    const Result<Timestamp> c = Timestamp::parse(u"2025-03-15T09:00:00.000001Z");
    QVERIFY(a.ok() && b.ok() && c.ok());
    QVERIFY(*a == *b);
    QVERIFY(!(*a != *b));
    QVERIFY(*a < *c);
    QVERIFY(*a <= *b);
    QVERIFY(*c > *b);
    QVERIFY(*c >= *a);
    QVERIFY(!(*c < *a));
}

QTEST_GUILESS_MAIN(TestTimestamp)
#include "TestTimestamp.moc"
