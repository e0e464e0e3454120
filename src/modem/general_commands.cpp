#include "modem/general_commands.hpp"

#include <fmt/format.h>

#include "modem/registration.hpp"

namespace atcoap::modem {

namespace {

using at::Args;
using at::CommandRow;
using at::ErrorStyle;
using at::IntRange;
using at::Outcome;
using at::print_lines;
using at::QuotedString;

void add_identity(at::Dispatcher& dispatcher, at::Responder& responder, const Identity& id) {
    dispatcher.add({.name = "I",
                    .errors = ErrorStyle::Plain,
                    .execute = print_lines(
                        responder, {id.manufacturer, id.model, "Revision: " + id.revision})});
    for (const char* name : {"+CGMI", "+GMI"}) {
        dispatcher.add({.name = name, .execute = print_lines(responder, {id.manufacturer})});
    }
    for (const char* name : {"+CGMM", "+GMM"}) {
        dispatcher.add({.name = name, .execute = print_lines(responder, {id.model})});
    }
    for (const char* name : {"+CGMR", "+GMR"}) {
        dispatcher.add({.name = name, .execute = print_lines(responder, {id.revision})});
    }
    for (const char* name : {"+CGSN", "+GSN"}) {
        dispatcher.add({.name = name, .execute = print_lines(responder, {id.imei})});
    }
}

void add_echo_and_errors(at::Dispatcher& dispatcher, at::Responder& responder, at::Framer& framer) {
    // V.250 §6.2.4: ATE is ATE0; any other value than 0 or 1 is an error (docs/DIALECT.md §7).
    dispatcher.add({.name = "E",
                    .errors = ErrorStyle::Plain,
                    .params = {{"value", IntRange{0, 1}}},
                    .execute =
                        [&framer](const Args&, TimePoint) {
                            framer.set_echo(false);
                            return Outcome::ok();
                        },
                    .write =
                        [&framer](const Args& args, TimePoint) {
                            framer.set_echo(args.integer(0) == 1);
                            return Outcome::ok();
                        }});
    dispatcher.add({.name = "+CMEE",
                    .params = {{"n", IntRange{0, 2}}},
                    .read =
                        [&responder](const Args&, TimePoint) {
                            responder.info(
                                fmt::format("+CMEE: {}", static_cast<int>(responder.cmee())));
                            return Outcome::ok();
                        },
                    .test = print_lines(responder, {"+CMEE: (0-2)"}),
                    .write =
                        [&responder](const Args& args, TimePoint) {
                            responder.set_cmee(static_cast<at::CmeeMode>(args.integer(0)));
                            return Outcome::ok();
                        }});
}

void add_radio(at::Dispatcher& dispatcher, const GeneralParts& parts) {
    dispatcher.add(
        {.name = "+CFUN",
         .params = {{"fun", IntRange{0, 4}}, {"rst", IntRange{0, 1}, true}},
         .read =
             [parts](const Args&, TimePoint) {
                 parts.responder.info(fmt::format("+CFUN: {}", parts.radio.functionality()));
                 return Outcome::ok();
             },
         .test = print_lines(parts.responder, {"+CFUN: (0,1,4),(0-1)"}),
         .write =
             [parts](const Args& args, TimePoint) {
                 const auto level = static_cast<int>(args.integer(0));
                 if (level != 0 && level != 1 && level != 4) {
                     return Outcome::incorrect_parameters(
                         fmt::format("<fun> must be 0, 1 or 4: got {}", level));
                 }
                 parts.radio.set_functionality(level);
                 parts.logger.log(LogLevel::Info,
                                  fmt::format("radio {}", parts.radio.radio_on() ? "on" : "off"));
                 return Outcome::ok();
             }});
    dispatcher.add({.name = "+CPIN", .read = print_lines(parts.responder, {"+CPIN: READY"})});
    dispatcher.add({.name = "+CEREG",
                    .params = {{"n", IntRange{0, 4}}},
                    .read =
                        [parts](const Args&, TimePoint) {
                            parts.responder.info(
                                registration_read(parts.radio.cereg_mode, parts.radio.radio_on()));
                            return Outcome::ok();
                        },
                    .test = print_lines(parts.responder, {"+CEREG: (0-2,4)"}),
                    .write =
                        [parts](const Args& args, TimePoint) {
                            // What the test form offers, (0-2,4), is what is accepted.
                            const int n = static_cast<int>(args.integer(0));
                            if (n == 3) {
                                return Outcome::incorrect_parameters("<n> must be 0-2 or 4: got 3");
                            }
                            parts.radio.cereg_mode = n;
                            return Outcome::ok();
                        }});
    dispatcher.add({.name = "+CSQ",
                    .execute =
                        [parts](const Args&, TimePoint) {
                            // 99,99: not known or not detectable (3GPP TS 27.007 §8.5).
                            const RadioState& radio = parts.radio;
                            parts.responder.info(
                                radio.radio_on() ? fmt::format("+CSQ: {},{}", radio.rssi, radio.ber)
                                                 : std::string("+CSQ: 99,99"));
                            return Outcome::ok();
                        },
                    .test = print_lines(parts.responder, {"+CSQ: (0-31,99),(0-7,99)"})});
}

}  // namespace

void add_general_commands(at::Dispatcher& dispatcher, const GeneralParts& parts) {
    add_identity(dispatcher, parts.responder, parts.identity);
    add_echo_and_errors(dispatcher, parts.responder, parts.framer);
    add_radio(dispatcher, parts);
    add_pdp_commands(dispatcher, parts.responder, parts.radio, parts.logger);
}

}  // namespace atcoap::modem
