#pragma once
// The CoAP commands of the note's §3.3: AT+QCOAPCFG, AT+QCOAPOPEN, AT+QCOAPCLOSE,
// AT+QCOAPHEADER, AT+QCOAPOPTION and AT+QCOAPSEND. Every error is plain ERROR (docs/DIALECT.md §2).

#include "at/dispatcher.hpp"
#include "at/responder.hpp"
#include "base/log.hpp"
#include "modem/coap_clients.hpp"
#include "modem/radio_state.hpp"
#include "modem/ssl_config.hpp"
#include "ufs/file_store.hpp"

namespace atcoap::modem {

/// What the CoAP commands work with: the clients, and for AT+QCOAPOPEN the data path, the SSL
/// contexts and the PSK files a DTLS client needs (docs/DIALECT.md §4, §6).
struct CoapParts {
    CoapClients& clients;
    const RadioState& radio;
    const SslContexts& ssl;
    const ufs::FileStore& files;
    at::Responder& responder;
    Logger& logger;
};

void add_coap_commands(at::Dispatcher& dispatcher, const CoapParts& parts);

/// AT+QCOAPSEND, in coap_send.cpp.
void add_coap_send_command(at::Dispatcher& dispatcher, CoapClients& clients,
                           at::Responder& responder, Logger& logger);

}  // namespace atcoap::modem
