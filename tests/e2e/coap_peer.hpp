#pragma once
// CoAP servers for the end-to-end tests: Debian's libcoap `coap-server-notls` and atcoap's own
// `atcoap server`, each on a fresh loopback port, started once they answer.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/loopback.hpp"
#include "support/process.hpp"

namespace atcoap::e2e {

using test::answers_coap_ping;

/// A CoAP server process that answers; it is killed when this is destroyed.
struct CoapPeer {
    std::unique_ptr<test::ChildProcess> process;
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
