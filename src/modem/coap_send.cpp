// AT+QCOAPSEND (the note's §3.3.6, docs/DIALECT.md §3 and §7): builds a message from the client's
// header and option slots and the payload read after the `> ` prompt, and hands it over.

#include <fmt/format.h>

#include <memory>

#include "modem/coap_commands.hpp"

namespace atcoap::modem {

namespace {

using at::Args;
using at::IntRange;
using at::Outcome;

constexpr std::size_t kMaxPayload = 1024;  // the note's <payload_length> maximum

/// What AT+QCOAPSEND asked for, kept while its payload is read.
struct SendRequest {
    int client = 0;
    coap::Type type = coap::Type::Con;
    coap::Code code;
    unsigned bitmask = 0;
};

/// The chosen slots' options; encode puts them in ascending number, keeping slot order among
/// equal numbers (docs/DIALECT.md §3). An empty slot's bit is skipped (§7).
coap::OptionList options_of(const CoapClient& c, unsigned bitmask) {
    coap::OptionList options;
    for (std::size_t slot = 0; slot < c.options.size(); ++slot) {
        if ((bitmask & (1u << slot)) != 0 && c.options[slot]) {
            options.push_back(coap::Option{c.options[slot]->number, c.options[slot]->value});
        }
    }
    return options;
}

Outcome send_now(const ModemParts& parts, const SendRequest& request, Bytes payload,
                 TimePoint now) {
    CoapClient& c = parts.clients.client(request.client);
    if (c.status != ClientStatus::Connected) {
        return Outcome::error(fmt::format("client {} was closed", request.client));
    }
    coap::Message message;
    message.type = request.type;
    message.code = request.code;
    message.message_id = parts.clients.take_message_id(request.client);
    if (!request.code.is_empty()) {
        message.token = parts.clients.make_token(request.client);
        message.options = options_of(c, request.bitmask);
        message.payload = std::move(payload);
    }
    auto sent = parts.clients.send(request.client, message, now);
    if (!sent) {
        return Outcome::error(fmt::format("cannot encode: {}", coap::describe(sent.error())));
    }
    return Outcome::ok();
}

/// The `> ` phase of one AT+QCOAPSEND: its end sends, cancels (ESC) or refuses (too long).
class PayloadPhase final : public at::DataPhase {
  public:
    PayloadPhase(const ModemParts& parts, const SendRequest& request, at::PhaseInput input)
        : parts_(parts), request_(request), input_(input) {}

    at::PhaseInput input() const override { return input_; }

    Outcome finish(const at::FramerEvent& end, TimePoint now) override {
        if (const auto* data = std::get_if<at::PromptData>(&end)) {
            return send_now(parts_, request_, data->payload, now);
        }
        if (std::holds_alternative<at::PromptCancelled>(end)) {
            parts_.logger.log(LogLevel::Info, "AT+QCOAPSEND cancelled with ESC: nothing sent");
            return Outcome::ok();
        }
        return Outcome::error(fmt::format("payload over {} bytes: nothing sent", kMaxPayload));
    }

  private:
    ModemParts parts_;  // references to the modem's parts: the modem outlives its phase
    SendRequest request_;
    at::PhaseInput input_;
};

Outcome check(const CoapClients& clients, const SendRequest& request, const Args& args) {
    if (clients.client(request.client).status != ClientStatus::Connected) {
        return Outcome::error(fmt::format("client {} is not connected", request.client));
    }
    if (request.code.is_reserved_class()) {
        return Outcome::error(
            fmt::format("code {} has a reserved class", coap::to_string(request.code)));
    }
    if (request.code.is_empty() && (request.bitmask != 0 || (args.has(4) && args.integer(4) > 0))) {
        return Outcome::error("an empty message (code 0) takes no options and no payload");
    }
    return Outcome::ok();
}

Outcome send(const ModemParts& parts, const Args& args, TimePoint now) {
    const SendRequest request{static_cast<int>(args.integer(0)),
                              static_cast<coap::Type>(args.integer(1)),
                              coap::Code{static_cast<std::uint8_t>(args.integer(2))},
                              static_cast<unsigned>(args.integer(3))};
    if (Outcome checked = check(parts.clients, request, args); !checked.is_ok()) {
        return checked;
    }
    const bool has_length = args.has(4);
    const auto length = has_length ? static_cast<std::size_t>(args.integer(4)) : 0;
    if ((has_length && length == 0) || (!has_length && request.code.is_empty())) {
        return send_now(parts, request, {}, now);
    }
    const at::PhaseInput input = has_length ? at::PhaseInput{at::PromptExact{length}}
                                            : at::PhaseInput{at::PromptUntilCtrlZ{kMaxPayload}};
    return Outcome::data_phase(std::make_unique<PayloadPhase>(parts, request, input));
}

}  // namespace

void add_coap_send_command(CommandRows& rows) {
    rows.push_back(
        {.name = "+QCOAPSEND",
         .errors = at::ErrorStyle::Plain,
         .params = {{"clientID", IntRange{0, kClientCount - 1}},
                    {"type", IntRange{0, 3}},
                    {"code_value", IntRange{0, 255}},
                    {"opt_bitmask", IntRange{0, 255}},
                    {"payload_length", IntRange{0, static_cast<std::int64_t>(kMaxPayload)}, true}},
         .test = print_lines({fmt::format(
             "+QCOAPSEND: (0-5),(0-3),<code_value>,<opt_bitmask>,(0-{})", kMaxPayload)}),
         .write = [](ModemParts& parts, const Args& args, TimePoint now) {
             return send(parts, args, now);
         }});
}

}  // namespace atcoap::modem
