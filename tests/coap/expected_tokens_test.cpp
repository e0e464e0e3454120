// The request tokens of coap::ExpectedTokens in their flat table ordered by expiry
// (expected_tokens.cpp): the order when a token is sent again or a lifetime is shortened, the
// bound's eviction of the entry expiring first, and expiry, as a std::map keyed by token did.

#include "coap/expected_tokens.hpp"

#include <gtest/gtest.h>

#include "client_harness.hpp"

namespace atcoap::coap {
namespace {

using testing_support::make;

Token token_of(unsigned n) {
    return Token{static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
}

void send(ExpectedTokens& expected, unsigned n, std::int64_t expires_ms) {
    (void)expected.request_sent(make(Type::Non, codes::kGet, 1, token_of(n)), at_ms(expires_ms));
}

TEST(ExpectedRequestTokens, ATokenSentAgainIsHeldOnceUntilItsLatestEnd) {
    ExpectedTokens expected;
    send(expected, 1, 1000);
    send(expected, 2, 2000);
    send(expected, 1, 3000);
    EXPECT_EQ(expected.request_count(), 2U);
    expected.expire(at_ms(2500));
    EXPECT_EQ(expected.request_count(), 1U);
    EXPECT_TRUE(expected.expects(token_of(1), at_ms(2999)));
    EXPECT_FALSE(expected.expects(token_of(2), at_ms(2000)));
    // Sent again with an earlier end (a shorter EXCHANGE_LIFETIME), that end counts.
    send(expected, 1, 2800);
    EXPECT_FALSE(expected.expects(token_of(1), at_ms(2800)));
}

TEST(ExpectedRequestTokens, AnEarlierEndThanTheNewestKeepsTheOrderOfExpiry) {
    ExpectedTokens expected;
    send(expected, 1, 5000);
    send(expected, 2, 3000);  // before the newest: goes between
    send(expected, 3, 4000);
    send(expected, 4, 3000);  // the same end as token 2: after it
    expected.expire(at_ms(3000));
    EXPECT_EQ(expected.request_count(), 2U);
    EXPECT_TRUE(expected.expects(token_of(3), at_ms(3999)));
    EXPECT_TRUE(expected.expects(token_of(1), at_ms(4999)));
    expected.expire(at_ms(4000));
    EXPECT_EQ(expected.request_count(), 1U);
    EXPECT_FALSE(expected.expects(token_of(3), at_ms(3999)));
}

TEST(ExpectedRequestTokens, PastTheBoundTheEntryExpiringFirstGoesEvenIfItIsTheNewOne) {
    const auto bound = static_cast<unsigned>(ExpectedTokens::kMaxRequests);
    ExpectedTokens expected;
    for (unsigned i = 0; i < bound; ++i) {
        send(expected, i, 10'000 + (i * 7919) % bound);  // ends out of send order
    }
    // Ends before every held one: it is the one forgotten.
    EXPECT_TRUE(
        expected.request_sent(make(Type::Non, codes::kGet, 1, token_of(bound)), at_ms(5)).request);
    EXPECT_FALSE(expected.expects(token_of(bound), at_ms(0)));
    // Ends after them: the one ending at 10,000 (token 0) goes, then 10,001's.
    send(expected, bound + 1, 20'000);
    EXPECT_FALSE(expected.expects(token_of(0), at_ms(0)));
    const unsigned second = 15;  // the one ending at 10,001
    ASSERT_EQ(second * 7919 % bound, 1U);
    EXPECT_TRUE(expected.expects(token_of(second), at_ms(0)));
    send(expected, bound + 2, 20'000);
    EXPECT_FALSE(expected.expects(token_of(second), at_ms(0)));
    EXPECT_EQ(expected.request_count(), bound);
    // Every other token is still found, the newest and the oldest alike.
    for (unsigned i = 1; i < bound; ++i) {
        if (i != second) {
            ASSERT_TRUE(expected.expects(token_of(i), at_ms(0))) << i;
        }
    }
    EXPECT_TRUE(expected.expects(token_of(bound + 2), at_ms(19'999)));
}

TEST(ExpectedRequestTokens, ManyRoundsPastTheBoundAndExpiryLoseNoTokenHeld) {
    ExpectedTokens expected;
    const auto bound = static_cast<unsigned>(ExpectedTokens::kMaxRequests);
    for (unsigned i = 0; i < 5 * bound; ++i) {
        expected.expire(at_ms(i));
        send(expected, i, 1500 + i);  // 1,500 held by the lifetime, 1,024 by the bound
    }
    EXPECT_EQ(expected.request_count(), bound);
    const unsigned last = 5 * bound - 1;
    for (unsigned i = last + 1 - bound; i <= last; ++i) {
        ASSERT_TRUE(expected.expects(token_of(i), at_ms(last))) << i;
    }
    EXPECT_FALSE(expected.expects(token_of(last - bound), at_ms(0)));
    expected.expire(at_ms(1500 + last - 10));
    EXPECT_EQ(expected.request_count(), 10U);
    expected.expire(at_ms(1500 + last));
    EXPECT_EQ(expected.request_count(), 0U);
    send(expected, 1, 100'000);
    EXPECT_TRUE(expected.expects(token_of(1), at_ms(99'999)));
}

}  // namespace
}  // namespace atcoap::coap
