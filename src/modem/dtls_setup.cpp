#include "modem/dtls_setup.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "base/hex.hpp"
#include "modem/coap_clients.hpp"

namespace atcoap::modem {

Result<PskFile, std::string> parse_psk_file(ByteView content) {
    const auto amp = std::find(content.begin(), content.end(), std::uint8_t{'&'});
    if (amp == content.end()) {
        return fail(std::string("no '&' between identity and key"));
    }
    const auto split = static_cast<std::size_t>(amp - content.begin());
    if (split == 0) {
        return fail(std::string("the identity before '&' is empty"));
    }
    const std::string_view key_text = as_text(content.subspan(split + 1));
    auto key = parse_hex(key_text);
    if (!key || key->empty()) {
        return fail(
            fmt::format("the key after '&' is not an even number of hexadecimal "
                        "digits ({} bytes)",
                        key_text.size()));
    }
    return PskFile{Bytes(content.begin(), amp), std::move(*key)};
}

Result<dtls::ClientSettings, DtlsSetupError> dtls_settings(const SslContexts& contexts,
                                                           int context_id,
                                                           const ufs::FileStore& files) {
    const SslContextConfig& config = contexts.at(static_cast<std::size_t>(context_id));
    if (!config.dtls) {
        return fail(
            DtlsSetupError{kResultDtlsFailed, fmt::format("SSL context {} has DTLS off "
                                                          "(AT+QSSLCFG=\"dtls\",{},1 turns it on)",
                                                          context_id, context_id)});
    }
    if (config.dtls_version != 1) {
        return fail(DtlsSetupError{kResultDtlsFailed,
                                   fmt::format("SSL context {} asks for DTLS 1.0; the PSK "
                                               "suites of RFC 7252 need DTLS 1.2",
                                               context_id)});
    }
    const std::string name = fmt::format("{}_server.psk", context_id);
    const auto content = files.read(name);
    if (!content) {
        return fail(DtlsSetupError{kResultPskFile, fmt::format("PSK file {} cannot be read: {}",
                                                               name, content.error().detail)});
    }
    auto psk = parse_psk_file(*content);
    if (!psk) {
        return fail(DtlsSetupError{kResultPskFile,
                                   fmt::format("PSK file {} is malformed: {}", name, psk.error())});
    }
    dtls::ClientSettings settings;
    settings.identity = std::move(psk->identity);
    settings.key = std::move(psk->key);
    if (config.cipher_suite != kAllCipherSuites) {
        settings.cipher_suites = {config.cipher_suite};
    }
    settings.handshake_limit = std::chrono::seconds(config.negotiate_seconds);
    return settings;
}

}  // namespace atcoap::modem
