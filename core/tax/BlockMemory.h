#pragma once

#include <cstddef>

namespace llamadesk::tax {

// Large blocks for the result store and the text pool: one place for how they are allocated.
// They are ordinary allocations. Asking Linux for transparent huge pages (MADV_HUGEPAGE) was
// tried and is slower where memory is fragmented: the kernel then compacts memory on the first
// touch of each block, and a 1M-transaction report, which writes over a hundred megabytes of
// fresh memory, took 0.25-0.45 s longer (docs/benchmarks.md).
class BlockMemory {
public:
    static constexpr std::size_t kBlockBytes = std::size_t(2) << 20;
    // Never null (throws std::bad_alloc like operator new); not zeroed.
    static void* allocate(std::size_t bytes);
    static void release(void* block, std::size_t bytes);
};

} // namespace llamadesk::tax
