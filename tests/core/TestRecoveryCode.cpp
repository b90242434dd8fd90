#include "vault/RecoveryCode.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <utility>
#include <vector>

using llamadesk::vault::RecoveryCode;
using ParseError = RecoveryCode::ParseError;

Q_DECLARE_METATYPE(RecoveryCode::ParseError)

namespace {

// Codes worked out by hand from the documented check (x^5 + x^2 + 1 over GF(2)). They must keep
// parsing in every later version: people keep recovery codes on paper for years.
const QString kGoldenA = QStringLiteral("01234-56789-ABCDE-FGHJK-MNPQR-STVWR");
const QString kGoldenB = QStringLiteral("10101-ZZZZZ-00000-XYZ01-K7Q2M-9DP4D");
const QString kGoldenC = QStringLiteral("7QX2M-0K9ZD-HB4TR-8W3NC-VG6PJ-S5E15");

QString compact(const QString& grouped) {
    QString text = grouped;
    return text.remove(QLatin1Char('-'));
}

QString grouped(const QString& symbols) {
    QString text;
    for (int i = 0; i < symbols.size(); ++i) {
        if (i > 0 && i % RecoveryCode::kGroupLength == 0) {
            text.append(QLatin1Char('-'));
        }
        text.append(symbols.at(i));
    }
    return text;
}

} // namespace

class TestRecoveryCode : public QObject {
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void goldenCodesHaveTheDocumentedCheckSymbol();
    void singleCharacterTyposAreCaught_data();
    void singleCharacterTyposAreCaught();
    void transpositionsAreCaught_data();
    void transpositionsAreCaught();
    void generatedCodesRoundTrip();
    void entropy();
    void emptyCodeIsInvalid();
    void errorMessagesDoNotRevealTheCode();
};

void TestRecoveryCode::parse_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<ParseError>("expectedError");
    QTest::addColumn<QString>("expectedCode"); // grouped canonical form when valid

    QTest::newRow("canonical") << kGoldenA << ParseError::None << kGoldenA;
    QTest::newRow("lower case") << kGoldenA.toLower() << ParseError::None << kGoldenA;
    QTest::newRow("no dashes") << compact(kGoldenB) << ParseError::None << kGoldenB;
    QTest::newRow("spaces instead of dashes")
        << QString(kGoldenC).replace(QLatin1Char('-'), QLatin1Char(' ')) << ParseError::None
        << kGoldenC;
    QTest::newRow("tabs, newline, padding")
        << QStringLiteral("  10101\tZZZZZ\n00000 XYZ01-K7Q2M--9DP4D  ") << ParseError::None
        << kGoldenB;
    QTest::newRow("O read as 0, I and L as 1")
        << QStringLiteral("IOLOI-ZZZZZ-OOOOO-XYZOl-K7Q2M-9DP4D") << ParseError::None << kGoldenB;
    QTest::newRow("en dash and minus sign")
        << QStringLiteral("01234\u201356789\u2212ABCDE-FGHJK-MNPQR-STVWR") << ParseError::None
        << kGoldenA;
    QTest::newRow("mixed case groups")
        << QStringLiteral("7qX2m-0k9Zd-hB4tR-8w3Nc-Vg6Pj-s5E15") << ParseError::None << kGoldenC;

    QTest::newRow("empty") << QString() << ParseError::Empty << QString();
    QTest::newRow("only separators") << QStringLiteral(" - -- ") << ParseError::Empty << QString();
    QTest::newRow("one symbol short") << QStringLiteral("01234-56789-ABCDE-FGHJK-MNPQR-STVW")
                                      << ParseError::WrongLength << QString();
    QTest::newRow("one symbol too many")
        << kGoldenA + QStringLiteral("0") << ParseError::WrongLength << QString();
    QTest::newRow("two codes pasted")
        << kGoldenA + kGoldenB << ParseError::WrongLength << QString();
    QTest::newRow("U is not Crockford base32")
        << QStringLiteral("01234-56789-ABCDE-FGHJK-MNPQR-STUWR") << ParseError::InvalidCharacter
        << QString();
    QTest::newRow("punctuation") << QStringLiteral("01234-56789-ABCDE-FGHJK-MNPQR-STVW!")
                                 << ParseError::InvalidCharacter << QString();
    QTest::newRow("non-ASCII letter") << QStringLiteral("01234-56789-ABCD\u00c9-FGHJK-MNPQR-STVWR")
                                      << ParseError::InvalidCharacter << QString();
    QTest::newRow("one symbol wrong") << QStringLiteral("01234-56789-ABCDE-FGHJK-MNPQR-STVWS")
                                      << ParseError::Mistyped << QString();
    QTest::newRow("two neighbours swapped") << QStringLiteral("01234-56789-ABCDE-FGHKJ-MNPQR-STVWR")
                                            << ParseError::Mistyped << QString();
}

void TestRecoveryCode::parse() {
    QFETCH(QString, input);
    QFETCH(ParseError, expectedError);
    QFETCH(QString, expectedCode);

    ParseError error = ParseError::Other;
    const auto code = RecoveryCode::parse(input, &error);
    QCOMPARE(error, expectedError);
    QCOMPARE(code.ok(), expectedError == ParseError::None);
    if (code.ok()) {
        QVERIFY(code->isValid());
        QCOMPARE(code->toString(), expectedCode);
        QCOMPARE(code->symbols().size(), RecoveryCode::kSymbols);
    } else {
        QVERIFY(!code.error().isEmpty());
    }
}

void TestRecoveryCode::goldenCodesHaveTheDocumentedCheckSymbol() {
    for (const QString& golden : {kGoldenA, kGoldenB, kGoldenC}) {
        const QString symbols = compact(golden);
        QCOMPARE(RecoveryCode::checkSymbolFor(symbols.left(RecoveryCode::kDataSymbols)),
                 symbols.back());
    }
    QVERIFY(RecoveryCode::checkSymbolFor(QStringLiteral("TOO-SHORT")).isNull());
}

void TestRecoveryCode::singleCharacterTyposAreCaught_data() {
    QTest::addColumn<QString>("code");
    QTest::newRow("golden A") << kGoldenA;
    QTest::newRow("golden B") << kGoldenB;
    QTest::newRow("golden C") << kGoldenC;
    for (int i = 0; i < 8; ++i) {
        QTest::addRow("generated %d", i) << RecoveryCode::generate().toString();
    }
}

void TestRecoveryCode::singleCharacterTyposAreCaught() {
    QFETCH(QString, code);
    const QString symbols = compact(code);
    const QString alphabet = RecoveryCode::alphabet();
    QCOMPARE(symbols.size(), RecoveryCode::kSymbols);
    QVERIFY(RecoveryCode::parse(code).ok());

    int tried = 0;
    for (int position = 0; position < symbols.size(); ++position) {
        for (const QChar replacement : alphabet) {
            if (replacement == symbols.at(position)) {
                continue;
            }
            QString typo = symbols;
            typo[position] = replacement;
            ParseError error = ParseError::None;
            const auto parsed = RecoveryCode::parse(grouped(typo), &error);
            if (parsed.ok() || error != ParseError::Mistyped) {
                QFAIL(qPrintable(QStringLiteral("substitution at %1 not caught").arg(position)));
            }
            ++tried;
        }
    }
    QCOMPARE(tried, RecoveryCode::kSymbols * 31);
}

void TestRecoveryCode::transpositionsAreCaught_data() {
    singleCharacterTyposAreCaught_data();
}

void TestRecoveryCode::transpositionsAreCaught() {
    QFETCH(QString, code);
    const QString symbols = compact(code);
    // Neighbours are the usual slip, but the check catches a swap of any two different symbols.
    int swaps = 0;
    for (int i = 0; i < symbols.size(); ++i) {
        for (int j = i + 1; j < symbols.size(); ++j) {
            if (symbols.at(i) == symbols.at(j)) {
                continue;
            }
            QString swapped = symbols;
            std::swap(swapped[i], swapped[j]);
            ParseError error = ParseError::None;
            const auto parsed = RecoveryCode::parse(swapped, &error);
            if (parsed.ok() || error != ParseError::Mistyped) {
                QFAIL(qPrintable(QStringLiteral("swap of %1 and %2 not caught").arg(i).arg(j)));
            }
            ++swaps;
        }
    }
    QVERIFY(swaps > 0);
}

void TestRecoveryCode::generatedCodesRoundTrip() {
    const QRegularExpression shape(
        QStringLiteral("^([0-9A-HJKMNP-TV-Z]{5}-){5}[0-9A-HJKMNP-TV-Z]{5}$"));
    for (int i = 0; i < 50; ++i) {
        const RecoveryCode code = RecoveryCode::generate();
        QVERIFY(code.isValid());
        const QString text = code.toString();
        QVERIFY2(shape.match(text).hasMatch(), qPrintable(text));
        const auto lower = RecoveryCode::parse(text.toLower());
        QVERIFY(lower.ok());
        QVERIFY(lower->equals(code));
        const RecoveryCode copy = code.clone();
        QVERIFY(copy.equals(code));
    }
}

void TestRecoveryCode::entropy() {
    QVERIFY(RecoveryCode::kEntropyBits >= 128);
    QCOMPARE(RecoveryCode::kEntropyBits, RecoveryCode::kDataSymbols * 5);
    const QString alphabet = RecoveryCode::alphabet();
    QCOMPARE(alphabet.size(), 32);
    QCOMPARE(QSet<QChar>(alphabet.begin(), alphabet.end()).size(), 32);

    // Every random position must take all 32 values about equally often: a weak or stuck
    // random source would fail here. 2000 codes x 29 symbols: about 1812 per symbol with a
    // standard deviation of about 42, so +-20% is over 8 standard deviations.
    const int codes = 2000;
    std::vector<int> counts(32, 0);
    QSet<QString> seen;
    for (int i = 0; i < codes; ++i) {
        const QString symbols = compact(RecoveryCode::generate().toString());
        QCOMPARE(symbols.size(), RecoveryCode::kSymbols);
        seen.insert(symbols);
        for (int p = 0; p < RecoveryCode::kDataSymbols; ++p) {
            const qsizetype value = alphabet.indexOf(symbols.at(p));
            QVERIFY(value >= 0);
            ++counts[static_cast<size_t>(value)];
        }
    }
    QCOMPARE(seen.size(), codes);
    const double expected = double(codes) * RecoveryCode::kDataSymbols / 32.0;
    for (int value = 0; value < 32; ++value) {
        const int count = counts[static_cast<size_t>(value)];
        QVERIFY2(count > expected * 0.8 && count < expected * 1.2,
                 qPrintable(QStringLiteral("symbol %1 drawn %2 times").arg(value).arg(count)));
    }
}

void TestRecoveryCode::emptyCodeIsInvalid() {
    RecoveryCode code;
    QVERIFY(!code.isValid());
    QVERIFY(code.toString().isEmpty());
    QVERIFY(!code.equals(RecoveryCode::generate()));
}

void TestRecoveryCode::errorMessagesDoNotRevealTheCode() {
    const QString typo = QStringLiteral("7QX2M-0K9ZD-HB4TR-8W3NC-VG6PJ-S5E16");
    const auto parsed = RecoveryCode::parse(typo);
    QVERIFY(!parsed.ok());
    const QString symbols = compact(typo);
    for (int start = 0; start + 4 <= symbols.size(); ++start) {
        QVERIFY2(!parsed.error().contains(symbols.mid(start, 4), Qt::CaseInsensitive),
                 qPrintable(parsed.error()));
    }
}

QTEST_GUILESS_MAIN(TestRecoveryCode)
#include "TestRecoveryCode.moc"
