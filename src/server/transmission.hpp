#pragma once
// The test server's message-layer parameters and its own timing choices. Every time RFC 7252
// §4.8.2 derives (EXCHANGE_LIFETIME, NON_LIFETIME, ...) comes from coap::derive_times of these
// settings, as the modem's do from its "trans" settings.

#include "base/time.hpp"
#include "coap/transmission.hpp"

namespace atcoap::server {

// RFC 7252 §4.8's defaults: ACK_TIMEOUT 2 s and MAX_RETRANSMIT 4 (ACK_RANDOM_FACTOR is fixed in
// coap/transmission.hpp). The modem's own default retry count differs (docs/DIALECT.md §3).
inline constexpr coap::TransmissionSettings kTransmission{Duration{2000}, 4};

// The server's own choices (see resources.hpp): how late /separate answers and how often /obs
// notifies.
inline constexpr Duration kSeparateDelay{1000};
inline constexpr Duration kNotifyInterval{1000};

}  // namespace atcoap::server
