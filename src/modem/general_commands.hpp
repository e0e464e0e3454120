#pragma once
// The general commands of the module (DIALECT.md §6): identity, echo, error reporting, radio,
// SIM and registration state, and PDP contexts.

#include "modem/context.hpp"

namespace atcoap::modem {

void add_general_commands(ModemContext& context);

}  // namespace atcoap::modem
