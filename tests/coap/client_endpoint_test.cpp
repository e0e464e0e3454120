// The client endpoint's sending side: delivery results, the RFC 7252 §4.2 retransmission
// schedule in virtual time, ACK/RST matching (§4.2, §5.3.2) and the link state (docs/DIALECT.md
// §7).

#include "coap/client_endpoint.hpp"

#include <gtest/gtest.h>

#include "client_harness.hpp"

namespace atcoap::coap {
namespace {

using testing_support::ClientEndpointTest;
using testing_support::empty_bytes;
using testing_support::empty_message;
using testing_support::encoded;
using testing_support::kTokenA;
using testing_support::kTokenB;
using testing_support::make;
using testing_support::Sent;

using SendTest = ClientEndpointTest;

Message con_get(std::uint16_t id, Token token = kTokenA) {
    Message m = make(Type::Con, codes::kGet, id, token);
    m.options.push_back(Option{option::kUriPath, to_bytes("time")});
    return m;
}

TEST_F(SendTest, ANonGoesOutAtOnceAndIsDeliveredWithoutWaiting) {
    const Message m = make(Type::Non, codes::kPost, 0xFFFF, kTokenB);
    send(m, 0);
    EXPECT_EQ(datagrams(), std::vector<Bytes>{encoded(m)});  // caller's ID and token kept
    EXPECT_EQ(events(), (std::vector<ClientEvent>{Delivered{Type::Non, 0xFFFF, true}}));
    EXPECT_EQ(endpoint.outstanding(), 0u);
    EXPECT_FALSE(endpoint.next_deadline());
}

TEST_F(SendTest, TakingIntoTheCallersVectorsReplacesTheirContentAndEmptiesTheOutboxes) {
    const Message first = make(Type::Non, codes::kPost, 1, kTokenB);
    const Message second = make(Type::Non, codes::kPost, 2, kTokenB);
    std::vector<Bytes> datagrams{Bytes{0x01}};
    std::vector<ClientEvent> events{Delivered{Type::Con, 99, false}};
    send(first, 0);
    endpoint.take_datagrams(datagrams);
    endpoint.take_events(events);
    EXPECT_EQ(datagrams, std::vector<Bytes>{encoded(first)});
    EXPECT_EQ(events, (std::vector<ClientEvent>{Delivered{Type::Non, 1, true}}));
    send(second, 0);
    endpoint.take_datagrams(datagrams);
    endpoint.take_events(events);
    EXPECT_EQ(datagrams, std::vector<Bytes>{encoded(second)});
    EXPECT_EQ(events, (std::vector<ClientEvent>{Delivered{Type::Non, 2, true}}));
    EXPECT_TRUE(endpoint.take_datagrams().empty());
    EXPECT_TRUE(endpoint.take_events().empty());
}

TEST_F(SendTest, AnAckOrRstTheHostSendsIsDeliveredAtOnce) {
    send(make(Type::Ack, codes::kContent, 10, kTokenA), 0);
    send(empty_message(Type::Rst, 11), 0);
    EXPECT_EQ(datagrams().size(), 2u);
    EXPECT_EQ(events(), (std::vector<ClientEvent>{Delivered{Type::Ack, 10, true},
                                                  Delivered{Type::Rst, 11, true}}));
    EXPECT_FALSE(endpoint.next_deadline());
}

TEST_F(SendTest, AMessageThatCannotBeEncodedIsRefusedAndNothingHappens) {
    const auto status = endpoint.send(make(Type::Con, Code::of(1, 0), 5), at_ms(0));
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error(), EncodeError::ReservedCodeClass);
    EXPECT_TRUE(datagrams().empty());
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(endpoint.outstanding(), 0u);
}

TEST_F(SendTest, AnUnansweredConIsSentAtZeroTwoSixFourteenAndThirtySecondsAndFailsAtSixtyTwo) {
    const Message m = con_get(0x1234);
    send(m, 0);
    EXPECT_EQ(datagrams(), std::vector<Bytes>{encoded(m)});
    EXPECT_EQ(endpoint.next_deadline(), at_ms(2000));
    const std::vector<Sent> sent = run_until(61999);
    EXPECT_EQ(
        sent,
        (std::vector<Sent>{
            {2000, encoded(m)}, {6000, encoded(m)}, {14000, encoded(m)}, {30000, encoded(m)}}));
    EXPECT_EQ(events(), (std::vector<ClientEvent>{
                            Retransmitted{0x1234, 1, true}, Retransmitted{0x1234, 2, true},
                            Retransmitted{0x1234, 3, true}, Retransmitted{0x1234, 4, true}}));
    EXPECT_EQ(endpoint.next_deadline(), at_ms(62000));
    endpoint.on_timeout(at_ms(62000));
    EXPECT_TRUE(datagrams().empty());
    EXPECT_EQ(events(), (std::vector<ClientEvent>{Delivered{Type::Con, 0x1234, false}}));
    EXPECT_EQ(endpoint.outstanding(), 0u);
    EXPECT_FALSE(endpoint.next_deadline());
}

TEST_F(SendTest, TheFirstWaitComesFromTheInjectedRandomAndLaterWaitsDoubleIt) {
    random = testing_support::ScriptedRandom({1000});  // uniform(2000, 3000) -> 3000: factor 1.5
    send(con_get(1), 0);
    datagrams();
    const std::vector<Sent> sent = run_until(200000);
    ASSERT_EQ(sent.size(), 4u);
    EXPECT_EQ(sent[0].at_ms, 3000);
    EXPECT_EQ(sent[1].at_ms, 9000);
    EXPECT_EQ(sent[2].at_ms, 21000);
    EXPECT_EQ(sent[3].at_ms, 45000);  // RFC 7252 §4.8.2: MAX_TRANSMIT_SPAN 45 s
    EXPECT_EQ(std::get<Delivered>(events().back()), (Delivered{Type::Con, 1, false}));
}

TEST_F(SendTest, TheModemDefaultOfFiveRetriesWaitsSixtyFourSecondsMoreBeforeGivingUp) {
    endpoint.configure(TransmissionSettings{});
    send(con_get(1), 0);
    datagrams();
    const std::vector<Sent> sent = run_until(125999);
    ASSERT_EQ(sent.size(), 5u);
    EXPECT_EQ(sent[4].at_ms, 62000);
    EXPECT_EQ(endpoint.next_deadline(), at_ms(126000));
}

TEST_F(SendTest, ANewTimeoutSettingAppliesToTheNextCon) {
    endpoint.configure(TransmissionSettings{Duration{5000}, 4});
    send(con_get(1), 0);
    EXPECT_EQ(endpoint.next_deadline(), at_ms(5000));
}

TEST_F(SendTest, ATimeoutCallBeforeTheDeadlineDoesNothing) {
    send(con_get(1), 0);
    datagrams();
    events();
    endpoint.on_timeout(at_ms(1999));
    EXPECT_TRUE(datagrams().empty());
    EXPECT_TRUE(events().empty());
}

TEST_F(SendTest, AnEmptyAckStopsTheRetransmissions) {
    send(con_get(7), 0);
    datagrams();
    receive(empty_message(Type::Ack, 7), 1500);
    EXPECT_EQ(events(), (std::vector<ClientEvent>{Delivered{Type::Con, 7, true}}));
    EXPECT_EQ(endpoint.outstanding(), 0u);
    EXPECT_FALSE(endpoint.next_deadline());
    EXPECT_TRUE(run_until(100000).empty());
    EXPECT_TRUE(datagrams().empty());  // an ACK is never answered
}

TEST_F(SendTest, AnAckAfterSomeRetransmissionsStillCounts) {
    send(con_get(7), 0);
    run_until(6000);
    events();
    receive(empty_message(Type::Ack, 7), 7000);
    EXPECT_EQ(events(), (std::vector<ClientEvent>{Delivered{Type::Con, 7, true}}));
    EXPECT_FALSE(endpoint.next_deadline());
}

TEST_F(SendTest, APiggybackedResponseIsReportedAfterTheDelivery) {
    send(con_get(7), 0);
    Message response = make(Type::Ack, codes::kContent, 7, kTokenA);
    response.payload = to_bytes("22:10");
    receive(response, 100);
    EXPECT_EQ(events(),
              (std::vector<ClientEvent>{Delivered{Type::Con, 7, true}, Received{response}}));
}

TEST_F(SendTest, APiggybackedResponseWithAnotherTokenAcknowledgesButIsDropped) {
    send(con_get(7), 0);
    receive(make(Type::Ack, codes::kContent, 7, kTokenB), 100);
    EXPECT_EQ(events(), (std::vector<ClientEvent>{Delivered{Type::Con, 7, true}}));
    EXPECT_EQ(logger.count("answers no request", LogLevel::Warn), 1u);
    EXPECT_FALSE(endpoint.next_deadline());
}

TEST_F(SendTest, AnAckThatMatchesNoOutstandingConIsIgnoredSilently) {
    send(con_get(7), 0);
    datagrams();
    receive(make(Type::Ack, codes::kContent, 8, kTokenA), 100);
    receive(empty_message(Type::Ack, 9), 100);
    EXPECT_TRUE(events().empty());
    EXPECT_TRUE(datagrams().empty());
    EXPECT_EQ(endpoint.outstanding(), 1u);
}

TEST_F(SendTest, ALateCopyOfAPiggybackedResponseIsIgnored) {
    send(con_get(7), 0);
    const Message response = make(Type::Ack, codes::kContent, 7, kTokenA);
    receive(response, 100);
    events();
    receive(response, 200);
    EXPECT_TRUE(events().empty());
}

TEST_F(SendTest, AnRstRejectsTheCon) {
    send(con_get(7), 0);
    receive(empty_message(Type::Rst, 7), 100);
    EXPECT_EQ(events(), (std::vector<ClientEvent>{Delivered{Type::Con, 7, false}}));
    EXPECT_FALSE(endpoint.next_deadline());
}

TEST_F(SendTest, AnRstThatMatchesNothingOrCarriesACodeIsIgnored) {
    send(con_get(7), 0);
    receive(empty_message(Type::Rst, 8), 100);
    receive(make(Type::Rst, codes::kContent, 7), 100);
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(endpoint.outstanding(), 1u);
}

TEST_F(SendTest, APingAnsweredByRstIsDelivered) {
    send(empty_message(Type::Con, 40), 0);
    receive(empty_message(Type::Rst, 40), 300);
    EXPECT_EQ(events(), (std::vector<ClientEvent>{Delivered{Type::Con, 40, true}}));
}

TEST_F(SendTest, AnUnansweredPingFailsAfterItsRetransmissions) {
    send(empty_message(Type::Con, 40), 0);
    datagrams();
    EXPECT_EQ(run_until(100000).size(), 4u);
    EXPECT_EQ(std::get<Delivered>(events().back()), (Delivered{Type::Con, 40, false}));
}

TEST_F(SendTest, AnAckWithAnUnrecognizedCriticalOptionIsIgnoredAsIfLost) {
    send(con_get(7), 0);
    datagrams();
    Message ack = make(Type::Ack, codes::kContent, 7, kTokenA);
    ack.options.push_back(Option{2049, to_bytes("x")});
    receive(ack, 100);
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(logger.count("unrecognized critical option 2049", LogLevel::Warn), 1u);
    EXPECT_EQ(run_until(2000).size(), 1u);  // still retransmitting
}

TEST_F(SendTest, SeveralConsMayBeOutstandingAndTheLogWarnsAboutNstart) {
    send(con_get(1, kTokenA), 0);
    EXPECT_EQ(logger.count("NSTART", LogLevel::Warn), 0u);
    send(con_get(2, kTokenB), 500);
    EXPECT_EQ(endpoint.outstanding(), 2u);
    EXPECT_EQ(logger.count("NSTART", LogLevel::Warn), 1u);
    receive(empty_message(Type::Ack, 2), 600);
    EXPECT_EQ(events(), (std::vector<ClientEvent>{Delivered{Type::Con, 2, true}}));
    EXPECT_EQ(endpoint.next_deadline(), at_ms(2000));
    datagrams();
    EXPECT_EQ(run_until(2000), (std::vector<Sent>{{2000, encoded(con_get(1, kTokenA))}}));
}

TEST_F(SendTest, TwoConsDueAtTheSameTimeAreRetransmittedInSendingOrder) {
    send(con_get(2, kTokenB), 0);
    send(con_get(1, kTokenA), 0);
    datagrams();
    endpoint.on_timeout(at_ms(2000));
    EXPECT_EQ(datagrams(),
              (std::vector<Bytes>{encoded(con_get(2, kTokenB)), encoded(con_get(1, kTokenA))}));
}

TEST_F(SendTest, WhileTheLinkIsDownADueRetransmissionIsNotSentButCounted) {
    send(con_get(7), 0);
    datagrams();
    endpoint.set_link_up(false);
    EXPECT_TRUE(run_until(2000).empty());
    endpoint.set_link_up(true);
    EXPECT_EQ(run_until(6000), (std::vector<Sent>{{6000, encoded(con_get(7))}}));
    EXPECT_EQ(events(),
              (std::vector<ClientEvent>{Retransmitted{7, 1, false}, Retransmitted{7, 2, true}}));
}

TEST_F(SendTest, SendingWhileTheLinkIsDownFailsAtOnceAndIsNeverRetransmitted) {
    endpoint.set_link_up(false);
    send(con_get(7), 0);
    send(make(Type::Non, codes::kGet, 8, kTokenB), 0);
    EXPECT_TRUE(datagrams().empty());
    EXPECT_EQ(events(), (std::vector<ClientEvent>{Delivered{Type::Con, 7, false},
                                                  Delivered{Type::Non, 8, false}}));
    EXPECT_EQ(endpoint.outstanding(), 0u);
    EXPECT_FALSE(endpoint.next_deadline());
}

TEST_F(SendTest, ResetForgetsPendingExchangesWithoutAnyEvent) {
    send(con_get(7), 0);
    send(con_get(8, kTokenB), 0);
    endpoint.reset();
    EXPECT_EQ(endpoint.outstanding(), 0u);
    EXPECT_FALSE(endpoint.next_deadline());
    EXPECT_TRUE(events().empty());
    EXPECT_TRUE(datagrams().empty());
    receive(empty_message(Type::Ack, 7), 100);
    EXPECT_TRUE(events().empty());
}

TEST_F(SendTest, EmptyAcksAndRstsAreFourHeaderBytes) {
    // RFC 7252 §3: version 1, type, TKL 0, code 0.00, message ID.
    EXPECT_EQ(empty_bytes(Type::Ack, 0x1234), (Bytes{0x60, 0x00, 0x12, 0x34}));
    EXPECT_EQ(empty_bytes(Type::Rst, 0x1234), (Bytes{0x70, 0x00, 0x12, 0x34}));
}

}  // namespace
}  // namespace atcoap::coap
