// mbedTLS set-up and the callbacks through which it reaches the outside world: memory BIO,
// timer, random numbers, PSK lookup, cookies and the key log. None of them touches a socket,
// a clock or the operating system's randomness.

#include "dtls/tls.hpp"

#include <mbedtls/error.h>

#include <algorithm>
#include <cstring>

#include "base/hex.hpp"
#include "dtls/mbedtls_compat.hpp"

namespace atcoap::dtls {

namespace {

int link_send(void* context, const unsigned char* data, std::size_t size) {
    auto& link = *static_cast<MemoryLink*>(context);
    link.outbox.emplace_back(data, data + size);
    return static_cast<int>(size);
}

// DTLS reads one datagram per call (RFC 6347 §4.1.1: records never span datagrams).
int link_recv(void* context, unsigned char* buffer, std::size_t size) {
    auto& link = *static_cast<MemoryLink*>(context);
    if (link.inbox.empty()) {
        return MBEDTLS_ERR_SSL_WANT_READ;
    }
    const Bytes datagram = std::move(link.inbox.front());
    link.inbox.pop_front();
    // A datagram larger than the buffer cannot hold a valid record: mbedTLS drops the cut one.
    const std::size_t count = std::min(size, datagram.size());
    std::memcpy(buffer, datagram.data(), count);
    return static_cast<int>(count);
}

void link_set_timer(void* context, std::uint32_t intermediate_ms, std::uint32_t final_ms) {
    auto& link = *static_cast<MemoryLink*>(context);
    if (final_ms == 0) {
        link.timer_final.reset();
        return;
    }
    link.timer_intermediate = link.now + Duration{intermediate_ms};
    link.timer_final = link.now + Duration{final_ms};
}

int link_get_timer(void* context) {
    const auto& link = *static_cast<const MemoryLink*>(context);
    if (!link.timer_final) {
        return -1;
    }
    if (link.now >= *link.timer_final) {
        return 2;
    }
    return link.now >= link.timer_intermediate ? 1 : 0;
}

int random_bytes(void* context, unsigned char* out, std::size_t size) {
    static_cast<Random*>(context)->fill({out, size});
    return 0;
}

// NSS key log format, as Wireshark reads it: the client random names the master secret.
int export_keys(void* context, const unsigned char* master_secret, const unsigned char*,
                std::size_t, std::size_t, std::size_t, const unsigned char client_random[32],
                const unsigned char[32], mbedtls_tls_prf_types) {
    auto& tls = *static_cast<detail::Tls*>(context);
    std::string line = "CLIENT_RANDOM ";
    append_hex_lower(line, ByteView{client_random, 32});
    line.push_back(' ');
    append_hex_lower(line, ByteView{master_secret, 48});
    tls.key_log->write_line(line);
    return 0;
}

int psk_for_identity(void* context, mbedtls_ssl_context* ssl, const unsigned char* identity,
                     std::size_t size) {
    auto& tls = *static_cast<detail::Tls*>(context);
    const std::optional<Bytes> key =
        tls.key_for_identity ? tls.key_for_identity(ByteView{identity, size}) : std::nullopt;
    if (!key) {
        tls.refused_identity.assign(reinterpret_cast<const char*>(identity), size);
        return -1;  // mbedTLS answers with alert 115 unknown_psk_identity (RFC 4279 §2)
    }
    return mbedtls_ssl_set_hs_psk(ssl, key->data(), key->size());
}

int write_cookie(void* context, unsigned char** position, unsigned char* end,
                 const unsigned char* peer_id, std::size_t peer_id_size) {
    const auto& cookies = *static_cast<const CookieKeeper*>(context);
    if (end - *position < static_cast<std::ptrdiff_t>(CookieKeeper::kCookieSize)) {
        return MBEDTLS_ERR_SSL_BUFFER_TOO_SMALL;
    }
    const Bytes cookie = cookies.cookie_for({peer_id, peer_id_size});
    std::memcpy(*position, cookie.data(), cookie.size());
    *position += cookie.size();
    return 0;
}

int check_cookie(void* context, const unsigned char* cookie, std::size_t cookie_size,
                 const unsigned char* peer_id, std::size_t peer_id_size) {
    const auto& cookies = *static_cast<const CookieKeeper*>(context);
    return cookies.check({cookie, cookie_size}, {peer_id, peer_id_size}) ? 0 : -1;
}

std::string describe_setup_error(std::string_view what, int error) {
    char text[128];
    mbedtls_strerror(error, text, sizeof text);
    return std::string(what) + ": " + text;
}

std::string configure_common(detail::Tls& tls, int endpoint,
                             const std::vector<std::uint16_t>& wanted) {
    const int defaults = mbedtls_ssl_config_defaults(
        &tls.conf, endpoint, MBEDTLS_SSL_TRANSPORT_DATAGRAM, MBEDTLS_SSL_PRESET_DEFAULT);
    if (defaults != 0) {
        return describe_setup_error("mbedTLS defaults", defaults);
    }
    const std::span<const std::uint16_t> offered =
        wanted.empty() ? default_cipher_suites() : std::span<const std::uint16_t>(wanted);
    tls.suites.assign(offered.begin(), offered.end());
    tls.suites.push_back(0);
    mbedtls_ssl_conf_ciphersuites(&tls.conf, tls.suites.data());
    // DTLS 1.2 only (RFC 7252 §9.1 builds on RFC 6347).
    mbedtls_ssl_conf_min_version(&tls.conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
    // Every random byte mbedTLS draws comes from the injected Random. One wall-clock read
    // stays inside Debian's build (MBEDTLS_HAVE_TIME, no time hook): the first four bytes of
    // each hello random (RFC 5246 §7.4.1.2 gmt_unix_time). It changes bytes, never behaviour.
    mbedtls_ssl_conf_rng(&tls.conf, random_bytes, &tls.random);
    // RFC 6347 §4.2.4.1: 1 s initial timer, doubled per retransmission, capped at 60 s.
    mbedtls_ssl_conf_handshake_timeout(&tls.conf, 1'000, 60'000);
    mbedtls_ssl_conf_authmode(&tls.conf, MBEDTLS_SSL_VERIFY_NONE);
    if (tls.key_log != nullptr) {
        mbedtls_ssl_conf_export_keys_ext_cb(&tls.conf, export_keys, &tls);
    }
    return {};
}

std::string set_up_context(detail::Tls& tls) {
    const int setup = mbedtls_ssl_setup(&tls.ssl, &tls.conf);
    if (setup != 0) {
        return describe_setup_error("mbedTLS set-up", setup);
    }
    mbedtls_ssl_set_bio(&tls.ssl, &tls.link, link_send, link_recv, nullptr);
    mbedtls_ssl_set_timer_cb(&tls.ssl, &tls.link, link_set_timer, link_get_timer);
    return {};
}

}  // namespace

detail::Tls::Tls(Random& random_source, KeyLog* log) : random(random_source), key_log(log) {
    mbedtls_ssl_config_init(&conf);
    mbedtls_ssl_init(&ssl);
}

detail::Tls::~Tls() {
    mbedtls_ssl_free(&ssl);
    mbedtls_ssl_config_free(&conf);
}

std::string configure_client(detail::Tls& tls, const ClientSettings& settings) {
    std::string error = configure_common(tls, MBEDTLS_SSL_IS_CLIENT, settings.cipher_suites);
    if (!error.empty()) {
        return error;
    }
    // mbedTLS would take an empty identity or key and then offer no PSK suite at all.
    if (settings.identity.empty()) {
        return "PSK identity is empty";
    }
    static_assert(kMaxPskBytes == MBEDTLS_PSK_MAX_LEN);
    if (settings.key.empty() || settings.key.size() > kMaxPskBytes) {
        return "PSK key must be 1 to " + std::to_string(kMaxPskBytes) + " bytes";
    }
    const int psk = mbedtls_ssl_conf_psk(&tls.conf, settings.key.data(), settings.key.size(),
                                         settings.identity.data(), settings.identity.size());
    if (psk != 0) {
        return describe_setup_error("PSK refused", psk);
    }
    return set_up_context(tls);
}

std::string configure_server(detail::Tls& tls, const ServerSettings& settings,
                             CookieKeeper& cookies) {
    std::string error = configure_common(tls, MBEDTLS_SSL_IS_SERVER, settings.cipher_suites);
    if (!error.empty()) {
        return error;
    }
    if (settings.identity_hint.size() > kMaxIdentityHintBytes) {
        return "identity hint longer than " + std::to_string(kMaxIdentityHintBytes) + " bytes";
    }
    tls.key_for_identity = settings.key_for_identity;
    tls.identity_hint = settings.identity_hint;
    mbedtls_ssl_conf_psk_cb(&tls.conf, psk_for_identity, &tls);
    mbedtls_ssl_conf_dtls_cookies(&tls.conf, write_cookie, check_cookie, &cookies);
    error = set_up_context(tls);
    if (!error.empty()) {
        return error;
    }
    const int id =
        mbedtls_ssl_set_client_transport_id(&tls.ssl, tls.peer_id.data(), tls.peer_id.size());
    return id == 0 ? std::string{} : describe_setup_error("client transport id", id);
}

int run_handshake(detail::Tls& tls) {
    mbedtls_ssl_context& ssl = tls.ssl;
    while (!compat::handshake_over(ssl)) {
        // mbedTLS 2.28 never sends a PSK identity hint; a server with one writes the
        // ServerKeyExchange that carries it (RFC 4279 §2) in place of the step mbedTLS skips.
        const bool hint_due =
            !tls.identity_hint.empty() && compat::psk_server_key_exchange_due(ssl);
        const int result = hint_due ? compat::write_psk_server_key_exchange(ssl, tls.identity_hint)
                                    : mbedtls_ssl_handshake_step(&ssl);
        if (result != 0) {
            return result;
        }
    }
    return 0;
}

}  // namespace atcoap::dtls
