#pragma once
// AT+QSSLCFG, with the keys docs/DIALECT.md §4 lists: "dtls", "dtlsversion", "ciphersuite" and
// "negotiatetime", each in a write and a query form. Other keys answer +CME ERROR: 4.

#include "modem/modem_commands.hpp"

namespace atcoap::modem {

void add_ssl_commands(CommandRows& rows);

}  // namespace atcoap::modem
