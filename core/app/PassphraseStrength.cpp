#include "app/PassphraseStrength.h"

#include <QSet>
#include <QStringList>

#include <cmath>

namespace llamadesk::app {

namespace {

// Lower-case fragments that guessers try first; a passphrase containing one loses its letters.
const QStringList& commonWords() {
    static const QStringList words = {
        QStringLiteral("password"), QStringLiteral("passwort"), QStringLiteral("letmein"),
        QStringLiteral("welcome"),  QStringLiteral("qwerty"),   QStringLiteral("azerty"),
        QStringLiteral("admin"),    QStringLiteral("iloveyou"), QStringLiteral("monkey"),
        QStringLiteral("dragon"),   QStringLiteral("master"),   QStringLiteral("secret"),
        QStringLiteral("bitcoin"),  QStringLiteral("crypto"),   QStringLiteral("ethereum"),
        QStringLiteral("llama"),    QStringLiteral("wallet"),   QStringLiteral("sunshine"),
        QStringLiteral("football"), QStringLiteral("shadow"),   QStringLiteral("trustno1"),
        QStringLiteral("123456"),   QStringLiteral("abc123"),   QStringLiteral("111111"),
    };
    return words;
}

const QStringList& keyboardRows() {
    static const QStringList rows = {
        QStringLiteral("qwertyuiop"),
        QStringLiteral("asdfghjkl"),
        QStringLiteral("zxcvbnm"),
        QStringLiteral("1234567890"),
        QStringLiteral("abcdefghijklmnopqrstuvwxyz"),
    };
    return rows;
}

// Characters that belong to a run of three or more of the same character.
int repeatedCharacters(const QString& text) {
    int total = 0;
    int run = 1;
    for (int i = 1; i <= text.size(); ++i) {
        if (i < text.size() && text.at(i) == text.at(i - 1)) {
            ++run;
            continue;
        }
        if (run >= 3)
            total += run - 1;
        run = 1;
    }
    return total;
}

// Characters that continue an ascending or descending sequence or keyboard run ("abcd", "4321",
// "asdf"): each beyond the second in such a run adds almost nothing.
int sequenceCharacters(const QString& lower) {
    int total = 0;
    int run = 1;
    for (int i = 1; i < lower.size(); ++i) {
        const QString pair = lower.mid(i - 1, 2);
        QString reversed = pair;
        std::swap(reversed[0], reversed[1]);
        bool inSequence = false;
        for (const QString& row : keyboardRows()) {
            if (row.contains(pair) || row.contains(reversed)) {
                inSequence = true;
                break;
            }
        }
        if (inSequence) {
            ++run;
            if (run >= 3)
                ++total;
        } else {
            run = 1;
        }
    }
    return total;
}

} // namespace

QString PassphraseStrength::levelText() const {
    switch (m_level) {
    case Level::Empty:
        return QString();
    case Level::Weak:
        return tr("Weak");
    case Level::Fair:
        return tr("Fair");
    case Level::Strong:
        return tr("Strong");
    }
    return QString();
}

PassphraseStrength PassphraseStrength::estimate(const QString& passphrase) {
    PassphraseStrength s;
    if (passphrase.isEmpty()) {
        s.m_reason = tr("Enter a passphrase.");
        return s;
    }
    bool lower = false, upper = false, digit = false, symbol = false, other = false;
    for (const QChar c : passphrase) {
        if (c.unicode() > 0x7f)
            other = true;
        else if (c.isLower())
            lower = true;
        else if (c.isUpper())
            upper = true;
        else if (c.isDigit())
            digit = true;
        else
            symbol = true;
    }
    int pool = 0;
    pool += lower ? 26 : 0;
    pool += upper ? 26 : 0;
    pool += digit ? 10 : 0;
    pool += symbol ? 33 : 0;
    pool += other ? 100 : 0;
    const int classes = int(lower) + int(upper) + int(digit) + int(symbol) + int(other);

    const QString lowered = passphrase.toLower();
    int weakChars = repeatedCharacters(passphrase) + sequenceCharacters(lowered);
    QString commonFound;
    for (const QString& word : commonWords()) {
        if (lowered.contains(word)) {
            // A dictionary word is one guess, not one guess per letter.
            weakChars += int(word.size()) - 1;
            if (commonFound.isEmpty())
                commonFound = word;
        }
    }
    const int length = int(passphrase.size());
    const int effective = std::max(1, length - weakChars);
    const double perChar = std::log2(double(std::max(pool, 2)));
    s.m_bits = int(effective * perChar);

    // Several words separated by spaces: long and easy to remember, as good as it is long.
    const int words = int(passphrase.split(QLatin1Char(' '), Qt::SkipEmptyParts).size());

    if (length < kMinLength) {
        s.m_level = Level::Weak;
        s.m_reason = tr("Too short: use at least %1 characters.").arg(kMinLength);
    } else if (!commonFound.isEmpty() && s.m_bits < kStrongBits) {
        s.m_level = s.m_bits >= kFairBits ? Level::Fair : Level::Weak;
        s.m_reason =
            tr("Contains a common word (\"%1\") that guessers try first.").arg(commonFound);
    } else if (weakChars * 3 > length) {
        s.m_level = Level::Weak;
        s.m_reason = tr("Mostly repeated characters or keyboard sequences.");
    } else if (s.m_bits >= kStrongBits) {
        s.m_level = Level::Strong;
        s.m_reason = words >= 4 ? tr("Long and made of several words: hard to guess.")
                                : tr("Long and varied: hard to guess.");
    } else if (s.m_bits >= kFairBits) {
        s.m_level = Level::Fair;
        s.m_reason = classes < 3 ? tr("Good; mixing in digits or symbols, or adding length, makes "
                                      "it strong.")
                                 : tr("Good; a few more characters make it strong.");
    } else {
        s.m_level = Level::Weak;
        s.m_reason = classes < 2 ? tr("Only one kind of character: make it longer or mix in "
                                      "others.")
                                 : tr("Easy to guess: make it longer.");
    }
    return s;
}

} // namespace llamadesk::app
