#include "io/clock.hpp"

#include <sys/random.h>

#include <cerrno>
#include <system_error>

namespace atcoap::io {

TimePoint monotonic_now() {
    const auto since_epoch = std::chrono::steady_clock::now().time_since_epoch();
    // Truncation keeps now() <= the real instant, so a timer armed for D never wakes to a now < D.
    return TimePoint{std::chrono::duration_cast<Duration>(since_epoch)};
}

std::chrono::steady_clock::time_point to_steady(TimePoint point) {
    return std::chrono::steady_clock::time_point{
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(point.time_since_epoch())};
}

std::uint32_t OsRandom::next_u32() {
    if (used_ == std::size(pool_)) {
        refill();
    }
    return pool_[used_++];
}

void OsRandom::refill() {
    auto* out = reinterpret_cast<unsigned char*>(pool_);
    std::size_t filled = 0;
    while (filled < sizeof(pool_)) {
        const ssize_t got = ::getrandom(out + filled, sizeof(pool_) - filled, 0);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::system_error(errno, std::generic_category(), "getrandom");
        }
        filled += static_cast<std::size_t>(got);
    }
    used_ = 0;
}

}  // namespace atcoap::io
