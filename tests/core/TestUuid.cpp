#include "domain/Uuid.h"

#include <QSet>
#include <QTest>

class TestUuid : public QObject {
    Q_OBJECT

private slots:
    void recognisesTheCanonicalForm_data();
    void recognisesTheCanonicalForm();
    void newUuidIsCanonicalRandomVersion4();
};

void TestUuid::recognisesTheCanonicalForm_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("canonical");

    const auto row = [](const char* name, const char* text, bool canonical) {
        QTest::newRow(name) << QString::fromLatin1(text) << canonical;
    };
    row("version 4", "1b4e28ba-2fa1-4d3b-8a5c-0b3f9d1e7c42", true);
    row("nil", "00000000-0000-0000-0000-000000000000", true);
    row("version 7", "01890a5d-ac96-774b-bcce-b302099a8057", true);
    row("uppercase", "1B4E28BA-2FA1-4D3B-8A5C-0B3F9D1E7C42", false);
    row("one uppercase letter", "1b4e28ba-2fa1-4d3b-8a5c-0b3f9d1e7C42", false);
    row("braces", "{1b4e28ba-2fa1-4d3b-8a5c-0b3f9d1e7c42}", false);
    row("no hyphens", "1b4e28ba2fa14d3b8a5c0b3f9d1e7c42", false);
    row("hyphen moved", "1b4e28b-a2fa1-4d3b-8a5c-0b3f9d1e7c42", false);
    row("non-hex letter", "1b4e28ba-2fa1-4d3b-8a5c-0b3f9d1e7c4g", false);
    row("too short", "1b4e28ba-2fa1-4d3b-8a5c-0b3f9d1e7c4", false);
    row("too long", "1b4e28ba-2fa1-4d3b-8a5c-0b3f9d1e7c42a", false);
    row("surrounding space", " 1b4e28ba-2fa1-4d3b-8a5c-0b3f9d1e7c4", false);
    row("empty", "", false);
}

void TestUuid::recognisesTheCanonicalForm() {
    QFETCH(QString, text);
    QFETCH(bool, canonical);
    QCOMPARE(llamadesk::isCanonicalUuid(text), canonical);
}

void TestUuid::newUuidIsCanonicalRandomVersion4() {
    QSet<QString> seen;
    for (int i = 0; i < 10000; ++i) {
        const QString id = llamadesk::newUuid();
        QVERIFY2(llamadesk::isCanonicalUuid(id), qPrintable(id));
        QCOMPARE(id.at(14), QLatin1Char('4'));                                // version 4 (random)
        QVERIFY2(QStringLiteral("89ab").contains(id.at(19)), qPrintable(id)); // RFC 4122 variant
        seen.insert(id);
    }
    QCOMPARE(seen.size(), 10000);
}

QTEST_GUILESS_MAIN(TestUuid)
#include "TestUuid.moc"
