#pragma once
// The CoAP commands of the note's §3.3: AT+QCOAPCFG, AT+QCOAPOPEN, AT+QCOAPCLOSE,
// AT+QCOAPHEADER, AT+QCOAPOPTION and AT+QCOAPSEND. Every error is plain ERROR (docs/DIALECT.md §2).
// They work with the clients, and AT+QCOAPOPEN with the data path, the SSL contexts and the PSK
// files a DTLS client needs (docs/DIALECT.md §4, §6).

#include "modem/modem_commands.hpp"

namespace atcoap::modem {

void add_coap_commands(CommandRows& rows);

/// AT+QCOAPSEND, in coap_send.cpp.
void add_coap_send_command(CommandRows& rows);

}  // namespace atcoap::modem
