#pragma once
// The floor under atcoap's exchange rate: a relay with no parsing and no CoAP logic. Each line
// from the host becomes one prebuilt datagram on a connected UDP socket, and each answer becomes
// one line back, over the same pipes and socket calls atcoap uses. What atcoap adds above this is
// the cost of being a modem.

#include <cstdint>

namespace atcoap::bench {

/// Serves standard input and output until the input ends (exit code 0), or fails with 1 when
/// the socket cannot be set up or an answer does not come within the bound.
int run_relay(std::uint16_t server_port);

}  // namespace atcoap::bench
