// /separate: an empty ACK, then a CON response one second later, retransmitted as RFC 7252 §4.2
// says until the client acknowledges it.

#include <gtest/gtest.h>

#include "server_harness.hpp"

namespace atcoap::server {
namespace {

using coap::Type;
using testing::Harness;
using testing::other_client;
using testing::request;
namespace codes = coap::codes;

coap::Message separate_get(std::uint16_t id = 500) {
    return request(Type::Con, codes::kGet, id, {"separate"}, coap::Token{0x51, 0x52, 0x53});
}

/// Sends the request at 0 and returns the CON response sent at 1 s.
coap::Message first_response(Harness& h) {
    h.send(separate_get(), at_ms(0));
    const auto out = h.advance(at_ms(1000));
    EXPECT_EQ(out.size(), 1u);
    return out.empty() ? coap::Message{} : out[0];
}

TEST(ServerSeparate, AcknowledgesAtOnceWithAnEmptyAck) {
    Harness h;
    const auto out = h.send(separate_get(), at_ms(0));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].type, Type::Ack);
    EXPECT_TRUE(out[0].code.is_empty());
    EXPECT_EQ(out[0].message_id, 500);
    EXPECT_TRUE(out[0].token.empty());
    EXPECT_EQ(h.core().next_deadline(), at_ms(1000));
    EXPECT_TRUE(h.advance(at_ms(999)).empty());
}

TEST(ServerSeparate, SendsTheResponseAsAConWithTheRequestTokenOneSecondLater) {
    Harness h;
    const auto response = first_response(h);
    EXPECT_EQ(response.type, Type::Con);
    EXPECT_EQ(response.code, codes::kContent);
    EXPECT_EQ(response.token, (coap::Token{0x51, 0x52, 0x53}));
    EXPECT_NE(response.message_id, 500);
    EXPECT_EQ(testing::text_of(response), "separate response");
}

TEST(ServerSeparate, RetransmitsWithDoublingTimeoutsAndThenGivesUp) {
    Harness h;
    const auto response = first_response(h);
    const auto first = h.core().next_deadline();
    ASSERT_TRUE(first.has_value());
    const Duration t0 = *first - at_ms(1000);
    // RFC 7252 §4.2: the first timeout lies in [ACK_TIMEOUT, ACK_TIMEOUT * 1.5].
    EXPECT_GE(t0, Duration{2000});
    EXPECT_LE(t0, Duration{3000});
    TimePoint at = at_ms(1000);
    Duration wait = t0;
    for (int retransmission = 1; retransmission <= 4; ++retransmission) {
        at += wait;
        EXPECT_TRUE(h.advance(at - Duration{1}).empty());
        const auto out = h.advance(at);
        ASSERT_EQ(out.size(), 1u) << "retransmission " << retransmission;
        EXPECT_EQ(out[0], response);  // the same message, message ID included
        wait *= 2;
    }
    // One more doubled wait after the last retransmission, then nothing (MAX_RETRANSMIT 4).
    EXPECT_EQ(h.core().next_deadline(), at + wait);
    EXPECT_TRUE(h.advance(at + wait).empty());
    EXPECT_EQ(h.core().unacknowledged_count(), 0u);
    EXPECT_FALSE(h.core().next_deadline().has_value());
}

TEST(ServerSeparate, StopsRetransmittingOnceTheClientAcknowledges) {
    Harness h;
    const auto response = first_response(h);
    const TimePoint retransmit_at = *h.core().next_deadline();
    EXPECT_EQ(h.advance(retransmit_at).size(), 1u);
    const coap::Message ack{Type::Ack, codes::kEmpty, response.message_id, {}, {}, {}};
    EXPECT_TRUE(h.send(ack, retransmit_at + Duration{10}).empty());
    EXPECT_EQ(h.core().unacknowledged_count(), 0u);
    EXPECT_FALSE(h.core().next_deadline().has_value());
}

TEST(ServerSeparate, IgnoresAnAckFromAnotherEndpoint) {
    Harness h;
    const auto response = first_response(h);
    const coap::Message ack{Type::Ack, codes::kEmpty, response.message_id, {}, {}, {}};
    h.send(ack, at_ms(1100), other_client());
    EXPECT_EQ(h.core().unacknowledged_count(), 1u);
}

TEST(ServerSeparate, RepeatsTheEmptyAckForADuplicateRequestAndRespondsOnce) {
    Harness h;
    h.send(separate_get(), at_ms(0));
    const auto again = h.send(separate_get(), at_ms(500));
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].type, Type::Ack);
    EXPECT_TRUE(again[0].code.is_empty());
    EXPECT_EQ(h.advance(at_ms(1000)).size(), 1u);  // one response, not two
    EXPECT_EQ(h.core().unacknowledged_count(), 1u);
}

TEST(ServerSeparate, AnswersANonRequestWithANonResponseOneSecondLater) {
    Harness h;
    EXPECT_TRUE(h.send(request(Type::Non, codes::kGet, 9, {"separate"}), at_ms(0)).empty());
    const auto out = h.advance(at_ms(1000));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].type, Type::Non);
    EXPECT_EQ(out[0].code, codes::kContent);
    EXPECT_EQ(h.core().unacknowledged_count(), 0u);
}

}  // namespace
}  // namespace atcoap::server
