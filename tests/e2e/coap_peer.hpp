#pragma once
// CoAP servers for the end-to-end tests: Debian's libcoap `coap-server-notls` and atcoap's own
// `atcoap server`, each on a fresh loopback port, and a way to know that one is answering.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace atcoap::e2e {

/// A port on 127.0.0.1 that was free a moment ago for both UDP and TCP (libcoap's servers
/// listen on both).
std::uint16_t free_udp_port();

/// A port P such that P and P + 1 were both free for UDP and TCP a moment ago.
std::uint16_t free_udp_port_pair();

/// Sends CoAP pings (RFC 7252 §4.3: an empty CON) to 127.0.0.1:`port` until one is answered
/// with RST; false when `bound` passes first.
bool answers_coap_ping(std::uint16_t port, Millis bound);

/// A CoAP server process that answers pings; it is killed when this is destroyed.
struct CoapPeer {
    std::unique_ptr<ChildProcess> process;
    std::uint16_t port = 0;
};

/// `coap-server-<flavour> -A 127.0.0.1 -p <port>` plus `arguments`; a null process (and
/// `error`) when it is missing or does not start. The "openssl" and "gnutls" flavours also
/// serve DTLS on port + 1 (`-k KEY` gives the PSK).
CoapPeer start_libcoap_server(const std::vector<std::string>& arguments, std::string& error,
                              const std::string& flavour = "notls");

/// `atcoap server --listen 127.0.0.1:<port>` plus `arguments`.
CoapPeer start_atcoap_server(const std::vector<std::string>& arguments, std::string& error);

}  // namespace atcoap::e2e
