#include "store/HardwarePageCrypto.h"

#include <algorithm>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LLAMADESK_X86_CRYPTO 1
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace llamadesk::store {

#ifdef LLAMADESK_X86_CRYPTO

// Every function that uses the instructions carries the target attribute, so the rest of the
// program is built for the baseline processor; available() checks the processor before any call.
#define LLAMADESK_CRYPTO_TARGET __attribute__((target("aes,sha,ssse3,sse4.1")))
// The helpers must be inlined: a call boundary in the middle of the SHA-1 rounds would put the
// state through memory on every group of four rounds (about a third slower, measured).
#define LLAMADESK_CRYPTO_INLINE                                                                    \
    __attribute__((target("aes,sha,ssse3,sse4.1"), always_inline)) inline

namespace {

constexpr int kRounds = 14; // AES-256

LLAMADESK_CRYPTO_INLINE __m128i load(const unsigned char* p) {
    return _mm_loadu_si128(static_cast<const __m128i*>(static_cast<const void*>(p)));
}

LLAMADESK_CRYPTO_INLINE void store(unsigned char* p, __m128i v) {
    _mm_storeu_si128(static_cast<__m128i*>(static_cast<void*>(p)), v);
}

LLAMADESK_CRYPTO_INLINE __m128i roundKey(const unsigned char* keys, int round) {
    return load(keys + 16 * round);
}

// One step of the AES-256 key schedule for four words: each word is the XOR of the word eight
// before it (prefix XOR of the previous round key's words) and the transformed last word.
LLAMADESK_CRYPTO_INLINE __m128i nextKeyWords(__m128i previous, __m128i transformed) {
    __m128i shifted = _mm_slli_si128(previous, 4);
    previous = _mm_xor_si128(previous, shifted);
    shifted = _mm_slli_si128(shifted, 4);
    previous = _mm_xor_si128(previous, shifted);
    shifted = _mm_slli_si128(shifted, 4);
    previous = _mm_xor_si128(previous, shifted);
    return _mm_xor_si128(previous, transformed);
}

// The SHA-1 state in the layout the SHA instructions use: A..D in one register (A in the top
// lane), E in the top lane of another.
struct Sha1Lanes {
    __m128i abcd;
    __m128i e;
};

LLAMADESK_CRYPTO_INLINE Sha1Lanes toLanes(const HardwarePageCrypto::Sha1State& state) {
    Sha1Lanes lanes;
    lanes.abcd = _mm_set_epi32(int(state.h[0]), int(state.h[1]), int(state.h[2]), int(state.h[3]));
    lanes.e = _mm_set_epi32(int(state.h[4]), 0, 0, 0);
    return lanes;
}

LLAMADESK_CRYPTO_INLINE void fromLanes(const Sha1Lanes& lanes,
                                       HardwarePageCrypto::Sha1State* state) {
    state->h[0] = quint32(_mm_extract_epi32(lanes.abcd, 3));
    state->h[1] = quint32(_mm_extract_epi32(lanes.abcd, 2));
    state->h[2] = quint32(_mm_extract_epi32(lanes.abcd, 1));
    state->h[3] = quint32(_mm_extract_epi32(lanes.abcd, 0));
    state->h[4] = quint32(_mm_extract_epi32(lanes.e, 3));
}

// Four rounds of group `group` (0 to 19): the message words for them are computed from the
// previous sixteen (W[t] = rotl1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16])) from group 4 on.
template <int Group>
LLAMADESK_CRYPTO_INLINE void sha1Rounds(__m128i* abcd, __m128i* previousAbcd, __m128i* message) {
    constexpr int function = Group / 5;
    __m128i& words = message[Group % 4];
    if constexpr (Group >= 4) {
        words = _mm_sha1msg1_epu32(words, message[(Group - 3) % 4]);
        words = _mm_xor_si128(words, message[(Group - 2) % 4]);
        words = _mm_sha1msg2_epu32(words, message[(Group - 1) % 4]);
    }
    // E for these rounds: from A four rounds back (rotated), added to the first message word.
    const __m128i e = _mm_sha1nexte_epu32(*previousAbcd, words);
    *previousAbcd = *abcd;
    *abcd = _mm_sha1rnds4_epu32(*abcd, e, function);
}

template <int... Groups>
LLAMADESK_CRYPTO_INLINE void sha1RoundsFrom1(__m128i* abcd, __m128i* previousAbcd,
                                             __m128i* message) {
    (sha1Rounds<Groups>(abcd, previousAbcd, message), ...);
}

// One 64-byte block into the state.
LLAMADESK_CRYPTO_INLINE void sha1Block(Sha1Lanes* lanes, const unsigned char* block) {
    // Big-endian words, W0 in the top lane.
    const __m128i byteSwap = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
    __m128i message[4];
    for (int i = 0; i < 4; ++i)
        message[i] = _mm_shuffle_epi8(load(block + 16 * i), byteSwap);
    const Sha1Lanes saved = *lanes;
    __m128i abcd = lanes->abcd;
    // Group 0 takes E as it is, not derived from an earlier A.
    __m128i previousAbcd = abcd;
    abcd = _mm_sha1rnds4_epu32(abcd, _mm_add_epi32(lanes->e, message[0]), 0);
    sha1RoundsFrom1<1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19>(
        &abcd, &previousAbcd, message);
    lanes->e = _mm_sha1nexte_epu32(previousAbcd, saved.e);
    lanes->abcd = _mm_add_epi32(abcd, saved.abcd);
}

// Hashes whole blocks of data, keeps the rest in a block buffer; then pads and finishes.
class Sha1Stream {
public:
    LLAMADESK_CRYPTO_TARGET explicit Sha1Stream(const HardwarePageCrypto::Sha1State& state)
        : m_lanes(toLanes(state))
        , m_bytes(state.bytes) {}

    LLAMADESK_CRYPTO_TARGET void add(const unsigned char* data, std::size_t size) {
        m_bytes += size;
        if (m_buffered > 0) {
            const std::size_t take = std::min(size, sizeof m_buffer - m_buffered);
            std::memcpy(m_buffer + m_buffered, data, take);
            m_buffered += take;
            data += take;
            size -= take;
            if (m_buffered < sizeof m_buffer)
                return;
            sha1Block(&m_lanes, m_buffer);
            m_buffered = 0;
        }
        for (; size >= sizeof m_buffer; size -= sizeof m_buffer, data += sizeof m_buffer)
            sha1Block(&m_lanes, data);
        if (size > 0) {
            std::memcpy(m_buffer, data, size);
            m_buffered = size;
        }
    }

    // One whole block, when nothing is buffered (the caller keeps to block boundaries).
    LLAMADESK_CRYPTO_TARGET void addBlock(const unsigned char* block) {
        m_bytes += sizeof m_buffer;
        sha1Block(&m_lanes, block);
    }

    LLAMADESK_CRYPTO_TARGET void finish(unsigned char* digest) {
        const quint64 bits = m_bytes * 8;
        unsigned char padding[2 * HardwarePageCrypto::kShaBlockSize] = {0x80};
        // 0x80, zeros, then the length in bits as 8 big-endian bytes, up to a block boundary.
        const std::size_t padSize = (m_buffered < 56 ? 56 : 120) - m_buffered;
        for (int i = 0; i < 8; ++i)
            padding[padSize + std::size_t(i)] = static_cast<unsigned char>(bits >> (56 - 8 * i));
        add(padding, padSize + 8);
        HardwarePageCrypto::Sha1State state;
        fromLanes(m_lanes, &state);
        for (int i = 0; i < 5; ++i) {
            digest[4 * i] = static_cast<unsigned char>(state.h[i] >> 24);
            digest[4 * i + 1] = static_cast<unsigned char>(state.h[i] >> 16);
            digest[4 * i + 2] = static_cast<unsigned char>(state.h[i] >> 8);
            digest[4 * i + 3] = static_cast<unsigned char>(state.h[i]);
        }
        std::memset(m_buffer, 0, sizeof m_buffer);
    }

private:
    Sha1Lanes m_lanes;
    quint64 m_bytes;
    unsigned char m_buffer[HardwarePageCrypto::kShaBlockSize] = {};
    std::size_t m_buffered = 0;
};

LLAMADESK_CRYPTO_INLINE __m128i encryptBlock(const unsigned char* keys, __m128i block) {
    block = _mm_xor_si128(block, roundKey(keys, 0));
    for (int round = 1; round < kRounds; ++round)
        block = _mm_aesenc_si128(block, roundKey(keys, round));
    return _mm_aesenclast_si128(block, roundKey(keys, kRounds));
}

// CBC decryption of four blocks; the blocks are independent, so their AES rounds overlap.
// Returns the last ciphertext block (the next chain value). Stores after all four loads: in and
// out may be the same buffer.
LLAMADESK_CRYPTO_INLINE __m128i decryptFour(const unsigned char* k, __m128i previous,
                                            const unsigned char* in, unsigned char* out) {
    const __m128i c0 = load(in);
    const __m128i c1 = load(in + 16);
    const __m128i c2 = load(in + 32);
    const __m128i c3 = load(in + 48);
    const __m128i first = roundKey(k, 0);
    __m128i x0 = _mm_xor_si128(c0, first);
    __m128i x1 = _mm_xor_si128(c1, first);
    __m128i x2 = _mm_xor_si128(c2, first);
    __m128i x3 = _mm_xor_si128(c3, first);
    for (int round = 1; round < kRounds; ++round) {
        const __m128i rk = roundKey(k, round);
        x0 = _mm_aesdec_si128(x0, rk);
        x1 = _mm_aesdec_si128(x1, rk);
        x2 = _mm_aesdec_si128(x2, rk);
        x3 = _mm_aesdec_si128(x3, rk);
    }
    const __m128i last = roundKey(k, kRounds);
    store(out, _mm_xor_si128(_mm_aesdeclast_si128(x0, last), previous));
    store(out + 16, _mm_xor_si128(_mm_aesdeclast_si128(x1, last), c0));
    store(out + 32, _mm_xor_si128(_mm_aesdeclast_si128(x2, last), c1));
    store(out + 48, _mm_xor_si128(_mm_aesdeclast_si128(x3, last), c2));
    return c3;
}

LLAMADESK_CRYPTO_INLINE __m128i decryptOne(const unsigned char* k, __m128i previous,
                                           const unsigned char* in, unsigned char* out) {
    const __m128i c = load(in);
    __m128i x = _mm_xor_si128(c, roundKey(k, 0));
    for (int round = 1; round < kRounds; ++round)
        x = _mm_aesdec_si128(x, roundKey(k, round));
    store(out, _mm_xor_si128(_mm_aesdeclast_si128(x, roundKey(k, kRounds)), previous));
    return c;
}

LLAMADESK_CRYPTO_TARGET void finishOuter(const HardwarePageCrypto::HmacKey& key, Sha1Stream* inner,
                                         unsigned char* digest) {
    unsigned char innerDigest[HardwarePageCrypto::kDigestSize];
    inner->finish(innerDigest);
    Sha1Stream outer(key.outer);
    outer.add(innerDigest, sizeof innerDigest);
    outer.finish(digest);
    std::memset(innerDigest, 0, sizeof innerDigest);
}

bool detectInstructions() {
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
        return false;
    const bool ssse3 = ecx & (1u << 9);
    const bool sse41 = ecx & (1u << 19);
    const bool aes = ecx & (1u << 25);
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
        return false;
    const bool sha = ebx & (1u << 29);
    return ssse3 && sse41 && aes && sha;
}

} // namespace

bool HardwarePageCrypto::available() {
    static const bool present = detectInstructions();
    return present;
}

LLAMADESK_CRYPTO_TARGET void HardwarePageCrypto::expandKey(const unsigned char* key,
                                                           AesKeys* keys) {
    __m128i even = load(key);
    __m128i odd = load(key + 16);
    // Callers' structures need not be 16-byte aligned (SQLCipher's allocator gives 8).
    const auto put = [](unsigned char* schedule, int round, __m128i value) {
        _mm_storeu_si128(static_cast<__m128i*>(static_cast<void*>(schedule + 16 * round)), value);
    };
    put(keys->encrypt, 0, even);
    put(keys->encrypt, 1, odd);
    // Round keys 2, 4, ..., 14 use SubWord(RotWord(last word)) ^ rcon; 3, 5, ..., 13 SubWord.
#define LLAMADESK_AES256_STEP(round, rcon)                                                         \
    even = nextKeyWords(even, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(odd, rcon), 0xff));      \
    put(keys->encrypt, round, even);                                                               \
    if (round < kRounds) {                                                                         \
        odd = nextKeyWords(odd, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(even, 0), 0xaa));      \
        put(keys->encrypt, round + 1, odd);                                                        \
    }
    LLAMADESK_AES256_STEP(2, 0x01)
    LLAMADESK_AES256_STEP(4, 0x02)
    LLAMADESK_AES256_STEP(6, 0x04)
    LLAMADESK_AES256_STEP(8, 0x08)
    LLAMADESK_AES256_STEP(10, 0x10)
    LLAMADESK_AES256_STEP(12, 0x20)
    LLAMADESK_AES256_STEP(14, 0x40)
#undef LLAMADESK_AES256_STEP
    // The equivalent inverse cipher: the round keys in reverse, the inner ones through
    // InvMixColumns.
    put(keys->decrypt, 0, roundKey(keys->encrypt, kRounds));
    for (int round = 1; round < kRounds; ++round)
        put(keys->decrypt, round, _mm_aesimc_si128(roundKey(keys->encrypt, kRounds - round)));
    put(keys->decrypt, kRounds, roundKey(keys->encrypt, 0));
    even = _mm_setzero_si128();
    odd = _mm_setzero_si128();
}

LLAMADESK_CRYPTO_TARGET void HardwarePageCrypto::cbcEncrypt(const AesKeys& keys,
                                                            const unsigned char* iv,
                                                            const unsigned char* in,
                                                            std::size_t size, unsigned char* out) {
    __m128i chain = load(iv);
    for (std::size_t offset = 0; offset + kBlockSize <= size; offset += kBlockSize) {
        chain = encryptBlock(keys.encrypt, _mm_xor_si128(chain, load(in + offset)));
        store(out + offset, chain);
    }
}

LLAMADESK_CRYPTO_TARGET void HardwarePageCrypto::cbcDecrypt(const AesKeys& keys,
                                                            const unsigned char* iv,
                                                            const unsigned char* in,
                                                            std::size_t size, unsigned char* out) {
    __m128i previous = load(iv);
    std::size_t offset = 0;
    for (; offset + 4 * kBlockSize <= size; offset += 4 * kBlockSize)
        previous = decryptFour(keys.decrypt, previous, in + offset, out + offset);
    for (; offset + kBlockSize <= size; offset += kBlockSize)
        previous = decryptOne(keys.decrypt, previous, in + offset, out + offset);
}

LLAMADESK_CRYPTO_TARGET void HardwarePageCrypto::setHmacKey(const unsigned char* key,
                                                            std::size_t keySize, HmacKey* hmacKey) {
    static constexpr Sha1State kInitial = {
        {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u}, 0};
    unsigned char pad[kShaBlockSize];
    for (const unsigned char fill : {static_cast<unsigned char>(0x36),    // RFC 2104 ipad
                                     static_cast<unsigned char>(0x5c)}) { // and opad
        std::memset(pad, fill, sizeof pad);
        for (std::size_t i = 0; i < keySize && i < sizeof pad; ++i)
            pad[i] ^= key[i];
        Sha1Lanes lanes = toLanes(kInitial);
        sha1Block(&lanes, pad);
        Sha1State& state = fill == 0x36 ? hmacKey->inner : hmacKey->outer;
        fromLanes(lanes, &state);
        state.bytes = kShaBlockSize;
    }
    std::memset(pad, 0, sizeof pad);
}

LLAMADESK_CRYPTO_TARGET void HardwarePageCrypto::hmac(const HmacKey& key, const unsigned char* a,
                                                      std::size_t aSize, const unsigned char* b,
                                                      std::size_t bSize, unsigned char* digest) {
    Sha1Stream inner(key.inner);
    inner.add(a, aSize);
    inner.add(b, bSize);
    finishOuter(key, &inner, digest);
}

LLAMADESK_CRYPTO_TARGET void
HardwarePageCrypto::encryptAndHash(const AesKeys& keys, const HmacKey& key, const unsigned char* iv,
                                   const unsigned char* in, std::size_t size, unsigned char* out,
                                   Sha1State* state) {
    Sha1Lanes lanes = toLanes(key.inner);
    __m128i chain = load(iv);
    const std::size_t whole = size / kShaBlockSize * kShaBlockSize;
    std::size_t offset = 0;
    for (; offset < whole; offset += kShaBlockSize) {
        for (std::size_t block = offset; block < offset + kShaBlockSize; block += kBlockSize) {
            chain = encryptBlock(keys.encrypt, _mm_xor_si128(chain, load(in + block)));
            store(out + block, chain);
        }
        // The SHA-1 rounds over the block before run while this block's AES rounds wait on
        // each other.
        if (offset > 0)
            sha1Block(&lanes, out + offset - kShaBlockSize);
    }
    if (whole > 0)
        sha1Block(&lanes, out + whole - kShaBlockSize);
    for (; offset + kBlockSize <= size; offset += kBlockSize) {
        chain = encryptBlock(keys.encrypt, _mm_xor_si128(chain, load(in + offset)));
        store(out + offset, chain);
    }
    fromLanes(lanes, state);
    state->bytes = key.inner.bytes + whole;
}

LLAMADESK_CRYPTO_TARGET void
HardwarePageCrypto::finishHmac(const HmacKey& key, const Sha1State& state,
                               const unsigned char* rest, std::size_t restSize,
                               const unsigned char* d, std::size_t dSize, unsigned char* digest) {
    Sha1Stream inner(state);
    inner.add(rest, restSize);
    inner.add(d, dSize);
    finishOuter(key, &inner, digest);
}

LLAMADESK_CRYPTO_TARGET void HardwarePageCrypto::hashAndDecrypt(
    const AesKeys& keys, const HmacKey& key, const unsigned char* in, std::size_t macSize,
    const unsigned char* trailer, std::size_t trailerSize, std::size_t cipherSize,
    const unsigned char* iv, unsigned char* plain, unsigned char* digest) {
    Sha1Stream inner(key.inner);
    __m128i previous = load(iv);
    std::size_t offset = 0;
    // Whole 64-byte blocks that are both hashed and decrypted, four AES blocks per SHA-1 block.
    for (; offset + kShaBlockSize <= cipherSize; offset += kShaBlockSize) {
        inner.addBlock(in + offset); // before the block is decrypted: plain may be in
        previous = decryptFour(keys.decrypt, previous, in + offset, plain + offset);
    }
    inner.add(in + offset, macSize - offset);
    inner.add(trailer, trailerSize);
    for (std::size_t block = offset; block + kBlockSize <= cipherSize; block += kBlockSize)
        previous = decryptOne(keys.decrypt, previous, in + block, plain + block);
    finishOuter(key, &inner, digest);
}

#else // no x86-64 instructions in this build

bool HardwarePageCrypto::available() {
    return false;
}
void HardwarePageCrypto::expandKey(const unsigned char*, AesKeys*) {}
void HardwarePageCrypto::cbcEncrypt(const AesKeys&, const unsigned char*, const unsigned char*,
                                    std::size_t, unsigned char*) {}
void HardwarePageCrypto::cbcDecrypt(const AesKeys&, const unsigned char*, const unsigned char*,
                                    std::size_t, unsigned char*) {}
void HardwarePageCrypto::setHmacKey(const unsigned char*, std::size_t, HmacKey*) {}
void HardwarePageCrypto::hmac(const HmacKey&, const unsigned char*, std::size_t,
                              const unsigned char*, std::size_t, unsigned char*) {}
void HardwarePageCrypto::encryptAndHash(const AesKeys&, const HmacKey&, const unsigned char*,
                                        const unsigned char*, std::size_t, unsigned char*,
                                        Sha1State*) {}
void HardwarePageCrypto::finishHmac(const HmacKey&, const Sha1State&, const unsigned char*,
                                    std::size_t, const unsigned char*, std::size_t,
                                    unsigned char*) {}
void HardwarePageCrypto::hashAndDecrypt(const AesKeys&, const HmacKey&, const unsigned char*,
                                        std::size_t, const unsigned char*, std::size_t, std::size_t,
                                        const unsigned char*, unsigned char*, unsigned char*) {}

#endif

} // namespace llamadesk::store
