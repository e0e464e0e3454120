#pragma once
// The system's side of time and randomness, which the core only receives (docs/ARCHITECTURE.md: the
// pure folders never read a clock or call getrandom).

#include <chrono>
#include <cstdint>

#include "base/random.hpp"
#include "base/time.hpp"

namespace atcoap::io {

/// Now on the monotonic clock, as the core's millisecond TimePoint. The epoch is the one of
/// std::chrono::steady_clock, so both conversions below are exact for whole milliseconds.
TimePoint monotonic_now();

/// The steady_clock instant of a core TimePoint, for arming an Asio steady_timer.
std::chrono::steady_clock::time_point to_steady(TimePoint point);

/// A 64-bit seed from the operating system, for a SeededRandom whose runs a seed given on the
/// command line can repeat instead. Throws as OsRandom does.
std::uint64_t random_seed();

/// The operating system's generator (getrandom(2), blocking only until the pool is seeded at
/// boot). Throws std::system_error if the kernel refuses, which no supported Linux does.
class OsRandom final : public Random {
  public:
    std::uint32_t next_u32() override;

  private:
    void refill();

    // A small pool spares one system call per draw; 64 words last a CoAP exchange or two.
    std::uint32_t pool_[64] = {};
    std::size_t used_ = 64;
};

}  // namespace atcoap::io
