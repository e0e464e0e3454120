#pragma once
// A busy module answers late: the control socket's `latency` (docs/CONTROL.md) holds what the
// modem writes to the host for a fixed time plus a uniform jitter, as a deadline of the core.
// Pure: time comes in, randomness from the injected Random. Everything the module writes waits
// (echo, responses, URCs: one UART), and it leaves in the order it was written, so a chunk never
// overtakes an earlier one even when its own draw is shorter.

#include <cstddef>
#include <optional>

#include "base/bytes.hpp"
#include "base/lazy_deque.hpp"
#include "base/log.hpp"
#include "base/random.hpp"
#include "base/time.hpp"

namespace atcoap::modem {

class HostLatency {
  public:
    /// The most either part of the delay may be.
    static constexpr Duration kMaxDelay{60'000};
    /// Bytes held at most. Past it, everything held is released at once (early, in order) and
    /// the log says so once per overflow: a host that floods the modem while it answers late
    /// must not grow the core without bound, and no byte of the host's answers is lost.
    static constexpr std::size_t kMaxHeldBytes = 1 << 20;

    explicit HostLatency(Logger& logger) : logger_(logger) {}

    /// `fixed` and `jitter` of 0 turn the delay off; what is held then leaves at the next take().
    void set(Duration fixed, Duration jitter);
    Duration fixed() const { return fixed_; }
    Duration jitter() const { return jitter_; }
    /// The delay is on, or output still waits.
    bool engaged() const { return fixed_.count() > 0 || jitter_.count() > 0 || !held_.empty(); }

    /// Output the modem wrote at `now`; returns what is due at `now` (in order).
    Bytes pass(Bytes written, TimePoint now, Random& random);
    std::optional<TimePoint> next_deadline() const;
    bool holding() const { return !held_.empty(); }

  private:
    struct Chunk {
        TimePoint due;
        Bytes bytes;
    };
    bool delaying() const { return fixed_.count() > 0 || jitter_.count() > 0; }

    Logger& logger_;
    Duration fixed_{0};
    Duration jitter_{0};
    LazyDeque<Chunk> held_;
    std::size_t held_bytes_ = 0;
    TimePoint last_due_{};
};

}  // namespace atcoap::modem
