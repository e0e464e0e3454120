#pragma once
// libcoap's own client library doing the benchmark's exchange: one session to the server, the
// same CON GET /time with the same token, and its event loop (coap_io_process) until the
// response handler has run. This is what atcoap is compared with as a CoAP client.

#include <coap3/coap.h>

#include <cstdint>
#include <memory>
#include <string>

#include "base/result.hpp"

namespace atcoap::bench {

class LibcoapClient {
  public:
    /// A context and a UDP session to 127.0.0.1:`port`. coap_startup() must have run.
    static Result<std::unique_ptr<LibcoapClient>, std::string> connect(std::uint16_t port);
    ~LibcoapClient();
    LibcoapClient(const LibcoapClient&) = delete;
    LibcoapClient& operator=(const LibcoapClient&) = delete;

    /// One request, then the event loop until its 2.05 response (or the bound passes).
    Status<std::string> exchange();

  private:
    LibcoapClient() = default;
    static coap_response_t on_response(coap_session_t* session, const coap_pdu_t* sent,
                                       const coap_pdu_t* received, coap_mid_t mid);

    coap_context_t* context_ = nullptr;
    coap_session_t* session_ = nullptr;
    bool answered_ = false;
    bool content_ = false;  // the answer was 2.05
};

}  // namespace atcoap::bench
