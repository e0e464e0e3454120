#pragma once
// Peers on 127.0.0.1: free ports for a server to take, a TCP connection to one, and ways to know
// that a server started as a child process is serving yet (without sleeping a guessed time).

#include <netinet/in.h>

#include <cstdint>

#include "support/channel.hpp"

namespace atcoap::test {

/// 127.0.0.1:`port` as a socket address.
sockaddr_in loopback(std::uint16_t port);

/// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then closed); 0 when
/// none could be had.
std::uint16_t free_tcp_port();

/// A port that was free a moment ago for both UDP and TCP (libcoap's servers listen on both);
/// 0 when none could be had.
std::uint16_t free_udp_port();

/// A port P such that P and P + 1 were both free for UDP and TCP a moment ago (libcoap's
/// servers serve DTLS on the port after their plain one); 0 when none could be had.
std::uint16_t free_udp_port_pair();

/// A connected TCP socket to 127.0.0.1:`port`, or a closed channel.
Channel connect_tcp(std::uint16_t port);

/// Tries to connect to 127.0.0.1:`port` over TCP until it works; false when `bound` passes.
/// libcoap's servers open their UDP endpoints before their TCP ones, and a TCP connection that
/// sends nothing is not a request they could count, answer or drop.
bool accepts_tcp(std::uint16_t port, Millis bound);

/// Sends CoAP pings (RFC 7252 §4.3: an empty CON) to 127.0.0.1:`port` until one is answered
/// with RST; false when `bound` passes first.
bool answers_coap_ping(std::uint16_t port, Millis bound);

}  // namespace atcoap::test
