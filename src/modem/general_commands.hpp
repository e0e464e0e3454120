#pragma once
// The general commands of the module (docs/DIALECT.md §6): identity, echo, error reporting, radio,
// SIM and registration state, and PDP contexts.

#include "modem/modem_commands.hpp"

namespace atcoap::modem {

/// ATI, AT+CGMI ... AT+CGSN (each answered from the modem's own Identity), ATE, AT+CMEE,
/// AT+CFUN, AT+CPIN, AT+CEREG, AT+CSQ, and the PDP commands.
void add_general_commands(CommandRows& rows);

/// AT+QICSGP, AT+QIACT, AT+QIDEACT, in pdp_commands.cpp.
void add_pdp_commands(CommandRows& rows);

}  // namespace atcoap::modem
