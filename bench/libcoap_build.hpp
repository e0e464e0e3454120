#pragma once
// libcoap's way to write a message, kept inline so that the timed loop calls libcoap directly.

#include <coap3/coap.h>

#include "coap/message.hpp"

namespace atcoap::bench {

/// The size libcoap gives a PDU when a session creates one (COAP_DEFAULT_MTU, also the size its
/// datagram receive path asks for); libcoap allocates min(size, 256) bytes up front.
inline constexpr std::size_t kLibcoapPduSize = COAP_DEFAULT_MTU;

/// A PDU holding `message`: token first, then options in ascending number, then data, the order
/// pdu.h requires. libcoap writes the 4 header bytes only when it sends. nullptr when refused.
inline coap_pdu_t* build_libcoap_pdu(const coap::Message& message) {
    coap_pdu_t* pdu = coap_pdu_init(static_cast<coap_pdu_type_t>(message.type),
                                    static_cast<coap_pdu_code_t>(message.code.value),
                                    message.message_id, kLibcoapPduSize);
    if (pdu == nullptr) {
        return nullptr;
    }
    const ByteView token = message.token.view();
    bool ok = coap_add_token(pdu, token.size(), token.data()) != 0;
    for (const coap::Option& option : message.options) {
        ok = ok &&
             coap_add_option(pdu, option.number, option.value.size(), option.value.data()) != 0;
    }
    if (ok && !message.payload.empty()) {
        ok = coap_add_data(pdu, message.payload.size(), message.payload.data()) != 0;
    }
    if (!ok) {
        coap_delete_pdu(pdu);
        return nullptr;
    }
    return pdu;
}

}  // namespace atcoap::bench
