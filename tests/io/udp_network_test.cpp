// The core's UDP sockets on loopback: IP literals open without the resolver but still report
// from the loop, names still resolve, and the one shared receive buffer hands every datagram
// over whole, however many wait.

#include "io/udp_network.hpp"

#include <gtest/gtest.h>

#include <asio/ip/udp.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "fake_host_core.hpp"

namespace atcoap::io {
namespace {

using namespace std::chrono_literals;
using testing::CapturingLogger;

constexpr auto kBound = 5s;  // generous: every wait below ends on an event long before

struct Opened {
    net::SocketId id;
    net::OpenResult result;
};

struct Datagram {
    net::SocketId id;
    std::string text;
};

class RecordingEvents final : public NetworkEvents {
  public:
    void on_socket_opened(net::SocketId socket, net::OpenResult result) override {
        opened.push_back({socket, result});
    }
    void on_datagram(net::SocketId socket, ByteView datagram) override {
        received.push_back({socket, std::string(as_text(datagram))});
    }

    std::vector<Opened> opened;
    std::vector<Datagram> received;
};

// A CoAP server's stand-in: a UDP socket on a loopback address, driven synchronously.
class Peer {
  public:
    explicit Peer(const char* address) : socket_(context_) {
        const asio::ip::udp::endpoint local(asio::ip::make_address(address), 0);
        socket_.open(local.protocol(), error_);
        if (!error_) {
            socket_.bind(local, error_);
        }
    }
    bool ok() const { return !error_; }
    std::uint16_t port() const { return socket_.local_endpoint().port(); }
    /// A datagram already queued (loopback delivers within the sender's send) and the port it
    /// came from; nullopt when none is.
    std::optional<std::pair<std::string, std::uint16_t>> take() {
        std::error_code error;
        if (socket_.available(error) == 0 || error) {
            return std::nullopt;
        }
        std::string text(2048, '\0');
        asio::ip::udp::endpoint from;
        text.resize(socket_.receive_from(asio::buffer(text), from, 0, error));
        return std::make_pair(text, from.port());
    }
    void send_to(std::uint16_t client_port, const std::string& text) {
        const asio::ip::udp::endpoint to(socket_.local_endpoint().address(), client_port);
        socket_.send_to(asio::buffer(text), to);
    }

  private:
    asio::io_context context_;
    asio::ip::udp::socket socket_;
    std::error_code error_;
};

bool run_until(asio::io_context& context, const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + kBound;
    while (!done()) {
        if (context.run_one_until(deadline) == 0) {
            return done();
        }
    }
    return true;
}

net::Request open(int client, const std::string& host, std::uint16_t port) {
    return net::OpenSocket{net::SocketId{client, 1}, host, port};
}

TEST(UdpNetwork, OpensAnIpv4LiteralAndReportsItFromTheLoopNotFromHandle) {
    asio::io_context context;
    RecordingEvents events;
    CapturingLogger log;
    UdpNetwork network(context, events, log);
    Peer peer("127.0.0.1");
    ASSERT_TRUE(peer.ok());

    network.handle(open(0, "127.0.0.1", peer.port()));
    EXPECT_TRUE(events.opened.empty());
    ASSERT_TRUE(run_until(context, [&] { return !events.opened.empty(); }));
    EXPECT_EQ(events.opened[0].result, net::OpenResult::Opened);
    EXPECT_NE(network.local_port(0), 0);
}

// NAT rebinding (docs/FLEET.md, --rebind-every): the client's datagrams come from a new port,
// and the peer's answers to that port reach the client; the old port is gone.
TEST(UdpNetwork, RebindMovesAClientToANewLocalPortAndDatagramsStillFlow) {
    asio::io_context context;
    RecordingEvents events;
    CapturingLogger log;
    UdpNetwork network(context, events, log);
    Peer peer("127.0.0.1");
    ASSERT_TRUE(peer.ok());
    EXPECT_FALSE(network.rebind(0));  // no socket yet
    network.handle(open(0, "127.0.0.1", peer.port()));
    ASSERT_TRUE(run_until(context, [&] { return !events.opened.empty(); }));
    const std::uint16_t before = network.local_port(0);
    network.handle(net::SendDatagram{net::SocketId{0, 1}, to_bytes("before")});
    const auto first = peer.take();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->second, before);

    EXPECT_EQ(network.rebind_all(), 1u);
    const std::uint16_t after = network.local_port(0);
    EXPECT_NE(after, 0);
    EXPECT_NE(after, before);
    ASSERT_TRUE(network.ends(net::SocketId{0, 1}).has_value());
    EXPECT_EQ(network.ends(net::SocketId{0, 1})->local.port, after);
    network.handle(net::SendDatagram{net::SocketId{0, 1}, to_bytes("after")});
    const auto second = peer.take();
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->first, "after");
    EXPECT_EQ(second->second, after);
    peer.send_to(before, "to the old port");  // nobody holds it any more: lost
    peer.send_to(after, "to the new port");
    ASSERT_TRUE(run_until(context, [&] { return !events.received.empty(); }));
    ASSERT_EQ(events.received.size(), 1u);
    EXPECT_EQ(events.received[0].text, "to the new port");
}

TEST(UdpNetwork, OpensAnIpv6Literal) {
    Peer peer("::1");
    if (!peer.ok()) {
        GTEST_SKIP() << "no IPv6 loopback on this machine";
    }
    asio::io_context context;
    RecordingEvents events;
    CapturingLogger log;
    UdpNetwork network(context, events, log);

    network.handle(open(0, "::1", peer.port()));
    EXPECT_TRUE(events.opened.empty());
    ASSERT_TRUE(run_until(context, [&] { return !events.opened.empty(); }));
    EXPECT_EQ(events.opened[0].result, net::OpenResult::Opened);
    peer.send_to(network.local_port(0), "six");
    ASSERT_TRUE(run_until(context, [&] { return !events.received.empty(); }));
    EXPECT_EQ(events.received[0].text, "six");
}

TEST(UdpNetwork, StillResolvesAHostName) {
    asio::io_context context;
    RecordingEvents events;
    CapturingLogger log;
    UdpNetwork network(context, events, log);
    Peer peer("127.0.0.1");
    ASSERT_TRUE(peer.ok());

    network.handle(open(0, "localhost", peer.port()));
    ASSERT_TRUE(run_until(context, [&] { return !events.opened.empty(); }));
    EXPECT_EQ(events.opened[0].result, net::OpenResult::Opened);
}

TEST(UdpNetwork, ReportsNothingForALiteralClosedBeforeTheLoopRan) {
    asio::io_context context;
    RecordingEvents events;
    CapturingLogger log;
    UdpNetwork network(context, events, log);
    Peer peer("127.0.0.1");
    ASSERT_TRUE(peer.ok());

    network.handle(open(0, "127.0.0.1", peer.port()));
    network.handle(net::CloseSocket{net::SocketId{0, 1}});
    context.run_for(50ms);  // the posted open runs (and must do nothing) well within this
    EXPECT_TRUE(events.opened.empty());
    EXPECT_EQ(network.local_port(0), 0);
}

TEST(UdpNetwork, DeliversEveryDatagramThatWaitedBeforeTheLoopRan) {
    asio::io_context context;
    RecordingEvents events;
    CapturingLogger log;
    UdpNetwork network(context, events, log);
    Peer peer("127.0.0.1");
    ASSERT_TRUE(peer.ok());
    network.handle(open(0, "127.0.0.1", peer.port()));
    ASSERT_TRUE(run_until(context, [&] { return !events.opened.empty(); }));

    // Three datagrams queue in the socket before any wait: one readiness event for all.
    peer.send_to(network.local_port(0), "one");
    peer.send_to(network.local_port(0), "two");
    peer.send_to(network.local_port(0), "three");
    ASSERT_TRUE(run_until(context, [&] { return events.received.size() == 3; }));
    EXPECT_EQ(events.received[0].text, "one");
    EXPECT_EQ(events.received[1].text, "two");
    EXPECT_EQ(events.received[2].text, "three");
}

TEST(UdpNetwork, HandsEachSocketItsOwnDatagramsThroughTheSharedBuffer) {
    asio::io_context context;
    RecordingEvents events;
    CapturingLogger log;
    UdpNetwork network(context, events, log);
    Peer first("127.0.0.1");
    Peer second("127.0.0.1");
    ASSERT_TRUE(first.ok() && second.ok());
    network.handle(open(0, "127.0.0.1", first.port()));
    network.handle(open(1, "127.0.0.1", second.port()));
    ASSERT_TRUE(run_until(context, [&] { return events.opened.size() == 2; }));

    first.send_to(network.local_port(0), "for client zero, the longer one");
    second.send_to(network.local_port(1), "for one");
    ASSERT_TRUE(run_until(context, [&] { return events.received.size() == 2; }));
    for (const Datagram& datagram : events.received) {
        EXPECT_EQ(datagram.text,
                  datagram.id.client == 0 ? "for client zero, the longer one" : "for one");
    }
    EXPECT_NE(events.received[0].id.client, events.received[1].id.client);
}

TEST(UdpNetwork, IgnoresDatagramsFromAnyoneButTheConnectedPeer) {
    asio::io_context context;
    RecordingEvents events;
    CapturingLogger log;
    UdpNetwork network(context, events, log);
    Peer server("127.0.0.1");
    Peer stranger("127.0.0.1");
    ASSERT_TRUE(server.ok() && stranger.ok());
    network.handle(open(0, "127.0.0.1", server.port()));
    ASSERT_TRUE(run_until(context, [&] { return !events.opened.empty(); }));

    // Sent first: were it let through, it would be the first datagram read.
    stranger.send_to(network.local_port(0), "not yours");
    server.send_to(network.local_port(0), "yours");
    ASSERT_TRUE(run_until(context, [&] { return !events.received.empty(); }));
    EXPECT_EQ(events.received[0].text, "yours");
}

}  // namespace
}  // namespace atcoap::io

namespace atcoap::io {
namespace {

TEST(UdpNetwork, NetworksOfOneLoopShareOneReceiveBuffer) {
    asio::io_context context;
    RecordingEvents first_events;
    RecordingEvents second_events;
    CapturingLogger log;
    const auto buffer = UdpNetwork::make_buffer();
    UdpNetwork first(context, first_events, log, {.buffer = buffer, .source = std::nullopt});
    UdpNetwork second(context, second_events, log, {.buffer = buffer, .source = std::nullopt});
    Peer peer("127.0.0.1");
    ASSERT_TRUE(peer.ok());
    first.handle(open(0, "127.0.0.1", peer.port()));
    second.handle(open(0, "127.0.0.1", peer.port()));
    ASSERT_TRUE(run_until(
        context, [&] { return !first_events.opened.empty() && !second_events.opened.empty(); }));
    peer.send_to(first.local_port(0), "to the first, the longer one");
    peer.send_to(second.local_port(0), "second");
    ASSERT_TRUE(run_until(context, [&] {
        return !first_events.received.empty() && !second_events.received.empty();
    }));
    EXPECT_EQ(first_events.received[0].text, "to the first, the longer one");
    EXPECT_EQ(second_events.received[0].text, "second");
    EXPECT_EQ(buffer.use_count(), 3);  // here and in each network: no buffer of their own
}

TEST(UdpNetwork, BindsItsSocketsToTheSourceAddressGiven) {
    asio::io_context context;
    RecordingEvents events;
    CapturingLogger log;
    UdpNetwork network(context, events, log,
                       {.buffer = nullptr, .source = asio::ip::make_address("127.0.0.7")});
    Peer peer("127.0.0.1");
    ASSERT_TRUE(peer.ok());
    network.handle(open(0, "127.0.0.1", peer.port()));
    ASSERT_TRUE(run_until(context, [&] { return !events.opened.empty(); }));
    ASSERT_EQ(events.opened[0].result, net::OpenResult::Opened);
    const auto ends = network.ends(net::SocketId{0, 1});
    ASSERT_TRUE(ends.has_value());
    EXPECT_EQ(ends->local.address[0], 127);
    EXPECT_EQ(ends->local.address[3], 7);
}

TEST(UdpNetwork, ASourceAddressThatIsNotOursIsASocketError) {
    asio::io_context context;
    RecordingEvents events;
    CapturingLogger log;
    UdpNetwork network(context, events, log,
                       {.buffer = nullptr, .source = asio::ip::make_address("192.0.2.1")});
    Peer peer("127.0.0.1");
    ASSERT_TRUE(peer.ok());
    network.handle(open(0, "127.0.0.1", peer.port()));
    ASSERT_TRUE(run_until(context, [&] { return !events.opened.empty(); }));
    EXPECT_EQ(events.opened[0].result, net::OpenResult::SocketError);
}

}  // namespace
}  // namespace atcoap::io
