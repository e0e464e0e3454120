#include "io/clock.hpp"

#include <sys/random.h>

#include <cerrno>
#include <system_error>

namespace atcoap::io {

namespace {

/// getrandom(2) until `size` bytes are in, retrying after a signal.
void fill_from_os(void* out, std::size_t size) {
    auto* bytes = static_cast<unsigned char*>(out);
    std::size_t filled = 0;
    while (filled < size) {
        const ssize_t got = ::getrandom(bytes + filled, size - filled, 0);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::system_error(errno, std::generic_category(), "getrandom");
        }
        filled += static_cast<std::size_t>(got);
    }
}

}  // namespace

TimePoint monotonic_now() {
    const auto since_epoch = std::chrono::steady_clock::now().time_since_epoch();
    // Truncation keeps now() <= the real instant, so a timer armed for D never wakes to a now < D.
    return TimePoint{std::chrono::duration_cast<Duration>(since_epoch)};
}

std::chrono::steady_clock::time_point to_steady(TimePoint point) {
    return std::chrono::steady_clock::time_point{
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(point.time_since_epoch())};
}

std::uint64_t random_seed() {
    std::uint64_t seed = 0;
    fill_from_os(&seed, sizeof(seed));
    return seed;
}

std::uint32_t OsRandom::next_u32() {
    if (used_ == std::size(pool_)) {
        refill();
    }
    return pool_[used_++];
}

void OsRandom::refill() {
    fill_from_os(pool_, sizeof(pool_));
    used_ = 0;
}

}  // namespace atcoap::io
