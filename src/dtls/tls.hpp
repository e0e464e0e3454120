#pragma once
// Internal to src/dtls: the mbedTLS objects of one Session and the memory link that stands in
// for a socket and a clock. mbedTLS keeps pointers into this struct, so it never moves.

#include <mbedtls/ssl.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/log.hpp"
#include "base/random.hpp"
#include "base/time.hpp"
#include "dtls/session.hpp"

namespace atcoap::dtls {

/// What mbedTLS's BIO and timer callbacks read and write (mbedtls_ssl_set_bio,
/// mbedtls_ssl_set_timer_cb): queued datagrams in both directions, the caller's `now`, and the
/// one timer mbedTLS arms.
struct MemoryLink {
    std::deque<Bytes> inbox;  // datagrams from the peer, one per recv (RFC 6347 §4.1.1)
    std::vector<Bytes> outbox;
    TimePoint now{};
    std::optional<TimePoint> timer_final;  // nullopt: cancelled
    TimePoint timer_intermediate{};
};

namespace detail {

struct Tls {
    Tls(Random& random, KeyLog* key_log);
    ~Tls();
    Tls(const Tls&) = delete;
    Tls& operator=(const Tls&) = delete;

    mbedtls_ssl_config conf;
    mbedtls_ssl_context ssl;
    MemoryLink link;
    Random& random;
    KeyLog* key_log;
    std::vector<int> suites;  // zero-terminated, as mbedtls_ssl_conf_ciphersuites keeps it

    // Server side only.
    std::function<std::optional<Bytes>(ByteView)> key_for_identity;
    std::string identity_hint;
    Bytes peer_id;
    std::string refused_identity;  // set by the PSK callback when it says no
};

}  // namespace detail

/// Sets up `tls` as a client; an empty string on success, else why not.
std::string configure_client(detail::Tls& tls, const ClientSettings& settings);
/// Sets up `tls` as the server side of one peer; an empty string on success, else why not.
std::string configure_server(detail::Tls& tls, const ServerSettings& settings,
                             CookieKeeper& cookies);

/// Runs handshake steps until the handshake ends or mbedTLS returns anything but 0. On a
/// server with an identity hint, it writes the ServerKeyExchange itself (see mbedtls_compat.cpp).
int run_handshake(detail::Tls& tls);

}  // namespace atcoap::dtls
