// The client endpoint's receiving side: separate responses, its own ACKs, duplicates, rejection
// of unexpected or malformed messages, observations and the link state (RFC 7252 §4.2-§4.5,
// §5.3.2, §5.4.1; RFC 7641; docs/DIALECT.md §3 "Receiving" and §7).

#include <gtest/gtest.h>

#include "client_harness.hpp"
#include "coap/client_endpoint.hpp"

namespace atcoap::coap {
namespace {

using testing_support::ClientEndpointTest;
using testing_support::empty_bytes;
using testing_support::empty_message;
using testing_support::encoded;
using testing_support::kTokenA;
using testing_support::kTokenB;
using testing_support::make;
using testing_support::with_observe;

using ReceiveTest = ClientEndpointTest;

// With ACK_TIMEOUT 2 s and 4 retries (the fixture's settings), RFC 7252 §4.8.2.
constexpr std::int64_t kExchangeLifetimeMs = 247000;
constexpr std::int64_t kNonLifetimeMs = 145000;

std::vector<ClientEvent> received(const Message& m) {
    return {Received{m}};
}

TEST_F(ReceiveTest, ASeparateResponseAfterTheEmptyAckIsAcknowledgedAndReported) {
    send(make(Type::Con, codes::kGet, 1, kTokenA), 0);
    receive(empty_message(Type::Ack, 1), 50);
    EXPECT_EQ(events(), (std::vector<ClientEvent>{Delivered{Type::Con, 1, true}}));
    datagrams();
    const Message response = make(Type::Con, codes::kContent, 500, kTokenA);
    receive(response, 5000);
    EXPECT_EQ(datagrams(), std::vector<Bytes>{empty_bytes(Type::Ack, 500)});
    EXPECT_EQ(events(), received(response));
}

TEST_F(ReceiveTest, ASeparateResponseBeforeTheEmptyAckAcknowledgesTheConFirst) {
    send(make(Type::Con, codes::kGet, 1, kTokenA), 0);
    datagrams();
    const Message response = make(Type::Con, codes::kContent, 500, kTokenA);
    receive(response, 100);
    EXPECT_EQ(events(),
              (std::vector<ClientEvent>{Delivered{Type::Con, 1, true}, Received{response}}));
    EXPECT_EQ(datagrams(), std::vector<Bytes>{empty_bytes(Type::Ack, 500)});
    EXPECT_FALSE(endpoint.next_deadline());
    receive(empty_message(Type::Ack, 1), 150);  // the late empty ACK matches nothing now
    EXPECT_TRUE(events().empty());
}

TEST_F(ReceiveTest, ANonSeparateResponseAlsoAcknowledgesTheConAndGetsNoAck) {
    send(make(Type::Con, codes::kGet, 1, kTokenA), 0);
    datagrams();
    const Message response = make(Type::Non, codes::kContent, 500, kTokenA);
    receive(response, 100);
    EXPECT_EQ(events(),
              (std::vector<ClientEvent>{Delivered{Type::Con, 1, true}, Received{response}}));
    EXPECT_TRUE(datagrams().empty());
}

TEST_F(ReceiveTest, ANotificationsFourByteObserveIsIgnoredAsRfc7252SaysNotReported) {
    Message request = with_observe(make(Type::Con, codes::kGet, 1, kTokenA), 0);
    send(request, 0);
    Message response = make(Type::Ack, codes::kContent, 1, kTokenA);
    response.options.push_back(Option{option::kObserve, {0x01, 0x02, 0x03, 0x04}});
    response.options.push_back(Option{option::kMaxAge, {1, 2, 3, 4, 5}});
    receive(response, 10);
    const std::vector<ClientEvent> got = events();
    ASSERT_EQ(got.size(), 2U);
    const auto& report = std::get<Received>(got[1]).message;
    EXPECT_TRUE(report.options.empty());  // §5.4.1: silently ignored, §5.4.3: wrong length
}

TEST_F(ReceiveTest, APeerFloodingMalformedDatagramsCannotFloodTheLog) {
    const Bytes malformed{0x40, 0x01, 0x00};  // a header cut short
    for (int i = 0; i < 20'000; ++i) {
        receive_raw(malformed, i / 2);  // 20,000 in 10 s of virtual time
    }
    EXPECT_EQ(logger.count("malformed datagram", LogLevel::Warn), LogRateLimiter::kDefaultBurst);
    receive_raw(malformed, 10'000);
    EXPECT_EQ(logger.count("19990 such lines held back", LogLevel::Warn), 1U);
    EXPECT_TRUE(events().empty());
}

TEST_F(ReceiveTest, AnObservationWhoseServerFellSilentEndsAndALaterNotificationGetsRst) {
    send(with_observe(make(Type::Con, codes::kGet, 1, kTokenA), 0), 0);
    receive(with_observe(make(Type::Ack, codes::kContent, 1, kTokenA), 5), 100);
    events();
    datagrams();
    // No Max-Age: the notification is fresh for 60 s, plus the margin, so the observation ends
    // at 120.1 s; the notification comes after the request's own EXCHANGE_LIFETIME (247 s).
    receive(with_observe(make(Type::Con, codes::kContent, 700, kTokenA), 6), 250'000);
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(datagrams(), std::vector<Bytes>{empty_bytes(Type::Rst, 700)});
    EXPECT_EQ(logger.count("observation(s) ended: the server was silent"), 1U);
}

TEST_F(ReceiveTest, AnErrorAnswerEndsTheObservation) {
    send(with_observe(make(Type::Con, codes::kGet, 1, kTokenA), 0), 0);
    const Message refusal = make(Type::Ack, Code::of(4, 4), 1, kTokenA);
    receive(refusal, 100);
    EXPECT_EQ(events().size(), 2u);  // Delivered, and the 4.04 is still reported
    receive(with_observe(make(Type::Non, codes::kContent, 701, kTokenA), 6), 300'000);
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(logger.count("observation with token A1A2A3A4 ended"), 1U);
}

TEST_F(ReceiveTest, ADuplicateConIsAcknowledgedAgainAndReportedOnce) {
    send(make(Type::Con, codes::kGet, 1, kTokenA), 0);
    receive(empty_message(Type::Ack, 1), 50);
    events();
    datagrams();
    const Message response = make(Type::Con, codes::kContent, 500, kTokenA);
    receive(response, 1000);
    receive(response, 3000);
    receive(response, 7000);
    EXPECT_EQ(datagrams(), std::vector<Bytes>(3, empty_bytes(Type::Ack, 500)));
    EXPECT_EQ(events(), received(response));
}

TEST_F(ReceiveTest, ADuplicateNonIsIgnored) {
    send(make(Type::Non, codes::kGet, 1, kTokenA), 0);
    events();
    datagrams();
    const Message response = make(Type::Non, codes::kContent, 1, kTokenA);
    receive(response, 1000);
    receive(response, 1001);
    EXPECT_EQ(events(), received(response));
    EXPECT_TRUE(datagrams().empty());
}

TEST_F(ReceiveTest, TheSameMessageIdWithAnotherTokenIsANewMessage) {
    // The note's NON example run twice: the server reuses the request's message ID.
    send(make(Type::Non, codes::kPost, 7, kTokenA), 0);
    receive(make(Type::Non, codes::kNotFound, 7, kTokenA), 10);
    send(make(Type::Non, codes::kPost, 7, kTokenB), 20);
    receive(make(Type::Non, codes::kNotFound, 7, kTokenB), 30);
    const auto all = events();
    ASSERT_EQ(all.size(), 4u);
    EXPECT_EQ(std::get<Received>(all[1]).message.token, kTokenA);
    EXPECT_EQ(std::get<Received>(all[3]).message.token, kTokenB);
}

TEST_F(ReceiveTest, ADuplicateConIsNewAgainAfterTheExchangeLifetime) {
    const Message request = make(Type::Con, codes::kPost, 900, kTokenB);  // from the server
    receive(request, 0);
    receive(request, kExchangeLifetimeMs - 1);
    EXPECT_EQ(events().size(), 1u);
    receive(request, kExchangeLifetimeMs);
    EXPECT_EQ(events(), received(request));
    EXPECT_EQ(datagrams(), std::vector<Bytes>(3, empty_bytes(Type::Ack, 900)));
}

TEST_F(ReceiveTest, ADuplicateNonIsNewAgainAfterTheNonLifetime) {
    const Message request = make(Type::Non, codes::kPost, 900, kTokenB);
    receive(request, 0);
    receive(request, kNonLifetimeMs - 1);
    EXPECT_EQ(events().size(), 1u);
    receive(request, kNonLifetimeMs);
    EXPECT_EQ(events(), received(request));
}

TEST_F(ReceiveTest, ARequestFromTheServerIsAcknowledgedAndReported) {
    Message request = make(Type::Con, codes::kPut, 900, kTokenB);
    request.payload = to_bytes("on");
    receive(request, 0);
    EXPECT_EQ(datagrams(), std::vector<Bytes>{empty_bytes(Type::Ack, 900)});
    EXPECT_EQ(events(), received(request));
}

TEST_F(ReceiveTest, AnUnexpectedConResponseGetsRstAndIsNotReported) {
    receive(make(Type::Con, codes::kContent, 900, kTokenB), 0);
    EXPECT_EQ(datagrams(), std::vector<Bytes>{empty_bytes(Type::Rst, 900)});
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(logger.count("rejected", LogLevel::Warn), 1u);
}

TEST_F(ReceiveTest, AnUnexpectedNonResponseIsDroppedAndLogged) {
    send(make(Type::Non, codes::kGet, 1, kTokenA), 0);
    events();
    datagrams();
    receive(make(Type::Non, codes::kContent, 900, kTokenB), 10);
    EXPECT_TRUE(datagrams().empty());
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(logger.count("dropped", LogLevel::Warn), 1u);
}

TEST_F(ReceiveTest, AResponseIsUnexpectedOnceTheExchangeLifetimeOfItsRequestHasPassed) {
    send(make(Type::Non, codes::kGet, 1, kTokenA), 0);
    events();
    receive(make(Type::Non, codes::kContent, 2, kTokenA), kExchangeLifetimeMs - 1);
    EXPECT_EQ(events().size(), 1u);
    receive(make(Type::Non, codes::kContent, 3, kTokenA), kExchangeLifetimeMs);
    EXPECT_TRUE(events().empty());
}

TEST_F(ReceiveTest, AnEmptyConFromTheServerIsAPingAnsweredByRst) {
    receive(empty_message(Type::Con, 77), 0);
    EXPECT_EQ(datagrams(), std::vector<Bytes>{empty_bytes(Type::Rst, 77)});
    EXPECT_TRUE(events().empty());
}

TEST_F(ReceiveTest, AnEmptyNonIsDropped) {
    receive(empty_message(Type::Non, 77), 0);
    EXPECT_TRUE(datagrams().empty());
    EXPECT_TRUE(events().empty());
}

TEST_F(ReceiveTest, AConWithAnUnrecognizedCriticalOptionGetsRst) {
    Message request = make(Type::Con, codes::kPost, 900, kTokenB);
    request.options.push_back(Option{2049, to_bytes("x")});
    receive(request, 0);
    EXPECT_EQ(datagrams(), std::vector<Bytes>{empty_bytes(Type::Rst, 900)});
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(logger.count("unrecognized critical option 2049", LogLevel::Warn), 1u);
}

TEST_F(ReceiveTest, ANonWithAnUnrecognizedCriticalOptionIsDropped) {
    send(make(Type::Non, codes::kGet, 1, kTokenA), 0);
    events();
    datagrams();
    Message response = make(Type::Non, codes::kContent, 900, kTokenA);
    response.options.push_back(Option{option::kUriHost, to_bytes("")});  // length 0 < 1
    receive(response, 10);
    EXPECT_TRUE(datagrams().empty());
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(logger.count("unrecognized critical option 3", LogLevel::Warn), 1u);
}

TEST_F(ReceiveTest, AnUnrecognizedElectiveOptionIsReportedWithTheMessage) {
    Message request = make(Type::Non, codes::kPost, 900, kTokenB);
    request.options.push_back(Option{2048, to_bytes("x")});
    receive(request, 0);
    EXPECT_EQ(events(), received(request));
}

TEST_F(ReceiveTest, AConWithATokenLengthOfNineGetsRstAndOneLogLine) {
    receive_raw(Bytes{0x49, 0x45, 0x12, 0x34, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 0);
    EXPECT_EQ(datagrams(), std::vector<Bytes>{empty_bytes(Type::Rst, 0x1234)});
    EXPECT_TRUE(events().empty());
    ASSERT_EQ(logger.lines.size(), 1u);
    EXPECT_NE(logger.lines[0].find(describe(DecodeError::TokenLengthReserved)), std::string::npos);
}

TEST_F(ReceiveTest, APayloadMarkerWithoutPayloadGetsRstInAConAndIsDroppedInANon) {
    receive_raw(Bytes{0x40, 0x02, 0x00, 0x05, 0xFF}, 0);
    EXPECT_EQ(datagrams(), std::vector<Bytes>{empty_bytes(Type::Rst, 5)});
    receive_raw(Bytes{0x50, 0x02, 0x00, 0x06, 0xFF}, 0);
    EXPECT_TRUE(datagrams().empty());
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(logger.count(describe(DecodeError::PayloadMarkerWithoutPayload), LogLevel::Warn), 2u);
}

TEST_F(ReceiveTest, ATruncatedHeaderIsDroppedAndLogged) {
    receive_raw(Bytes{0x40, 0x01, 0x12}, 0);
    EXPECT_TRUE(datagrams().empty());
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(logger.count(describe(DecodeError::HeaderTruncated), LogLevel::Warn), 1u);
}

TEST_F(ReceiveTest, AnotherCoapVersionIsIgnoredSilently) {
    receive_raw(Bytes{0x80, 0x01, 0x12, 0x34}, 0);  // version 2, CON GET
    EXPECT_TRUE(datagrams().empty());
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(logger.count("", LogLevel::Info), 0u);
    EXPECT_EQ(logger.count("version", LogLevel::Debug), 1u);
}

TEST_F(ReceiveTest, AMalformedAckDoesNotStopTheRetransmissions) {
    send(make(Type::Con, codes::kGet, 0x1234, kTokenA), 0);
    datagrams();
    receive_raw(Bytes{0x69, 0x45, 0x12, 0x34}, 100);  // ACK with TKL 9
    EXPECT_TRUE(datagrams().empty());                 // never answer an ACK
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(endpoint.outstanding(), 1u);
}

TEST_F(ReceiveTest, AnObservationLivesFromObserveZeroUntilObserveOne) {
    send(with_observe(make(Type::Con, codes::kGet, 1, kTokenA), 0), 0);
    Message first = with_observe(make(Type::Ack, codes::kContent, 1, kTokenA), 5);
    first.options.push_back(Option{option::kMaxAge, encode_uint(400)});  // fresh for 400 s
    receive(first, 100);
    EXPECT_EQ(events().size(), 2u);  // Delivered, Received
    const Message late = with_observe(make(Type::Con, codes::kContent, 601, kTokenA), 7);
    receive(late, 300000);  // past the registration's EXCHANGE_LIFETIME: the observation counts
    EXPECT_EQ(events(), received(late));
    datagrams();

    send(with_observe(make(Type::Con, codes::kGet, 2, kTokenA), 1), 400000);
    const Message final_answer = make(Type::Ack, codes::kContent, 2, kTokenA);
    receive(final_answer, 400100);
    EXPECT_EQ(events(),
              (std::vector<ClientEvent>{Delivered{Type::Con, 2, true}, Received{final_answer}}));
    datagrams();

    receive(with_observe(make(Type::Con, codes::kContent, 602, kTokenA), 8),
            400000 + kExchangeLifetimeMs);
    EXPECT_EQ(datagrams(), std::vector<Bytes>{empty_bytes(Type::Rst, 602)});
    EXPECT_TRUE(events().empty());
}

TEST_F(ReceiveTest, NotificationsArriveAsFurtherMessagesWithTheSameTokenEachConAcknowledged) {
    send(with_observe(make(Type::Con, codes::kGet, 1, kTokenA), 0), 0);
    receive(with_observe(make(Type::Ack, codes::kContent, 1, kTokenA), 2), 100);
    events();
    datagrams();
    for (std::uint16_t i = 0; i < 3; ++i) {
        receive(with_observe(make(Type::Con, codes::kContent, 700 + i, kTokenA), 3u + i),
                1000 * (i + 1));
    }
    receive(with_observe(make(Type::Non, codes::kContent, 703, kTokenA), 6), 4000);
    EXPECT_EQ(events().size(), 4u);
    EXPECT_EQ(datagrams(),
              (std::vector<Bytes>{empty_bytes(Type::Ack, 700), empty_bytes(Type::Ack, 701),
                                  empty_bytes(Type::Ack, 702)}));
}

TEST_F(ReceiveTest, ResetForgetsObservationsAndTheDuplicateHistory) {
    send(with_observe(make(Type::Con, codes::kGet, 1, kTokenA), 0), 0);
    receive(empty_message(Type::Ack, 1), 100);
    const Message notification = make(Type::Con, codes::kContent, 700, kTokenA);
    receive(notification, 1000);
    const Message request = make(Type::Non, codes::kPost, 900, kTokenB);
    receive(request, 1000);
    endpoint.reset();
    receive(notification, 2000);  // no longer expected: RST, not a second ACK
    EXPECT_EQ(datagrams(), std::vector<Bytes>{empty_bytes(Type::Rst, 700)});
    receive(request, 2000);  // no longer a duplicate
    EXPECT_EQ(events(), received(request));
}

TEST_F(ReceiveTest, DatagramsAreDroppedWhileTheLinkIsDown) {
    const Message request = make(Type::Con, codes::kPost, 900, kTokenB);
    endpoint.set_link_up(false);
    receive(request, 0);
    receive(empty_message(Type::Con, 901), 0);
    EXPECT_TRUE(datagrams().empty());
    EXPECT_TRUE(events().empty());
    endpoint.set_link_up(true);
    receive(request, 1000);  // was not remembered: reported now
    EXPECT_EQ(events(), received(request));
}

TEST_F(ReceiveTest, AnAckWhileTheLinkIsDownIsLostAndTheConFails) {
    send(make(Type::Con, codes::kGet, 1, kTokenA), 0);
    endpoint.set_link_up(false);
    receive(empty_message(Type::Ack, 1), 100);
    run_until(100000);
    const auto all = events();
    ASSERT_EQ(all.size(), 5u);
    EXPECT_EQ(std::get<Delivered>(all.back()), (Delivered{Type::Con, 1, false}));
}

}  // namespace
}  // namespace atcoap::coap
