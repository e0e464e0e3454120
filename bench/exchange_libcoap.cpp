#include "exchange_libcoap.hpp"

#include <arpa/inet.h>

#include <cstring>

#include "exchange_hosts.hpp"
#include "exchange_server.hpp"

namespace atcoap::bench {

namespace {

coap_bin_const_t bin(const std::string& bytes) {
    return coap_bin_const_t{bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data())};
}

}  // namespace

coap_address_t LibcoapClient::loopback(std::uint16_t port) {
    coap_address_t server;
    coap_address_init(&server);
    server.addr.sin.sin_family = AF_INET;
    server.addr.sin.sin_port = htons(port);
    server.addr.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    server.size = sizeof server.addr.sin;
    return server;
}

Result<std::unique_ptr<LibcoapClient>, std::string> LibcoapClient::make_context() {
    std::unique_ptr<LibcoapClient> client(new LibcoapClient());
    client->context_ = coap_new_context(nullptr);
    if (client->context_ == nullptr) {
        return fail(std::string("coap_new_context failed"));
    }
    coap_register_response_handler(client->context_, &LibcoapClient::on_response);
    coap_register_event_handler(client->context_, &LibcoapClient::on_event);
    return client;
}

Result<std::unique_ptr<LibcoapClient>, std::string> LibcoapClient::connect(std::uint16_t port) {
    auto made = make_context();
    if (!made) {
        return made;
    }
    std::unique_ptr<LibcoapClient> client = std::move(made).value();
    const coap_address_t server = loopback(port);
    client->session_ = coap_new_client_session(client->context_, nullptr, &server, COAP_PROTO_UDP);
    if (client->session_ == nullptr) {
        return fail(std::string("coap_new_client_session failed"));
    }
    coap_session_set_app_data(client->session_, client.get());
    return client;
}

Result<std::unique_ptr<LibcoapClient>, std::string> LibcoapClient::connect_dtls(std::uint16_t port,
                                                                                const Psk& psk) {
    auto made = make_context();
    if (!made) {
        return made;
    }
    std::unique_ptr<LibcoapClient> client = std::move(made).value();
    const coap_address_t server = loopback(port);
    coap_dtls_cpsk_t setup;
    std::memset(&setup, 0, sizeof setup);
    setup.version = COAP_DTLS_CPSK_SETUP_VERSION;
    setup.psk_info.identity = bin(psk.identity);  // libcoap copies both into the session
    setup.psk_info.key = bin(psk.key);
    // The handshake starts inside this call (the ClientHello leaves at once), so the clock does.
    const auto started = std::chrono::steady_clock::now();
    client->session_ =
        coap_new_client_session_psk2(client->context_, nullptr, &server, COAP_PROTO_DTLS, &setup);
    if (client->session_ == nullptr) {
        return fail(std::string("coap_new_client_session_psk2 failed"));
    }
    coap_session_set_app_data(client->session_, client.get());
    if (auto done = client->await_handshake(started); !done) {
        return fail(done.error());
    }
    return client;
}

Status<std::string> LibcoapClient::await_handshake(std::chrono::steady_clock::time_point started) {
    const auto deadline = Clock::now() + kAnswerBound;
    while (!connected_ && !failed_ && Clock::now() < deadline) {
        coap_io_process(context_, static_cast<std::uint32_t>(kAnswerBound.count()));
    }
    if (!connected_) {
        return fail(std::string(failed_ ? "libcoap: the DTLS handshake failed"
                                        : "libcoap: no DTLS handshake within the bound"));
    }
    handshake_time_ = connected_at_ - started;
    return Done{};
}

LibcoapClient::~LibcoapClient() {
    if (session_ != nullptr) {
        coap_session_release(session_);
    }
    if (context_ != nullptr) {
        coap_free_context(context_);
    }
}

int LibcoapClient::on_event(coap_session_t* session, coap_event_t event) {
    auto* client = static_cast<LibcoapClient*>(coap_session_get_app_data(session));
    if (client == nullptr) {
        return 0;
    }
    if (event == COAP_EVENT_DTLS_CONNECTED) {
        client->connected_ = true;
        client->connected_at_ = std::chrono::steady_clock::now();
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

Status<std::string> LibcoapClient::exchange() {
    coap_pdu_t* request =
        coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, coap_new_message_id(session_),
                      coap_session_max_pdu_size(session_));
    if (request == nullptr) {
        return fail(std::string("coap_pdu_init failed"));
    }
    const std::string_view path = kResource;
    coap_add_token(request, sizeof kToken, kToken);
    coap_add_option(request, COAP_OPTION_URI_PATH, path.size(),
                    reinterpret_cast<const std::uint8_t*>(path.data()));
    answered_ = false;
    if (coap_send(session_, request) == COAP_INVALID_MID) {
        return fail(std::string("coap_send failed"));
    }
    const auto deadline = Clock::now() + kAnswerBound;
    while (!answered_ && Clock::now() < deadline) {
        coap_io_process(context_, static_cast<std::uint32_t>(kAnswerBound.count()));
    }
    if (!answered_ || !content_) {
        return fail(std::string(answered_ ? "libcoap: the answer was not 2.05"
                                          : "libcoap: no answer within the bound"));
    }
    return Done{};
}

}  // namespace atcoap::bench
