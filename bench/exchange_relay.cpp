// The floor under atcoap's exchange rate: a relay with no parsing and no CoAP logic. Each line
// from the host becomes one prebuilt datagram on a connected UDP socket, and each answer becomes
// one line back, over the same pipes and socket calls atcoap uses. What atcoap adds above this
// is the cost of being a modem.

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "exchange.hpp"
#include "support/loopback.hpp"

namespace atcoap::bench {

namespace {

constexpr std::string_view kAnswerLine = "RECV\r\n";

/// CON GET /time with message ID 1 and kToken, written byte by byte from RFC 7252 §3.
std::string request_datagram() {
    // Ver 1, CON, TKL; GET; the message ID, which relay_one() sets.
    std::string bytes{static_cast<char>(0x40 | sizeof kToken), 0x01, 0x00, 0x00};
    bytes.append(reinterpret_cast<const char*>(kToken), sizeof kToken);
    // Uri-Path is option 11: delta 11 from 0 and the length 4 both fit in the first byte.
    bytes.push_back(static_cast<char>((11 << 4) | kResource.size()));
    bytes.append(kResource);
    return bytes;
}

int connected_socket(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const sockaddr_in address = test::loopback(port);
    // An answer that never comes must end the relay, not hang the benchmark.
    const timeval bound{kAnswerBound.count() / 1000, 0};
    if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound) != 0) {
        return -1;
    }
    return fd;
}

/// One exchange: the datagram out, its answer in, one line to the host. The message ID is the
/// only thing that changes (two bytes, RFC 7252 §3), so the server sees no duplicates.
bool relay_one(int socket, std::string& datagram, std::uint16_t& message_id, test::Channel& host) {
    datagram[2] = static_cast<char>(message_id >> 8);
    datagram[3] = static_cast<char>(message_id & 0xFF);
    ++message_id;
    if (::send(socket, datagram.data(), datagram.size(), 0) < 0) {
        std::perror("relay: send");
        return false;
    }
    char answer[1500];
    ssize_t got = -1;
    do {
        got = ::recv(socket, answer, sizeof answer, 0);
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
        std::perror("relay: recv");
        return false;
    }
    return host.write_all(kAnswerLine, kAnswerBound);
}

}  // namespace

int run_relay(std::uint16_t server_port) {
    const int socket = connected_socket(server_port);
    if (socket < 0) {
        std::perror("relay: socket");
        return 1;
    }
    std::string datagram = request_datagram();
    std::uint16_t message_id = 1;
    test::Channel host(STDOUT_FILENO);
    char input[4096];
    for (;;) {
        const ssize_t got = ::read(STDIN_FILENO, input, sizeof input);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            return got == 0 ? 0 : 1;
        }
        // Every line end is one exchange; what is between them is not looked at.
        const char* next = input;
        const char* end = input + got;
        while (const void* found = std::memchr(next, '\n', static_cast<std::size_t>(end - next))) {
            if (!relay_one(socket, datagram, message_id, host)) {
                return 1;
            }
            next = static_cast<const char*>(found) + 1;
        }
    }
}

}  // namespace atcoap::bench
