// The functions that reach into mbedTLS's private state, each tested on real mbedTLS contexts
// (the set-up of tls.cpp, no Session around them) so that a change in the library's internals
// shows up here first.

#include "dtls/mbedtls_compat.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "dtls/tls.hpp"
#include "dtls_harness.hpp"

namespace atcoap::dtls {
namespace {

using testing_support::client_settings;
using testing_support::handshake_types;
using testing_support::server_settings;

// One client and one server detail::Tls, set up as Session sets them up, with the datagrams
// moved between them by hand.
class TlsPair {
  public:
    explicit TlsPair(const std::string& hint = {})
        : client_random_(1),
          server_random_(2),
          cookies_(server_random_),
          client(client_random_, nullptr),
          server(server_random_, nullptr) {
        EXPECT_EQ(configure_client(client, client_settings()), "");
        server.peer_id = to_bytes("127.0.0.1:40000");
        EXPECT_EQ(configure_server(server, server_settings({}, hint), cookies_), "");
    }

    /// Runs both handshakes (run_handshake, as Session does) until both end or one fails;
    /// returns the last result of each side.
    std::pair<int, int> handshake() {
        int client_result = run_handshake(client);
        int server_result = MBEDTLS_ERR_SSL_WANT_READ;
        for (int round = 0; round < 20; ++round) {
            if (!move(client, server) && !move(server, client)) {
                break;
            }
            server_result = run_server();
            move(server, client);
            client_result = run_handshake(client);
        }
        return {client_result, server_result};
    }

    /// Every datagram the server sent, in order.
    std::vector<Bytes> server_sent;

    SeededRandom client_random_;
    SeededRandom server_random_;
    CookieKeeper cookies_;
    detail::Tls client;
    detail::Tls server;

  private:
    // RFC 6347 §4.2.1: after a HelloVerifyRequest the server starts over, as Session does.
    int run_server() {
        int result = run_handshake(server);
        if (result == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED) {
            EXPECT_EQ(mbedtls_ssl_session_reset(&server.ssl), 0);
            EXPECT_EQ(mbedtls_ssl_set_client_transport_id(&server.ssl, server.peer_id.data(),
                                                          server.peer_id.size()),
                      0);
            result = server.link.inbox.empty() ? MBEDTLS_ERR_SSL_WANT_READ : run_handshake(server);
        }
        return result;
    }

    bool move(detail::Tls& from, detail::Tls& to) {
        const bool any = !from.link.outbox.empty();
        for (Bytes& datagram : from.link.outbox) {
            if (&from == &server) {
                server_sent.push_back(datagram);
            }
            to.link.inbox.push_back(std::move(datagram));
        }
        from.link.outbox.clear();
        return any;
    }
};

TEST(MbedTlsCompat, HandshakeIsOverOnlyOnceItHasEnded) {
    TlsPair pair;
    EXPECT_FALSE(compat::handshake_over(pair.client.ssl));
    EXPECT_FALSE(compat::handshake_over(pair.server.ssl));
    ASSERT_EQ(run_handshake(pair.client), MBEDTLS_ERR_SSL_WANT_READ);
    EXPECT_FALSE(compat::handshake_over(pair.client.ssl));  // the ClientHello is out
    EXPECT_EQ(pair.handshake(), std::make_pair(0, 0));
    EXPECT_TRUE(compat::handshake_over(pair.client.ssl));
    EXPECT_TRUE(compat::handshake_over(pair.server.ssl));
}

TEST(MbedTlsCompat, ServerKeyExchangeIsDueOnceOnAPskServerAndNeverOnAClient) {
    TlsPair pair;
    ASSERT_EQ(run_handshake(pair.client), MBEDTLS_ERR_SSL_WANT_READ);
    EXPECT_FALSE(compat::psk_server_key_exchange_due(pair.client.ssl));
    EXPECT_FALSE(compat::psk_server_key_exchange_due(pair.server.ssl));
    EXPECT_EQ(pair.handshake(), std::make_pair(0, 0));  // no hint: mbedTLS's own steps

    // The same handshake once more, the server stepped by hand to watch every step.
    TlsPair watched;
    ASSERT_EQ(run_handshake(watched.client), MBEDTLS_ERR_SSL_WANT_READ);
    int due_steps = 0;
    for (int round = 0; round < 20 && !compat::handshake_over(watched.server.ssl); ++round) {
        for (Bytes& datagram : watched.client.link.outbox) {
            watched.server.link.inbox.push_back(std::move(datagram));
        }
        watched.client.link.outbox.clear();
        for (;;) {
            due_steps += compat::psk_server_key_exchange_due(watched.server.ssl) ? 1 : 0;
            EXPECT_FALSE(compat::psk_server_key_exchange_due(watched.client.ssl));
            const int result = mbedtls_ssl_handshake_step(&watched.server.ssl);
            if (result == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED) {
                mbedtls_ssl_session_reset(&watched.server.ssl);
                mbedtls_ssl_set_client_transport_id(&watched.server.ssl,
                                                    watched.server.peer_id.data(),
                                                    watched.server.peer_id.size());
            }
            if (result != 0 || compat::handshake_over(watched.server.ssl)) {
                break;
            }
        }
        for (Bytes& datagram : watched.server.link.outbox) {
            watched.client.link.inbox.push_back(std::move(datagram));
        }
        watched.server.link.outbox.clear();
        run_handshake(watched.client);
    }
    EXPECT_TRUE(compat::handshake_over(watched.server.ssl));
    EXPECT_EQ(due_steps, 1);
}

TEST(MbedTlsCompat, WrittenServerKeyExchangeCarriesTheHintAndTheHandshakeVerifies) {
    TlsPair pair("a hint");
    // Finished on both sides verifies only if the message is in both transcripts.
    EXPECT_EQ(pair.handshake(), std::make_pair(0, 0));
    ASSERT_GE(pair.server_sent.size(), 2u);
    const Bytes& flight = pair.server_sent[1];  // after the HelloVerifyRequest
    EXPECT_THAT(handshake_types(flight), testing::ElementsAre(2, 12, 14));
    const std::string body = std::string("\x00\x06", 2) + "a hint";
    EXPECT_NE(std::string(flight.begin(), flight.end()).find(body), std::string::npos);
}

TEST(MbedTlsCompat, WriteRefusesAHintLongerThanTheMessageCanHold) {
    TlsPair pair;
    ASSERT_EQ(run_handshake(pair.client), MBEDTLS_ERR_SSL_WANT_READ);
    // Step the server up to the ServerKeyExchange of the second ClientHello.
    for (int round = 0; round < 2; ++round) {
        for (Bytes& datagram : pair.client.link.outbox) {
            pair.server.link.inbox.push_back(std::move(datagram));
        }
        pair.client.link.outbox.clear();
        while (!compat::psk_server_key_exchange_due(pair.server.ssl)) {
            const int result = mbedtls_ssl_handshake_step(&pair.server.ssl);
            if (result == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED) {
                mbedtls_ssl_session_reset(&pair.server.ssl);
                mbedtls_ssl_set_client_transport_id(&pair.server.ssl, pair.server.peer_id.data(),
                                                    pair.server.peer_id.size());
                for (Bytes& datagram : pair.server.link.outbox) {
                    pair.client.link.inbox.push_back(std::move(datagram));
                }
                pair.server.link.outbox.clear();
                run_handshake(pair.client);
                break;
            }
            ASSERT_EQ(result, 0);
        }
    }
    ASSERT_TRUE(compat::psk_server_key_exchange_due(pair.server.ssl));
    const std::string too_long(0x10000, 'h');
    EXPECT_EQ(compat::write_psk_server_key_exchange(pair.server.ssl, too_long),
              MBEDTLS_ERR_SSL_BAD_INPUT_DATA);
    EXPECT_TRUE(compat::psk_server_key_exchange_due(pair.server.ssl));  // nothing advanced
}

// Fires the client's retransmission timer until mbedTLS gives up or `limit` retransmissions
// went out; returns the interval each timer was armed for, in ms.
std::vector<std::int64_t> retransmission_intervals(detail::Tls& client, bool hold, int limit) {
    std::vector<std::int64_t> intervals;
    EXPECT_EQ(run_handshake(client), MBEDTLS_ERR_SSL_WANT_READ);
    for (int fired = 0; fired <= limit && client.link.timer_final; ++fired) {
        intervals.push_back((*client.link.timer_final - client.link.now).count());
        client.link.now = *client.link.timer_final;
        if (hold) {
            compat::hold_retransmission_below_cap(client.ssl);
        }
        if (run_handshake(client) != MBEDTLS_ERR_SSL_WANT_READ) {
            break;
        }
    }
    return intervals;
}

TEST(MbedTlsCompat, MbedTlsAloneGivesUpOnceItsTimerHasReachedTheCap) {
    SeededRandom random(1);
    detail::Tls client(random, nullptr);
    ASSERT_EQ(configure_client(client, client_settings()), "");
    EXPECT_THAT(retransmission_intervals(client, false, 20),
                testing::ElementsAre(1'000, 2'000, 4'000, 8'000, 16'000, 32'000, 60'000));
}

TEST(MbedTlsCompat, HoldingTheTimerBelowTheCapKeepsRetransmittingAtTheCap) {
    SeededRandom random(1);
    detail::Tls client(random, nullptr);
    ASSERT_EQ(configure_client(client, client_settings()), "");
    const auto intervals = retransmission_intervals(client, true, 10);
    EXPECT_THAT(intervals, testing::ElementsAre(1'000, 2'000, 4'000, 8'000, 16'000, 32'000, 60'000,
                                                60'000, 60'000, 60'000, 60'000));
}

TEST(MbedTlsCompat, LastAlertReceivedIsTheDescriptionOfAFatalAlert) {
    for (const std::uint8_t description : {std::uint8_t{40}, std::uint8_t{115}}) {
        SeededRandom random(1);
        detail::Tls client(random, nullptr);
        ASSERT_EQ(configure_client(client, client_settings()), "");
        ASSERT_EQ(run_handshake(client), MBEDTLS_ERR_SSL_WANT_READ);
        // A plaintext DTLS record (RFC 6347 §4.1): alert, DTLS 1.2, epoch 0, sequence 0,
        // length 2, then level 2 (fatal) and the description.
        client.link.inbox.push_back(
            Bytes{21, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, description});
        EXPECT_EQ(run_handshake(client), MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE);
        EXPECT_EQ(compat::last_alert_received(client.ssl), description);
    }
}

TEST(MbedTlsCompat, LastAlertReceivedIsMinusOneBeforeSetUp) {
    SeededRandom random(1);
    const detail::Tls unconfigured(random, nullptr);
    EXPECT_EQ(compat::last_alert_received(unconfigured.ssl), -1);
}

}  // namespace
}  // namespace atcoap::dtls
