#pragma once
// Counts what the whole process holds on the heap: allocation_counter.cpp replaces the global
// operator new and delete of the binary it is linked into (every form: plain, array, nothrow,
// aligned, sized), so every container of the modem, the server, the link and the test itself
// is counted. The soak compares the counts hour by hour: a structure that grows without a
// bound shows as live blocks that keep rising.

#include <cstddef>

namespace atcoap::soak {

struct HeapCounts {
    std::size_t live_blocks = 0;
    std::size_t live_bytes = 0;  // as malloc_usable_size reports them
    std::size_t total_allocations = 0;
};

HeapCounts heap_counts();

}  // namespace atcoap::soak
