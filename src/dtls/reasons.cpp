#include "dtls/reasons.hpp"

#include <mbedtls/error.h>
#include <mbedtls/ssl.h>

#include <array>
#include <utility>

#include "base/hex.hpp"

namespace atcoap::dtls {

std::string_view alert_name(int description) {
    // RFC 5246 §7.2 and RFC 6347 (DTLS uses TLS's alerts), RFC 4279 §2 for 115.
    static constexpr std::array<std::pair<int, std::string_view>, 24> kNames{{
        {0, "close_notify"},
        {10, "unexpected_message"},
        {20, "bad_record_mac"},
        {21, "decryption_failed"},
        {22, "record_overflow"},
        {30, "decompression_failure"},
        {40, "handshake_failure"},
        {42, "bad_certificate"},
        {43, "unsupported_certificate"},
        {44, "certificate_revoked"},
        {45, "certificate_expired"},
        {46, "certificate_unknown"},
        {47, "illegal_parameter"},
        {48, "unknown_ca"},
        {49, "access_denied"},
        {50, "decode_error"},
        {51, "decrypt_error"},
        {70, "protocol_version"},
        {71, "insufficient_security"},
        {80, "internal_error"},
        {90, "user_canceled"},
        {100, "no_renegotiation"},
        {110, "unsupported_extension"},
        {115, "unknown_psk_identity"},
    }};
    for (const auto& [number, name] : kNames) {
        if (number == description) {
            return name;
        }
    }
    return "unknown";
}

std::string describe_alert(int description) {
    return "alert " + std::to_string(description) + " " + std::string(alert_name(description));
}

std::string describe_duration(Duration duration) {
    const auto ms = duration.count();
    if (ms % 1000 == 0) {
        return std::to_string(ms / 1000) + " s";
    }
    return std::to_string(ms) + " ms";
}

std::string describe_error(int mbedtls_error, int alert) {
    switch (mbedtls_error) {
        case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE:
            return describe_alert(alert);
        case MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY:
            return "peer sent close_notify";
        case MBEDTLS_ERR_SSL_NO_CIPHER_CHOSEN:
            return "no common cipher suite";
        case MBEDTLS_ERR_SSL_UNKNOWN_IDENTITY:
            return "unknown PSK identity";
        case MBEDTLS_ERR_SSL_BAD_HS_FINISHED:
            return "Finished did not verify (wrong PSK?)";
        case MBEDTLS_ERR_SSL_BAD_HS_PROTOCOL_VERSION:
            return "peer does not speak DTLS 1.2";
        default:
            break;
    }
    char text[160];
    mbedtls_strerror(mbedtls_error, text, sizeof text);
    const auto code = static_cast<unsigned>(-mbedtls_error);  // mbedTLS prints its codes as -0x7780
    return "mbedTLS error -0x" + format_hex_number(code, HexCase::Upper, 4) + ": " + text;
}

}  // namespace atcoap::dtls
