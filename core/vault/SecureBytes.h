#pragma once

#include <QByteArray>
#include <QString>

namespace llamadesk::vault {

// Initialises libsodium once per process. Every class of the vault calls it before it uses
// libsodium; it is public for code that calls libsodium directly. False if the library cannot
// work here (no usable random source).
bool ensureSodium();

// Key material kept out of ordinary heap memory: guarded pages that are locked against swapping
// where the system allows it and zeroed when freed. Move-only so that a key is never copied
// by accident; clone() makes a copy on purpose.
class SecureBytes {
public:
    SecureBytes() = default;
    // `n` zero bytes. If the secure allocation fails the object stays empty: check size().
    explicit SecureBytes(qsizetype n);
    ~SecureBytes();

    SecureBytes(SecureBytes&& other) noexcept;
    SecureBytes& operator=(SecureBytes&& other) noexcept;
    SecureBytes(const SecureBytes&) = delete;
    SecureBytes& operator=(const SecureBytes&) = delete;

    // `n` bytes from the system's cryptographic random source.
    static SecureBytes random(qsizetype n);
    // Copies `bytes`; the caller still owns (and should wipe) the original.
    static SecureBytes fromBytes(const QByteArray& bytes);
    static SecureBytes fromRaw(const unsigned char* bytes, qsizetype n);

    SecureBytes clone() const;

    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    const unsigned char* data() const { return m_data; }
    unsigned char* data() { return m_data; }

    // Constant-time comparison (length is not secret).
    bool equals(const SecureBytes& other) const;

    // Copies into ordinary memory, e.g. to hand the key to the database driver. The caller
    // wipes the copy with wipe() as soon as it is no longer needed.
    QByteArray toByteArray() const;
    // Lower-case hex, without data-dependent timing. Same rule: the caller wipes it.
    QByteArray toHex() const;

    // Zeroes and frees the memory; the object becomes empty.
    void clear();

private:
    unsigned char* m_data = nullptr;
    qsizetype m_size = 0;
};

// Overwrites the bytes with zeros if this QByteArray owns them alone, then empties it (the
// zeroed buffer stays allocated until the array is destroyed or reused).
// A copy that shares the buffer elsewhere, or bytes left over from an earlier reallocation,
// are not reached: keep secrets in SecureBytes and wipe short-lived copies before moving on.
void wipe(QByteArray& bytes);
void wipe(QString& text);

} // namespace llamadesk::vault
