#pragma once
// A peer of the test server as the core sees it: an address in text and a port. The transport
// (plain UDP now, DTLS later) turns its own endpoint type into this one, so the core never
// touches a socket type.

#include <compare>
#include <cstdint>
#include <string>

namespace atcoap::server {

struct Endpoint {
    std::string address;  // "127.0.0.1" or "::1", as the transport prints it
    std::uint16_t port = 0;

    friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
};

/// "127.0.0.1:40000", or "[::1]:40000" for an IPv6 address.
inline std::string to_string(const Endpoint& peer) {
    const bool v6 = peer.address.find(':') != std::string::npos;
    std::string text = v6 ? "[" + peer.address + "]" : peer.address;
    return text + ":" + std::to_string(peer.port);
}

}  // namespace atcoap::server
