#include "exchange_libcoap.hpp"

#include <cstring>

#include "support/loopback.hpp"

namespace atcoap::bench {

namespace {

coap_bin_const_t bin(std::string_view bytes) {
    return coap_bin_const_t{bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data())};
}

coap_session_t* new_session(coap_context_t* context, Transport transport, std::uint16_t port) {
    coap_address_t server;
    coap_address_init(&server);
    server.addr.sin = test::loopback(port);
    server.size = sizeof server.addr.sin;
    if (transport == Transport::udp) {
        return coap_new_client_session(context, nullptr, &server, COAP_PROTO_UDP);
    }
    coap_dtls_cpsk_t setup;
    std::memset(&setup, 0, sizeof setup);
    setup.version = COAP_DTLS_CPSK_SETUP_VERSION;
    setup.psk_info.identity = bin(kPskIdentity);  // libcoap copies both into the session
    setup.psk_info.key = bin(kPskKeyText);
    return coap_new_client_session_psk2(context, nullptr, &server, COAP_PROTO_DTLS, &setup);
}

}  // namespace

LibcoapClient::LibcoapClient(Transport transport, std::uint16_t port)
    : context_(coap_new_context(nullptr)) {
    if (context_ == nullptr) {
        throw Failure("coap_new_context failed");
    }
    coap_register_response_handler(context_, &LibcoapClient::on_response);
    coap_register_event_handler(context_, &LibcoapClient::on_event);
    // Over DTLS the handshake starts inside this call (the ClientHello leaves at once), so the
    // clock does.
    const auto started = Clock::now();
    session_ = new_session(context_, transport, port);
    if (session_ == nullptr) {
        release();
        throw Failure("libcoap: no session");
    }
    coap_session_set_app_data(session_, this);
    if (transport == Transport::dtls) {
        if (!run_until(connected_) || !connected_) {
            release();
            throw Failure(failed_ ? "libcoap: the DTLS handshake failed"
                                  : "libcoap: no DTLS handshake within the bound");
        }
        handshake_time_ = connected_at_ - started;
    }
}

LibcoapClient::~LibcoapClient() {
    release();
}

void LibcoapClient::release() {
    if (session_ != nullptr) {
        coap_session_release(session_);
        session_ = nullptr;
    }
    if (context_ != nullptr) {
        coap_free_context(context_);
        context_ = nullptr;
    }
}

bool LibcoapClient::run_until(const bool& done) {
    const auto deadline = Clock::now() + kAnswerBound;
    while (!done && !failed_ && Clock::now() < deadline) {
        coap_io_process(context_, static_cast<std::uint32_t>(kAnswerBound.count()));
    }
    return done;
}

int LibcoapClient::on_event(coap_session_t* session, coap_event_t event) {
    auto* client = static_cast<LibcoapClient*>(coap_session_get_app_data(session));
    if (client == nullptr) {
        return 0;
    }
    if (event == COAP_EVENT_DTLS_CONNECTED) {
        client->connected_ = true;
        client->connected_at_ = Clock::now();
    } else if (event == COAP_EVENT_DTLS_ERROR || event == COAP_EVENT_DTLS_CLOSED) {
        client->failed_ = true;
    }
    return 0;
}

coap_response_t LibcoapClient::on_response(coap_session_t* session, const coap_pdu_t*,
                                           const coap_pdu_t* received, coap_mid_t) {
    auto* client = static_cast<LibcoapClient*>(coap_session_get_app_data(session));
    client->answered_ = true;
    client->content_ = coap_pdu_get_code(received) == COAP_RESPONSE_CODE_CONTENT;
    return COAP_RESPONSE_OK;
}

void LibcoapClient::exchange() {
    coap_pdu_t* request =
        coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, coap_new_message_id(session_),
                      coap_session_max_pdu_size(session_));
    if (request == nullptr) {
        throw Failure("coap_pdu_init failed");
    }
    coap_add_token(request, sizeof kToken, kToken);
    coap_add_option(request, COAP_OPTION_URI_PATH, kResource.size(),
                    reinterpret_cast<const std::uint8_t*>(kResource.data()));
    answered_ = false;
    if (coap_send(session_, request) == COAP_INVALID_MID) {
        throw Failure("coap_send failed");
    }
    if (!run_until(answered_) || !content_) {
        throw Failure(answered_ ? "libcoap: the answer was not 2.05"
                                : "libcoap: no answer within the bound");
    }
}

}  // namespace atcoap::bench
