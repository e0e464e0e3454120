#pragma once
// RFC 7252 §4.8 transmission parameters, the values §4.8.2 derives from them, and the
// retransmission timer of §4.2. The modem's AT+QCOAPCFG="trans" sets ACK_TIMEOUT and
// MAX_RETRANSMIT (docs/DIALECT.md §3), so every derived value is recomputed from those two.

#include <cstdint>

#include "base/random.hpp"
#include "base/time.hpp"

namespace atcoap::coap {

/// The configurable parameters: AT+QCOAPCFG="trans" timeout (seconds) and retry_count.
struct TransmissionSettings {
    Duration ack_timeout{2000};
    unsigned max_retransmit = 5;
    friend bool operator==(const TransmissionSettings&, const TransmissionSettings&) = default;
};

// The fixed parameters of RFC 7252 §4.8. ACK_RANDOM_FACTOR 1.5 is kept as the exact ratio 3/2
// so that every derived value is a whole number of milliseconds.
inline constexpr std::int64_t kAckRandomFactorNumerator = 3;
inline constexpr std::int64_t kAckRandomFactorDenominator = 2;
inline constexpr unsigned kNstart = 1;
inline constexpr Duration kMaxLatency{100'000};

/// RFC 7252 §4.8.2, each computed from the settings (PROCESSING_DELAY = ACK_TIMEOUT).
struct TransmissionTimes {
    Duration max_transmit_span;  // ACK_TIMEOUT * (2^MAX_RETRANSMIT - 1) * ACK_RANDOM_FACTOR
    Duration max_transmit_wait;  // ACK_TIMEOUT * (2^(MAX_RETRANSMIT + 1) - 1) * ACK_RANDOM_FACTOR
    Duration max_rtt;            // 2 * MAX_LATENCY + PROCESSING_DELAY
    Duration exchange_lifetime;  // MAX_TRANSMIT_SPAN + 2 * MAX_LATENCY + PROCESSING_DELAY
    Duration non_lifetime;       // MAX_TRANSMIT_SPAN + MAX_LATENCY
    friend bool operator==(const TransmissionTimes&, const TransmissionTimes&) = default;
};

/// The derived times for `settings`; with the RFC's defaults (2 s, 4) they are 45 s, 93 s,
/// 202 s, 247 s and 145 s.
TransmissionTimes derive_times(const TransmissionSettings& settings);

/// The first retransmission timeout of a CON (RFC 7252 §4.2): uniform in
/// [ACK_TIMEOUT, ACK_TIMEOUT * ACK_RANDOM_FACTOR], drawn in whole milliseconds as
/// random.uniform(T, T + T / 2). A generator whose next_u32() returns 0 therefore gives
/// exactly ACK_TIMEOUT (factor 1.0), which is how tests pin the schedule.
Duration initial_timeout(const TransmissionSettings& settings, Random& random);

/// The §4.2 back-off of one CON: the first wait is random, each later wait doubles, and after
/// MAX_RETRANSMIT retransmissions one more (doubled) wait ends the exchange.
class RetransmissionTimer {
  public:
    RetransmissionTimer(Duration first_timeout, unsigned max_retransmit, TimePoint sent_at)
        : timeout_(first_timeout), deadline_(sent_at + first_timeout), max_(max_retransmit) {}

    TimePoint deadline() const { return deadline_; }
    /// Retransmissions done so far (the note's retry_times of the last one).
    unsigned retransmissions() const { return count_; }
    /// True when the deadline ends the exchange instead of retransmitting.
    bool exhausted() const { return count_ >= max_; }
    /// Counts a retransmission made at `now` and arms the doubled wait from there.
    ///
    /// From `now`, not from the missed deadline: §4.2 doubles the timeout each time the message
    /// is sent again and waits that long for an ACK to the new copy, so the wait starts when the
    /// copy leaves. An event loop that wakes late thus never shortens the next wait and never
    /// sends copies closer together than the back-off allows (the congestion control of §4.7);
    /// lateness only lengthens the exchange. Both the client and the test server use this rule.
    void retransmitted(TimePoint now) {
        ++count_;
        timeout_ *= 2;
        deadline_ = now + timeout_;
    }

  private:
    Duration timeout_;
    TimePoint deadline_;
    unsigned max_;
    unsigned count_ = 0;
};

}  // namespace atcoap::coap
