#pragma once
// AT+QSSLCFG, with the keys DIALECT.md §4 lists: "dtls", "dtlsversion", "ciphersuite" and
// "negotiatetime", each in a write and a query form. Other keys answer +CME ERROR: 4.

#include "modem/context.hpp"

namespace atcoap::modem {

void add_ssl_commands(ModemContext& context);

}  // namespace atcoap::modem
