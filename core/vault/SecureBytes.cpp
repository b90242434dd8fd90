#include "vault/SecureBytes.h"

#include "Logging.h"

#include <sodium.h>

#include <algorithm>
#include <utility>

namespace llamadesk::vault {

bool ensureSodium() {
    // sodium_init() is thread-safe and cheap after the first call; a function-local static
    // keeps the result without a data race.
    static const bool ready = [] {
        const int rc = sodium_init();
        if (rc < 0) {
            qCCritical(lcVault, "libsodium could not be initialised");
            return false;
        }
        return true;
    }();
    return ready;
}

SecureBytes::SecureBytes(qsizetype n) {
    if (n <= 0 || !ensureSodium()) {
        return;
    }
    // sodium_malloc puts guard pages around the block, locks it in memory where the system
    // allows it and fills it with a canary pattern; zero it so callers start from a known state.
    void* block = sodium_malloc(static_cast<size_t>(n));
    if (block == nullptr) {
        qCWarning(lcVault, "secure memory allocation failed for %lld bytes",
                  static_cast<long long>(n));
        return;
    }
    m_data = static_cast<unsigned char*>(block);
    m_size = n;
    sodium_memzero(m_data, static_cast<size_t>(m_size));
}

SecureBytes::~SecureBytes() {
    clear();
}

SecureBytes::SecureBytes(SecureBytes&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr))
    , m_size(std::exchange(other.m_size, 0)) {}

SecureBytes& SecureBytes::operator=(SecureBytes&& other) noexcept {
    if (this != &other) {
        clear();
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

SecureBytes SecureBytes::random(qsizetype n) {
    SecureBytes bytes(n);
    if (!bytes.isEmpty()) {
        randombytes_buf(bytes.m_data, static_cast<size_t>(bytes.m_size));
    }
    return bytes;
}

SecureBytes SecureBytes::fromBytes(const QByteArray& bytes) {
    return fromRaw(reinterpret_cast<const unsigned char*>(bytes.constData()), bytes.size());
}

SecureBytes SecureBytes::fromRaw(const unsigned char* bytes, qsizetype n) {
    SecureBytes copy(n);
    if (!copy.isEmpty() && bytes != nullptr) {
        std::copy(bytes, bytes + n, copy.m_data);
    }
    return copy;
}

SecureBytes SecureBytes::clone() const {
    return fromRaw(m_data, m_size);
}

bool SecureBytes::equals(const SecureBytes& other) const {
    if (m_size != other.m_size) {
        return false;
    }
    if (m_size == 0) {
        return true;
    }
    return sodium_memcmp(m_data, other.m_data, static_cast<size_t>(m_size)) == 0;
}

QByteArray SecureBytes::toByteArray() const {
    if (m_size == 0) {
        return {};
    }
    return QByteArray(reinterpret_cast<const char*>(m_data), m_size);
}

QByteArray SecureBytes::toHex() const {
    if (m_size == 0) {
        return {};
    }
    // sodium_bin2hex writes a terminating NUL; the QByteArray keeps its own behind size().
    QByteArray hex(m_size * 2, '\0');
    sodium_bin2hex(hex.data(), static_cast<size_t>(hex.size()) + 1, m_data,
                   static_cast<size_t>(m_size));
    return hex;
}

void SecureBytes::clear() {
    if (m_data != nullptr) {
        // sodium_free zeroes the block before it unmaps it.
        sodium_free(m_data);
    }
    m_data = nullptr;
    m_size = 0;
}

void wipe(QByteArray& bytes) {
    // Only a buffer this object owns alone may be written: a shared or static one would be
    // copied by data() first and the original left as it was.
    if (bytes.isDetached() && !bytes.isEmpty()) {
        sodium_memzero(bytes.data(), static_cast<size_t>(bytes.size()));
        bytes.resize(0); // keeps the (now zeroed) buffer until the array is destroyed
        return;
    }
    bytes.clear();
}

void wipe(QString& text) {
    if (text.isDetached() && !text.isEmpty()) {
        sodium_memzero(text.data(), static_cast<size_t>(text.size()) * sizeof(QChar));
        text.resize(0);
        return;
    }
    text.clear();
}

} // namespace llamadesk::vault
