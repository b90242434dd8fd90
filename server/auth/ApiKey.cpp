#include "ApiKey.h"

#include <QCryptographicHash>

#include <sodium.h>

namespace llamadesk::server {
namespace {

constexpr qsizetype kPrefixLength = 8;
constexpr qsizetype kSecretLength = 43; // base64url of 32 bytes, no padding
constexpr char kPrefixAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";

bool isBase64UrlChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

} // namespace

ApiKey ApiKey::generate() {
    ApiKey key;
    QByteArray prefix;
    for (qsizetype i = 0; i < kPrefixLength; ++i)
        prefix.append(kPrefixAlphabet[randombytes_uniform(sizeof(kPrefixAlphabet) - 1)]);
    QByteArray secret(32, Qt::Uninitialized);
    randombytes_buf(secret.data(), static_cast<size_t>(secret.size()));
    const QByteArray encoded =
        secret.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    sodium_memzero(secret.data(), static_cast<size_t>(secret.size()));
    const QByteArray full = QByteArrayLiteral("ldk_") + prefix + '_' + encoded;
    key.prefix = QString::fromLatin1(prefix);
    key.fullKey = QString::fromLatin1(full);
    key.hashHex = hashOf(full);
    return key;
}

bool ApiKey::looksValid(const QByteArray& presented) {
    if (presented.size() != 4 + kPrefixLength + 1 + kSecretLength ||
        !presented.startsWith("ldk_") || presented.at(4 + kPrefixLength) != '_')
        return false;
    for (qsizetype i = 4; i < 4 + kPrefixLength; ++i) {
        const char c = presented.at(i);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    }
    for (qsizetype i = 4 + kPrefixLength + 1; i < presented.size(); ++i) {
        if (!isBase64UrlChar(presented.at(i)))
            return false;
    }
    return true;
}

QByteArray ApiKey::hashOf(const QByteArray& presented) {
    if (!looksValid(presented))
        return {};
    return QCryptographicHash::hash(presented, QCryptographicHash::Sha256).toHex();
}

QByteArray ApiKey::prefixOf(const QByteArray& presented) {
    return looksValid(presented) ? presented.mid(4, kPrefixLength) : QByteArray();
}

} // namespace llamadesk::server
