#include "io/udp_network.hpp"

#include <asio/ip/address.hpp>
#include <asio/ip/udp.hpp>
#include <asio/post.hpp>
#include <string>

namespace atcoap::io {

namespace {
// The largest UDP payload: a CoAP message never needs more, and no datagram is cut.
constexpr std::size_t kMaxDatagram = 65535;
}  // namespace

std::shared_ptr<std::uint8_t[]> UdpNetwork::make_buffer() {
    // Not value-initialized: the kernel writes only the pages a datagram needs.
    return std::make_unique_for_overwrite<std::uint8_t[]>(kMaxDatagram);
}

struct UdpNetwork::Socket {
    Socket(asio::io_context& context, net::SocketId socket_id)
        : id(socket_id), resolver(context), socket(context) {}

    net::SocketId id;
    asio::ip::udp::resolver resolver;
    asio::ip::udp::socket socket;
    bool closed = false;
    bool waiting = false;                  // a wait for a datagram is under way
    std::optional<UdpNetwork::Ends> ends;  // once connected
};

namespace {

std::optional<IpEndpoint> ip_endpoint_of(const asio::ip::udp::endpoint& end) {
    return IpEndpoint::parse(end.address().to_string(), end.port());
}

}  // namespace

void UdpNetwork::handle(net::Request request) {
    if (const auto* open_request = std::get_if<net::OpenSocket>(&request)) {
        open(*open_request);
    } else if (const auto* send_request = std::get_if<net::SendDatagram>(&request)) {
        send(*send_request);
    } else if (const auto* close_request = std::get_if<net::CloseSocket>(&request)) {
        close(close_request->id);
    }
}

void UdpNetwork::open(const net::OpenSocket& request) {
    close(sockets_.contains(request.id.client) ? sockets_[request.id.client]->id : request.id);
    auto socket = std::make_shared<Socket>(context_, request.id);
    sockets_[request.id.client] = socket;
    std::weak_ptr<Socket> weak = socket;
    std::error_code literal_error;
    const asio::ip::address address = asio::ip::make_address(request.host, literal_error);
    if (!literal_error) {
        // An IPv4 or IPv6 literal needs no resolver (no thread, no resolver code paged in). The
        // result still comes from the loop, as a resolved name's does, never inside handle().
        asio::post(context_, [this, weak, peer = asio::ip::udp::endpoint(address, request.port)] {
            if (const auto live = weak.lock(); live && !live->closed) {
                connect(live, peer);
            }
        });
        return;
    }
    resolve(socket, request.host, request.port);
}

void UdpNetwork::resolve(const std::shared_ptr<Socket>& socket, const std::string& host,
                         std::uint16_t port) {
    std::weak_ptr<Socket> weak = socket;
    socket->resolver.async_resolve(
        host, std::to_string(port),
        [this, weak, host](std::error_code error, asio::ip::udp::resolver::results_type results) {
            const auto live = weak.lock();
            if (!live || live->closed) {
                return;  // closed while resolving: AT+QCOAPCLOSE cancels the open
            }
            if (error || results.empty()) {
                log_.log(LogLevel::Warn, "cannot resolve '" + host + "': " + error.message());
                events_.on_socket_opened(live->id, net::OpenResult::NameNotResolved);
                return;
            }
            connect(live, results.begin()->endpoint());
        });
}

void UdpNetwork::connect(const std::shared_ptr<Socket>& socket,
                         const asio::ip::udp::endpoint& peer) {
    std::error_code error;
    socket->socket.open(peer.protocol(), error);
    if (!error && source_) {
        socket->socket.bind(asio::ip::udp::endpoint(*source_, 0), error);
    }
    if (!error) {
        socket->socket.connect(peer, error);
    }
    if (!error) {
        socket->socket.non_blocking(true, error);
    }
    if (error) {
        log_.log(LogLevel::Warn, "cannot open a UDP socket to " + peer.address().to_string() +
                                     ": " + error.message());
        events_.on_socket_opened(socket->id, net::OpenResult::SocketError);
        return;
    }
    if (!buffer_) {
        buffer_ = make_buffer();
    }
    const auto local = ip_endpoint_of(socket->socket.local_endpoint(error));
    const auto remote = ip_endpoint_of(peer);
    if (!error && local && remote) {
        socket->ends = Ends{*local, *remote};
    }
    log_.log(LogLevel::Info, "client " + std::to_string(socket->id.client) + ": UDP to " +
                                 peer.address().to_string() + ":" + std::to_string(peer.port()));
    receive(socket);
    events_.on_socket_opened(socket->id, net::OpenResult::Opened);
}

// Waits for a datagram, then receives it into the one buffer all sockets share: the loop runs
// one handler at a time and the core copies what it keeps, so no two receives can overlap.
// Each wait re-registers the socket with epoll, which reports a datagram already queued, so one
// receive per wakeup leaves none behind.
void UdpNetwork::receive(const std::shared_ptr<Socket>& socket) {
    if (paused_ || socket->waiting) {
        return;
    }
    socket->waiting = true;
    std::weak_ptr<Socket> weak = socket;
    socket->socket.async_wait(
        asio::ip::udp::socket::wait_read, [this, weak](std::error_code error) {
            const auto live = weak.lock();
            if (!live || live->closed || error == asio::error::operation_aborted) {
                return;
            }
            live->waiting = false;
            if (paused_) {
                return;  // the datagram stays queued in the kernel until resume_receiving()
            }
            std::size_t size = 0;
            if (!error) {
                size = live->socket.receive(asio::buffer(buffer_.get(), kMaxDatagram), 0, error);
            }
            if (error == asio::error::would_block || error == asio::error::try_again) {
                // Woken with nothing queued: wait again.
            } else if (error) {
                // A connected UDP socket reports an earlier ICMP "port unreachable" here; the CoAP
                // layer's retransmission deals with the silence.
                log_.log(LogLevel::Debug, "client " + std::to_string(live->id.client) +
                                              ": receive: " + error.message());
            } else {
                events_.on_datagram(live->id, ByteView(buffer_.get(), size));
            }
            if (!live->closed) {
                receive(live);
            }
        });
}

void UdpNetwork::send(const net::SendDatagram& request) {
    const auto socket = find(request.id);
    if (!socket || !socket->socket.is_open()) {
        log_.log(LogLevel::Warn, "client " + std::to_string(request.id.client) +
                                     ": no socket for a datagram; dropped");
        return;
    }
    std::error_code error;
    socket->socket.send(asio::buffer(request.bytes), 0, error);
    if (error) {
        log_.log(LogLevel::Warn, "client " + std::to_string(request.id.client) +
                                     ": send failed: " + error.message());
    }
}

void UdpNetwork::close(net::SocketId id) {
    const auto socket = find(id);
    if (!socket) {
        return;
    }
    socket->closed = true;
    socket->resolver.cancel();
    std::error_code ignored;
    socket->socket.close(ignored);
    sockets_.erase(id.client);
}

bool UdpNetwork::rebind(int client) {
    const auto it = sockets_.find(client);
    if (it == sockets_.end() || it->second->closed || !it->second->ends) {
        return false;
    }
    const std::shared_ptr<Socket>& socket = it->second;
    std::error_code error;
    const asio::ip::udp::endpoint peer = socket->socket.remote_endpoint(error);
    // The new socket is bound while the old one still holds its port, so the port differs.
    asio::ip::udp::socket fresh(context_);
    if (!error) {
        fresh.open(peer.protocol(), error);
    }
    if (!error && source_) {
        fresh.bind(asio::ip::udp::endpoint(*source_, 0), error);
    }
    if (!error) {
        fresh.connect(peer, error);
    }
    if (!error) {
        fresh.non_blocking(true, error);
    }
    const auto local = error ? std::nullopt : ip_endpoint_of(fresh.local_endpoint(error));
    if (error || !local) {
        log_.log(LogLevel::Warn, "client " + std::to_string(client) + ": cannot rebind: " +
                                     (error ? error.message() : "no local address"));
        return false;
    }
    std::error_code ignored;
    socket->socket.close(ignored);  // its wait ends with operation_aborted and does nothing
    socket->socket = std::move(fresh);
    socket->waiting = false;
    socket->ends->local = *local;
    receive(socket);
    return true;
}

std::size_t UdpNetwork::rebind_all() {
    std::size_t moved = 0;
    for (const auto& entry : sockets_) {
        if (rebind(entry.first)) {
            ++moved;
        }
    }
    return moved;
}

void UdpNetwork::pause_receiving() {
    paused_ = true;
}

void UdpNetwork::resume_receiving() {
    paused_ = false;
    for (const auto& [client, socket] : sockets_) {
        if (socket->socket.is_open() && !socket->closed) {
            receive(socket);
        }
    }
}

void UdpNetwork::close_all() {
    while (!sockets_.empty()) {
        close(sockets_.begin()->second->id);
    }
}

std::uint16_t UdpNetwork::local_port(int client) const {
    const auto it = sockets_.find(client);
    if (it == sockets_.end() || !it->second->socket.is_open()) {
        return 0;
    }
    std::error_code error;
    const auto local = it->second->socket.local_endpoint(error);
    return error ? 0 : local.port();
}

std::optional<UdpNetwork::Ends> UdpNetwork::ends(net::SocketId id) const {
    const auto socket = find(id);
    return socket ? socket->ends : std::nullopt;
}

std::shared_ptr<UdpNetwork::Socket> UdpNetwork::find(net::SocketId id) const {
    const auto it = sockets_.find(id.client);
    if (it == sockets_.end() || !(it->second->id == id)) {
        return nullptr;
    }
    return it->second;
}

}  // namespace atcoap::io
