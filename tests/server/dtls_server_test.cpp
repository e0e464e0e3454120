// The DTLS listener on 127.0.0.1 with real sockets: client sessions over loopback UDP, driven
// in the same io_context as the server; every wait ends by an event or by a bound.

#include "server/dtls_server.hpp"

#include <gtest/gtest.h>

#include <asio/ip/address.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "coap/codec.hpp"
#include "io/clock.hpp"
#include "server_harness.hpp"

namespace atcoap::server {
namespace {

using asio::ip::udp;
using std::chrono::steady_clock;

constexpr auto kBound = std::chrono::seconds(10);
const Bytes kKey = to_bytes("1234DFG89");

/// Runs `context` until `done()` holds or the bound passes; returns done().
bool run_until(asio::io_context& context, const std::function<bool()>& done) {
    const auto end = steady_clock::now() + kBound;
    while (!done() && steady_clock::now() < end) {
        context.run_one_for(std::chrono::milliseconds(100));
    }
    return done();
}

/// A dtls::Session client on its own loopback socket, driven by the io_context.
class LoopbackClient {
  public:
    LoopbackClient(asio::io_context& context, std::uint16_t server_port, Bytes key,
                   std::uint64_t seed)
        : socket_(context, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
          timer_(context),
          server_(asio::ip::make_address("127.0.0.1"), server_port),
          random_(seed) {
        dtls::ClientSettings settings;
        settings.identity = to_bytes("864508030012428");
        settings.key = std::move(key);
        session_ = dtls::Session::client(settings, random_, log_);
        receive();
    }

    void start() {
        session_->start(io::monotonic_now());
        flush();
    }

    bool send(const coap::Message& message) {
        const auto bytes = coap::encode(message);
        const bool sent = bytes.ok() && session_->send(*bytes, io::monotonic_now()).ok();
        flush();
        return sent;
    }

    dtls::State state() const { return session_->state(); }
    bool settled() const { return state() != dtls::State::Handshaking; }
    std::string failure() const { return std::string(session_->failure()); }
    std::vector<coap::Message>& replies() { return replies_; }

  private:
    void receive() {
        socket_.async_receive_from(asio::buffer(buffer_), sender_,
                                   [this](const asio::error_code& error, std::size_t size) {
                                       if (error) {
                                           return;
                                       }
                                       on_datagram(ByteView(buffer_.data(), size));
                                       receive();
                                   });
    }

    void on_datagram(ByteView datagram) {
        session_->on_datagram(datagram, io::monotonic_now());
        for (const Bytes& plaintext : session_->take_plaintext()) {
            if (auto decoded = coap::decode(plaintext); decoded) {
                replies_.push_back(std::move(decoded).value());
            }
        }
        flush();
    }

    void flush() {
        for (const Bytes& datagram : session_->take_datagrams()) {
            asio::error_code ignored;
            socket_.send_to(asio::buffer(datagram), server_, 0, ignored);
        }
        const auto deadline = session_->next_deadline();
        if (!deadline) {
            timer_.cancel();
            return;
        }
        timer_.expires_at(io::to_steady(*deadline));
        timer_.async_wait([this](const asio::error_code& error) {
            if (!error) {
                session_->on_timeout(io::monotonic_now());
                flush();
            }
        });
    }

    udp::socket socket_;
    asio::steady_timer timer_;
    udp::endpoint server_;
    udp::endpoint sender_;
    SeededRandom random_;
    NullLogger log_;
    std::unique_ptr<dtls::Session> session_;
    std::vector<coap::Message> replies_;
    std::array<std::uint8_t, 2048> buffer_{};
};

DtlsOptions one_key() {
    DtlsOptions options;
    options.keys.push_back(PskEntry{"864508030012428", kKey});
    return options;
}

coap::Message get_test(std::uint16_t message_id) {
    return testing::request(coap::Type::Con, coap::codes::kGet, message_id, {"test"});
}

class DtlsServerTest : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_TRUE(server_.open(HostPort{"127.0.0.1", 0}).ok()); }
    void TearDown() override { server_.close(); }

    std::uint16_t port() const { return server_.local_endpoint().port; }
    bool logged(std::string_view part) const {
        for (const std::string& line : log_.lines) {
            if (line.find(part) != std::string::npos) {
                return true;
            }
        }
        return false;
    }

    asio::io_context context_;
    SeededRandom random_{5};
    testing::CapturingLogger log_;
    DtlsServer server_{context_, one_key(), random_, log_};
};

TEST_F(DtlsServerTest, HandshakesAndAnswersAConGetThroughTheSession) {
    LoopbackClient client(context_, port(), kKey, 1);
    client.start();
    ASSERT_TRUE(run_until(context_, [&] { return client.settled(); }));
    ASSERT_EQ(client.state(), dtls::State::Established) << client.failure();
    ASSERT_TRUE(client.send(get_test(0x4321)));
    ASSERT_TRUE(run_until(context_, [&] { return !client.replies().empty(); }));
    const coap::Message& reply = client.replies().front();
    EXPECT_EQ(reply.type, coap::Type::Ack);
    EXPECT_EQ(reply.message_id, 0x4321);
    EXPECT_EQ(reply.code, coap::codes::kContent);
    EXPECT_EQ(server_.session_count(), 1u);
    EXPECT_TRUE(logged(": TLS-PSK-WITH-AES-128-CCM-8"));
}

TEST_F(DtlsServerTest, RefusesAClientWithTheWrongKey) {
    LoopbackClient client(context_, port(), to_bytes("not the key"), 2);
    client.start();
    ASSERT_TRUE(run_until(context_, [&] { return client.settled(); }));
    EXPECT_EQ(client.state(), dtls::State::Failed);
    EXPECT_EQ(server_.session_count(), 0u);
    EXPECT_TRUE(logged(": failed: "));
}

TEST_F(DtlsServerTest, ServesTwoClientsAtOnce) {
    LoopbackClient first(context_, port(), kKey, 3);
    LoopbackClient second(context_, port(), kKey, 4);
    first.start();
    second.start();
    ASSERT_TRUE(run_until(context_, [&] { return first.settled() && second.settled(); }));
    ASSERT_EQ(first.state(), dtls::State::Established) << first.failure();
    ASSERT_EQ(second.state(), dtls::State::Established) << second.failure();
    ASSERT_TRUE(first.send(get_test(1)));
    ASSERT_TRUE(second.send(get_test(2)));
    ASSERT_TRUE(
        run_until(context_, [&] { return !first.replies().empty() && !second.replies().empty(); }));
    EXPECT_EQ(first.replies().front().message_id, 1);
    EXPECT_EQ(second.replies().front().message_id, 2);
    EXPECT_EQ(server_.session_count(), 2u);
}

TEST_F(DtlsServerTest, StaysUnderTheCapWhenFloodedWithHellosAndKeepsServing) {
    LoopbackClient working(context_, port(), kKey, 6);
    working.start();
    ASSERT_TRUE(run_until(context_, [&] { return working.settled(); }));
    ASSERT_EQ(working.state(), dtls::State::Established) << working.failure();
    // One genuine ClientHello, sent from 100 ports that never answer the HelloVerifyRequest.
    SeededRandom hello_random(7);
    NullLogger quiet;
    dtls::ClientSettings settings;
    settings.identity = to_bytes("flood");
    settings.key = kKey;
    auto hello_source = dtls::Session::client(settings, hello_random, quiet);
    hello_source->start(io::monotonic_now());
    const Bytes hello = hello_source->take_datagrams().at(0);
    std::vector<std::unique_ptr<udp::socket>> sockets;
    std::size_t answered = 0;
    std::array<std::uint8_t, 512> sink{};
    udp::endpoint from;
    const udp::endpoint server(asio::ip::make_address("127.0.0.1"), port());
    for (int i = 0; i < 100; ++i) {
        sockets.push_back(std::make_unique<udp::socket>(
            context_, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)));
        sockets.back()->async_receive_from(asio::buffer(sink), from,
                                           [&](const asio::error_code& error, std::size_t) {
                                               if (!error) {
                                                   ++answered;
                                               }
                                           });
        sockets.back()->send_to(asio::buffer(hello), server);
    }
    // Every hello gets its HelloVerifyRequest (RFC 6347 §4.2.1).
    ASSERT_TRUE(run_until(context_, [&] { return answered == 100; })) << answered;
    EXPECT_EQ(server_.session_count(), 64u);
    ASSERT_TRUE(working.send(get_test(9)));
    ASSERT_TRUE(run_until(context_, [&] { return !working.replies().empty(); }));
    EXPECT_EQ(working.replies().front().code, coap::codes::kContent);
}

}  // namespace
}  // namespace atcoap::server
