#pragma once
// libcoap's own client library doing the benchmark's exchange: one session to the server, the
// same CON GET /time with the same token, and its event loop (coap_io_process) until the
// response handler has run. This is what atcoap is compared with as a CoAP client. The same
// source serves the plain benchmark (linked with libcoap-3-notls) and the DTLS helper (linked
// with libcoap-3-openssl); the two libraries define the same symbols, so never one binary.

#include <coap3/coap.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "base/result.hpp"

namespace atcoap::bench {

/// A DTLS pre-shared key (RFC 4279 §2): the identity and the key, both as raw bytes.
struct Psk {
    std::string identity;
    std::string key;
};

class LibcoapClient {
  public:
    /// A context and a UDP session to 127.0.0.1:`port`. coap_startup() must have run.
    static Result<std::unique_ptr<LibcoapClient>, std::string> connect(std::uint16_t port);

    /// A context and a DTLS session to 127.0.0.1:`port`, returned once libcoap reports the
    /// handshake done (COAP_EVENT_DTLS_CONNECTED), or failing at an error event or the bound.
    static Result<std::unique_ptr<LibcoapClient>, std::string> connect_dtls(std::uint16_t port,
                                                                            const Psk& psk);
    ~LibcoapClient();
    LibcoapClient(const LibcoapClient&) = delete;
    LibcoapClient& operator=(const LibcoapClient&) = delete;

    /// One request, then the event loop until its 2.05 response (or the bound passes).
    Status<std::string> exchange();

    /// From creating the DTLS session (its socket and ClientHello) to the connected event.
    std::chrono::nanoseconds handshake_time() const { return handshake_time_; }

  private:
    LibcoapClient() = default;
    static Result<std::unique_ptr<LibcoapClient>, std::string> make_context();
    static coap_address_t loopback(std::uint16_t port);
    static coap_response_t on_response(coap_session_t* session, const coap_pdu_t* sent,
                                       const coap_pdu_t* received, coap_mid_t mid);
    static int on_event(coap_session_t* session, coap_event_t event);
    Status<std::string> await_handshake(std::chrono::steady_clock::time_point started);

    coap_context_t* context_ = nullptr;
    coap_session_t* session_ = nullptr;
    bool answered_ = false;
    bool content_ = false;  // the answer was 2.05
    bool connected_ = false;
    bool failed_ = false;  // a DTLS error or close event before the handshake was done
    std::chrono::steady_clock::time_point connected_at_;
    std::chrono::nanoseconds handshake_time_{0};
};

}  // namespace atcoap::bench
