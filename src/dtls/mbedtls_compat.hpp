#pragma once
// Internal to src/dtls: the few things atcoap needs from mbedTLS that its public API does not
// offer. Each reaches into mbedTLS 2.28's private state (ssl_internal.h, or context fields that
// mbedTLS 3 hides); mbedtls_compat.cpp is the one file that does, and it refuses to compile
// against any other major version. Why each one cannot use the public API is written there.

#include <mbedtls/ssl.h>

#include <string_view>

namespace atcoap::dtls::compat {

/// Whether the handshake of `ssl` has ended successfully (mbedTLS's state HANDSHAKE_OVER).
bool handshake_over(const mbedtls_ssl_context& ssl);

/// Whether `ssl` is a server whose next handshake step is the ServerKeyExchange of a plain PSK
/// suite, the step mbedTLS 2.28 skips (RFC 4279 §2 lets the server send an identity hint there).
bool psk_server_key_exchange_due(const mbedtls_ssl_context& ssl);

/// Writes the ServerKeyExchange carrying `hint` (RFC 4279 §2: opaque psk_identity_hint<0..2^16-1>)
/// in place of the step mbedTLS skips, queued as mbedTLS queues its own handshake messages, so it
/// is numbered, added to the transcript and retransmitted with its flight. Call it only when
/// psk_server_key_exchange_due(); returns 0 or an mbedTLS error (as mbedtls_ssl_handshake_step).
int write_psk_server_key_exchange(mbedtls_ssl_context& ssl, std::string_view hint);

/// When the handshake retransmission timer of `ssl` has reached its cap
/// (mbedtls_ssl_conf_handshake_timeout's max), halves it, so that mbedTLS's next doubling lands
/// on the cap again instead of ending the handshake. No effect outside a handshake.
void hold_retransmission_below_cap(mbedtls_ssl_context& ssl);

/// The description byte (RFC 5246 §7.2) of the alert `ssl` last read, or -1 when there is no
/// record to read it from. Meaningful right after MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE.
int last_alert_received(const mbedtls_ssl_context& ssl);

}  // namespace atcoap::dtls::compat
