#pragma once
// The file commands of the module's UFS (DIALECT.md §5): AT+QFUPL, AT+QFDWL, AT+QFLST, AT+QFDEL.

#include "modem/context.hpp"

namespace atcoap::modem {

void add_file_commands(ModemContext& context);

}  // namespace atcoap::modem
