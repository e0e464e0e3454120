// Free loopback ports, TCP connections and the readiness probes.

#include "support/loopback.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <thread>

namespace atcoap::test {
namespace {

/// A socket of `type` bound to 127.0.0.1:`port`, closed on destruction.
struct Bound {
    Bound(int type, std::uint16_t port) : fd(::socket(AF_INET, type | SOCK_CLOEXEC, 0)) {
        const sockaddr_in address = loopback(port);
        ok = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    }
    ~Bound() { ::close(fd); }
    Bound(const Bound&) = delete;
    Bound& operator=(const Bound&) = delete;
    int fd;
    bool ok = false;
};

TEST(Loopback, AFreeUdpPortCanBeBoundForUdpAndTcp) {
    const std::uint16_t port = free_udp_port();
    ASSERT_NE(port, 0);
    const Bound udp(SOCK_DGRAM, port);
    const Bound tcp(SOCK_STREAM, port);
    EXPECT_TRUE(udp.ok);
    EXPECT_TRUE(tcp.ok);
}

TEST(Loopback, APortPairLeavesTheNextPortFreeToo) {
    const std::uint16_t port = free_udp_port_pair();
    ASSERT_NE(port, 0);
    const Bound plain(SOCK_DGRAM, port);
    const Bound next(SOCK_DGRAM, static_cast<std::uint16_t>(port + 1));
    EXPECT_TRUE(plain.ok);
    EXPECT_TRUE(next.ok);
}

TEST(Loopback, ConnectsOverTcpOnlyToAListeningPort) {
    const std::uint16_t port = free_tcp_port();
    ASSERT_NE(port, 0);
    EXPECT_LT(connect_tcp(port).fd(), 0);
    EXPECT_FALSE(accepts_tcp(port, Millis{50}));

    const Bound server(SOCK_STREAM, port);
    ASSERT_TRUE(server.ok);
    ASSERT_EQ(::listen(server.fd, 1), 0);
    EXPECT_TRUE(accepts_tcp(port, Millis{5000}));
    Channel probe(::accept(server.fd, nullptr, nullptr));
    EXPECT_TRUE(probe.wait_for_end(Millis{5000}));  // the probe sends nothing and hangs up
    EXPECT_EQ(probe.unread(), "");

    Channel client = connect_tcp(port);
    ASSERT_GE(client.fd(), 0);
    Channel peer(::accept(server.fd, nullptr, nullptr));
    ASSERT_GE(peer.fd(), 0);
    ASSERT_TRUE(client.write_all("ping", Millis{5000}));
    EXPECT_TRUE(peer.wait_for("ping", Millis{5000}));
}

TEST(Loopback, APingCountsAsAnsweredOnlyByAnRst) {
    const std::uint16_t port = free_udp_port();
    ASSERT_NE(port, 0);
    EXPECT_FALSE(answers_coap_ping(port, Millis{50}));  // nothing bound: refused

    // A server that answers the first ping with an ACK, which is no answer to a ping, and the
    // second with the RST that is (RFC 7252 §4.3).
    const Bound server(SOCK_DGRAM, port);
    ASSERT_TRUE(server.ok);
    std::thread peer([fd = server.fd] {
        for (const std::uint8_t type : {std::uint8_t{0x60}, std::uint8_t{0x70}}) {
            std::array<std::uint8_t, 16> ping{};
            sockaddr_in from{};
            socklen_t length = sizeof from;
            pollfd ready{fd, POLLIN, 0};
            if (::poll(&ready, 1, 5000) != 1 ||
                ::recvfrom(fd, ping.data(), ping.size(), 0, reinterpret_cast<sockaddr*>(&from),
                           &length) != 4) {
                return;
            }
            const std::array<std::uint8_t, 4> answer{type, 0x00, ping[2], ping[3]};
            ::sendto(fd, answer.data(), answer.size(), 0, reinterpret_cast<sockaddr*>(&from),
                     length);
        }
    });
    EXPECT_TRUE(answers_coap_ping(port, Millis{5000}));
    peer.join();
}

}  // namespace
}  // namespace atcoap::test
