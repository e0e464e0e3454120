#pragma once
// The file commands of the module's UFS (docs/DIALECT.md §5): AT+QFUPL, AT+QFDWL, AT+QFLST,
// AT+QFDEL.

#include "modem/modem_commands.hpp"

namespace atcoap::modem {

void add_file_commands(CommandRows& rows);

}  // namespace atcoap::modem
