// The global allocation functions of the soak binary (see allocation_counter.hpp). They sit on
// malloc and count blocks and usable bytes; the counters are atomic since gtest may start a
// thread. Under AddressSanitizer these replacements take the place of its own, which is
// allowed (the standard makes them replaceable); ASan still checks the malloc beneath.

#include "allocation_counter.hpp"

#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<std::size_t> live_blocks{0};
std::atomic<std::size_t> live_bytes{0};
std::atomic<std::size_t> total_allocations{0};

void* counted(void* block) {
    if (block != nullptr) {
        live_blocks.fetch_add(1, std::memory_order_relaxed);
        live_bytes.fetch_add(malloc_usable_size(block), std::memory_order_relaxed);
        total_allocations.fetch_add(1, std::memory_order_relaxed);
    }
    return block;
}

void release(void* block) noexcept {
    if (block == nullptr) {
        return;
    }
    live_blocks.fetch_sub(1, std::memory_order_relaxed);
    live_bytes.fetch_sub(malloc_usable_size(block), std::memory_order_relaxed);
    std::free(block);
}

void* allocate(std::size_t size) {
    return counted(std::malloc(size == 0 ? 1 : size));
}

void* allocate_aligned(std::size_t size, std::align_val_t align) {
    const auto alignment = static_cast<std::size_t>(align);
    // aligned_alloc wants a size that is a multiple of the alignment.
    const std::size_t rounded = ((size == 0 ? 1 : size) + alignment - 1) / alignment * alignment;
    return counted(std::aligned_alloc(alignment, rounded));
}

void* or_throw(void* block) {
    if (block == nullptr) {
        throw std::bad_alloc();
    }
    return block;
}

}  // namespace

namespace atcoap::soak {

HeapCounts heap_counts() {
    return HeapCounts{live_blocks.load(std::memory_order_relaxed),
                      live_bytes.load(std::memory_order_relaxed),
                      total_allocations.load(std::memory_order_relaxed)};
}

}  // namespace atcoap::soak

void* operator new(std::size_t size) {
    return or_throw(allocate(size));
}
void* operator new[](std::size_t size) {
    return or_throw(allocate(size));
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    return allocate(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return allocate(size);
}
void* operator new(std::size_t size, std::align_val_t align) {
    return or_throw(allocate_aligned(size, align));
}
void* operator new[](std::size_t size, std::align_val_t align) {
    return or_throw(allocate_aligned(size, align));
}
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
    return allocate_aligned(size, align);
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
    return allocate_aligned(size, align);
}

void operator delete(void* block) noexcept {
    release(block);
}
void operator delete[](void* block) noexcept {
    release(block);
}
void operator delete(void* block, std::size_t) noexcept {
    release(block);
}
void operator delete[](void* block, std::size_t) noexcept {
    release(block);
}
void operator delete(void* block, const std::nothrow_t&) noexcept {
    release(block);
}
void operator delete[](void* block, const std::nothrow_t&) noexcept {
    release(block);
}
void operator delete(void* block, std::align_val_t) noexcept {
    release(block);
}
void operator delete[](void* block, std::align_val_t) noexcept {
    release(block);
}
void operator delete(void* block, std::size_t, std::align_val_t) noexcept {
    release(block);
}
void operator delete[](void* block, std::size_t, std::align_val_t) noexcept {
    release(block);
}
void operator delete(void* block, std::align_val_t, const std::nothrow_t&) noexcept {
    release(block);
}
void operator delete[](void* block, std::align_val_t, const std::nothrow_t&) noexcept {
    release(block);
}
