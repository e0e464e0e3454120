#include "modem/general_commands.hpp"

#include <fmt/format.h>

#include "modem/registration.hpp"

namespace atcoap::modem {

namespace {

using at::Args;
using at::ErrorStyle;
using at::IntRange;
using at::Outcome;

/// Prints one field of the modem's own identity: read at each call, since every modem of a
/// fleet has its own IMEI.
template <std::string Identity::*Field>
Outcome print_identity(ModemParts& parts, const Args&, TimePoint) {
    parts.responder.info(parts.identity.*Field);
    return Outcome::ok();
}

void add_identity(CommandRows& rows) {
    rows.push_back({.name = "I",
                    .errors = ErrorStyle::Plain,
                    .execute = [](ModemParts& parts, const Args&, TimePoint) {
                        const Identity& id = parts.identity;
                        parts.responder.info(id.manufacturer);
                        parts.responder.info(id.model);
                        parts.responder.info("Revision: " + id.revision);
                        return Outcome::ok();
                    }});
    for (const char* name : {"+CGMI", "+GMI"}) {
        rows.push_back({.name = name, .execute = print_identity<&Identity::manufacturer>});
    }
    for (const char* name : {"+CGMM", "+GMM"}) {
        rows.push_back({.name = name, .execute = print_identity<&Identity::model>});
    }
    for (const char* name : {"+CGMR", "+GMR"}) {
        rows.push_back({.name = name, .execute = print_identity<&Identity::revision>});
    }
    for (const char* name : {"+CGSN", "+GSN"}) {
        rows.push_back({.name = name, .execute = print_identity<&Identity::imei>});
    }
}

void add_echo_and_errors(CommandRows& rows) {
    // V.250 §6.2.4: ATE is ATE0; any other value than 0 or 1 is an error (docs/DIALECT.md §7).
    rows.push_back({.name = "E",
                    .errors = ErrorStyle::Plain,
                    .params = {{"value", IntRange{0, 1}}},
                    .execute =
                        [](ModemParts& parts, const Args&, TimePoint) {
                            parts.framer.set_echo(false);
                            return Outcome::ok();
                        },
                    .write =
                        [](ModemParts& parts, const Args& args, TimePoint) {
                            parts.framer.set_echo(args.integer(0) == 1);
                            return Outcome::ok();
                        }});
    rows.push_back({.name = "+CMEE",
                    .params = {{"n", IntRange{0, 2}}},
                    .read =
                        [](ModemParts& parts, const Args&, TimePoint) {
                            parts.responder.info(
                                fmt::format("+CMEE: {}", static_cast<int>(parts.responder.cmee())));
                            return Outcome::ok();
                        },
                    .test = print_lines({"+CMEE: (0-2)"}),
                    .write =
                        [](ModemParts& parts, const Args& args, TimePoint) {
                            parts.responder.set_cmee(static_cast<at::CmeeMode>(args.integer(0)));
                            return Outcome::ok();
                        }});
}

Outcome set_functionality(ModemParts& parts, const Args& args, TimePoint) {
    const auto level = static_cast<int>(args.integer(0));
    if (level != 0 && level != 1 && level != 4) {
        return Outcome::incorrect_parameters(fmt::format("<fun> must be 0, 1 or 4: got {}", level));
    }
    parts.radio.set_functionality(level);
    parts.logger.log(LogLevel::Info,
                     fmt::format("radio {}", parts.radio.radio_on() ? "on" : "off"));
    return Outcome::ok();
}

void add_radio(CommandRows& rows) {
    rows.push_back({.name = "+CFUN",
                    .params = {{"fun", IntRange{0, 4}}, {"rst", IntRange{0, 1}, true}},
                    .read =
                        [](ModemParts& parts, const Args&, TimePoint) {
                            parts.responder.info(
                                fmt::format("+CFUN: {}", parts.radio.functionality()));
                            return Outcome::ok();
                        },
                    .test = print_lines({"+CFUN: (0,1,4),(0-1)"}),
                    .write = set_functionality});
    rows.push_back({.name = "+CPIN", .read = print_lines({"+CPIN: READY"})});
    rows.push_back({.name = "+CEREG",
                    .params = {{"n", IntRange{0, 4}}},
                    .read =
                        [](ModemParts& parts, const Args&, TimePoint) {
                            parts.responder.info(
                                registration_read(parts.radio.cereg_mode, parts.radio.radio_on()));
                            return Outcome::ok();
                        },
                    .test = print_lines({"+CEREG: (0-2,4)"}),
                    .write =
                        [](ModemParts& parts, const Args& args, TimePoint) {
                            // What the test form offers, (0-2,4), is what is accepted.
                            const int n = static_cast<int>(args.integer(0));
                            if (n == 3) {
                                return Outcome::incorrect_parameters("<n> must be 0-2 or 4: got 3");
                            }
                            parts.radio.cereg_mode = n;
                            return Outcome::ok();
                        }});
    rows.push_back({.name = "+CSQ",
                    .execute =
                        [](ModemParts& parts, const Args&, TimePoint) {
                            // 99,99: not known or not detectable (3GPP TS 27.007 §8.5).
                            const RadioState& radio = parts.radio;
                            parts.responder.info(
                                radio.radio_on() ? fmt::format("+CSQ: {},{}", radio.rssi, radio.ber)
                                                 : std::string("+CSQ: 99,99"));
                            return Outcome::ok();
                        },
                    .test = print_lines({"+CSQ: (0-31,99),(0-7,99)"})});
}

}  // namespace

void add_general_commands(CommandRows& rows) {
    add_identity(rows);
    add_echo_and_errors(rows);
    add_radio(rows);
    add_pdp_commands(rows);
}

}  // namespace atcoap::modem
