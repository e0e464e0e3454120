#pragma once
// Time as the core sees it: a monotonic millisecond count handed in by the caller.
// The core never reads a clock itself (docs/ARCHITECTURE.md), so tests drive it in virtual time.

#include <chrono>
#include <cstdint>

namespace atcoap {

/// The tag clock of the core. It has no now(): only the I/O shell or a test says what time it is.
struct CoreClock {
    using duration = std::chrono::milliseconds;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::time_point<CoreClock, duration>;
    static constexpr bool is_steady = true;
};

using Duration = CoreClock::duration;
using TimePoint = CoreClock::time_point;

constexpr TimePoint at_ms(std::int64_t milliseconds) {
    return TimePoint{Duration{milliseconds}};
}

}  // namespace atcoap
