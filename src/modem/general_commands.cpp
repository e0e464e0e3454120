#include "modem/general_commands.hpp"

#include <fmt/format.h>

namespace atcoap::modem {

namespace {

using at::Args;
using at::CommandRow;
using at::ErrorStyle;
using at::IntRange;
using at::Outcome;
using at::QuotedString;

void add_identity(ModemContext& ctx) {
    const Identity& id = ctx.identity;
    ctx.dispatcher.add(
        {.name = "I",
         .errors = ErrorStyle::Plain,
         .execute = print_lines(ctx, {id.manufacturer, id.model, "Revision: " + id.revision})});
    for (const char* name : {"+CGMI", "+GMI"}) {
        ctx.dispatcher.add({.name = name, .execute = print_lines(ctx, {id.manufacturer})});
    }
    for (const char* name : {"+CGMM", "+GMM"}) {
        ctx.dispatcher.add({.name = name, .execute = print_lines(ctx, {id.model})});
    }
    for (const char* name : {"+CGMR", "+GMR"}) {
        ctx.dispatcher.add({.name = name, .execute = print_lines(ctx, {id.revision})});
    }
    for (const char* name : {"+CGSN", "+GSN"}) {
        ctx.dispatcher.add({.name = name, .execute = print_lines(ctx, {id.imei})});
    }
}

void add_echo_and_errors(ModemContext& ctx) {
    // V.250 §6.2.4: ATE is ATE0; any other value than 0 or 1 is an error (DIALECT.md §7).
    ctx.dispatcher.add({.name = "E",
                        .errors = ErrorStyle::Plain,
                        .params = {{"value", IntRange{0, 1}}},
                        .execute =
                            [&ctx](const Args&) {
                                ctx.framer.set_echo(false);
                                return Outcome::ok();
                            },
                        .write =
                            [&ctx](const Args& args) {
                                ctx.framer.set_echo(args.integer(0) == 1);
                                return Outcome::ok();
                            }});
    ctx.dispatcher.add({.name = "+CMEE",
                        .params = {{"n", IntRange{0, 2}}},
                        .read =
                            [&ctx](const Args&) {
                                ctx.responder.info(fmt::format(
                                    "+CMEE: {}", static_cast<int>(ctx.responder.cmee())));
                                return Outcome::ok();
                            },
                        .test = print_lines(ctx, {"+CMEE: (0-2)"}),
                        .write =
                            [&ctx](const Args& args) {
                                ctx.responder.set_cmee(static_cast<at::CmeeMode>(args.integer(0)));
                                return Outcome::ok();
                            }});
}

void add_radio(ModemContext& ctx) {
    ctx.dispatcher.add(
        {.name = "+CFUN",
         .params = {{"fun", IntRange{0, 4}}, {"rst", IntRange{0, 1}, true}},
         .read =
             [&ctx](const Args&) {
                 ctx.responder.info(fmt::format("+CFUN: {}", ctx.radio.functionality()));
                 return Outcome::ok();
             },
         .test = print_lines(ctx, {"+CFUN: (0,1,4),(0-1)"}),
         .write =
             [&ctx](const Args& args) {
                 const auto level = static_cast<int>(args.integer(0));
                 if (level != 0 && level != 1 && level != 4) {
                     return Outcome::incorrect_parameters(
                         fmt::format("<fun> must be 0, 1 or 4: got {}", level));
                 }
                 ctx.radio.set_functionality(level);
                 ctx.logger.log(LogLevel::Info,
                                fmt::format("radio {}", ctx.radio.radio_on() ? "on" : "off"));
                 return Outcome::ok();
             }});
    ctx.dispatcher.add({.name = "+CPIN", .read = print_lines(ctx, {"+CPIN: READY"})});
    ctx.dispatcher.add({.name = "+CEREG",
                        .params = {{"n", IntRange{0, 5}}},
                        .read =
                            [&ctx](const Args&) {
                                // 1: registered, home network; 0: not registered (radio off).
                                const int stat = ctx.radio.radio_on() ? 1 : 0;
                                ctx.responder.info(
                                    fmt::format("+CEREG: {},{}", ctx.radio.cereg_mode, stat));
                                return Outcome::ok();
                            },
                        .test = print_lines(ctx, {"+CEREG: (0-2,4)"}),
                        .write =
                            [&ctx](const Args& args) {
                                ctx.radio.cereg_mode = static_cast<int>(args.integer(0));
                                return Outcome::ok();
                            }});
    ctx.dispatcher.add({.name = "+CSQ",
                        .execute =
                            [&ctx](const Args&) {
                                // 99,99: not known or not detectable (3GPP TS 27.007 §8.5).
                                ctx.responder.info(ctx.radio.radio_on() ? "+CSQ: 24,99"
                                                                        : "+CSQ: 99,99");
                                return Outcome::ok();
                            },
                        .test = print_lines(ctx, {"+CSQ: (0-31,99),(0-7,99)"})});
}

}  // namespace

void add_pdp_commands(ModemContext& ctx);  // pdp_commands.cpp

void add_general_commands(ModemContext& ctx) {
    add_identity(ctx);
    add_echo_and_errors(ctx);
    add_radio(ctx);
    add_pdp_commands(ctx);
}

}  // namespace atcoap::modem
