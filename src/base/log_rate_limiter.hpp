#pragma once
// A bound on log lines that the network causes: a peer that sends 20,000 malformed datagrams
// must not write 20,000 warnings. At most `burst` lines per `window`; the first line after a
// window in which lines were held back says how many were.

#include <cstddef>
#include <optional>

#include "base/time.hpp"

namespace atcoap {

class LogRateLimiter {
  public:
    static constexpr std::size_t kDefaultBurst = 10;
    static constexpr Duration kDefaultWindow{10'000};

    explicit LogRateLimiter(std::size_t burst = kDefaultBurst, Duration window = kDefaultWindow)
        : burst_(burst), window_(window) {}

    /// Whether a line that happens at `now` may be logged: nullopt when it must be held back;
    /// otherwise how many lines were held back since the last one logged (0 mostly), which the
    /// caller adds to the line.
    std::optional<std::size_t> admit(TimePoint now) {
        if (!window_start_ || now - *window_start_ >= window_) {
            window_start_ = now;
            in_window_ = 0;
        }
        if (in_window_ == burst_) {
            ++held_back_;
            return std::nullopt;
        }
        ++in_window_;
        const std::size_t held = held_back_;
        held_back_ = 0;
        return held;
    }

  private:
    std::size_t burst_;
    Duration window_;
    std::optional<TimePoint> window_start_;
    std::size_t in_window_ = 0;
    std::size_t held_back_ = 0;
};

}  // namespace atcoap
