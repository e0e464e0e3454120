#pragma once
// AT+QSSLCFG, with the keys docs/DIALECT.md §4 lists: "dtls", "dtlsversion", "ciphersuite" and
// "negotiatetime", each in a write and a query form. Other keys answer +CME ERROR: 4.

#include "at/dispatcher.hpp"
#include "at/responder.hpp"
#include "modem/ssl_config.hpp"

namespace atcoap::modem {

void add_ssl_commands(at::Dispatcher& dispatcher, at::Responder& responder, SslContexts& ssl);

}  // namespace atcoap::modem
