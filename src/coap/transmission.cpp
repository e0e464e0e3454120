#include "coap/transmission.hpp"

namespace atcoap::coap {

namespace {

constexpr unsigned kMaxExponent = 30;

/// ACK_TIMEOUT * (2^exponent - 1) * ACK_RANDOM_FACTOR, exact in milliseconds for even
/// timeouts and rounded down otherwise.
Duration backoff_span(Duration ack_timeout, unsigned exponent) {
    // The modem allows 4 to 8 retries; the cap only keeps absurd values defined.
    exponent = exponent > kMaxExponent ? kMaxExponent : exponent;
    const std::int64_t steps = (std::int64_t{1} << exponent) - 1;
    return Duration{ack_timeout.count() * steps * kAckRandomFactorNumerator /
                    kAckRandomFactorDenominator};
}

}  // namespace

TransmissionTimes derive_times(const TransmissionSettings& settings) {
    const Duration processing_delay = settings.ack_timeout;  // §4.8.2 takes ACK_TIMEOUT
    TransmissionTimes times{};
    times.max_transmit_span = backoff_span(settings.ack_timeout, settings.max_retransmit);
    times.max_transmit_wait = backoff_span(settings.ack_timeout, settings.max_retransmit + 1);
    times.max_rtt = 2 * kMaxLatency + processing_delay;
    times.exchange_lifetime = times.max_transmit_span + 2 * kMaxLatency + processing_delay;
    times.non_lifetime = times.max_transmit_span + kMaxLatency;
    return times;
}

Duration initial_timeout(const TransmissionSettings& settings, Random& random) {
    const auto low = static_cast<std::uint32_t>(settings.ack_timeout.count());
    const auto high = static_cast<std::uint32_t>(std::int64_t{low} * kAckRandomFactorNumerator /
                                                 kAckRandomFactorDenominator);
    return Duration{random.uniform(low, high)};
}

}  // namespace atcoap::coap
