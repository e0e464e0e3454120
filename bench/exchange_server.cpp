#include "exchange_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>
#include <string_view>
#include <thread>

namespace atcoap::bench {

namespace {

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

// One UDP socket, closed when it goes out of scope.
class UdpSocket {
  public:
    UdpSocket() : fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {}
    ~UdpSocket() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    UdpSocket(const UdpSocket&) = delete;
    UdpSocket& operator=(const UdpSocket&) = delete;
    int fd() const { return fd_; }

  private:
    int fd_;
};

bool connect_to(int fd, std::uint16_t port) {
    const sockaddr_in address = loopback(port);
    return ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
}

// True once the server answers a request with an ACK of the same message ID (RFC 7252 §4.2).
// Until the server has bound its port, each probe comes back at once as ICMP "port
// unreachable"; the loop then paces itself, and gives up after a few seconds.
bool answers(std::uint16_t port) {
    UdpSocket socket;
    if (socket.fd() < 0 || !connect_to(socket.fd(), port)) {
        return false;
    }
    constexpr std::uint16_t kProbeId = 0xBEEF;
    const std::string request = request_datagram(kProbeId);
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < deadline) {
        (void)::send(socket.fd(), request.data(), request.size(), 0);
        pollfd poll_fd{socket.fd(), POLLIN, 0};
        std::uint8_t answer[1500];
        const ssize_t got =
            ::poll(&poll_fd, 1, 100) == 1 ? ::recv(socket.fd(), answer, sizeof answer, 0) : 0;
        if (got >= 4 && (answer[0] & 0x30) == 0x20 && answer[2] == 0xBE && answer[3] == 0xEF) {
            return true;
        }
        if (got < 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));  // refused: not bound yet
        }
    }
    return false;
}

}  // namespace

std::string request_datagram(std::uint16_t message_id) {
    std::string bytes;
    bytes.push_back(static_cast<char>(0x40 | sizeof kToken));  // Ver 1, T CON (0), TKL
    bytes.push_back(0x01);                                     // Code 0.01 GET
    bytes.push_back(static_cast<char>(message_id >> 8));
    bytes.push_back(static_cast<char>(message_id & 0xFF));
    for (const std::uint8_t byte : kToken) {
        bytes.push_back(static_cast<char>(byte));
    }
    const std::string_view path = kResource;
    // Uri-Path is option 11: delta 11 from 0, length 4 (both fit in the first byte).
    bytes.push_back(static_cast<char>((11 << 4) | path.size()));
    bytes.append(path);
    return bytes;
}

namespace {

// Binds `socket` to 127.0.0.1:`port` (0: any free port) and returns the port it got.
std::optional<std::uint16_t> bind_loopback(const UdpSocket& socket, std::uint16_t port) {
    sockaddr_in address = loopback(port);
    if (socket.fd() < 0 ||
        ::bind(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        return std::nullopt;
    }
    socklen_t length = sizeof address;
    if (::getsockname(socket.fd(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        return std::nullopt;
    }
    return std::uint16_t{ntohs(address.sin_port)};
}

}  // namespace

Result<std::uint16_t, std::string> free_udp_port() {
    for (int attempt = 0; attempt < 50; ++attempt) {
        UdpSocket first;
        const auto port = bind_loopback(first, 0);
        if (!port) {
            return fail(std::string("binding a UDP socket: ") + std::strerror(errno));
        }
        UdpSocket next;
        if (*port < 65535 && bind_loopback(next, static_cast<std::uint16_t>(*port + 1))) {
            return *port;
        }
    }
    return fail(std::string("no two free UDP ports in a row on 127.0.0.1"));
}

Result<CoapServer, std::string> CoapServer::start(const std::string& program,
                                                  const std::vector<std::string>& extra) {
    auto port = free_udp_port();
    if (!port) {
        return fail(port.error());
    }
    std::vector<std::string> argv = {program, "-A", "127.0.0.1", "-p", std::to_string(*port)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto child = Child::start(argv, Child::Stderr::Discard);
    if (!child) {
        return fail(child.error());
    }
    CoapServer server(std::move(child).value(), *port);
    if (!answers(*port)) {
        server.stop();
        return fail(program + " did not answer on 127.0.0.1:" + std::to_string(*port));
    }
    return server;
}

void CoapServer::stop() {
    if (child_) {
        child_->stop(SIGTERM, std::chrono::milliseconds(2000));
        child_.reset();
    }
}

}  // namespace atcoap::bench
