#pragma once

#include "tax/BlockMemory.h"

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

namespace llamadesk::tax {

// An append-only sequence of plain records stored in fixed blocks: growing never copies what is
// already stored, so a million result rows cost no reallocation peaks (a std::vector briefly
// holds its old and new buffers, about twice the memory, at each doubling), and a new block is
// not zeroed before it is written.
template <typename T, std::size_t BlockSize = BlockMemory::kBlockBytes / sizeof(T)>
class ChunkedVector {
    static_assert(std::is_trivially_destructible_v<T>, "records only");
    static_assert(std::is_copy_constructible_v<T>, "records only");

public:
    ChunkedVector() = default;
    ChunkedVector(const ChunkedVector&) = delete;
    ChunkedVector& operator=(const ChunkedVector&) = delete;
    ChunkedVector(ChunkedVector&&) noexcept = default;
    ChunkedVector& operator=(ChunkedVector&&) noexcept = default;
    ~ChunkedVector() = default;

    void push_back(const T& value) {
        if (m_size == m_blocks.size() * BlockSize)
            m_blocks.emplace_back(static_cast<T*>(BlockMemory::allocate(sizeof(T) * BlockSize)));
        new (m_blocks[m_size / BlockSize].get() + m_size % BlockSize) T(value);
        ++m_size;
    }
    T& operator[](std::size_t i) { return m_blocks[i / BlockSize].get()[i % BlockSize]; }
    const T& operator[](std::size_t i) const {
        return m_blocks[i / BlockSize].get()[i % BlockSize];
    }
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    void clear() {
        m_blocks.clear();
        m_size = 0;
    }

private:
    struct Free {
        void operator()(T* p) const { BlockMemory::release(p, sizeof(T) * BlockSize); }
    };
    std::vector<std::unique_ptr<T, Free>> m_blocks;
    std::size_t m_size = 0;
};

} // namespace llamadesk::tax
