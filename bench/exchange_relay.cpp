#include "exchange_relay.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "exchange_hosts.hpp"
#include "exchange_process.hpp"
#include "exchange_server.hpp"

namespace atcoap::bench {

namespace {

constexpr std::string_view kAnswerLine = "RECV\r\n";

int connected_socket(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // An answer that never comes must end the relay, not hang the benchmark.
    const timeval bound{kAnswerBound.count() / 1000, 0};
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool write_all(std::string_view bytes) {
    return write_all_to(STDOUT_FILENO, bytes);
}

// One exchange: the datagram out, its answer in, one line to the host. The message ID is the
// only thing that changes (two bytes, RFC 7252 §3), so the server sees no duplicates.
bool relay_one(int socket, std::string& datagram, std::uint16_t& message_id) {
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
    return write_all(kAnswerLine);
}

}  // namespace

int run_relay(std::uint16_t server_port) {
    const int socket = connected_socket(server_port);
    if (socket < 0) {
        std::perror("relay: socket");
        return 1;
    }
    std::string datagram = request_datagram(1);
    std::uint16_t message_id = 1;
    char input[4096];
    for (;;) {
        const ssize_t got = ::read(STDIN_FILENO, input, sizeof input);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            ::close(socket);
            return got == 0 ? 0 : 1;
        }
        // Every line end is one exchange; what is between them is not looked at.
        const char* next = input;
        const char* end = input + got;
        while (const void* found = std::memchr(next, '\n', static_cast<std::size_t>(end - next))) {
            if (!relay_one(socket, datagram, message_id)) {
                ::close(socket);
                return 1;
            }
            next = static_cast<const char*>(found) + 1;
        }
    }
}

}  // namespace atcoap::bench
