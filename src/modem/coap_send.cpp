// AT+QCOAPSEND (the note's §3.3.6, DIALECT.md §3 and §7): builds a message from the client's
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
/// equal numbers (DIALECT.md §3). An empty slot's bit is skipped (§7).
coap::OptionList options_of(const CoapClient& c, unsigned bitmask) {
    coap::OptionList options;
    for (std::size_t slot = 0; slot < c.options.size(); ++slot) {
        if ((bitmask & (1u << slot)) != 0 && c.options[slot]) {
            options.push_back(coap::Option{c.options[slot]->number, c.options[slot]->value});
        }
    }
    return options;
}

Outcome send_now(ModemContext& ctx, const SendRequest& request, Bytes payload) {
    CoapClient& c = ctx.coap.client(request.client);
    if (c.status != ClientStatus::Connected) {
        return Outcome::error(fmt::format("client {} was closed", request.client));
    }
    coap::Message message;
    message.type = request.type;
    message.code = request.code;
    message.message_id = ctx.coap.take_message_id(request.client);
    if (!request.code.is_empty()) {
        message.token = ctx.coap.make_token(request.client);
        message.options = options_of(c, request.bitmask);
        message.payload = std::move(payload);
    }
    ctx.coap.refresh_links();
    auto sent = ctx.coap.send(request.client, message, ctx.now);
    if (!sent) {
        return Outcome::error(fmt::format("cannot encode: {}", coap::describe(sent.error())));
    }
    return Outcome::ok();
}

/// Ends the `> ` phase: sends, cancels (ESC) or refuses (over 1024 bytes).
void on_payload(ModemContext& ctx, const SendRequest& request, const at::FramerEvent& event) {
    ctx.data_sink = nullptr;
    if (const auto* data = std::get_if<at::PromptData>(&event)) {
        ctx.dispatcher.finish_pending(send_now(ctx, request, data->payload));
    } else if (std::holds_alternative<at::PromptCancelled>(event)) {
        ctx.logger.log(LogLevel::Info, "AT+QCOAPSEND cancelled with ESC: nothing sent");
        ctx.dispatcher.finish_pending(Outcome::ok());
    } else {
        ctx.dispatcher.finish_pending(Outcome::error("payload over 1024 bytes: nothing sent"));
    }
}

Outcome check(const ModemContext& ctx, const SendRequest& request, const Args& args) {
    if (ctx.coap.client(request.client).status != ClientStatus::Connected) {
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

Outcome send(ModemContext& ctx, const Args& args) {
    const SendRequest request{static_cast<int>(args.integer(0)),
                              static_cast<coap::Type>(args.integer(1)),
                              coap::Code{static_cast<std::uint8_t>(args.integer(2))},
                              static_cast<unsigned>(args.integer(3))};
    if (Outcome checked = check(ctx, request, args); checked.kind != Outcome::Kind::Ok) {
        return checked;
    }
    const bool has_length = args.has(4);
    const auto length = has_length ? static_cast<std::size_t>(args.integer(4)) : 0;
    if ((has_length && length == 0) || (!has_length && request.code.is_empty())) {
        return send_now(ctx, request, {});
    }
    ctx.data_sink = [&ctx, request](const at::FramerEvent& event) {
        on_payload(ctx, request, event);
    };
    ctx.responder.prompt();
    if (has_length) {
        ctx.framer.expect_prompt_data(length);
    } else {
        ctx.framer.expect_prompt_until_ctrl_z(kMaxPayload);
    }
    return Outcome::pending();
}

}  // namespace

void add_coap_send_command(ModemContext& ctx) {
    ctx.dispatcher.add(
        {.name = "+QCOAPSEND",
         .errors = at::ErrorStyle::Plain,
         .params = {{"clientID", IntRange{0, kClientCount - 1}},
                    {"type", IntRange{0, 3}},
                    {"code_value", IntRange{0, 255}},
                    {"opt_bitmask", IntRange{0, 255}},
                    {"payload_length", IntRange{0, static_cast<std::int64_t>(kMaxPayload)}, true}},
         .test =
             [&ctx](const Args&) {
                 ctx.responder.info("+QCOAPSEND: (0-5),(0-3),<code_value>,<opt_bitmask>,(0-1024)");
                 return Outcome::ok();
             },
         .write = [&ctx](const Args& args) { return send(ctx, args); }});
}

}  // namespace atcoap::modem
