#include "sim/simulation.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>
#include <variant>

namespace atcoap::sim {
namespace {

// A run that keeps producing events at one instant is a bug in a party, not a long test.
constexpr int kRoundLimit = 100'000;

std::optional<TimePoint> earlier(std::optional<TimePoint> a, std::optional<TimePoint> b) {
    if (a && b) {
        return std::min(*a, *b);
    }
    return a ? a : b;
}

server::Endpoint endpoint_at(std::uint16_t port) {
    return server::Endpoint{std::string(Simulation::kModemAddress), port};
}

// A datagram to the server carries both ports in its flow tag: which server it reaches even
// when the modem closed the socket while it flew.
std::uint64_t forward_flow(std::uint16_t modem_port, std::uint16_t server_port) {
    return (std::uint64_t{server_port} << 16) | modem_port;
}

Logger& or_quiet(Logger* given, Logger& quiet) {
    return given != nullptr ? *given : quiet;
}

}  // namespace

Simulation::Simulation(SimulationOptions options)
    : options_(std::move(options)),
      modem_random_(options_.seed * 3 + 1),
      server_random_(options_.seed * 3 + 2),
      link_random_(options_.seed * 3 + 3),
      dtls_random_(options_.seed * 3 + 2),
      link_(link_random_, options_.to_server, options_.to_modem),
      modem_(options_.modem, storage_, modem_random_, or_quiet(options_.modem_log, quiet_)),
      server_(server_random_, or_quiet(options_.server_log, quiet_)) {
    if (options_.dtls) {
        Logger& log = or_quiet(options_.server_log, quiet_);
        dtls_server_ = std::make_unique<server::ServerCore>(dtls_random_, log);
        dtls_ =
            std::make_unique<server::DtlsCore>(*options_.dtls, *dtls_server_, dtls_random_, log);
    }
    modem_.start(now_);
    settle();
}

Simulation::~Simulation() = default;

void Simulation::type(std::string_view bytes) {
    modem_.on_host_bytes(as_bytes(bytes), now_);
    settle();
}

void Simulation::command(std::string_view line) {
    type(std::string(line) + "\r\n");
}

std::string Simulation::take_output() {
    return std::exchange(unread_, {});
}

void Simulation::advance(Duration by) {
    advance_to(now_ + by);
}

void Simulation::advance_to(TimePoint when) {
    for (auto next = next_event(); next && *next <= when; next = next_event()) {
        step_to(*next);
    }
    now_ = std::max(now_, when);
}

bool Simulation::run_until(const std::function<bool()>& done, Duration limit) {
    const TimePoint end = now_ + limit;
    while (!done()) {
        const auto next = next_event();
        if (!next || *next > end) {
            now_ = end;
            return done();
        }
        step_to(*next);
    }
    return true;
}

bool Simulation::run_until_output(std::string_view text, Duration limit) {
    return run_until([&] { return unread_.find(text) != std::string::npos; }, limit);
}

void Simulation::step_to(TimePoint when) {
    now_ = std::max(now_, when);
    fire_deadlines();
    settle();
}

void Simulation::fire_deadlines() {
    if (const auto due = modem_.next_deadline(); due && *due <= now_) {
        modem_.on_timeout(now_);
    }
    if (const auto due = server_.next_deadline(); due && *due <= now_) {
        server_.on_timeout(now_);
    }
    if (const auto due = dtls_ ? dtls_->next_deadline() : std::nullopt; due && *due <= now_) {
        dtls_->on_timeout(now_);
    }
}

std::optional<TimePoint> Simulation::server_deadline() const {
    return earlier(server_.next_deadline(), dtls_ ? dtls_->next_deadline() : std::nullopt);
}

bool Simulation::served(std::uint16_t port) const {
    return port == options_.server_port || (dtls_ && port == options_.dtls_port);
}

std::optional<TimePoint> Simulation::next_event() const {
    return earlier(earlier(modem_.next_deadline(), server_deadline()), link_.next_arrival());
}

void Simulation::settle() {
    for (int round = 0; round < kRoundLimit; ++round) {
        // Host output first: what a call printed happened before the datagrams it queued
        // are carried anywhere.
        bool moved = drain();
        moved |= deliver_arrivals();
        if (!moved) {
            return;
        }
    }
    throw std::runtime_error("the simulation kept producing events at one instant");
}

bool Simulation::drain() {
    bool moved = collect_host_output();
    moved |= serve_modem_requests();
    moved |= collect_host_output();
    moved |= move_server_output();
    return moved;
}

bool Simulation::collect_host_output() {
    const Bytes out = modem_.take_host_output();
    if (out.empty()) {
        return false;
    }
    if (options_.keep_history) {
        output_.append(as_text(out));
    }
    unread_.append(as_text(out));
    record(Record::Kind::HostOutput, -1, out);
    return true;
}

bool Simulation::serve_modem_requests() {
    std::vector<net::Request> requests = modem_.take_network_requests();
    for (net::Request& request : requests) {
        if (const auto* open_request = std::get_if<net::OpenSocket>(&request)) {
            open(*open_request);
        } else if (auto* send = std::get_if<net::SendDatagram>(&request)) {
            const auto socket = sockets_.find(send->id.client);
            if (socket == sockets_.end() || !(socket->second.id == send->id)) {
                continue;  // a socket closed meanwhile
            }
            record(Record::Kind::ModemSent, send->id.client, send->bytes);
            if (const Socket& to = socket->second; to.server_port != 0) {
                link_.send(Direction::Forward, forward_flow(to.port, to.server_port),
                           std::move(send->bytes), now_);
            }
        } else if (const auto* close = std::get_if<net::CloseSocket>(&request)) {
            const auto socket = sockets_.find(close->id.client);
            if (socket != sockets_.end() && socket->second.id == close->id) {
                sockets_.erase(socket);
            }
        }
    }
    return !requests.empty();
}

void Simulation::open(const net::OpenSocket& request) {
    if (request.host.ends_with(".invalid")) {
        modem_.on_socket_opened(request.id, net::OpenResult::NameNotResolved, now_);
        return;
    }
    const std::uint16_t server_port = served(request.port) ? request.port : 0;
    sockets_[request.id.client] = Socket{request.id, next_port_++, server_port};
    modem_.on_socket_opened(request.id, net::OpenResult::Opened, now_);
}

bool Simulation::move_server_output() {
    std::vector<server::Datagram> out = server_.take_datagrams();
    if (dtls_) {
        std::vector<server::Datagram> secured = dtls_->take_datagrams();
        out.insert(out.end(), std::make_move_iterator(secured.begin()),
                   std::make_move_iterator(secured.end()));
    }
    for (server::Datagram& datagram : out) {
        const Socket* socket = socket_at_port(datagram.peer.port);
        record(Record::Kind::ServerSent, socket ? socket->id.client : -1, datagram.bytes);
        link_.send(Direction::Backward, datagram.peer.port, std::move(datagram.bytes), now_);
    }
    return !out.empty();
}

bool Simulation::deliver_arrivals() {
    std::vector<InFlight> arrived = link_.deliver(now_);
    for (const InFlight& datagram : arrived) {
        const auto port = static_cast<std::uint16_t>(datagram.flow & 0xFFFF);
        if (datagram.direction == Direction::Forward) {
            const auto server_port = static_cast<std::uint16_t>(datagram.flow >> 16);
            if (dtls_ && server_port == options_.dtls_port) {
                dtls_->on_datagram(endpoint_at(port), datagram.bytes, now_);
            } else {
                server_.on_datagram(endpoint_at(port), datagram.bytes, now_);
            }
        } else if (const Socket* socket = socket_at_port(port)) {
            modem_.on_datagram(socket->id, datagram.bytes, now_);
        }  // else: the socket was closed, as a real one's port would be
        drain();
    }
    return !arrived.empty();
}

const Simulation::Socket* Simulation::socket_at_port(std::uint16_t port) const {
    for (const auto& [client, socket] : sockets_) {
        if (socket.port == port) {
            return &socket;
        }
    }
    return nullptr;
}

void Simulation::record(Record::Kind kind, int client, Bytes bytes) {
    if (!options_.keep_history) {
        return;
    }
    records_.push_back(Record{kind, now_, client, std::move(bytes)});
}

}  // namespace atcoap::sim
