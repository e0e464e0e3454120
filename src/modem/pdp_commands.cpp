// PDP contexts (docs/DIALECT.md §6): AT+QICSGP, AT+QIACT, AT+QIDEACT, in the forms of Quectel's
// TCP/IP application note for these modules.

#include <fmt/format.h>

#include "modem/general_commands.hpp"

namespace atcoap::modem {

namespace {

using at::Args;
using at::IntRange;
using at::Outcome;
using at::QuotedString;

constexpr IntRange kContextIds{kMinContextId, kMaxContextId};

/// The address a context reports once active: private-range, one per context, never used on
/// the wire (the CoAP sockets use the host's own addresses).
std::string context_address(int id) {
    return fmt::format("10.64.0.{}", id);
}

Outcome configure_context(at::Responder& responder, RadioState& radio, const Args& args) {
    PdpContext& pdp = radio.context(static_cast<int>(args.integer(0)));
    if (!args.has(1)) {
        responder.info(fmt::format("+QICSGP: {},\"{}\",\"{}\",\"{}\",{}", pdp.type, pdp.apn,
                                   pdp.username, pdp.password, pdp.authentication));
        return Outcome::ok();
    }
    if (!args.has(2)) {
        return Outcome::incorrect_parameters("<APN> must follow <context_type>");
    }
    pdp.type = static_cast<int>(args.integer(1));
    pdp.apn = args.text(2);
    pdp.username = args.has(3) ? args.text(3) : std::string_view();
    pdp.password = args.has(4) ? args.text(4) : std::string_view();
    pdp.authentication = args.has(5) ? static_cast<int>(args.integer(5)) : 0;
    return Outcome::ok();
}

Outcome activate(RadioState& radio, Logger& logger, const Args& args) {
    const auto id = static_cast<int>(args.integer(0));
    if (!radio.radio_on()) {
        return Outcome::cme_error(at::cme::kOperationNotAllowed, "Operation not allowed",
                                  fmt::format("PDP context {} cannot be activated: radio off", id));
    }
    radio.set_active(id, true);
    logger.log(LogLevel::Info, fmt::format("PDP context {} active", id));
    return Outcome::ok();
}

Outcome list_active(at::Responder& responder, const RadioState& radio) {
    for (int id = kMinContextId; id <= kMaxContextId; ++id) {
        if (radio.active(id)) {
            responder.info(fmt::format("+QIACT: {},1,{},\"{}\"", id, radio.context(id).type,
                                       context_address(id)));
        }
    }
    return Outcome::ok();
}

}  // namespace

void add_pdp_commands(CommandRows& rows) {
    rows.push_back(
        {.name = "+QICSGP",
         .params = {{"contextID", kContextIds},
                    {"context_type", IntRange{1, 3}, true},
                    {"APN", QuotedString{99}, true},
                    {"username", QuotedString{127}, true},
                    {"password", QuotedString{127}, true},
                    {"authentication", IntRange{0, 3}, true}},
         .test = print_lines({"+QICSGP: (1-16),(1-3),<APN>,<username>,<password>,(0-3)"}),
         .write = [](ModemParts& parts, const Args& args, TimePoint) {
             return configure_context(parts.responder, parts.radio, args);
         }});
    rows.push_back({.name = "+QIACT",
                    .params = {{"contextID", kContextIds}},
                    .read = [](ModemParts& parts, const Args&,
                               TimePoint) { return list_active(parts.responder, parts.radio); },
                    .test = print_lines({"+QIACT: (1-16)"}),
                    .write = [](ModemParts& parts, const Args& args,
                                TimePoint) { return activate(parts.radio, parts.logger, args); }});
    rows.push_back({.name = "+QIDEACT",
                    .params = {{"contextID", kContextIds}},
                    .test = print_lines({"+QIDEACT: (1-16)"}),
                    .write = [](ModemParts& parts, const Args& args, TimePoint) {
                        const auto id = static_cast<int>(args.integer(0));
                        parts.radio.set_active(id, false);
                        parts.logger.log(LogLevel::Info,
                                         fmt::format("PDP context {} deactivated", id));
                        return Outcome::ok();
                    }});
}

}  // namespace atcoap::modem
