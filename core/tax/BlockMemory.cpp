#include "tax/BlockMemory.h"

#include <new>

namespace llamadesk::tax {

void* BlockMemory::allocate(std::size_t bytes) {
    return ::operator new(bytes);
}

void BlockMemory::release(void* block, std::size_t bytes) {
    ::operator delete(block, bytes);
}

} // namespace llamadesk::tax
