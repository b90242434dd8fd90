#include "tax/BlockMemory.h"

#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace llamadesk::tax {

void* BlockMemory::allocate(std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (bytes >= kBlockBytes) {
        void* block = ::operator new(bytes, std::align_val_t(kBlockBytes));
        // Advice only: when the kernel has no huge page to give, small pages are used.
        madvise(block, bytes, MADV_HUGEPAGE);
        return block;
    }
#endif
    return ::operator new(bytes, std::align_val_t(alignof(std::max_align_t)));
}

void BlockMemory::release(void* block, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (bytes >= kBlockBytes) {
        ::operator delete(block, std::align_val_t(kBlockBytes));
        return;
    }
#endif
    ::operator delete(block, std::align_val_t(alignof(std::max_align_t)));
}

} // namespace llamadesk::tax
