// Established sessions: application data both ways, close_notify, and what an established
// client does with datagrams it cannot authenticate.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dtls_harness.hpp"

namespace atcoap::dtls {
namespace {

using testing_support::client_settings;
using testing_support::From;
using testing_support::server_settings;
using testing_support::SessionPair;

class DtlsRecords : public testing::Test {
  protected:
    void SetUp() override { pair.establish(); }

    void send(Session& from, std::string_view text) {
        ASSERT_TRUE(from.send(as_bytes(text), pair.now()).ok());
        pair.flush();
    }

    SessionPair pair{client_settings(), server_settings()};
};

TEST_F(DtlsRecords, CarryApplicationDataFromClientToServer) {
    send(pair.client(), "GET /");
    EXPECT_THAT(pair.server().take_plaintext(), testing::ElementsAre(to_bytes("GET /")));
    EXPECT_TRUE(pair.server().take_plaintext().empty());
}

TEST_F(DtlsRecords, CarryApplicationDataFromServerToClient) {
    send(pair.server(), "2.05 Content");
    EXPECT_THAT(pair.client().take_plaintext(), testing::ElementsAre(to_bytes("2.05 Content")));
}

TEST_F(DtlsRecords, KeepEachRecordSeparateAndInOrder) {
    ASSERT_TRUE(pair.client().send(as_bytes("one"), pair.now()).ok());
    ASSERT_TRUE(pair.client().send(as_bytes("two"), pair.now()).ok());
    const auto datagrams = pair.client().take_datagrams();
    ASSERT_EQ(datagrams.size(), 2u);
    for (const Bytes& datagram : datagrams) {
        pair.server().on_datagram(datagram, pair.now());
    }
    EXPECT_THAT(pair.server().take_plaintext(),
                testing::ElementsAre(to_bytes("one"), to_bytes("two")));
}

TEST_F(DtlsRecords, CcmRecordAddsHeaderNonceAndTag) {
    ASSERT_TRUE(pair.client().send(as_bytes("12345"), pair.now()).ok());
    const auto datagrams = pair.client().take_datagrams();
    ASSERT_EQ(datagrams.size(), 1u);
    // 13 bytes of header, 8 of explicit nonce and 8 of CCM_8 tag (RFC 6655 §3).
    EXPECT_EQ(datagrams[0].size(), 5u + 13 + 8 + 8);
}

TEST_F(DtlsRecords, ReplayedRecordIsDeliveredOnce) {
    ASSERT_TRUE(pair.client().send(as_bytes("once"), pair.now()).ok());
    const auto datagrams = pair.client().take_datagrams();
    pair.server().on_datagram(datagrams.at(0), pair.now());
    pair.server().on_datagram(datagrams.at(0), pair.now());
    EXPECT_EQ(pair.server().take_plaintext().size(), 1u);
    EXPECT_EQ(pair.server().state(), State::Established);
}

TEST_F(DtlsRecords, SendRefusesMoreThanOneRecordHolds) {
    const Bytes big(pair.client().max_plaintext() + 1, 0x41);
    const auto result = pair.client().send(big, pair.now());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), SendError::TooLong);
    EXPECT_TRUE(pair.client().take_datagrams().empty());
}

TEST_F(DtlsRecords, SendAcceptsExactlyOneFullRecord) {
    const Bytes full(pair.client().max_plaintext(), 0x41);
    ASSERT_TRUE(pair.client().send(full, pair.now()).ok());
    pair.flush();
    EXPECT_THAT(pair.server().take_plaintext(), testing::ElementsAre(full));
}

TEST_F(DtlsRecords, CloseFromTheClientClosesTheServerWithAReason) {
    pair.client().close(pair.now());
    pair.flush();
    EXPECT_EQ(pair.client().state(), State::Closed);
    EXPECT_TRUE(pair.client().failure().empty());
    EXPECT_EQ(pair.server().state(), State::Closed);
    EXPECT_EQ(pair.server().failure(), "peer sent close_notify");
    EXPECT_TRUE(pair.server_log.contains("peer sent close_notify"));
}

TEST_F(DtlsRecords, CloseFromTheServerClosesTheClientWithAReason) {
    pair.server().close(pair.now());
    pair.flush();
    EXPECT_EQ(pair.server().state(), State::Closed);
    EXPECT_EQ(pair.client().state(), State::Closed);
    EXPECT_EQ(pair.client().failure(), "peer sent close_notify");
}

TEST_F(DtlsRecords, NothingIsSentOrReceivedAfterClose) {
    ASSERT_TRUE(pair.server().send(as_bytes("late"), pair.now()).ok());
    const auto late = pair.server().take_datagrams();
    pair.client().close(pair.now());
    pair.client().take_datagrams();
    pair.client().on_datagram(late.at(0), pair.now());
    EXPECT_TRUE(pair.client().take_plaintext().empty());
    const auto result = pair.client().send(as_bytes("more"), pair.now());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), SendError::NotEstablished);
    EXPECT_TRUE(pair.client().take_datagrams().empty());
    EXPECT_EQ(pair.client().next_deadline(), std::nullopt);
}

TEST(DtlsRecordsBeforeHandshake, SendIsRefusedWhileHandshaking) {
    SessionPair pair(client_settings(), server_settings());
    pair.drop_all(From::Server);
    pair.start();
    ASSERT_EQ(pair.client().state(), State::Handshaking);
    const auto result = pair.client().send(as_bytes("early"), pair.now());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), SendError::NotEstablished);
}

TEST_F(DtlsRecords, EstablishedClientIgnoresGarbage) {
    const Bytes valid = [&] {
        EXPECT_TRUE(pair.server().send(as_bytes("genuine"), pair.now()).ok());
        return pair.server().take_datagrams().at(0);
    }();
    Bytes flipped_tag = valid;
    flipped_tag.back() ^= 0x01;
    Bytes wrong_length = valid;
    wrong_length[12] = static_cast<std::uint8_t>(wrong_length[12] + 7);
    Bytes unknown_type = valid;
    unknown_type[0] = 99;
    const Bytes header_only(valid.begin(), valid.begin() + 13);
    const Bytes plaintext_alert{21, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 9, 0, 2, 2, 40};
    const Bytes old_hello{22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
    SeededRandom noise_source(99);
    Bytes noise(200);
    noise_source.fill(noise);
    for (const Bytes& garbage : {flipped_tag, wrong_length, unknown_type, header_only,
                                 plaintext_alert, old_hello, noise, Bytes{0x17}}) {
        pair.client().on_datagram(garbage, pair.now());
        EXPECT_EQ(pair.client().state(), State::Established) << pair.client().failure();
    }
    EXPECT_TRUE(pair.client().take_plaintext().empty());
    pair.client().on_datagram(valid, pair.now());
    EXPECT_THAT(pair.client().take_plaintext(), testing::ElementsAre(to_bytes("genuine")));
}

}  // namespace
}  // namespace atcoap::dtls
