#pragma once
// The SSL contexts of AT+QSSLCFG (docs/DIALECT.md §4): per context 0-5, whether DTLS is enabled,
// the DTLS version, the offered cipher suite and the handshake's time limit.

#include <array>
#include <cstdint>

namespace atcoap::modem {

inline constexpr int kSslContextCount = 6;
inline constexpr std::uint16_t kAllCipherSuites = 0xFFFF;
// "negotiatetime": the handshake's time limit in seconds.
inline constexpr int kMinNegotiateSeconds = 10;
inline constexpr int kMaxNegotiateSeconds = 300;

struct SslContextConfig {
    bool dtls = false;
    int dtls_version = 1;  // 0 DTLS 1.0, 1 DTLS 1.2
    std::uint16_t cipher_suite = kAllCipherSuites;
    int negotiate_seconds = kMaxNegotiateSeconds;
};

using SslContexts = std::array<SslContextConfig, kSslContextCount>;

}  // namespace atcoap::modem
