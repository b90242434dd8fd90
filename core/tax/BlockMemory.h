#pragma once

#include <cstddef>

namespace llamadesk::tax {

// Large blocks for the result store and the text pool. On Linux they are aligned to and asked
// for as transparent huge pages: a report over a million transactions writes a few hundred
// megabytes of fresh memory, and one page fault per 2 MiB instead of per 4 KiB is a large part of
// the run time on virtual machines. Elsewhere they are ordinary allocations.
class BlockMemory {
public:
    static constexpr std::size_t kBlockBytes = std::size_t(2) << 20;
    // Never null (throws std::bad_alloc like operator new); not zeroed.
    static void* allocate(std::size_t bytes);
    static void release(void* block, std::size_t bytes);
};

} // namespace llamadesk::tax
