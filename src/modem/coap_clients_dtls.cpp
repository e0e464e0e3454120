// The DTLS part of the CoAP clients (docs/DIALECT.md §4): the session sits between the endpoint and
// the socket, so CoAP retransmission runs above DTLS and DTLS records below it. OPEN reports
// once the handshake ends; a session the server ends later makes sends fail with -11.

#include <fmt/format.h>

#include "modem/coap_clients.hpp"

namespace atcoap::modem {

void CoapClients::start_session(CoapClient& c, TimePoint now) {
    c.session = dtls::Session::client(*c.dtls_settings, random_, logger_, key_log_);
    c.session_loss_logged = false;
    transition(c, ClientStatus::Connecting);
    c.session->start(now);
    after_session_call(c, now);
}

void CoapClients::after_session_call(CoapClient& c, TimePoint now) {
    flush_session(c);
    if (c.status == ClientStatus::Connecting) {
        finish_handshake(c);
        return;
    }
    for (const Bytes& plaintext : c.session->take_plaintext()) {
        endpoint_of(c).on_datagram(plaintext, now);
    }
    if (c.session->state() != dtls::State::Established) {
        note_session_loss(c);
    }
    update_link(c);
    drain(c, now);
}

void CoapClients::finish_handshake(CoapClient& c) {
    switch (c.session->state()) {
        case dtls::State::Handshaking:
            return;
        case dtls::State::Established:
            logger_.log(LogLevel::Info,
                        fmt::format("client {}: DTLS 1.2 session with {}:{}, suite 0x{:04X}", c.id,
                                    c.server, c.port, c.session->cipher_suite()));
            transition(c, ClientStatus::Connected);
            return;
        case dtls::State::Closed:
        case dtls::State::Failed:
            logger_.log(LogLevel::Warn, fmt::format("client {}: DTLS handshake with {}:{} failed: "
                                                    "{}; open fails with -9",
                                                    c.id, c.server, c.port, c.session->failure()));
            fail_open(c, kResultDtlsFailed);
            return;
    }
}

void CoapClients::note_session_loss(CoapClient& c) {
    if (c.session_loss_logged) {
        return;
    }
    c.session_loss_logged = true;
    logger_.log(LogLevel::Warn, fmt::format("client {}: DTLS session ended: {}; sends fail with "
                                            "-11 until AT+QCOAPCLOSE",
                                            c.id, c.session->failure()));
}

void CoapClients::send_through_session(CoapClient& c, Bytes plaintext, TimePoint now) {
    if (c.session->state() != dtls::State::Established) {
        return;  // the endpoint already sees the link down and reports -11
    }
    if (const auto sent = c.session->send(plaintext, now); !sent) {
        logger_.log(LogLevel::Warn, fmt::format("client {}: a {}-byte message could not be sent "
                                                "over DTLS",
                                                c.id, plaintext.size()));
    }
    flush_session(c);
}

void CoapClients::say_goodbye(TimePoint now) {
    for (CoapClient& c : clients_) {
        if (c.session && c.session->state() == dtls::State::Established && link_up(c)) {
            c.session->close(now);  // close_notify (RFC 5246 §7.2.1)
            flush_session(c);
            logger_.log(LogLevel::Info, fmt::format("client {}: close_notify at exit", c.id));
        }
    }
}

void CoapClients::flush_session(CoapClient& c) {
    for (Bytes& record : c.session->take_datagrams()) {
        requests_.push_back(net::SendDatagram{c.socket, std::move(record)});
    }
}

bool CoapClients::link_up(const CoapClient& c) const {
    const bool session_up = !c.session || c.session->state() == dtls::State::Established;
    return session_up && radio_.data_path_up(c.pdp_context);
}

// Called whenever an input of link_up() changes: the radio or PDP state, the client's context,
// its status, its session's state. The endpoint then never needs to be told before use.
void CoapClients::update_link(CoapClient& c) {
    if (c.endpoint) {
        c.endpoint->set_link_up(link_up(c));
    }
}

}  // namespace atcoap::modem
