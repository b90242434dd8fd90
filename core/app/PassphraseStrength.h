#pragma once

#include <QCoreApplication>
#include <QString>

namespace llamadesk::app {

// A quick, offline estimate of how hard a passphrase is to guess: length and character classes
// give an upper bound in bits, which known weak patterns (common words, keyboard runs,
// repetitions, sequences) reduce. It says why, so the user knows what to change.
class PassphraseStrength {
    Q_DECLARE_TR_FUNCTIONS(PassphraseStrength)

public:
    enum class Level { Empty, Weak, Fair, Strong };

    static PassphraseStrength estimate(const QString& passphrase);

    Level level() const { return m_level; }
    int bits() const { return m_bits; }
    // One sentence: the main weakness, or why it is good.
    QString reason() const { return m_reason; }
    // "Weak", "Fair", "Strong" (translated); empty for Empty.
    QString levelText() const;
    // Whether the wizard accepts it for a new vault.
    bool acceptable() const { return m_level == Level::Fair || m_level == Level::Strong; }

    static constexpr int kMinLength = 10;
    static constexpr int kFairBits = 50;
    static constexpr int kStrongBits = 75;

private:
    Level m_level = Level::Empty;
    int m_bits = 0;
    QString m_reason;
};

} // namespace llamadesk::app
