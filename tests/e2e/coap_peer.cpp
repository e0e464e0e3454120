#include "coap_peer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <filesystem>

#include "e2e_support.hpp"

namespace atcoap::e2e {
namespace {

/// Binds a socket of `type` to 127.0.0.1:`port` (0: any) and returns the port it got, or 0.
std::uint16_t bind_and_release(int type, std::uint16_t port) {
    const int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
    sockaddr_in address = loopback(port);
    socklen_t length = sizeof address;
    std::uint16_t bound = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
        bound = ntohs(address.sin_port);
    }
    ::close(fd);
    return bound;
}

/// Waits up to `wait` for an RST on `fd`; any other datagram is skipped.
bool rst_arrives(int fd, Millis wait) {
    pollfd ready{fd, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(wait.count())) != 1) {
        return false;
    }
    std::array<std::uint8_t, 64> reply{};
    const ssize_t got = ::recv(fd, reply.data(), reply.size(), 0);
    // Version 1, type 3 (RST): the top four bits of the first byte are 0111.
    return got >= 4 && (reply[0] & 0xF0U) == 0x70U;
}

/// Tries to connect to 127.0.0.1:`port` over TCP until it works; false when `bound` passes.
/// libcoap's servers open their UDP endpoint before the TCP one, and a TCP connection that
/// sends nothing does not count against their `-l` loss list, as a ping's RST would.
bool accepts_tcp(std::uint16_t port, Millis bound) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (std::chrono::steady_clock::now() < deadline) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const sockaddr_in server = loopback(port);
        const bool connected =
            ::connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) == 0;
        ::close(fd);
        if (connected) {
            return true;
        }
        // Refused: the server is not listening yet. A short pause keeps the loop from spinning.
        ::poll(nullptr, 0, 20);
    }
    return false;
}

using Readiness = bool (*)(std::uint16_t port, Millis bound);

CoapPeer start_peer(const std::string& program, const std::vector<std::string>& arguments,
                    std::uint16_t port, Readiness ready, std::string& error) {
    CoapPeer peer;
    peer.port = port;
    peer.process = ChildProcess::start(program, arguments, error);
    if (peer.process != nullptr && !ready(port, Millis{10'000})) {
        error = program + " did not start serving on port " + std::to_string(port) +
                "; stderr: " + peer.process->err().unread();
        peer.process.reset();
    }
    return peer;
}

}  // namespace

std::uint16_t free_udp_port() {
    for (int attempt = 0; attempt < 20; ++attempt) {
        const std::uint16_t port = bind_and_release(SOCK_DGRAM, 0);
        if (port != 0 && bind_and_release(SOCK_STREAM, port) == port) {
            return port;
        }
    }
    return 0;
}

std::uint16_t free_udp_port_pair() {
    for (int attempt = 0; attempt < 50; ++attempt) {
        const std::uint16_t port = free_udp_port();
        if (port != 0 && port < 65535 &&
            bind_and_release(SOCK_DGRAM, static_cast<std::uint16_t>(port + 1)) == port + 1 &&
            bind_and_release(SOCK_STREAM, static_cast<std::uint16_t>(port + 1)) == port + 1) {
            return port;
        }
    }
    return 0;
}

bool answers_coap_ping(std::uint16_t port, Millis bound) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const sockaddr_in server = loopback(port);
    bool answered = false;
    if (fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) == 0) {
        const auto deadline = std::chrono::steady_clock::now() + bound;
        for (std::uint8_t id = 1; !answered && std::chrono::steady_clock::now() < deadline; ++id) {
            // A refused send (nothing bound yet) shows as an error on recv; poll covers both.
            const std::array<std::uint8_t, 4> ping{0x40, 0x00, 0x7E, id};
            (void)::send(fd, ping.data(), ping.size(), 0);
            answered = rst_arrives(fd, Millis{100});
        }
    }
    ::close(fd);
    return answered;
}

CoapPeer start_libcoap_server(const std::vector<std::string>& arguments, std::string& error,
                              const std::string& flavour) {
    const std::string program = "/usr/bin/coap-server-" + flavour;
    if (!std::filesystem::exists(program)) {
        error = program + " is missing: install libcoap3-bin";
        return {};
    }
    const std::uint16_t port = flavour == "notls" ? free_udp_port() : free_udp_port_pair();
    std::vector<std::string> all{"-A", "127.0.0.1", "-p", std::to_string(port)};
    all.insert(all.end(), arguments.begin(), arguments.end());
    // Its UDP endpoints (plain, then DTLS) are opened before its TCP ones.
    return start_peer(program, all, port, accepts_tcp, error);
}

CoapPeer start_atcoap_server(const std::vector<std::string>& arguments, std::string& error) {
    const std::uint16_t port = free_udp_port();
    std::vector<std::string> all{"server", "--listen", "127.0.0.1:" + std::to_string(port)};
    all.insert(all.end(), arguments.begin(), arguments.end());
    return start_peer(ATCOAP_BINARY, all, port, answers_coap_ping, error);
}

}  // namespace atcoap::e2e
