#include "modem/coap_clients.hpp"

#include <fmt/format.h>

#include <utility>

#include "modem/coap_format.hpp"

namespace atcoap::modem {

namespace {

constexpr std::size_t kRandomTokenLength = 6;  // as in the note's example (docs/DIALECT.md §3)

int open_result_code(net::OpenResult result) {
    switch (result) {
        case net::OpenResult::Opened:
            return kResultOk;
        case net::OpenResult::NameNotResolved:
            return kResultDnsError;
        case net::OpenResult::SocketError:
            return kResultSocketError;
    }
    return kResultSocketError;
}

std::string_view text_of(const fmt::memory_buffer& buffer) {
    return {buffer.data(), buffer.size()};
}

}  // namespace

CoapClients::CoapClients(Random& random, Logger& logger, at::Responder& responder,
                         const RadioState& radio, const Observers& observer, dtls::KeyLog* key_log)
    : random_(random),
      logger_(logger),
      responder_(responder),
      radio_(radio),
      observers_(observer),
      key_log_(key_log) {
    for (int id = 0; id < kClientCount; ++id) {
        CoapClient& c = client(id);
        c.id = id;
        c.header.next_message_id = static_cast<std::uint16_t>(random_.uniform(0, 0xFFFF));
    }
}

coap::ClientEndpoint& CoapClients::endpoint_of(CoapClient& c) {
    if (!c.endpoint) {
        // Until its first use an endpoint would hear only resets, settings and link changes;
        // open() resets and configures it and update_link() gives it the link, so one made
        // now behaves as one made at construction.
        c.endpoint = std::make_unique<coap::ClientEndpoint>(random_, logger_,
                                                            fmt::format("client {}", c.id));
        c.tap = std::make_unique<MessageTap>(c.id, logger_, observers_);
        c.endpoint->set_watcher(c.tap.get());
        update_link(c);
    }
    return *c.endpoint;
}

void CoapClients::open(int id, std::string server, std::uint16_t port,
                       std::optional<dtls::ClientSettings> dtls) {
    CoapClient& c = client(id);
    c.dtls_settings = std::move(dtls);
    c.server = std::move(server);
    c.port = port;
    c.socket = net::SocketId{id, next_generation_++};
    endpoint_of(c).reset();
    c.endpoint->configure(c.transmission);
    transition(c, ClientStatus::Opening);
    requests_.push_back(net::OpenSocket{c.socket, c.server, c.port});
}

void CoapClients::close(int id, TimePoint now) {
    CoapClient& c = client(id);
    // docs/DIALECT.md §3: closing forgets pending exchanges silently and clears header and options;
    // a close during resolution or a handshake cancels it, so no +QCOAPOPEN comes.
    if (c.session && c.session->state() == dtls::State::Established) {
        c.session->close(now);  // close_notify (RFC 5246 §7.2.1), sent before the socket goes
        flush_session(c);
    }
    c.session.reset();
    c.dtls_settings.reset();
    requests_.push_back(net::CloseSocket{c.socket});
    c.socket = {};
    if (c.endpoint) {
        c.endpoint->reset();
    }
    c.header = HeaderConfig{};
    c.header.next_message_id = static_cast<std::uint16_t>(random_.uniform(0, 0xFFFF));
    c.options = {};
    transition(c, ClientStatus::Idle);
}

std::uint16_t CoapClients::take_message_id(int id) {
    HeaderConfig& header = client(id).header;
    return header.next_message_id++;  // wraps modulo 65536 (docs/DIALECT.md §3)
}

coap::Token CoapClients::make_token(int id) {
    const HeaderConfig& header = client(id).header;
    if (!header.random_token) {
        return header.token;
    }
    std::array<std::uint8_t, kRandomTokenLength> bytes{};
    random_.fill(bytes);
    return coap::Token(ByteView(bytes));
}

Status<coap::EncodeError> CoapClients::send(int id, const coap::Message& message, TimePoint now) {
    CoapClient& c = client(id);
    auto sent = endpoint_of(c).send(message, now);
    drain(c, now);
    return sent;
}

void CoapClients::set_pdp_context(int id, int context_id) {
    CoapClient& c = client(id);
    c.pdp_context = context_id;
    update_link(c);
}

void CoapClients::on_data_path_change() {
    for (CoapClient& c : clients_) {
        update_link(c);
    }
}

void CoapClients::restart() {
    for (CoapClient& c : clients_) {
        if (c.status != ClientStatus::Idle) {
            // A module that restarts says nothing to its peers or its host: the socket goes.
            requests_.push_back(net::CloseSocket{c.socket});
            observers_.state(ClientStatusChange{c.id, c.status, ClientStatus::Idle});
            logger_.log(LogLevel::Info, fmt::format("client {}: dropped by the restart", c.id));
        }
        c.status = ClientStatus::Idle;
        c.session.reset();
        c.dtls_settings.reset();
        c.session_loss_logged = false;
        c.socket = {};
        if (c.endpoint) {
            c.endpoint->reset();
        }
        c.server.clear();
        c.port = 0;
        c.pdp_context = 1;
        c.dtls = false;
        c.dtls_context = 0;
        c.transmission = {};
        c.header = HeaderConfig{};
        c.header.next_message_id = static_cast<std::uint16_t>(random_.uniform(0, 0xFFFF));
        c.options = {};
        update_link(c);
    }
}

// The one place a client's status changes (AT+QCOAPOPEN?'s <status>, the note's §3.3.2). The
// URCs the note ties to a change (§3.4): reaching Connected ends an OPEN with +QCOAPOPEN 0;
// falling back to Idle with a failure code ends it with that code; falling back to Idle
// otherwise is AT+QCOAPCLOSE, +QCOAPCLOSE 0 (an OPEN it cancels reports nothing, docs/DIALECT.md
// §3).
void CoapClients::transition(CoapClient& c, ClientStatus to, int open_result) {
    if (logger_.enabled(LogLevel::Debug)) {
        logger_.log(LogLevel::Debug, fmt::format("client {}: status {} -> {}", c.id,
                                                 static_cast<int>(c.status), static_cast<int>(to)));
    }
    observers_.state(ClientStatusChange{c.id, c.status, to});
    c.status = to;
    update_link(c);
    if (to == ClientStatus::Connected) {
        responder_.urc(fmt::format("+QCOAPOPEN: {},{}", c.id, kResultOk));
    } else if (to == ClientStatus::Idle && open_result != kResultOk) {
        responder_.urc(fmt::format("+QCOAPOPEN: {},{}", c.id, open_result));
    } else if (to == ClientStatus::Idle) {
        responder_.urc(fmt::format("+QCOAPCLOSE: {},0", c.id));
    }
}

void CoapClients::on_socket_opened(net::SocketId socket, net::OpenResult result, TimePoint now) {
    CoapClient* c = find(socket);
    if (c == nullptr || c->status != ClientStatus::Opening) {
        return;  // closed meanwhile: its result is stale
    }
    const int code = open_result_code(result);
    if (code != kResultOk) {
        logger_.log(LogLevel::Warn, fmt::format("client {}: open {}:{} failed with {}", c->id,
                                                c->server, c->port, code));
        fail_open(*c, code);
    } else if (c->dtls_settings) {
        start_session(*c, now);
    } else {
        transition(*c, ClientStatus::Connected);
    }
}

void CoapClients::fail_open(CoapClient& c, int code) {
    c.session.reset();
    requests_.push_back(net::CloseSocket{c.socket});
    c.socket = {};
    transition(c, ClientStatus::Idle, code);
}

void CoapClients::on_datagram(net::SocketId socket, ByteView datagram, TimePoint now) {
    CoapClient* c = find(socket);
    if (c == nullptr || c->status == ClientStatus::Opening || c->status == ClientStatus::Idle) {
        return;
    }
    if (c->session) {
        c->session->on_datagram(datagram, now);
        after_session_call(*c, now);
        return;
    }
    endpoint_of(*c).on_datagram(datagram, now);
    drain(*c, now);
}

void CoapClients::on_timeout(TimePoint now) {
    for (CoapClient& c : clients_) {
        const auto session_deadline = c.session ? c.session->next_deadline() : std::nullopt;
        if (session_deadline && *session_deadline <= now) {
            c.session->on_timeout(now);
            after_session_call(c, now);
        }
        const auto deadline = c.endpoint ? c.endpoint->next_deadline() : std::nullopt;
        if (deadline && *deadline <= now) {
            c.endpoint->on_timeout(now);
            drain(c, now);
        }
    }
}

std::optional<TimePoint> CoapClients::next_deadline() const {
    std::optional<TimePoint> earliest;
    const auto consider = [&earliest](std::optional<TimePoint> deadline) {
        if (deadline && (!earliest || *deadline < *earliest)) {
            earliest = deadline;
        }
    };
    for (const CoapClient& c : clients_) {
        if (c.endpoint) {
            consider(c.endpoint->next_deadline());
        }
        if (c.session) {
            consider(c.session->next_deadline());
        }
    }
    return earliest;
}

std::vector<net::Request> CoapClients::take_requests() {
    std::vector<net::Request> taken;
    taken.swap(requests_);
    return taken;
}

bool CoapClients::busy() const {
    for (const CoapClient& c : clients_) {
        if (c.status == ClientStatus::Opening || c.status == ClientStatus::Connecting ||
            (c.endpoint && c.endpoint->outstanding() > 0)) {
            return true;
        }
    }
    return false;
}

void CoapClients::drain(CoapClient& c, TimePoint now) {
    // Local holders, swapped with the members: a nested drain() (from a DTLS session call)
    // then takes fresh vectors instead of the ones being walked here.
    std::vector<Bytes> datagrams = std::exchange(datagrams_, {});
    coap::ClientEndpoint& from = endpoint_of(c);
    from.take_datagrams(datagrams);
    for (Bytes& datagram : datagrams) {
        if (c.session) {
            send_through_session(c, std::move(datagram), now);
        } else {
            requests_.push_back(net::SendDatagram{c.socket, std::move(datagram)});
        }
    }
    std::vector<coap::ClientEvent> events = std::exchange(events_, {});
    from.take_events(events);
    for (const coap::ClientEvent& event : events) {
        report(c, event);
    }
    datagrams_ = std::move(datagrams);
    events_ = std::move(events);
}

void CoapClients::report(const CoapClient& c, const coap::ClientEvent& event) {
    urc_line_.clear();
    const auto to = fmt::appender(urc_line_);
    if (const auto* delivered = std::get_if<coap::Delivered>(&event)) {
        fmt::format_to(to, "+QCOAPACK: {},{},{},{}", c.id, static_cast<int>(delivered->type),
                       delivered->message_id, delivered->ok ? kResultOk : kResultSendFailed);
        responder_.urc(text_of(urc_line_));
    } else if (const auto* retry = std::get_if<coap::Retransmitted>(&event)) {
        fmt::format_to(to, "+QCOAPIND: {},0,{},{},{}", c.id, retry->message_id, retry->retry_times,
                       retry->sent ? kResultOk : kResultSendFailed);
        responder_.urc(text_of(urc_line_));
    } else if (const auto* received = std::get_if<coap::Received>(&event)) {
        append_recv_line(urc_line_, c.id, received->message);
        responder_.urc_with_payload(text_of(urc_line_), received->message.payload);
    }
}

CoapClient* CoapClients::find(net::SocketId socket) {
    if (socket.client < 0 || socket.client >= kClientCount) {
        return nullptr;
    }
    CoapClient& c = client(socket.client);
    return c.socket == socket ? &c : nullptr;
}

}  // namespace atcoap::modem
