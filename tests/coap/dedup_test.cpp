// The duplicate histories (the generic one the test server keys by peer, and the client's) and
// the expected-token table of the client endpoint.

#include "coap/dedup.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "client_harness.hpp"
#include "coap/expected_tokens.hpp"

namespace atcoap::coap {
namespace {

using testing_support::kTokenA;
using testing_support::kTokenB;
using testing_support::make;
using testing_support::with_observe;

// Keyed as the test server keys it: by peer and message ID, with the reply to repeat.
using ReplyHistory = ExpiringHistory<std::pair<std::string, std::uint16_t>, std::string>;

TEST(ExpiringHistory, FindsTheValueUntilItsLifetimeEnds) {
    ReplyHistory history(ReplyHistory::kUnbounded);
    history.remember({"a", 7}, "ack", at_ms(100));
    ASSERT_NE(history.find({"a", 7}, at_ms(99)), nullptr);
    EXPECT_EQ(*history.find({"a", 7}, at_ms(99)), "ack");
    EXPECT_EQ(history.find({"a", 7}, at_ms(100)), nullptr);
    EXPECT_EQ(history.find({"b", 7}, at_ms(0)), nullptr);  // another peer, the same message ID
    history.expire(at_ms(100));
    EXPECT_EQ(history.size(), 0u);
}

TEST(ExpiringHistory, RememberingAKeyAgainReplacesItsValueAndLifetime) {
    ReplyHistory history(ReplyHistory::kUnbounded);
    history.remember({"a", 7}, "first", at_ms(100));
    history.remember({"a", 7}, "second", at_ms(300));
    history.expire(at_ms(200));
    ASSERT_NE(history.find({"a", 7}, at_ms(200)), nullptr);
    EXPECT_EQ(*history.find({"a", 7}, at_ms(200)), "second");
    EXPECT_EQ(history.size(), 1u);
}

TEST(ExpiringHistory, AnEntryBehindALongerLivedOneIsGoneForFindBeforeExpireFreesIt) {
    ReplyHistory history(ReplyHistory::kUnbounded);
    history.remember({"a", 1}, "long", at_ms(1000));
    history.remember({"a", 2}, "short", at_ms(100));
    history.expire(at_ms(500));
    EXPECT_EQ(history.size(), 2u);  // the short one waits behind the long one
    EXPECT_EQ(history.find({"a", 2}, at_ms(500)), nullptr);
    history.expire(at_ms(1000));
    EXPECT_EQ(history.size(), 0u);
}

TEST(ExpiringHistory, UnboundedKeepsEveryLiveEntry) {
    ReplyHistory history(ReplyHistory::kUnbounded);
    for (std::uint16_t id = 0; id < 5000; ++id) {
        history.remember({"a", id}, "", at_ms(1000));
    }
    EXPECT_EQ(history.size(), 5000u);
    EXPECT_TRUE(history.contains({"a", 0}, at_ms(999)));
}

TEST(DedupHistory, RemembersAMessageUntilItExpires) {
    DedupHistory history;
    history.remember(7, kTokenA, at_ms(1000));
    EXPECT_TRUE(history.contains(7, kTokenA, at_ms(999)));
    EXPECT_FALSE(history.contains(7, kTokenA, at_ms(1000)));
}

TEST(DedupHistory, TheTokenIsPartOfTheKey) {
    DedupHistory history;
    history.remember(7, kTokenA, at_ms(1000));
    EXPECT_FALSE(history.contains(7, kTokenB, at_ms(0)));
    EXPECT_FALSE(history.contains(7, Token{}, at_ms(0)));
    EXPECT_FALSE(history.contains(8, kTokenA, at_ms(0)));
}

TEST(DedupHistory, ExpiringFreesTheEntriesWhoseLifetimeHasPassed) {
    DedupHistory history;
    history.remember(1, kTokenA, at_ms(100));
    history.remember(2, kTokenA, at_ms(200));
    history.expire(at_ms(150));
    EXPECT_EQ(history.size(), 1u);
    history.expire(at_ms(200));
    EXPECT_EQ(history.size(), 0u);
}

TEST(DedupHistory, BeyondItsCapacityTheOldestEntriesAreForgotten) {
    DedupHistory history(3);
    for (std::uint16_t id = 0; id < 5; ++id) {
        history.remember(id, kTokenA, at_ms(1000));
    }
    EXPECT_EQ(history.size(), 3u);
    EXPECT_FALSE(history.contains(0, kTokenA, at_ms(0)));
    EXPECT_FALSE(history.contains(1, kTokenA, at_ms(0)));
    EXPECT_TRUE(history.contains(4, kTokenA, at_ms(0)));
}

TEST(DedupHistory, RememberingAKeyAgainKeepsItsNewerLifetime) {
    DedupHistory history(2);
    history.remember(1, kTokenA, at_ms(100));
    history.remember(1, kTokenA, at_ms(500));
    history.expire(at_ms(200));
    EXPECT_TRUE(history.contains(1, kTokenA, at_ms(200)));
    history.remember(2, kTokenA, at_ms(500));  // pushes the stale first record out
    EXPECT_TRUE(history.contains(1, kTokenA, at_ms(200)));
}

TEST(ExpectedTokens, ARequestTokenIsExpectedUntilItsLifetimeEnds) {
    ExpectedTokens expected;
    expected.request_sent(make(Type::Con, codes::kGet, 1, kTokenA), at_ms(247000));
    EXPECT_TRUE(expected.expects(kTokenA, at_ms(246999)));
    EXPECT_FALSE(expected.expects(kTokenA, at_ms(247000)));
    EXPECT_FALSE(expected.expects(kTokenB, at_ms(0)));
}

TEST(ExpectedTokens, AResponseOrEmptyMessageSentRegistersNothing) {
    ExpectedTokens expected;
    expected.request_sent(make(Type::Ack, codes::kContent, 1, kTokenA), at_ms(1000));
    expected.request_sent(make(Type::Con, codes::kEmpty, 2), at_ms(1000));
    EXPECT_EQ(expected.request_count(), 0u);
}

TEST(ExpectedTokens, ObserveZeroRegistersAndObserveOneEndsTheObservation) {
    ExpectedTokens expected;
    expected.request_sent(with_observe(make(Type::Con, codes::kGet, 1, kTokenA), 0), at_ms(10));
    EXPECT_TRUE(expected.observing(kTokenA, at_ms(5)));
    // The first notification keeps it past the request's lifetime (Max-Age 60 s + margin).
    EXPECT_FALSE(expected.response_received(
        with_observe(make(Type::Ack, codes::kContent, 1, kTokenA), 2), at_ms(8)));
    expected.expire(at_ms(5000));
    EXPECT_EQ(expected.request_count(), 0u);
    EXPECT_TRUE(expected.expects(kTokenA, at_ms(5000)));
    expected.request_sent(with_observe(make(Type::Con, codes::kGet, 2, kTokenA), 1), at_ms(6000));
    EXPECT_FALSE(expected.observing(kTokenA, at_ms(6000)));
    EXPECT_FALSE(expected.expects(kTokenA, at_ms(6000)));
}

TEST(ExpectedTokens, AnObservationEndsAfterItsServerIsSilentPastMaxAgeAndTheMargin) {
    ExpectedTokens expected;
    expected.request_sent(with_observe(make(Type::Con, codes::kGet, 1, kTokenA), 0),
                          at_ms(247'000));
    Message notification = with_observe(make(Type::Non, codes::kContent, 7, kTokenA), 3);
    notification.options.push_back(Option{option::kMaxAge, encode_uint(10)});
    EXPECT_FALSE(expected.response_received(notification, at_ms(1000)));
    const std::int64_t ends = 1000 + 10'000 + ExpectedTokens::kObservationMargin.count();
    EXPECT_EQ(expected.expire(at_ms(ends - 1)), 0U);
    EXPECT_TRUE(expected.observing(kTokenA, at_ms(ends - 1)));
    // Without Max-Age a notification counts for RFC 7252's default of 60 s.
    EXPECT_FALSE(expected.response_received(
        with_observe(make(Type::Non, codes::kContent, 8, kTokenA), 4), at_ms(ends - 1)));
    const std::int64_t later = ends - 1 + 60'000 + ExpectedTokens::kObservationMargin.count();
    EXPECT_TRUE(expected.observing(kTokenA, at_ms(later - 1)));
    EXPECT_EQ(expected.expire(at_ms(later)), 1U);
    EXPECT_FALSE(expected.observing(kTokenA, at_ms(later)));
}

TEST(ExpectedTokens, AnErrorOrAnAnswerWithoutObserveOrAResetEndsTheObservation) {
    ExpectedTokens expected;
    for (std::uint8_t t = 1; t <= 3; ++t) {
        expected.request_sent(with_observe(make(Type::Con, codes::kGet, t, Token{t}), 0),
                              at_ms(247'000));
    }
    EXPECT_TRUE(expected.response_received(make(Type::Ack, Code::of(4, 4), 1, Token{1}), at_ms(5)));
    EXPECT_TRUE(
        expected.response_received(make(Type::Ack, codes::kContent, 2, Token{2}), at_ms(5)));
    expected.request_reset(Token{3});
    for (std::uint8_t t = 1; t <= 3; ++t) {
        EXPECT_FALSE(expected.observing(Token{t}, at_ms(6))) << int{t};
    }
}

TEST(ExpectedTokens, TheRequestTableIsBounded) {
    ExpectedTokens expected;
    for (std::uint32_t i = 0; i < ExpectedTokens::kMaxRequests + 10; ++i) {
        const Token token{static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)};
        expected.request_sent(make(Type::Non, codes::kGet, 1, token), at_ms(1000 + i));
    }
    EXPECT_EQ(expected.request_count(), ExpectedTokens::kMaxRequests);
    EXPECT_FALSE(expected.expects(Token{0, 0}, at_ms(0)));  // the earliest to expire went first
}

}  // namespace
}  // namespace atcoap::coap
