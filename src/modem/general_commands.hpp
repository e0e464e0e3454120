#pragma once
// The general commands of the module (docs/DIALECT.md §6): identity, echo, error reporting, radio,
// SIM and registration state, and PDP contexts.

#include "at/dispatcher.hpp"
#include "at/framer.hpp"
#include "at/responder.hpp"
#include "base/log.hpp"
#include "modem/identity.hpp"
#include "modem/radio_state.hpp"

namespace atcoap::modem {

/// What the general commands work with: ATE switches the framer's echo, AT+CMEE the
/// responder's error style, AT+CFUN and the PDP commands the radio state.
struct GeneralParts {
    at::Responder& responder;
    at::Framer& framer;
    RadioState& radio;
    const Identity& identity;
    Logger& logger;
};

void add_general_commands(at::Dispatcher& dispatcher, const GeneralParts& parts);

/// AT+QICSGP, AT+QIACT, AT+QIDEACT, in pdp_commands.cpp.
void add_pdp_commands(at::Dispatcher& dispatcher, at::Responder& responder, RadioState& radio,
                      Logger& logger);

}  // namespace atcoap::modem
