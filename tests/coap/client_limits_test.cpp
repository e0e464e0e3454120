// The bounds of one client endpoint (docs/DIALECT.md §7, "Limits"): past each, what happens is
// stated and logged, and nothing grows without end.

#include <gtest/gtest.h>

#include "client_harness.hpp"
#include "coap/client_endpoint.hpp"
#include "coap/values.hpp"

namespace atcoap::coap {
namespace {

using testing_support::ClientEndpointTest;
using testing_support::make;
using testing_support::with_observe;

using LimitsTest = ClientEndpointTest;

Token token_of(unsigned n) {
    return Token{static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
}

TEST_F(LimitsTest, ACONBeyondTheOutstandingBoundFailsAtOnceAndIsNotSent) {
    const auto bound = static_cast<unsigned>(ClientEndpoint::kMaxOutstandingCons);
    for (unsigned i = 0; i < bound; ++i) {
        send(make(Type::Con, codes::kGet, static_cast<std::uint16_t>(i), token_of(i)), 0);
    }
    EXPECT_EQ(datagrams().size(), bound);
    events();
    send(make(Type::Con, codes::kGet, 999, token_of(999)), 1);
    EXPECT_TRUE(datagrams().empty());
    EXPECT_EQ(events(), (std::vector<ClientEvent>{Delivered{Type::Con, 999, false}}));
    EXPECT_EQ(endpoint.outstanding(), bound);
    EXPECT_EQ(logger.count("CONs already await their ACK", LogLevel::Warn), 1U);
    // A NON still goes: the bound is on what waits.
    send(make(Type::Non, codes::kGet, 1000, token_of(1000)), 2);
    EXPECT_EQ(datagrams().size(), 1U);
}

TEST_F(LimitsTest, TheObservationBeyondTheBoundForgetsTheOldestAndSaysSo) {
    const auto bound = static_cast<unsigned>(ExpectedTokens::kMaxObservations);
    for (unsigned i = 0; i <= bound; ++i) {
        send(with_observe(make(Type::Non, codes::kGet, static_cast<std::uint16_t>(i), token_of(i)),
                          0),
             0);
    }
    EXPECT_EQ(logger.count("observations: the oldest is forgotten", LogLevel::Warn), 1U);
    // The newest hears from its server, fresh for 1,000 s: it outlives its request.
    Message first = with_observe(make(Type::Non, codes::kContent, 4999, token_of(bound)), 2);
    first.options.push_back(Option{option::kMaxAge, encode_uint(1000)});
    receive(first, 10);
    datagrams();
    events();
    // A notification of the forgotten first observation, long after its request: rejected.
    receive(with_observe(make(Type::Con, codes::kContent, 5000, token_of(0)), 7), 300'000);
    EXPECT_TRUE(events().empty());
    // One of the newest is still reported.
    receive(with_observe(make(Type::Con, codes::kContent, 5001, token_of(bound)), 7), 300'000);
    EXPECT_EQ(events().size(), 1U);
}

TEST_F(LimitsTest, TheRequestTokenBeyondTheBoundForgetsTheOneExpiringFirstAndSaysSo) {
    const auto bound = static_cast<unsigned>(ExpectedTokens::kMaxRequests);
    for (unsigned i = 0; i <= bound; ++i) {
        send(make(Type::Non, codes::kGet, static_cast<std::uint16_t>(i), token_of(i)),
             static_cast<std::int64_t>(i));
    }
    EXPECT_EQ(logger.count("request tokens within EXCHANGE_LIFETIME", LogLevel::Warn), 1U);
    datagrams();
    events();
    receive(make(Type::Non, codes::kContent, 6000, token_of(0)), 2000);
    EXPECT_TRUE(events().empty());
    receive(make(Type::Non, codes::kContent, 6001, token_of(1)), 2000);
    EXPECT_EQ(events().size(), 1U);
}

TEST_F(LimitsTest, TheDuplicateHistoryBeyondItsBoundForgetsTheOldestAndSaysSo) {
    for (unsigned i = 0; i <= DedupHistory::kDefaultCapacity; ++i) {
        receive(make(Type::Non, codes::kPost, static_cast<std::uint16_t>(i), token_of(i)), 0);
    }
    EXPECT_EQ(logger.count("received messages within their lifetimes", LogLevel::Warn), 1U);
    events();
    receive(make(Type::Non, codes::kPost, 0, token_of(0)), 1);  // forgotten: new again
    EXPECT_EQ(events().size(), 1U);
}

}  // namespace
}  // namespace atcoap::coap
