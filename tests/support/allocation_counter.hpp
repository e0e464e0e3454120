#pragma once
// Counts what the whole process holds on the heap. allocation_counter.cpp replaces the global
// operator new and delete (every form: plain, array, nothrow, aligned, sized) of the binary it is
// linked into, so it is its own library (atcoap_allocation_counter), linked only by the binaries
// that count: the soak, which compares the counts hour by hour (a structure that grows without
// a bound shows as live blocks that keep rising), and modem_memory_test, which pins the bytes a
// fleet modem and its parts keep (docs/TESTING.md, "Memory per modem").

#include <cstddef>

namespace atcoap::test {

struct HeapCounts {
    std::size_t live_blocks = 0;
    std::size_t live_bytes = 0;  // as requested from operator new: no allocator overhead
    std::size_t total_allocations = 0;
};

HeapCounts heap_counts();

/// Live bytes requested through operator new and not yet deleted.
inline long long live_heap_bytes() {
    return static_cast<long long>(heap_counts().live_bytes);
}

}  // namespace atcoap::test
