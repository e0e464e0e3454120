#pragma once
// The CoAP commands of the note's §3.3: AT+QCOAPCFG, AT+QCOAPOPEN, AT+QCOAPCLOSE,
// AT+QCOAPHEADER, AT+QCOAPOPTION and AT+QCOAPSEND. Every error is plain ERROR (DIALECT.md §2).

#include "modem/context.hpp"

namespace atcoap::modem {

void add_coap_commands(ModemContext& context);

/// AT+QCOAPSEND, in coap_send.cpp.
void add_coap_send_command(ModemContext& context);

}  // namespace atcoap::modem
