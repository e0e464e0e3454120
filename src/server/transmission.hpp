#pragma once
// The message-layer constants of the test server: RFC 7252 §4.8's defaults, which are also what
// the modem uses unless "trans" changes them, and the server's own timing choices.

#include "base/time.hpp"

namespace atcoap::server {

// RFC 7252 §4.8: ACK_TIMEOUT 2 s, ACK_RANDOM_FACTOR 1.5, MAX_RETRANSMIT 4.
inline constexpr Duration kAckTimeout{2000};
inline constexpr Duration kAckTimeoutMax{3000};  // ACK_TIMEOUT * ACK_RANDOM_FACTOR
inline constexpr unsigned kMaxRetransmit = 4;
// RFC 7252 §4.8.2: how long a message ID stays in the deduplication history.
inline constexpr Duration kExchangeLifetime{247000};
inline constexpr Duration kNonLifetime{145000};

// The server's own choices (see resources.hpp): how late /separate answers and how often /obs
// notifies.
inline constexpr Duration kSeparateDelay{1000};
inline constexpr Duration kNotifyInterval{1000};

}  // namespace atcoap::server
