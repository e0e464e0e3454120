#pragma once
// The modem's AT command table: one per process, built once and shared by every modem (a fleet
// holds thousands). Its handlers capture nothing of a modem: each gets the ModemParts of the
// modem whose line it runs, so that, for instance, AT+CGSN answers with that modem's own IMEI.

#include <string>
#include <utility>
#include <vector>

#include "at/dispatcher.hpp"
#include "at/framer.hpp"
#include "at/responder.hpp"
#include "base/log.hpp"
#include "modem/coap_clients.hpp"
#include "modem/identity.hpp"
#include "modem/radio_state.hpp"
#include "modem/ssl_config.hpp"
#include "ufs/file_store.hpp"

namespace atcoap::modem {

/// The parts of one modem that its commands work with, owned by the Modem. ATE switches the
/// framer's echo, AT+CMEE the responder's error style, AT+CFUN and the PDP commands the radio
/// state; the file, CoAP and SSL commands each work with their own part.
struct ModemParts {
    at::Responder& responder;
    at::Framer& framer;
    RadioState& radio;
    const Identity& identity;
    ufs::FileStore& files;
    CoapClients& clients;
    SslContexts& ssl;
    Logger& logger;
};

using CommandRows = std::vector<at::CommandRow<ModemParts>>;
using ModemCommandTable = at::CommandTable<ModemParts>;

/// The table every modem of the process uses: built on first use (C++ makes that thread-safe)
/// and never changed afterwards, so modems on any thread share it.
const ModemCommandTable& modem_command_table();

/// A new table of every command, as modem_command_table() holds it (for tests that measure it).
ModemCommandTable make_modem_command_table();

/// at::print_lines for the modem's rows.
inline at::Handler<ModemParts> print_lines(std::vector<std::string> lines) {
    return at::print_lines<ModemParts>(std::move(lines));
}

}  // namespace atcoap::modem
