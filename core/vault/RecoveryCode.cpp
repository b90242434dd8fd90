#include "vault/RecoveryCode.h"

#include <sodium.h>

namespace llamadesk::vault {

namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
static_assert(sizeof(kAlphabet) == 33, "Crockford base32 has 32 symbols");

// Value 0..31 of a canonical symbol, -1 if it is not one.
int symbolValue(char c) {
    for (int i = 0; i < 32; ++i) {
        if (kAlphabet[i] == c) {
            return i;
        }
    }
    return -1;
}

// Multiplication by x in GF(2^5) modulo x^5 + x^2 + 1. Since x generates the whole
// multiplicative group (order 31), two symbols swapped at any distance change the sum.
unsigned timesTwo(unsigned v) {
    v <<= 1;
    if ((v & 0x20U) != 0) {
        v ^= 0x25U;
    }
    return v & 0x1FU;
}

// The running sum after `count` symbols; 0 over a complete, correct code.
unsigned checkSum(const unsigned char* symbols, int count) {
    unsigned sum = 0;
    for (int i = 0; i < count; ++i) {
        sum = timesTwo(sum) ^ static_cast<unsigned>(symbolValue(static_cast<char>(symbols[i])));
    }
    return sum;
}

// The canonical symbol for a character the user typed, 0 for a separator to skip, -1 if the
// character is not allowed.
int canonicalSymbol(QChar ch) {
    if (ch.isSpace()) {
        return 0;
    }
    switch (ch.unicode()) {
    case u'-':
    case 0x2010: // hyphen
    case 0x2011: // non-breaking hyphen
    case 0x2012: // figure dash
    case 0x2013: // en dash
    case 0x2014: // em dash
    case 0x2212: // minus sign
        return 0;
    default:
        break;
    }
    if (ch.unicode() > 0x7F) {
        return -1;
    }
    char c = static_cast<char>(ch.unicode());
    if (c >= 'a' && c <= 'z') {
        c = static_cast<char>(c - 'a' + 'A');
    }
    if (c == 'O') {
        c = '0';
    } else if (c == 'I' || c == 'L') {
        c = '1';
    }
    return symbolValue(c) < 0 ? -1 : static_cast<unsigned char>(c);
}

} // namespace

QString RecoveryCode::alphabet() {
    return QString::fromLatin1(kAlphabet, 32);
}

QChar RecoveryCode::checkSymbolFor(const QString& dataSymbols) {
    if (dataSymbols.size() != kDataSymbols) {
        return {};
    }
    unsigned char raw[kDataSymbols];
    for (int i = 0; i < kDataSymbols; ++i) {
        const QChar ch = dataSymbols.at(i);
        if (ch.unicode() > 0x7F || symbolValue(static_cast<char>(ch.unicode())) < 0) {
            return {};
        }
        raw[i] = static_cast<unsigned char>(ch.unicode());
    }
    const unsigned check = timesTwo(checkSum(raw, kDataSymbols));
    return QChar::fromLatin1(kAlphabet[check]);
}

RecoveryCode RecoveryCode::generate() {
    SecureBytes symbols(kSymbols);
    if (symbols.size() != kSymbols) {
        return {};
    }
    for (int i = 0; i < kDataSymbols; ++i) {
        symbols.data()[i] = static_cast<unsigned char>(kAlphabet[randombytes_uniform(32)]);
    }
    // The check symbol c makes the final step 2*sum + c come out 0 (addition is XOR).
    const unsigned check = timesTwo(checkSum(symbols.data(), kDataSymbols));
    symbols.data()[kDataSymbols] = static_cast<unsigned char>(kAlphabet[check]);
    return RecoveryCode(std::move(symbols));
}

Result<RecoveryCode> RecoveryCode::parse(const QString& text, ParseError* error) {
    auto fail = [error](ParseError kind, QString message) {
        if (error != nullptr) {
            *error = kind;
        }
        return Result<RecoveryCode>::failure(std::move(message));
    };
    if (error != nullptr) {
        *error = ParseError::None;
    }

    // Collected on the stack and zeroed on every path; secure memory only for a valid code.
    unsigned char symbols[kSymbols] = {};
    int count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const int symbol = canonicalSymbol(text.at(i));
        if (symbol < 0) {
            sodium_memzero(symbols, sizeof symbols);
            // The position, not the character: the text is (nearly) a secret.
            return fail(ParseError::InvalidCharacter,
                        tr("The recovery code contains a character that cannot be part of it "
                           "(position %1). Use only letters, digits and dashes.")
                            .arg(i + 1));
        }
        if (symbol == 0) {
            continue;
        }
        if (count < kSymbols) {
            symbols[count] = static_cast<unsigned char>(symbol);
        }
        ++count;
    }
    if (count == 0) {
        return fail(ParseError::Empty, tr("The recovery code is empty."));
    }
    if (count != kSymbols) {
        sodium_memzero(symbols, sizeof symbols);
        return fail(ParseError::WrongLength,
                    tr("The recovery code has %1 letters and digits; it should have %2.")
                        .arg(count)
                        .arg(kSymbols));
    }
    const bool checked = checkSum(symbols, kSymbols) == 0;
    SecureBytes secure = checked ? SecureBytes::fromRaw(symbols, kSymbols) : SecureBytes();
    sodium_memzero(symbols, sizeof symbols);
    if (!checked) {
        return fail(ParseError::Mistyped,
                    tr("The recovery code contains a typo. Check each group and try again."));
    }
    if (secure.size() != kSymbols) {
        return fail(ParseError::Other, tr("Out of secure memory while reading the recovery code."));
    }
    return RecoveryCode(std::move(secure));
}

RecoveryCode RecoveryCode::clone() const {
    return RecoveryCode(m_symbols.clone());
}

QString RecoveryCode::toString() const {
    if (!isValid()) {
        return {};
    }
    QString text;
    text.reserve(kSymbols + kGroups - 1);
    for (int i = 0; i < kSymbols; ++i) {
        if (i > 0 && i % kGroupLength == 0) {
            text.append(QLatin1Char('-'));
        }
        text.append(QLatin1Char(static_cast<char>(m_symbols.data()[i])));
    }
    return text;
}

} // namespace llamadesk::vault
