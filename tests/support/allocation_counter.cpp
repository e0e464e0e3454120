// The global allocation functions of a counting binary (see allocation_counter.hpp). Each block
// comes from malloc, or aligned_alloc for the aligned forms, with a header in front whose last
// bytes hold the size asked for: delete then takes away exactly what new added, whichever form
// of delete (sized or not) the caller uses. The counters are atomic since gtest may start a
// thread. Under AddressSanitizer these replacements take the place of its own, which is allowed
// (the standard makes them replaceable); ASan still checks the malloc beneath.

#include "support/allocation_counter.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

namespace {

std::atomic<std::size_t> live_blocks{0};
std::atomic<std::size_t> live_bytes{0};
std::atomic<std::size_t> total_allocations{0};

// The plain forms' header: max_align_t's alignment keeps the pointer handed out as aligned as
// malloc's. An aligned form's header is its alignment, or this when that is smaller.
constexpr std::size_t kPlainHeader = alignof(std::max_align_t);

std::size_t header_for(std::align_val_t align) {
    return std::max(static_cast<std::size_t>(align), kPlainHeader);
}

void* counted(void* block, std::size_t header, std::size_t size) {
    if (block == nullptr) {
        return nullptr;
    }
    char* const user = static_cast<char*>(block) + header;
    std::memcpy(user - sizeof(std::size_t), &size, sizeof(std::size_t));
    live_blocks.fetch_add(1, std::memory_order_relaxed);
    live_bytes.fetch_add(size, std::memory_order_relaxed);
    total_allocations.fetch_add(1, std::memory_order_relaxed);
    return user;
}

void release(void* user, std::size_t header) noexcept {
    if (user == nullptr) {
        return;
    }
    char* const bytes = static_cast<char*>(user);
    std::size_t size = 0;
    std::memcpy(&size, bytes - sizeof(std::size_t), sizeof(std::size_t));
    live_blocks.fetch_sub(1, std::memory_order_relaxed);
    live_bytes.fetch_sub(size, std::memory_order_relaxed);
    std::free(bytes - header);
}

void* allocate(std::size_t size) {
    if (size > std::numeric_limits<std::size_t>::max() - 2 * kPlainHeader) {
        return nullptr;
    }
    return counted(std::malloc(kPlainHeader + size), kPlainHeader, size);
}

void* allocate_aligned(std::size_t size, std::align_val_t align) {
    const std::size_t header = header_for(align);
    if (size > std::numeric_limits<std::size_t>::max() - 2 * header) {
        return nullptr;
    }
    // aligned_alloc wants a size that is a multiple of the alignment.
    const std::size_t rounded = (header + size + header - 1) / header * header;
    return counted(std::aligned_alloc(header, rounded), header, size);
}

void* or_throw(void* block) {
    if (block == nullptr) {
        throw std::bad_alloc();
    }
    return block;
}

}  // namespace

namespace atcoap::test {

HeapCounts heap_counts() {
    return HeapCounts{live_blocks.load(std::memory_order_relaxed),
                      live_bytes.load(std::memory_order_relaxed),
                      total_allocations.load(std::memory_order_relaxed)};
}

}  // namespace atcoap::test

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
    release(block, kPlainHeader);
}
void operator delete[](void* block) noexcept {
    release(block, kPlainHeader);
}
void operator delete(void* block, std::size_t) noexcept {
    release(block, kPlainHeader);
}
void operator delete[](void* block, std::size_t) noexcept {
    release(block, kPlainHeader);
}
void operator delete(void* block, const std::nothrow_t&) noexcept {
    release(block, kPlainHeader);
}
void operator delete[](void* block, const std::nothrow_t&) noexcept {
    release(block, kPlainHeader);
}
void operator delete(void* block, std::align_val_t align) noexcept {
    release(block, header_for(align));
}
void operator delete[](void* block, std::align_val_t align) noexcept {
    release(block, header_for(align));
}
void operator delete(void* block, std::size_t, std::align_val_t align) noexcept {
    release(block, header_for(align));
}
void operator delete[](void* block, std::size_t, std::align_val_t align) noexcept {
    release(block, header_for(align));
}
void operator delete(void* block, std::align_val_t align, const std::nothrow_t&) noexcept {
    release(block, header_for(align));
}
void operator delete[](void* block, std::align_val_t align, const std::nothrow_t&) noexcept {
    release(block, header_for(align));
}
