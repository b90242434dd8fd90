#include "tax/BlockMemory.h"

#include <new>

namespace llamadesk::tax {

void* BlockMemory::allocate(std::size_t bytes) {
    return ::operator new(bytes);
}

void BlockMemory::release(void* block, std::size_t /*bytes*/) {
    // Unsized: sized deallocation is not enabled by default on every compiler (Clang before 19).
    ::operator delete(block);
}

} // namespace llamadesk::tax
