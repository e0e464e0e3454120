// The Asio transport on 127.0.0.1: one real datagram exchange, bounded in time; and the
// listen-address parser.

#include "server/udp_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "coap/codec.hpp"
#include "server_harness.hpp"
#include "support/loopback.hpp"

namespace atcoap::server {
namespace {

/// A plain blocking UDP socket on 127.0.0.1 whose receive gives up after `bound`.
class PlainSocket {
  public:
    explicit PlainSocket(std::chrono::milliseconds bound) : fd_(::socket(AF_INET, SOCK_DGRAM, 0)) {
        timeval tv{};
        tv.tv_sec = static_cast<time_t>(bound.count() / 1000);
        tv.tv_usec = static_cast<suseconds_t>(bound.count() % 1000 * 1000);
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~PlainSocket() { ::close(fd_); }
    PlainSocket(const PlainSocket&) = delete;
    PlainSocket& operator=(const PlainSocket&) = delete;

    bool send_to(std::uint16_t port, const Bytes& bytes) {
        const sockaddr_in to = test::loopback(port);
        return ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&to),
                        sizeof to) == static_cast<ssize_t>(bytes.size());
    }

    /// The next datagram, or nothing once the bound passed.
    Bytes receive() {
        Bytes buffer(2048);
        const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
        buffer.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
        return buffer;
    }

  private:
    int fd_;
};

TEST(UdpServer, AnswersAGetOnALoopbackSocketWithTheBanner) {
    SeededRandom random(3);
    testing::CapturingLogger log;
    ServerCore core(random, log);
    asio::io_context context;
    UdpServer server(context, core, log);
    ASSERT_TRUE(server.open(HostPort{"127.0.0.1", 0}).ok());
    const Endpoint local = server.local_endpoint();
    EXPECT_EQ(local.address, "127.0.0.1");
    ASSERT_NE(local.port, 0);
    std::thread loop([&] { context.run(); });

    PlainSocket socket(std::chrono::milliseconds(5000));
    const auto get = coap::encode(
        coap::Message{coap::Type::Con, coap::codes::kGet, 0x2222, coap::Token{0x01}, {}, {}});
    ASSERT_TRUE(get.ok());
    ASSERT_TRUE(socket.send_to(local.port, *get));
    const Bytes reply = socket.receive();

    asio::post(context, [&] { server.close(); });
    loop.join();  // the loop runs out of work once the socket is closed
    auto decoded = coap::decode(reply);
    ASSERT_TRUE(decoded.ok()) << "no reply within the bound";
    EXPECT_EQ(decoded->type, coap::Type::Ack);
    EXPECT_EQ(decoded->message_id, 0x2222);
    EXPECT_EQ(decoded->code, coap::codes::kContent);
    EXPECT_EQ(testing::text_of(*decoded), "atcoap test server");
}

TEST(UdpServer, ReportsWhyItCannotListenOnAPortInUse) {
    SeededRandom random(3);
    testing::CapturingLogger log;
    ServerCore core(random, log);
    asio::io_context context;
    UdpServer first(context, core, log);
    ASSERT_TRUE(first.open(HostPort{"127.0.0.1", 0}).ok());
    UdpServer second(context, core, log);
    const std::uint16_t port = first.local_endpoint().port;
    const auto opened = second.open(HostPort{"127.0.0.1", port});
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error(), "cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
                                  std::make_error_code(std::errc::address_in_use).message());
}

TEST(RunServer, RefusesALossOutsideZeroToOne) {
    EXPECT_EQ(run_server(ServerOptions{"127.0.0.1:0", 1.5, std::nullopt}), 2);
    EXPECT_EQ(run_server(ServerOptions{"127.0.0.1:0", -0.1, std::nullopt}), 2);
}

}  // namespace
}  // namespace atcoap::server
