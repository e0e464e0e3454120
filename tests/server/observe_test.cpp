// /obs (RFC 7641): registration, a notification each second with a rising sequence number,
// the CON every fifth, and the three ways an observation ends.

#include <gtest/gtest.h>

#include "server_harness.hpp"

namespace atcoap::server {
namespace {

using coap::Type;
using testing::Harness;
using testing::request;
using testing::text_of;
using testing::uint_of;
namespace codes = coap::codes;
namespace option = coap::option;

const coap::Token kToken{0x0B, 0x5E};

coap::Message observe_get(std::uint16_t id, std::uint32_t observe) {
    auto get = request(Type::Con, codes::kGet, id, {"obs"}, kToken);
    testing::add_uint(get, option::kObserve, observe);
    return get;
}

/// Registers at 0 and returns the registration's reply.
coap::Message register_observer(Harness& h) {
    const auto out = h.send(observe_get(1, 0), at_ms(0));
    EXPECT_EQ(out.size(), 1u);
    return out.empty() ? coap::Message{} : out[0];
}

/// The single notification sent at `second` seconds.
coap::Message notification_at(Harness& h, int second) {
    const auto out = h.advance(at_ms(second * 1000));
    EXPECT_EQ(out.size(), 1u) << "at " << second << " s";
    return out.empty() ? coap::Message{} : out[0];
}

TEST(ServerObserve, RegistrationIsAnsweredWithAnObserveOption) {
    Harness h;
    const auto reply = register_observer(h);
    EXPECT_EQ(reply.type, Type::Ack);
    EXPECT_EQ(reply.code, codes::kContent);
    EXPECT_EQ(uint_of(reply, option::kObserve), 1u);
    EXPECT_EQ(text_of(reply), "tick 1");
    EXPECT_EQ(h.core().observer_count(), 1u);
    EXPECT_EQ(h.core().next_deadline(), at_ms(1000));
}

TEST(ServerObserve, NotifiesEverySecondWithRisingSequenceNumbersAndTheToken) {
    Harness h;
    register_observer(h);
    for (int second = 1; second <= 3; ++second) {  // the fourth is the CON of the next test
        EXPECT_TRUE(h.advance(at_ms(second * 1000 - 1)).empty());
        const auto n = notification_at(h, second);
        EXPECT_EQ(n.type, Type::Non);
        EXPECT_EQ(n.token, kToken);
        EXPECT_EQ(uint_of(n, option::kObserve), static_cast<std::uint32_t>(second + 1));
        EXPECT_EQ(text_of(n), "tick " + std::to_string(second + 1));
    }
}

TEST(ServerObserve, EveryFifthNotificationIsConfirmableAndAnAckSettlesIt) {
    Harness h;
    register_observer(h);
    for (int second = 1; second <= 3; ++second) {
        notification_at(h, second);
    }
    const auto con = notification_at(h, 4);
    EXPECT_EQ(con.type, Type::Con);
    EXPECT_EQ(uint_of(con, option::kObserve), 5u);
    EXPECT_EQ(h.core().unacknowledged_count(), 1u);
    h.send(coap::Message{Type::Ack, codes::kEmpty, con.message_id, {}, {}, {}}, at_ms(4100));
    EXPECT_EQ(h.core().unacknowledged_count(), 0u);
    EXPECT_EQ(uint_of(notification_at(h, 5), option::kObserve), 6u);
}

TEST(ServerObserve, SkipsNotificationsWhileAConfirmableOneIsUnacknowledged) {
    Harness h;
    register_observer(h);
    for (int second = 1; second <= 4; ++second) {
        notification_at(h, second);
    }
    EXPECT_TRUE(h.advance(at_ms(5000)).empty());  // the CON at 4 s is not yet due again
    EXPECT_EQ(h.core().observer_count(), 1u);
}

TEST(ServerObserve, EndsTheObservationWhenAConfirmableNotificationIsNeverAcknowledged) {
    Harness h;
    register_observer(h);
    TimePoint now = at_ms(0);
    for (int step = 0; step < 200 && h.core().observer_count() > 0; ++step) {
        now = *h.core().next_deadline();
        h.advance(now);
    }
    EXPECT_EQ(h.core().observer_count(), 0u);
    // 4 s for the CON, then at most 31 times a first timeout of at most 3 s (RFC 7252 §4.8.2).
    EXPECT_LE(now, at_ms(4000 + 93'000));
    EXPECT_FALSE(h.core().next_deadline().has_value());
}

TEST(ServerObserve, AGetWithObserveOneDeregisters) {
    Harness h;
    register_observer(h);
    notification_at(h, 1);
    const auto out = h.send(observe_get(2, 1), at_ms(1500));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].code, codes::kContent);
    EXPECT_FALSE(uint_of(out[0], option::kObserve).has_value());
    EXPECT_EQ(h.core().observer_count(), 0u);
    EXPECT_TRUE(h.advance(at_ms(2000)).empty());
}

TEST(ServerObserve, AResetToANotificationDeregisters) {
    Harness h;
    register_observer(h);
    const auto n = notification_at(h, 1);
    h.send(coap::Message{Type::Rst, codes::kEmpty, n.message_id, {}, {}, {}}, at_ms(1200));
    EXPECT_EQ(h.core().observer_count(), 0u);
    EXPECT_TRUE(h.advance(at_ms(2000)).empty());
}

TEST(ServerObserve, AResetFromAnotherEndpointLeavesTheObserverRegistered) {
    Harness h;
    register_observer(h);
    const auto n = notification_at(h, 1);
    h.send(coap::Message{Type::Rst, codes::kEmpty, n.message_id, {}, {}, {}}, at_ms(1200),
           testing::other_client());
    EXPECT_EQ(h.core().observer_count(), 1u);
}

TEST(ServerObserve, ARegistrationWithTheSameTokenReplacesTheFirst) {
    Harness h;
    register_observer(h);
    h.send(observe_get(2, 0), at_ms(500));
    EXPECT_EQ(h.core().observer_count(), 1u);
}

TEST(ServerObserve, APlainGetReadsTheStateWithoutRegistering) {
    Harness h;
    const auto out = h.send(request(Type::Con, codes::kGet, 1, {"obs"}), at_ms(0));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_FALSE(uint_of(out[0], option::kObserve).has_value());
    EXPECT_EQ(h.core().observer_count(), 0u);
}

}  // namespace
}  // namespace atcoap::server
