#include "modem/ssl_commands.hpp"

#include <fmt/format.h>

#include <charconv>

#include "dtls/session.hpp"

namespace atcoap::modem {

namespace {

using at::AnyText;
using at::Args;
using at::ErrorStyle;
using at::IntRange;
using at::Outcome;
using at::QuotedString;

/// "0XC0A8" or "0xc0a8" (as Quectel's manuals write suites); nullopt for anything else.
std::optional<std::uint16_t> parse_suite(std::string_view text) {
    if (text.size() < 3 || text.size() > 6 || text[0] != '0' ||
        (text[1] != 'X' && text[1] != 'x')) {
        return std::nullopt;
    }
    unsigned value = 0;
    const char* end = text.data() + text.size();
    const auto [stop, status] = std::from_chars(text.data() + 2, end, value, 16);
    if (status != std::errc{} || stop != end) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(value);
}

bool offered(std::uint16_t suite) {
    if (suite == kAllCipherSuites) {
        return true;
    }
    for (const std::uint16_t known : dtls::default_cipher_suites()) {
        if (known == suite) {
            return true;
        }
    }
    return false;
}

std::optional<int> parse_in(std::string_view text, int low, int high) {
    const auto value = at::parse_decimal(text);
    if (!value || *value < low || *value > high) {
        return std::nullopt;
    }
    return static_cast<int>(*value);
}

const std::string kNegotiateRule =
    fmt::format("{}-{} seconds", kMinNegotiateSeconds, kMaxNegotiateSeconds);

/// One key: how its value prints, and how a written value is checked and stored.
struct Key {
    std::string_view name;
    std::string_view rule;  // for the log line of a rejected value
    std::string (*show)(const SslContextConfig&);
    bool (*store)(SslContextConfig&, std::string_view);
};

const std::array<Key, 4> kKeys{{
    {"dtls", "0 or 1", [](const SslContextConfig& c) { return std::string(c.dtls ? "1" : "0"); },
     [](SslContextConfig& c, std::string_view text) {
         const auto value = parse_in(text, 0, 1);
         return value ? (c.dtls = *value == 1, true) : false;
     }},
    {"dtlsversion", "0 (DTLS 1.0) or 1 (DTLS 1.2)",
     [](const SslContextConfig& c) { return std::to_string(c.dtls_version); },
     [](SslContextConfig& c, std::string_view text) {
         const auto value = parse_in(text, 0, 1);
         return value ? (c.dtls_version = *value, true) : false;
     }},
    {"ciphersuite", "0X00A8, 0X00AE, 0XC0A8 or 0XFFFF (all)",
     [](const SslContextConfig& c) { return fmt::format("0X{:04X}", c.cipher_suite); },
     [](SslContextConfig& c, std::string_view text) {
         const auto suite = parse_suite(text);
         return suite && offered(*suite) ? (c.cipher_suite = *suite, true) : false;
     }},
    {"negotiatetime", kNegotiateRule,
     [](const SslContextConfig& c) { return std::to_string(c.negotiate_seconds); },
     [](SslContextConfig& c, std::string_view text) {
         const auto value = parse_in(text, kMinNegotiateSeconds, kMaxNegotiateSeconds);
         return value ? (c.negotiate_seconds = *value, true) : false;
     }},
}};

Outcome configure(at::Responder& responder, SslContexts& ssl, const Args& args) {
    const std::string_view name = args.text(0);
    const auto key =
        std::find_if(kKeys.begin(), kKeys.end(), [&](const Key& k) { return k.name == name; });
    if (key == kKeys.end()) {
        return Outcome::cme_error(at::cme::kOperationNotSupported, "Operation not supported",
                                  fmt::format("AT+QSSLCFG key \"{}\" is not supported", name));
    }
    const auto id = static_cast<int>(args.integer(1));
    SslContextConfig& config = ssl.at(static_cast<std::size_t>(id));
    if (!args.has(2)) {
        responder.info(fmt::format("+QSSLCFG: \"{}\",{},{}", name, id, key->show(config)));
        return Outcome::ok();
    }
    if (!key->store(config, args.text(2))) {
        return Outcome::incorrect_parameters(
            fmt::format("\"{}\" must be {}: got \"{}\"", name, key->rule, args.text(2)));
    }
    return Outcome::ok();
}

}  // namespace

void add_ssl_commands(CommandRows& rows) {
    rows.push_back({.name = "+QSSLCFG",
                    .errors = ErrorStyle::Cme,
                    .params = {{"key", QuotedString{32}},
                               {"SSL_ctxID", IntRange{0, kSslContextCount - 1}},
                               {"value", AnyText{16}, true}},
                    .test = print_lines(
                        {"+QSSLCFG: \"dtls\",(0-5),(0,1)", "+QSSLCFG: \"dtlsversion\",(0-5),(0,1)",
                         "+QSSLCFG: \"ciphersuite\",(0-5),(0X00A8,0X00AE,0XC0A8,0XFFFF)",
                         fmt::format("+QSSLCFG: \"negotiatetime\",(0-5),({}-{})",
                                     kMinNegotiateSeconds, kMaxNegotiateSeconds)}),
                    .write = [](ModemParts& parts, const Args& args, TimePoint) {
                        return configure(parts.responder, parts.ssl, args);
                    }});
}

}  // namespace atcoap::modem
