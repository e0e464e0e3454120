// Handshakes between a client and a server session in memory: suites, identity hints, the
// key log, and the ways a handshake is refused.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "base/hex.hpp"
#include "dtls_harness.hpp"

namespace atcoap::dtls {
namespace {

using testing_support::client_settings;
using testing_support::From;
using testing_support::handshake_types;
using testing_support::server_settings;
using testing_support::SessionPair;

TEST(DtlsDefaults, OfferTheThreeSuitesWithCcm8First) {
    EXPECT_THAT(default_cipher_suites(),
                testing::ElementsAre(kPskAes128Ccm8, kPskAes128CbcSha256, kPskAes128GcmSha256));
}

class DtlsSuite : public testing::TestWithParam<std::uint16_t> {};

TEST_P(DtlsSuite, HandshakeCompletesWhenTheServerAllowsOnlyThatSuite) {
    SessionPair pair(client_settings(), server_settings({GetParam()}));
    pair.establish();
    EXPECT_EQ(pair.client().cipher_suite(), GetParam());
    EXPECT_EQ(pair.server().cipher_suite(), GetParam());
    EXPECT_TRUE(pair.client().failure().empty());
}

TEST_P(DtlsSuite, ClientOfferingOnlyThatSuiteNegotiatesIt) {
    SessionPair pair(client_settings({GetParam()}), server_settings());
    pair.establish();
    EXPECT_EQ(pair.client().cipher_suite(), GetParam());
    EXPECT_EQ(pair.server().cipher_suite(), GetParam());
}

INSTANTIATE_TEST_SUITE_P(EachDefault, DtlsSuite,
                         testing::Values(kPskAes128Ccm8, kPskAes128CbcSha256, kPskAes128GcmSha256));

TEST(DtlsHandshake, PrefersCcm8WhenBothSidesOfferAllThree) {
    SessionPair pair(client_settings(), server_settings());
    pair.establish();
    EXPECT_EQ(pair.client().cipher_suite(), kPskAes128Ccm8);
}

TEST(DtlsHandshake, StartsWithACookieExchange) {
    SessionPair pair(client_settings(), server_settings());
    pair.establish();
    const auto client = pair.datagrams(From::Client);
    const auto server = pair.datagrams(From::Server);
    ASSERT_GE(client.size(), 2u);
    ASSERT_GE(server.size(), 1u);
    // RFC 6347 §4.2.1: ClientHello, HelloVerifyRequest, ClientHello with the cookie.
    EXPECT_THAT(handshake_types(client[0]), testing::ElementsAre(1));
    EXPECT_THAT(handshake_types(server[0]), testing::ElementsAre(3));
    EXPECT_THAT(handshake_types(client[1]), testing::ElementsAre(1));
}

TEST(DtlsHandshake, WithNoCommonSuiteFailsOnBothSides) {
    SessionPair pair(client_settings({kPskAes128Ccm8}), server_settings({kPskAes128GcmSha256}));
    pair.start();
    pair.run_handshake();
    EXPECT_EQ(pair.server().state(), State::Failed);
    EXPECT_EQ(pair.server().failure(), "no common cipher suite");
    EXPECT_EQ(pair.client().state(), State::Failed);
    EXPECT_EQ(pair.client().failure(), "alert 40 handshake_failure");
    EXPECT_TRUE(pair.client_log.contains("alert 40 handshake_failure"));
}

TEST(DtlsHandshake, ServerWithAHintSendsItInAServerKeyExchange) {
    SessionPair pair(client_settings(), server_settings({}, "CoAP"));
    pair.establish();
    const auto flight = pair.datagrams(From::Server).at(1);
    EXPECT_THAT(handshake_types(flight), testing::ElementsAre(2, 12, 14));
    const std::string text(flight.begin(), flight.end());
    EXPECT_NE(text.find(std::string("\x00\x04"
                                    "CoAP",
                                    6)),
              std::string::npos);
}

TEST(DtlsHandshake, ServerWithoutAHintSkipsTheServerKeyExchange) {
    SessionPair pair(client_settings(), server_settings());
    pair.establish();
    EXPECT_THAT(handshake_types(pair.datagrams(From::Server).at(1)), testing::ElementsAre(2, 14));
}

TEST(DtlsHandshake, HintWorksWithEverySuite) {
    for (const std::uint16_t suite : default_cipher_suites()) {
        SessionPair pair(client_settings({suite}), server_settings({}, "CoAP"));
        pair.establish();
        EXPECT_EQ(pair.client().cipher_suite(), suite);
    }
}

TEST(DtlsHandshake, WritesTheSameNssKeyLogLineOnBothSides) {
    SessionPair pair(client_settings(), server_settings());
    pair.establish();
    ASSERT_EQ(pair.client_keys.lines.size(), 1u);
    ASSERT_EQ(pair.server_keys.lines.size(), 1u);
    EXPECT_EQ(pair.client_keys.lines[0], pair.server_keys.lines[0]);
    EXPECT_TRUE(std::regex_match(pair.client_keys.lines[0],
                                 std::regex("CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}")))
        << pair.client_keys.lines[0];
}

TEST(DtlsHandshake, KeyLogLineNamesTheClientRandomOfTheClientHello) {
    SessionPair pair(client_settings(), server_settings());
    pair.establish();
    // DTLS ClientHello: record header 13, handshake header 12, version 2, then the random.
    const Bytes hello = pair.datagrams(From::Client).at(1);
    std::string random_hex;
    append_hex_lower(random_hex, ByteView(hello).subspan(13 + 12 + 2, 32));
    EXPECT_EQ(pair.client_keys.lines.at(0).substr(14, 64), random_hex);
}

TEST(DtlsHandshake, UnknownIdentityFailsTheServerAndItsAlertFailsTheClient) {
    auto client = client_settings();
    client.identity = to_bytes("stranger");
    SessionPair pair(client, server_settings());
    pair.start();
    pair.run_handshake();
    EXPECT_EQ(pair.server().state(), State::Failed);
    EXPECT_EQ(pair.server().failure(), "unknown PSK identity");
    EXPECT_TRUE(pair.server_log.contains("no key for identity \"stranger\""));
    EXPECT_EQ(pair.client().state(), State::Failed);
    EXPECT_EQ(pair.client().failure(), "alert 115 unknown_psk_identity");
}

TEST(DtlsHandshake, ClientWithAnEmptyIdentityFailsAtOnceWithAReason) {
    auto settings = client_settings();
    settings.identity.clear();
    SessionPair pair(settings, server_settings());
    pair.start();
    EXPECT_EQ(pair.client().state(), State::Failed);
    EXPECT_EQ(pair.client().failure(), "PSK identity is empty");
    EXPECT_TRUE(pair.wire.empty());
    EXPECT_EQ(pair.client().next_deadline(), std::nullopt);
}

TEST(DtlsHandshake, ClientWithAKeyLongerThanMbedTlsTakesFailsAtOnce) {
    auto settings = client_settings();
    settings.key.assign(33, 0x5A);
    SessionPair pair(settings, server_settings());
    pair.start();
    EXPECT_EQ(pair.client().state(), State::Failed);
    EXPECT_EQ(pair.client().failure(), "PSK key must be 1 to 32 bytes");
    EXPECT_TRUE(pair.wire.empty());
}

TEST(DtlsHandshake, ClientSendsNothingBeforeStart) {
    SessionPair pair(client_settings(), server_settings());
    pair.flush();
    EXPECT_TRUE(pair.wire.empty());
    EXPECT_EQ(pair.client().state(), State::Handshaking);
    EXPECT_EQ(pair.client().next_deadline(), std::nullopt);
}

TEST(DtlsHandshake, RunsTheSameWayForTheSameSeeds) {
    SessionPair first(client_settings(), server_settings());
    SessionPair second(client_settings(), server_settings());
    first.establish();
    second.establish();
    ASSERT_EQ(first.wire.size(), second.wire.size());
    for (std::size_t i = 0; i < first.wire.size(); ++i) {
        EXPECT_EQ(first.wire[i].bytes.size(), second.wire[i].bytes.size()) << i;
        EXPECT_EQ(first.wire[i].at, second.wire[i].at) << i;
    }
}

}  // namespace
}  // namespace atcoap::dtls
