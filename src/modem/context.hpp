#pragma once
// What command handlers work with: the modem's parts, shared by reference. The Modem owns
// them all and builds one context; each command family adds its rows to the dispatcher.

#include <functional>
#include <string>
#include <vector>

#include "at/dispatcher.hpp"
#include "at/framer.hpp"
#include "at/responder.hpp"
#include "base/log.hpp"
#include "base/time.hpp"
#include "modem/coap_clients.hpp"
#include "modem/identity.hpp"
#include "modem/radio_state.hpp"
#include "modem/ssl_config.hpp"
#include "ufs/file_store.hpp"

namespace atcoap::modem {

/// Receives the framer's data-phase events (prompt data, upload data) for the command that
/// opened the phase; that command ends the phase with dispatcher.finish_pending().
using DataSink = std::function<void(const at::FramerEvent&)>;

struct ModemContext {
    at::Responder& responder;
    at::Dispatcher& dispatcher;
    at::Framer& framer;
    Logger& logger;
    RadioState& radio;
    const Identity& identity;
    ufs::FileStore& files;
    CoapClients& coap;
    SslContexts& ssl;
    TimePoint now{};
    DataSink data_sink{};
};

/// A handler that prints fixed information lines and succeeds: identity answers and the test
/// forms (`=?`) of most commands.
at::Handler print_lines(ModemContext& ctx, std::vector<std::string> lines);

}  // namespace atcoap::modem
