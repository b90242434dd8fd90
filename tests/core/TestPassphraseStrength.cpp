#include "app/PassphraseStrength.h"

#include <QtTest>

using llamadesk::app::PassphraseStrength;
using Level = PassphraseStrength::Level;

Q_DECLARE_METATYPE(PassphraseStrength::Level)

// The strength estimate behind the passphrase meter: levels and the reasons given.
class TestPassphraseStrength : public QObject {
    Q_OBJECT

private slots:
    void levels_data();
    void levels();
    void longerIsNeverWeaker();
};

void TestPassphraseStrength::levels_data() {
    QTest::addColumn<QString>("passphrase");
    QTest::addColumn<Level>("level");
    QTest::addColumn<QString>("reason"); // a word the reason must contain

    QTest::newRow("empty") << QString() << Level::Empty << QStringLiteral("Enter");
    QTest::newRow("short") << QStringLiteral("Ab1!xy") << Level::Weak << QStringLiteral("short");
    QTest::newRow("common word") << QStringLiteral("password2024") << Level::Weak
                                 << QStringLiteral("common word");
    QTest::newRow("common word, any case")
        << QStringLiteral("MyBitcoin99") << Level::Weak << QStringLiteral("bitcoin");
    QTest::newRow("keyboard run") << QStringLiteral("qwertyuiop12") << Level::Weak
                                  << QStringLiteral("common word");
    QTest::newRow("sequence") << QStringLiteral("abcdefghijkl") << Level::Weak
                              << QStringLiteral("sequences");
    QTest::newRow("repetition") << QStringLiteral("zzzzzzzzzzzzzzzz") << Level::Weak
                                << QStringLiteral("repeated");
    QTest::newRow("one class, long enough")
        << QStringLiteral("mfkrtplsqwnv") << Level::Fair << QStringLiteral("Good");
    QTest::newRow("mixed, medium")
        << QStringLiteral("Trx9!mQz2k") << Level::Fair << QStringLiteral("Good");
    QTest::newRow("several words") << QStringLiteral("purple mountain tractor lemon")
                                   << Level::Strong << QStringLiteral("several words");
    QTest::newRow("long and varied")
        << QStringLiteral("R7#kq!Vz2@Lp9$Wm") << Level::Strong << QStringLiteral("varied");
}

void TestPassphraseStrength::levels() {
    QFETCH(QString, passphrase);
    QFETCH(Level, level);
    QFETCH(QString, reason);
    const PassphraseStrength s = PassphraseStrength::estimate(passphrase);
    QCOMPARE(s.level(), level);
    QVERIFY2(s.reason().contains(reason, Qt::CaseInsensitive), qPrintable(s.reason()));
    QCOMPARE(s.acceptable(), level == Level::Fair || level == Level::Strong);
    QCOMPARE(s.levelText().isEmpty(), level == Level::Empty);
}

void TestPassphraseStrength::longerIsNeverWeaker() {
    // Appending characters never lowers the estimate in bits.
    QString text;
    int previous = 0;
    const QString source = QStringLiteral("G7k!pW2xq9Lm#Zr4Vt8n");
    for (const QChar c : source) {
        text += c;
        const int bits = PassphraseStrength::estimate(text).bits();
        QVERIFY2(bits >= previous, qPrintable(text));
        previous = bits;
    }
    QVERIFY(previous >= PassphraseStrength::kStrongBits);
}

QTEST_APPLESS_MAIN(TestPassphraseStrength)
#include "TestPassphraseStrength.moc"
