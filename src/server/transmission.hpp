#pragma once
// The test server's message-layer parameters and its own timing choices. Every time RFC 7252
// §4.8.2 derives (EXCHANGE_LIFETIME, NON_LIFETIME, ...) comes from coap::derive_times of these
// settings, as the modem's do from its "trans" settings.

#include <cstddef>

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

// What a client flood can make the core hold (docs/RUNNING.md "Limits of atcoap server"). Each
// bound has its policy in server_core.cpp and one rate-limited `warn` line past it.
/// Requests remembered for deduplication (RFC 7252 §4.5), with their replies, all peers: past
/// it the oldest is forgotten before its EXCHANGE_LIFETIME, and a late duplicate of it would
/// be served again.
inline constexpr std::size_t kMaxReplyHistory = 16'384;
/// Observers of /obs, all peers and one peer: past either, a registration is answered without
/// Observe, so the client knows it is not registered (RFC 7641 §4.1).
inline constexpr std::size_t kMaxObservers = 256;
inline constexpr std::size_t kMaxObserversPerPeer = 16;
/// Separate responses waiting for their second or for their ACK, all peers: past it /separate
/// answers 5.03 Service Unavailable with Max-Age 1 at once (RFC 7252 §5.9.3.4).
inline constexpr std::size_t kMaxPendingSeparate = 1'024;

}  // namespace atcoap::server
