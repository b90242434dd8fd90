#pragma once

#include "Result.h"
#include "vault/SecureBytes.h"

#include <QCoreApplication>
#include <QString>

#include <utility>

namespace llamadesk::vault {

// A one-time recovery code, shown once when a vault is created (or a new one is made), that
// unlocks the vault when the passphrase is forgotten and the keychain is gone.
//
// 30 symbols of Crockford base32 in six groups of five, "7QX2M-0K9ZD-...": 29 random symbols
// (145 bits) and one check symbol. The check is a running sum over GF(32) in which every step
// doubles the sum before adding the next symbol, so any single wrong symbol and any swap of two
// different symbols changes it: a typo is reported as a typo, never as a wrong code.
class RecoveryCode {
    Q_DECLARE_TR_FUNCTIONS(RecoveryCode)

public:
    enum class ParseError {
        None,
        Empty,
        InvalidCharacter, // a character that is not Crockford base32, a space or a dash
        WrongLength,      // not 30 symbols
        Mistyped,         // the check symbol does not match: a typo, not a wrong code
        Other,            // out of secure memory
    };

    static constexpr int kGroups = 6;
    static constexpr int kGroupLength = 5;
    static constexpr int kSymbols = kGroups * kGroupLength;
    static constexpr int kDataSymbols = kSymbols - 1;
    static constexpr int kBitsPerSymbol = 5;
    static constexpr int kEntropyBits = kDataSymbols * kBitsPerSymbol;

    RecoveryCode() = default; // empty: isValid() is false
    RecoveryCode(RecoveryCode&&) noexcept = default;
    RecoveryCode& operator=(RecoveryCode&&) noexcept = default;
    RecoveryCode(const RecoveryCode&) = delete;
    RecoveryCode& operator=(const RecoveryCode&) = delete;

    static RecoveryCode generate();
    // Accepts any case, spaces and dashes anywhere, and reads O as 0 and I or L as 1.
    static Result<RecoveryCode> parse(const QString& text, ParseError* error = nullptr);

    RecoveryCode clone() const;
    bool isValid() const { return m_symbols.size() == kSymbols; }

    // Grouped for display: "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX". The caller wipes the text
    // once it has been shown.
    QString toString() const;
    // The 30 upper-case symbols without separators: the secret that keys are derived from.
    const SecureBytes& symbols() const { return m_symbols; }

    bool equals(const RecoveryCode& other) const { return m_symbols.equals(other.m_symbols); }

    // The 32 symbols of Crockford base32, in value order.
    static QString alphabet();
    // The check symbol for `dataSymbols` (29 canonical symbols); null QChar if they are not.
    static QChar checkSymbolFor(const QString& dataSymbols);

private:
    explicit RecoveryCode(SecureBytes symbols)
        : m_symbols(std::move(symbols)) {}

    SecureBytes m_symbols;
};

} // namespace llamadesk::vault
