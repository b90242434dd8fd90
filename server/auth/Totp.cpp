#include "Totp.h"

#include <QMessageAuthenticationCode>
#include <QUrl>

#include <sodium.h>

namespace llamadesk::server {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

} // namespace

QByteArray Totp::generateSecret() {
    QByteArray secret(20, Qt::Uninitialized);
    randombytes_buf(secret.data(), static_cast<size_t>(secret.size()));
    return secret;
}

QString Totp::toBase32(const QByteArray& bytes) {
    QString out;
    quint32 buffer = 0;
    int bits = 0;
    for (char c : bytes) {
        buffer = (buffer << 8) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 5) {
            out.append(QLatin1Char(kAlphabet[(buffer >> (bits - 5)) & 0x1f]));
            bits -= 5;
        }
    }
    if (bits > 0)
        out.append(QLatin1Char(kAlphabet[(buffer << (5 - bits)) & 0x1f]));
    return out;
}

QByteArray Totp::fromBase32(const QString& text) {
    QByteArray out;
    quint32 buffer = 0;
    int bits = 0;
    for (QChar ch : text) {
        if (ch == QLatin1Char(' ') || ch == QLatin1Char('-') || ch == QLatin1Char('='))
            continue;
        const char c = static_cast<char>(ch.toUpper().toLatin1());
        int value = -1;
        if (c >= 'A' && c <= 'Z')
            value = c - 'A';
        else if (c >= '2' && c <= '7')
            value = c - '2' + 26;
        if (value < 0)
            return {};
        buffer = (buffer << 5) | static_cast<quint32>(value);
        bits += 5;
        if (bits >= 8) {
            out.append(static_cast<char>((buffer >> (bits - 8)) & 0xff));
            bits -= 8;
        }
    }
    return out;
}

QString Totp::hotp(const QByteArray& secret, quint64 counter, int digits) {
    QByteArray message(8, '\0');
    for (int i = 7; i >= 0; --i) {
        message[i] = static_cast<char>(counter & 0xff);
        counter >>= 8;
    }
    const QByteArray mac =
        QMessageAuthenticationCode::hash(message, secret, QCryptographicHash::Sha1);
    // Dynamic truncation (RFC 4226 section 5.3).
    const int offset = static_cast<unsigned char>(mac.at(mac.size() - 1)) & 0x0f;
    const quint32 binary = ((static_cast<unsigned char>(mac.at(offset)) & 0x7fU) << 24) |
                           (static_cast<unsigned char>(mac.at(offset + 1)) << 16) |
                           (static_cast<unsigned char>(mac.at(offset + 2)) << 8) |
                           static_cast<unsigned char>(mac.at(offset + 3));
    quint32 modulo = 1;
    for (int i = 0; i < digits; ++i)
        modulo *= 10;
    return QStringLiteral("%1").arg(binary % modulo, digits, 10, QLatin1Char('0'));
}

QString Totp::code(const QByteArray& secret, qint64 unixSeconds) {
    return hotp(secret, static_cast<quint64>(unixSeconds / kStepSeconds));
}

bool Totp::verify(const QByteArray& secret, const QString& code, qint64 unixSeconds) {
    return matchingStep(secret, code, unixSeconds) >= 0;
}

qint64 Totp::matchingStep(const QByteArray& secret, const QString& code, qint64 unixSeconds) {
    if (secret.isEmpty() || code.size() != kDigits)
        return -1;
    const QByteArray given = code.toLatin1();
    qint64 matched = -1;
    for (qint64 drift = -1; drift <= 1; ++drift) {
        const qint64 step = unixSeconds / kStepSeconds + drift;
        const QByteArray expected = hotp(secret, static_cast<quint64>(step)).toLatin1();
        // Constant time, and every candidate is checked (no early exit).
        if (sodium_memcmp(expected.constData(), given.constData(), static_cast<size_t>(kDigits)) ==
            0)
            matched = step;
    }
    return matched;
}

QString Totp::provisioningUri(const QString& issuer, const QString& account,
                              const QByteArray& secret) {
    const QString label =
        QString::fromLatin1(QUrl::toPercentEncoding(issuer + QLatin1Char(':') + account));
    return QStringLiteral("otpauth://totp/") + label + QStringLiteral("?secret=") +
           toBase32(secret) + QStringLiteral("&issuer=") +
           QString::fromLatin1(QUrl::toPercentEncoding(issuer)) +
           QStringLiteral("&algorithm=SHA1&digits=6&period=30");
}

} // namespace llamadesk::server
