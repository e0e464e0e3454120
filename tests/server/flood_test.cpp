// A client flood against the test server's core (docs/RUNNING.md "Limits of atcoap server"):
// each structure a flood grows is driven past its bound, stays at it (counted through the
// core's accessors), follows its policy, and says so in a rate-limited warning.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "base/log_rate_limiter.hpp"
#include "server/transmission.hpp"
#include "server_harness.hpp"

namespace atcoap::server::testing {
namespace {

using coap::Type;
namespace codes = coap::codes;

Endpoint peer(std::size_t n) {
    return Endpoint{"127.0.0.1", static_cast<std::uint16_t>(20000 + n)};
}

std::size_t lines_with(const Harness& h, std::string_view part) {
    const auto& lines = h.log_lines();
    return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [&](const auto& l) {
        return l.find(part) != std::string::npos;
    }));
}

coap::Token token_of(std::size_t n) {
    return coap::Token{static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
}

TEST(ServerFlood, TheReplyHistoryStaysAtItsBoundAndForgetsTheOldest) {
    Harness h;
    const TimePoint now = at_ms(1000);
    // Twice the bound of fresh requests within one EXCHANGE_LIFETIME, from 64 peers.
    const std::size_t requests = 2 * kMaxReplyHistory;
    for (std::size_t n = 0; n < requests; ++n) {
        const auto from = peer(n % 64);
        const auto id = static_cast<std::uint16_t>(n / 64);
        ASSERT_EQ(h.send(request(Type::Con, codes::kGet, id, {}), now, from).size(), 1U);
        ASSERT_LE(h.core().reply_history_size(), kMaxReplyHistory);
    }
    EXPECT_EQ(h.core().reply_history_size(), kMaxReplyHistory);
    // One warning, rate-limited: at most a burst of them however many were forgotten.
    const std::size_t warned = lines_with(h, "requests within their lifetimes");
    EXPECT_GE(warned, 1U);
    EXPECT_LE(warned, LogRateLimiter::kDefaultBurst);
    // The newest is still known (its duplicate is not served again as new), the oldest not.
    const std::size_t served = lines_with(h, "GET / from");
    const auto newest = static_cast<std::uint16_t>((requests - 1) / 64);
    EXPECT_EQ(h.send(request(Type::Con, codes::kGet, newest, {}), now, peer(63)).size(), 1U);
    EXPECT_EQ(lines_with(h, "GET / from"), served);
    EXPECT_EQ(h.send(request(Type::Con, codes::kGet, 0, {}), now, peer(0)).size(), 1U);
    EXPECT_EQ(lines_with(h, "GET / from"), served + 1);
    // After a lifetime everything has expired: a new request leaves one entry.
    h.send(request(Type::Con, codes::kGet, 60000, {}), now + Duration{300'000}, peer(0));
    EXPECT_EQ(h.core().reply_history_size(), 1U);
}

coap::Message registration(std::size_t n) {
    coap::Message m =
        request(Type::Con, codes::kGet, static_cast<std::uint16_t>(n), {"obs"}, token_of(n));
    add_uint(m, coap::option::kObserve, 0);
    return m;
}

TEST(ServerFlood, OnePeerGetsAtMostItsShareOfObserversAndTheRestAreNotRegistered) {
    Harness h;
    const TimePoint now = at_ms(1000);
    for (std::size_t n = 0; n < 3 * kMaxObserversPerPeer; ++n) {
        const auto answer = h.send(registration(n), now);
        ASSERT_EQ(answer.size(), 1U);
        EXPECT_EQ(answer[0].code, codes::kContent);
        // RFC 7641 §4.1: registered exactly when the answer carries Observe.
        EXPECT_EQ(uint_of(answer[0], coap::option::kObserve).has_value(), n < kMaxObserversPerPeer)
            << n;
    }
    EXPECT_EQ(h.core().observer_count(), kMaxObserversPerPeer);
    const std::size_t warned = lines_with(h, "may not observe");
    EXPECT_GE(warned, 1U);
    EXPECT_LE(warned, LogRateLimiter::kDefaultBurst);
    // A registered token registers again (RFC 7641 §4.1 replaces it): still within the bound.
    const auto again = h.send(registration(0), now);
    ASSERT_EQ(again.size(), 1U);
    EXPECT_TRUE(uint_of(again[0], coap::option::kObserve).has_value());
    EXPECT_EQ(h.core().observer_count(), kMaxObserversPerPeer);
    // Only the registered are notified.
    EXPECT_EQ(h.advance(now + kNotifyInterval).size(), kMaxObserversPerPeer);
}

TEST(ServerFlood, ManyPeersTogetherStopAtTheGlobalObserverBound) {
    Harness h;
    const TimePoint now = at_ms(1000);
    const std::size_t peers = 2 * kMaxObservers / kMaxObserversPerPeer;
    std::size_t registered = 0;
    for (std::size_t p = 0; p < peers; ++p) {
        for (std::size_t n = 0; n < kMaxObserversPerPeer; ++n) {
            const auto answer = h.send(registration(n), now, peer(p));
            ASSERT_EQ(answer.size(), 1U);
            registered += uint_of(answer[0], coap::option::kObserve) ? 1U : 0U;
            ASSERT_LE(h.core().observer_count(), kMaxObservers);
        }
    }
    EXPECT_EQ(registered, kMaxObservers);
    EXPECT_EQ(h.core().observer_count(), kMaxObservers);
    EXPECT_LE(lines_with(h, "may not observe"), LogRateLimiter::kDefaultBurst);
}

TEST(ServerFlood, PendingSeparateResponsesStopAtTheBoundWithServiceUnavailable) {
    Harness h;
    const TimePoint now = at_ms(1000);
    const std::size_t requests = kMaxPendingSeparate + 100;
    std::size_t unavailable = 0;
    for (std::size_t n = 0; n < requests; ++n) {
        const auto from = peer(n % 32);
        const auto m = request(Type::Con, codes::kGet, static_cast<std::uint16_t>(n), {"separate"});
        const auto answer = h.send(m, now, from);
        ASSERT_EQ(answer.size(), 1U);
        ASSERT_EQ(answer[0].type, Type::Ack);
        if (answer[0].code == codes::kServiceUnavailable) {
            // RFC 7252 §5.9.3.4: piggybacked, with Max-Age saying when to ask again.
            EXPECT_EQ(uint_of(answer[0], coap::option::kMaxAge), 1U);
            ++unavailable;
        } else {
            EXPECT_EQ(answer[0].code, codes::kEmpty);
        }
        ASSERT_LE(h.core().pending_separate_count(), kMaxPendingSeparate);
    }
    EXPECT_EQ(unavailable, requests - kMaxPendingSeparate);
    EXPECT_EQ(h.core().pending_separate_count(), kMaxPendingSeparate);
    EXPECT_LE(lines_with(h, "separate responses pending"), LogRateLimiter::kDefaultBurst);

    // Sent a second later as CONs nobody acknowledges: still pending until given up (RFC 7252
    // §4.2, at most 93 s), then the bound is free again.
    h.take_raw();
    TimePoint t = now;
    for (int step = 0; step < 200; ++step) {
        t += Duration{1000};
        h.core().on_timeout(t);
        h.take_raw();
        ASSERT_LE(h.core().pending_separate_count(), kMaxPendingSeparate);
    }
    EXPECT_EQ(h.core().pending_separate_count(), 0U);
    EXPECT_EQ(h.core().unacknowledged_count(), 0U);
    const auto answer = h.send(request(Type::Con, codes::kGet, 50000, {"separate"}), t, peer(0));
    ASSERT_EQ(answer.size(), 1U);
    EXPECT_EQ(answer[0].code, codes::kEmpty);
}

}  // namespace
}  // namespace atcoap::server::testing
