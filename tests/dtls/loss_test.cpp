// Handshakes over a lossy wire, in virtual time: retransmission at mbedTLS's timer times
// (RFC 6347 §4.2.4: 1 s, doubled each time, capped at 60 s) and the client's overall limit.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dtls_harness.hpp"

namespace atcoap::dtls {
namespace {

using testing_support::client_settings;
using testing_support::From;
using testing_support::handshake_types;
using testing_support::server_settings;
using testing_support::SessionPair;

/// The record header's 48-bit sequence number (RFC 6347 §4.1).
std::uint64_t sequence_number(const Bytes& datagram) {
    std::uint64_t number = 0;
    for (std::size_t i = 5; i < 11; ++i) {
        number = number << 8 | datagram.at(i);
    }
    return number;
}

/// What follows the first record header.
Bytes body(const Bytes& datagram) {
    return Bytes(datagram.begin() + 13, datagram.end());
}

TEST(DtlsLoss, LostFirstClientHelloIsSentAgainAfterOneSecond) {
    SessionPair pair(client_settings(), server_settings());
    pair.drop(From::Client, 0);
    pair.start();
    ASSERT_TRUE(pair.run_handshake());
    EXPECT_EQ(pair.client().state(), State::Established);
    EXPECT_EQ(pair.server().state(), State::Established);
    const auto client = pair.datagrams(From::Client);
    // The same ClientHello; only the record sequence number is new (RFC 6347 §4.1).
    EXPECT_EQ(body(client.at(0)), body(client.at(1)));
    EXPECT_EQ(sequence_number(client.at(0)), 0u);
    EXPECT_EQ(sequence_number(client.at(1)), 1u);
    const auto times = pair.times_sent(From::Client);
    EXPECT_EQ(times.at(0), at_ms(0));
    EXPECT_EQ(times.at(1), at_ms(1'000));
    EXPECT_TRUE(pair.wire.at(0).dropped);
}

TEST(DtlsLoss, LostServerFlightIsRecoveredWhenTheClientRepeatsItsHello) {
    SessionPair pair(client_settings(), server_settings());
    pair.drop(From::Server, 1);  // 0 is the HelloVerifyRequest, 1 ServerHello..ServerHelloDone
    pair.start();
    ASSERT_TRUE(pair.run_handshake());
    EXPECT_EQ(pair.client().state(), State::Established);
    EXPECT_EQ(pair.server().state(), State::Established);
    const auto client = pair.datagrams(From::Client);
    const auto times = pair.times_sent(From::Client);
    ASSERT_GE(client.size(), 3u);
    EXPECT_THAT(handshake_types(client[2]), testing::ElementsAre(1));  // the cookie hello again
    EXPECT_EQ(times[1], at_ms(0));
    EXPECT_EQ(times[2], at_ms(1'000));
    const auto server = pair.datagrams(From::Server);
    EXPECT_EQ(handshake_types(server.at(2)), handshake_types(server.at(1)));
    EXPECT_EQ(server.at(2).size(), server.at(1).size());
}

TEST(DtlsLoss, LostClientFinishedFlightIsSentAgainAfterOneSecond) {
    SessionPair pair(client_settings(), server_settings());
    pair.drop(From::Client, 2);  // ClientKeyExchange, ChangeCipherSpec, Finished
    pair.start();
    ASSERT_TRUE(pair.run_handshake());
    EXPECT_EQ(pair.client().state(), State::Established);
    const auto times = pair.times_sent(From::Client);
    EXPECT_EQ(times.at(2), at_ms(0));
    EXPECT_EQ(times.at(3), at_ms(1'000));
}

TEST(DtlsLoss, RetransmissionIntervalsDoubleUpToTheSixtySecondCap) {
    auto settings = client_settings();
    settings.handshake_limit = Duration{300'000};
    SessionPair pair(settings, server_settings());
    pair.drop_all(From::Client);
    pair.start();
    EXPECT_FALSE(pair.run_handshake(at_ms(299'999)));
    // 1, 2, 4, 8, 16, 32 s, then every 60 s until the limit: mbedTLS alone would stop at 123 s.
    EXPECT_THAT(pair.times_sent(From::Client),
                testing::ElementsAre(at_ms(0), at_ms(1'000), at_ms(3'000), at_ms(7'000),
                                     at_ms(15'000), at_ms(31'000), at_ms(63'000), at_ms(123'000),
                                     at_ms(183'000), at_ms(243'000)));
    EXPECT_EQ(pair.client().state(), State::Handshaking);
    EXPECT_EQ(pair.client().next_deadline(), at_ms(300'000));
    pair.advance_to(at_ms(300'000));
    EXPECT_EQ(pair.client().state(), State::Failed);
    EXPECT_EQ(pair.client().failure(), "handshake timed out after 300 s");
    EXPECT_EQ(pair.client().next_deadline(), std::nullopt);
}

TEST(DtlsLoss, WrongKeyMakesAnMbedTlsServerAlertAndTheClientFailAtOnce) {
    auto settings = client_settings();
    settings.key = to_bytes("wrongPSK");
    settings.handshake_limit = Duration{10'000};
    SessionPair pair(settings, server_settings());
    pair.start();
    // The server cannot decrypt the client's Finished and says so with a fatal alert.
    EXPECT_EQ(pair.now(), at_ms(0));
    EXPECT_EQ(pair.client().state(), State::Failed);
    EXPECT_EQ(pair.client().failure(), "alert 20 bad_record_mac");
    EXPECT_EQ(pair.server().state(), State::Failed);
}

TEST(DtlsLoss, WrongKeyWithASilentServerFailsTheClientExactlyAtItsHandshakeLimit) {
    auto settings = client_settings();
    settings.key = to_bytes("wrongPSK");
    settings.handshake_limit = Duration{10'000};
    SessionPair pair(settings, server_settings());
    pair.drop_from(From::Server, 2);  // like libcoap's OpenSSL server: no alert, no answer
    pair.start();
    pair.advance_to(at_ms(9'999));
    EXPECT_EQ(pair.client().state(), State::Handshaking);
    EXPECT_EQ(pair.client().next_deadline(), at_ms(10'000));
    pair.advance_to(at_ms(10'000));
    EXPECT_EQ(pair.client().state(), State::Failed);
    EXPECT_EQ(pair.client().failure(), "handshake timed out after 10 s");
    EXPECT_TRUE(pair.client_log.contains("handshake timed out after 10 s"));
    // ClientHello, ClientHello with the cookie, the Finished flight and its repeats at
    // 1, 3 and 7 s; the next (15 s) falls after the limit.
    EXPECT_THAT(pair.times_sent(From::Client),
                testing::ElementsAre(at_ms(0), at_ms(0), at_ms(0), at_ms(1'000), at_ms(3'000),
                                     at_ms(7'000)));
}

TEST(DtlsLoss, ServerThatNeverAnswersGivesUpAfterMbedTlsSchedule) {
    SessionPair pair(client_settings(), server_settings());
    pair.drop_from(From::Client, 2);  // the client vanishes once the server has sent its flight
    pair.start();
    pair.advance_to(at_ms(200'000));
    EXPECT_EQ(pair.server().state(), State::Failed);
    EXPECT_THAT(std::string(pair.server().failure()),
                testing::StartsWith("handshake timed out after"));
}

}  // namespace
}  // namespace atcoap::dtls
