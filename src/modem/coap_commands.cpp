#include "modem/coap_commands.hpp"

#include <fmt/format.h>

#include "base/hex.hpp"
#include "modem/coap_format.hpp"
#include "modem/dtls_setup.hpp"

namespace atcoap::modem {

namespace {

using at::AnyText;
using at::Args;
using at::ErrorStyle;
using at::IntRange;
using at::Outcome;
using at::QuotedString;

constexpr IntRange kClientIds{0, kClientCount - 1};
constexpr IntRange kDtlsContextIds{0, kSslContextCount - 1};
// AT+QCOAPCFG="trans" (the note's §3.3.1): the ACK timeout in seconds and the retransmissions.
constexpr IntRange kAckTimeoutSeconds{2, 60};
constexpr IntRange kRetryCounts{4, 8};

bool within(const IntRange& range, std::int64_t value) {
    return value >= range.min && value <= range.max;
}

int client_id(const Args& args) {
    return static_cast<int>(args.integer(1));
}

Outcome configure_pdp(const ModemParts& parts, CoapClient& c, const Args& args) {
    if (!args.has(2)) {
        parts.responder.info(fmt::format("+QCOAPCFG: \"pdpcid\",{}", c.pdp_context));
        return Outcome::ok();
    }
    const auto cid = static_cast<int>(args.integer(2));
    if (cid < kMinContextId || cid > kMaxContextId || args.has(3)) {
        return Outcome::error(
            fmt::format("<PDP_cid> must be {}-{}: got {}", kMinContextId, kMaxContextId, cid));
    }
    parts.clients.set_pdp_context(c.id, cid);
    return Outcome::ok();
}

Outcome configure_dtls(const ModemParts& parts, CoapClient& c, const Args& args) {
    if (!args.has(2) && !args.has(3)) {
        parts.responder.info(
            fmt::format("+QCOAPCFG: \"dtls\",{},{}", c.dtls ? 1 : 0, c.dtls_context));
        return Outcome::ok();
    }
    if (!args.has(2) || !args.has(3) || args.integer(2) > 1 ||
        !within(kDtlsContextIds, args.integer(3))) {
        return Outcome::error(
            fmt::format("<DTLS_enable> must be 0-1 and <DTLS_contextID> {}-{}, both given",
                        kDtlsContextIds.min, kDtlsContextIds.max));
    }
    c.dtls = args.integer(2) == 1;
    c.dtls_context = static_cast<int>(args.integer(3));
    return Outcome::ok();
}

Outcome configure_transmission(const ModemParts& parts, CoapClient& c, const Args& args) {
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(c.transmission.ack_timeout);
    if (!args.has(2) && !args.has(3)) {
        parts.responder.info(fmt::format("+QCOAPCFG: \"trans\",{},{}", seconds.count(),
                                         c.transmission.max_retransmit));
        return Outcome::ok();
    }
    if (!args.has(2) || !args.has(3) || !within(kAckTimeoutSeconds, args.integer(2)) ||
        !within(kRetryCounts, args.integer(3))) {
        return Outcome::error(fmt::format(
            "<timeout> must be {}-{} and <retry_count> {}-{}, both given", kAckTimeoutSeconds.min,
            kAckTimeoutSeconds.max, kRetryCounts.min, kRetryCounts.max));
    }
    // The note: "The commands take effect immediately" (for exchanges started afterwards).
    c.transmission.ack_timeout = std::chrono::seconds(args.integer(2));
    c.transmission.max_retransmit = static_cast<unsigned>(args.integer(3));
    if (c.endpoint) {  // one never opened gets its settings at its first open
        c.endpoint->configure(c.transmission);
    }
    return Outcome::ok();
}

Outcome configure(const ModemParts& parts, const Args& args) {
    CoapClient& c = parts.clients.client(client_id(args));
    const std::string_view key = args.text(0);
    if (key == "pdpcid") {
        return configure_pdp(parts, c, args);
    }
    if (key == "dtls") {
        return configure_dtls(parts, c, args);
    }
    if (key == "trans") {
        return configure_transmission(parts, c, args);
    }
    return Outcome::error(fmt::format("unknown configuration \"{}\"", key));
}

Outcome open(const ModemParts& parts, const Args& args) {
    const auto id = static_cast<int>(args.integer(0));
    CoapClient& c = parts.clients.client(id);
    if (args.text(1).empty()) {
        return Outcome::error("<CoAP_server> is empty");
    }
    if (c.status != ClientStatus::Idle) {
        parts.responder.urc(fmt::format("+QCOAPOPEN: {},{}", id, kResultClientBusy));
        return Outcome::ok();
    }
    if (!parts.radio.data_path_up(c.pdp_context)) {
        parts.logger.log(LogLevel::Warn, fmt::format("client {}: radio off or PDP context {} "
                                                     "inactive: open fails with -3",
                                                     id, c.pdp_context));
        parts.responder.urc(fmt::format("+QCOAPOPEN: {},{}", id, kResultNotAllowed));
        return Outcome::ok();
    }
    std::optional<dtls::ClientSettings> dtls;
    if (c.dtls) {
        auto settings = dtls_settings(parts.ssl, c.dtls_context, parts.files);
        if (!settings) {
            parts.logger.log(LogLevel::Warn,
                             fmt::format("client {}: {}; open fails with {}", id,
                                         settings.error().why, settings.error().result));
            parts.responder.urc(fmt::format("+QCOAPOPEN: {},{}", id, settings.error().result));
            return Outcome::ok();
        }
        dtls = std::move(*settings);
    }
    parts.clients.open(id, std::string(args.text(1)), static_cast<std::uint16_t>(args.integer(2)),
                       std::move(dtls));
    return Outcome::ok();
}

Outcome list_open(const ModemParts& parts) {
    for (int id = 0; id < kClientCount; ++id) {
        const CoapClient& c = parts.clients.client(id);
        if (c.status != ClientStatus::Idle) {
            parts.responder.info(fmt::format("+QCOAPOPEN: {},\"{}\",{},{}", id, c.server, c.port,
                                             static_cast<int>(c.status)));
        }
    }
    return Outcome::ok();
}

Outcome close(const ModemParts& parts, const Args& args, TimePoint now) {
    const auto id = static_cast<int>(args.integer(0));
    if (parts.clients.client(id).status == ClientStatus::Idle) {
        return Outcome::error(fmt::format("client {} is not open", id));
    }
    parts.clients.close(id, now);
    return Outcome::ok();
}

Outcome set_header(const ModemParts& parts, const Args& args) {
    HeaderConfig& header = parts.clients.client(static_cast<int>(args.integer(0))).header;
    const bool random_token = args.integer(2) == 1;
    coap::Token token;
    if (!random_token) {
        // docs/DIALECT.md §3: mode 0 takes <TKL> and 2×TKL hex digits (none when TKL is 0).
        if (!args.has(3)) {
            return Outcome::error("<mode> 0 needs <TKL>");
        }
        const auto length = static_cast<std::size_t>(args.integer(3));
        const std::string_view text = args.has(4) ? args.text(4) : std::string_view();
        const auto bytes = parse_hex(text);
        if (!bytes || bytes->size() != length) {
            return Outcome::error(
                fmt::format("<token> must be {} hex digits: got '{}'", 2 * length, text));
        }
        token = coap::Token(*bytes);
    }
    header.next_message_id = static_cast<std::uint16_t>(args.integer(1));
    header.random_token = random_token;
    header.token = token;
    return Outcome::ok();
}

Outcome set_option(const ModemParts& parts, const Args& args) {
    CoapClient& c = parts.clients.client(static_cast<int>(args.integer(0)));
    auto& slot = c.options.at(static_cast<std::size_t>(args.integer(2)));
    if (args.integer(1) == 1) {
        slot.reset();
        return Outcome::ok();
    }
    if (!args.has(3)) {
        return Outcome::error("<mode> 0 needs <opt_number>");
    }
    const auto number = static_cast<std::uint16_t>(args.integer(3));
    const OptionValueText text{args.has(4) ? args.text(4) : std::string_view(),
                               args.has(4) && args.quoted(4), args.has(4)};
    auto value = parse_option_value(number, text);
    if (!value) {
        return Outcome::error(fmt::format("<opt_value>: {}", value.error()));
    }
    slot = OptionSlot{number, std::move(*value)};
    return Outcome::ok();
}

}  // namespace

void add_coap_commands(CommandRows& rows) {
    rows.push_back(
        {.name = "+QCOAPCFG",
         .errors = ErrorStyle::Plain,
         .params = {{"config", QuotedString{16}},
                    {"clientID", kClientIds},
                    {"value1", IntRange{0, 65535}, true},
                    {"value2", IntRange{0, 65535}, true}},
         .test = print_lines(
             {fmt::format("+QCOAPCFG: \"pdpcid\",(0-5),({}-{})", kMinContextId, kMaxContextId),
              "+QCOAPCFG: \"dtls\",(0-5),(0,1),(0-5)",
              fmt::format("+QCOAPCFG: \"trans\",(0-5),({}-{}),({}-{})", kAckTimeoutSeconds.min,
                          kAckTimeoutSeconds.max, kRetryCounts.min, kRetryCounts.max)}),
         .write = [](ModemParts& parts, const Args& args, TimePoint) {
             return configure(parts, args);
         }});
    rows.push_back(
        {.name = "+QCOAPOPEN",
         .errors = ErrorStyle::Plain,
         .params = {{"clientID", kClientIds},
                    {"CoAP_server", QuotedString{255}},
                    {"port", IntRange{1, 65535}}},
         .read = [](ModemParts& parts, const Args&, TimePoint) { return list_open(parts); },
         .test = print_lines({"+QCOAPOPEN: (0-5),<CoAP_server>,(1-65535)"}),
         .write = [](ModemParts& parts, const Args& args,
                     TimePoint) { return open(parts, args); }});
    rows.push_back({.name = "+QCOAPCLOSE",
                    .errors = ErrorStyle::Plain,
                    .params = {{"clientID", kClientIds}},
                    .test = print_lines({"+QCOAPCLOSE: (0-5)"}),
                    .write = [](ModemParts& parts, const Args& args, TimePoint now) {
                        return close(parts, args, now);
                    }});
    rows.push_back({.name = "+QCOAPHEADER",
                    .errors = ErrorStyle::Plain,
                    .params = {{"clientID", kClientIds},
                               {"msgID", IntRange{0, 65535}},
                               {"mode", IntRange{0, 1}},
                               {"TKL", IntRange{0, 8}, true},
                               {"token", AnyText{16}, true}},
                    .test = print_lines({"+QCOAPHEADER: (0-5),(0-65535),(0,1),(0-8),<token>"}),
                    .write = [](ModemParts& parts, const Args& args, TimePoint) {
                        return set_header(parts, args);
                    }});
    rows.push_back(
        {.name = "+QCOAPOPTION",
         .errors = ErrorStyle::Plain,
         .params = {{"clientID", kClientIds},
                    {"mode", IntRange{0, 1}},
                    {"opt_index", IntRange{0, 7}},
                    {"opt_number", IntRange{0, 65535}, true},
                    {"opt_value", AnyText{2 * 1034}, true}},
         .test = print_lines({"+QCOAPOPTION: (0-5),(0,1),(0-7),<opt_number>,<opt_value>"}),
         .write = [](ModemParts& parts, const Args& args, TimePoint) {
             return set_option(parts, args);
         }});
    add_coap_send_command(rows);
}

}  // namespace atcoap::modem
