#pragma once
// libcoap's own client library doing the benchmark's exchange: one session to the server, the
// same CON GET /time with the same token, and its event loop (coap_io_process) until the
// response handler has run. This is what atcoap is compared with as a CoAP client. The source
// is built twice, against libcoap-3-notls and libcoap-3-openssl: the two define the same
// symbols, so never in one binary.

#include <coap3/coap.h>

#include <chrono>
#include <cstdint>

#include "exchange.hpp"

namespace atcoap::bench {

class LibcoapClient {
  public:
    /// A context and a session to 127.0.0.1:`port`; over DTLS with the note's key, returned
    /// once libcoap reports the handshake done (COAP_EVENT_DTLS_CONNECTED). coap_startup() must
    /// have run.
    LibcoapClient(Transport transport, std::uint16_t port);
    ~LibcoapClient();
    LibcoapClient(const LibcoapClient&) = delete;
    LibcoapClient& operator=(const LibcoapClient&) = delete;

    /// One request, then the event loop until its 2.05 response; throws past the bound.
    void exchange();

    /// DTLS: from creating the session (its socket and ClientHello) to the connected event.
    std::chrono::duration<double, std::milli> handshake_time() const { return handshake_time_; }

  private:
    static coap_response_t on_response(coap_session_t* session, const coap_pdu_t* sent,
                                       const coap_pdu_t* received, coap_mid_t mid);
    static int on_event(coap_session_t* session, coap_event_t event);
    void release();
    /// Runs libcoap's loop until `done` or the bound; false at the bound.
    bool run_until(const bool& done);

    coap_context_t* context_ = nullptr;
    coap_session_t* session_ = nullptr;
    bool answered_ = false;
    bool content_ = false;  // the answer was 2.05
    bool connected_ = false;
    bool failed_ = false;  // a DTLS error or close event before the handshake was done
    Clock::time_point connected_at_;
    std::chrono::duration<double, std::milli> handshake_time_{0};
};

}  // namespace atcoap::bench
