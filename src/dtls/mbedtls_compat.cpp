// The one file that uses mbedTLS's private interface: ssl_internal.h and the fields of
// mbedtls_ssl_context and mbedtls_ssl_config that the library's documentation calls private
// (mbedTLS 3 hides them behind MBEDTLS_PRIVATE). Each function says why the public API of
// mbedTLS 2.28 cannot do what it does.

#include "dtls/mbedtls_compat.hpp"

#include <mbedtls/version.h>

// ssl_internal.h and the field layout below are those of the 2.28 long-term-support branch.
// mbedTLS 3 renames the header (ssl_misc.h), hides the fields and changes the handshake states,
// so a build against it must stop here rather than compile something that misbehaves.
#if MBEDTLS_VERSION_NUMBER < 0x021C0000 || MBEDTLS_VERSION_NUMBER >= 0x03000000
#error "atcoap's DTLS needs mbedTLS 2.28.x (src/dtls/mbedtls_compat.cpp uses its private API)"
#endif

#include <mbedtls/ssl_internal.h>

#include <cstring>

namespace atcoap::dtls::compat {

// Why private: 2.28 has no accessor for the handshake state (mbedtls_ssl_is_handshake_over()
// arrived in 3.2), and atcoap must run the handshake one step at a time rather than through
// mbedtls_ssl_handshake(), to put the ServerKeyExchange below between two steps.
bool handshake_over(const mbedtls_ssl_context& ssl) {
    return ssl.state == MBEDTLS_SSL_HANDSHAKE_OVER;
}

// Why private: the negotiated suite of a handshake under way lives in the private
// mbedtls_ssl_handshake_params (mbedtls_ssl_get_ciphersuite() reads the session, which is only
// set once the handshake is over), and the state machine's position has no accessor.
bool psk_server_key_exchange_due(const mbedtls_ssl_context& ssl) {
    return ssl.conf != nullptr && ssl.conf->endpoint == MBEDTLS_SSL_IS_SERVER &&
           ssl.state == MBEDTLS_SSL_SERVER_KEY_EXCHANGE && ssl.handshake != nullptr &&
           ssl.handshake->ciphersuite_info != nullptr &&
           ssl.handshake->ciphersuite_info->key_exchange == MBEDTLS_KEY_EXCHANGE_PSK;
}

// Why private: mbedTLS 2.28's server has no setting for a PSK identity hint; for plain PSK
// suites it skips the ServerKeyExchange altogether. Peers such as libcoap's server send one
// ("CoAP"), and a test server must be able to. A handshake message written by hand has to go
// through mbedtls_ssl_write_handshake_msg() (declared only in ssl_internal.h), which adds the
// DTLS handshake header, the message sequence number, the transcript hash and the place in the
// flight that mbedTLS retransmits; the message is built in the context's output buffer and the
// state advanced past the skipped step, both private fields.
int write_psk_server_key_exchange(mbedtls_ssl_context& ssl, std::string_view hint) {
    // out_msg[0]: handshake type; [1..3]: length, filled in by mbedtls_ssl_write_handshake_msg;
    // [4..]: the body, a 2-byte length and the hint. The DTLS header takes 8 more bytes.
    constexpr std::size_t kHeader = 4;
    constexpr std::size_t kDtlsExtra = 8;
    const std::size_t size = hint.size();
    if (size > 0xFFFF || kHeader + 2 + size + kDtlsExtra > MBEDTLS_SSL_OUT_CONTENT_LEN) {
        return MBEDTLS_ERR_SSL_BAD_INPUT_DATA;
    }
    ssl.out_msg[0] = MBEDTLS_SSL_HS_SERVER_KEY_EXCHANGE;
    ssl.out_msg[kHeader] = static_cast<unsigned char>(size >> 8);
    ssl.out_msg[kHeader + 1] = static_cast<unsigned char>(size & 0xFF);
    std::memcpy(ssl.out_msg + kHeader + 2, hint.data(), size);
    ssl.out_msglen = kHeader + 2 + size;
    ssl.out_msgtype = MBEDTLS_SSL_MSG_HANDSHAKE;
    ++ssl.state;  // SERVER_KEY_EXCHANGE -> CERTIFICATE_REQUEST, as mbedTLS's own writer does
    return mbedtls_ssl_write_handshake_msg(&ssl);
}

// Why private: mbedTLS gives up once its retransmission timer has reached the cap and expired
// again (RFC 6347 §4.2.4.1 leaves the number of retransmissions to the implementation), and
// its public API has no way to reset the backoff or to keep a handshake going past that point.
// The timer's current value is in the private mbedtls_ssl_handshake_params; the cap is a field
// of the configuration with a setter (mbedtls_ssl_conf_handshake_timeout) but no getter.
void hold_retransmission_below_cap(mbedtls_ssl_context& ssl) {
    if (ssl.handshake == nullptr || ssl.conf == nullptr) {
        return;
    }
    const std::uint32_t cap = ssl.conf->hs_timeout_max;
    if (ssl.handshake->retransmit_timeout >= cap) {
        ssl.handshake->retransmit_timeout = cap / 2;
    }
}

// Why private: on MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE, 2.28 keeps the alert it read only in
// its input buffer (in_msg: level, then description); no function returns it.
int last_alert_received(const mbedtls_ssl_context& ssl) {
    return ssl.in_msg != nullptr ? ssl.in_msg[1] : -1;
}

}  // namespace atcoap::dtls::compat
