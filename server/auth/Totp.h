#pragma once

#include <QByteArray>
#include <QString>

namespace llamadesk::server {

// Time-based one-time passwords as authenticator apps make them: RFC 6238 with HMAC-SHA-1,
// 30-second steps and 6 digits; secrets travel as RFC 4648 base32 (no padding).
class Totp {
public:
    static constexpr int kDigits = 6;
    static constexpr qint64 kStepSeconds = 30;

    static QByteArray generateSecret(); // 20 random bytes, as the RFC 4226 reference uses
    static QString toBase32(const QByteArray& bytes);
    // Accepts lower case, spaces and missing padding; empty on invalid input.
    static QByteArray fromBase32(const QString& text);

    // The code for a moment (Unix seconds).
    static QString code(const QByteArray& secret, qint64 unixSeconds);
    // The code for one step counter (RFC 4226 HOTP).
    static QString hotp(const QByteArray& secret, quint64 counter, int digits = kDigits);
    // Accepts the code of the current step and of one step either side (clock drift).
    static bool verify(const QByteArray& secret, const QString& code, qint64 unixSeconds);
    // The step (Unix time / 30) whose code this is, among the same three; -1 if none. The
    // caller keeps the newest step used so that a code cannot be replayed.
    static qint64 matchingStep(const QByteArray& secret, const QString& code, qint64 unixSeconds);

    static QString provisioningUri(const QString& issuer, const QString& account,
                                   const QByteArray& secret);
};

} // namespace llamadesk::server
