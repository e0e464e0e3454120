#include "support/loopback.hpp"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>

namespace atcoap::test {

namespace {

using Clock = std::chrono::steady_clock;

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
    if (fd >= 0) {
        ::close(fd);
    }
    return bound;
}

/// True when `port` is free for both UDP and TCP.
bool free_for_both(std::uint16_t port) {
    return bind_and_release(SOCK_DGRAM, port) == port &&
           bind_and_release(SOCK_STREAM, port) == port;
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

}  // namespace

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

std::uint16_t free_tcp_port() {
    return bind_and_release(SOCK_STREAM, 0);
}

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
        if (port != 0 && port < 65535 && free_for_both(static_cast<std::uint16_t>(port + 1))) {
            return port;
        }
    }
    return 0;
}

Channel connect_tcp(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in address = loopback(port);
    if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        if (fd >= 0) {
            ::close(fd);
        }
        return Channel();
    }
    return Channel(fd);
}

bool accepts_tcp(std::uint16_t port, Millis bound) {
    const auto deadline = Clock::now() + bound;
    while (Clock::now() < deadline) {
        if (connect_tcp(port).fd() >= 0) {
            return true;
        }
        // Refused: the server is not listening yet. A short pause keeps the loop from spinning.
        ::poll(nullptr, 0, 20);
    }
    return false;
}

bool answers_coap_ping(std::uint16_t port, Millis bound) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const sockaddr_in server = loopback(port);
    bool answered = false;
    if (fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) == 0) {
        const auto deadline = Clock::now() + bound;
        for (std::uint8_t id = 1; !answered && Clock::now() < deadline; ++id) {
            // A refused send (nothing bound yet) shows as an error on recv; poll covers both.
            const std::array<std::uint8_t, 4> ping{0x40, 0x00, 0x7E, id};
            (void)::send(fd, ping.data(), ping.size(), 0);
            answered = rst_arrives(fd, Millis{100});
        }
    }
    if (fd >= 0) {
        ::close(fd);
    }
    return answered;
}

}  // namespace atcoap::test
