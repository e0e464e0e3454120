// The server's queue of unacknowledged CONs on its own: the §4.2 schedule it takes from
// coap::RetransmissionTimer, settling by peer and message ID, and forgetting an observer.

#include "server/retransmit.hpp"

#include <gtest/gtest.h>

#include "server/transmission.hpp"

namespace atcoap::server {
namespace {

const Endpoint kPeer{"127.0.0.1", 40000};
const Endpoint kOtherPeer{"127.0.0.1", 40001};

/// A generator whose draws are all 0, so every first timeout is exactly ACK_TIMEOUT.
class ZeroRandom final : public Random {
  public:
    std::uint32_t next_u32() override { return 0; }
};

constexpr ConPurpose notification_for(std::uint64_t observer) {
    return ConPurpose{ConPurpose::Kind::Notification, observer};
}

TEST(RetransmitQueue, ResendsAtDoublingWaitsAndGivesUpAfterMaxRetransmit) {
    ZeroRandom random;
    RetransmitQueue queue(kTransmission);
    queue.add(kPeer, 7, Bytes{0x40}, ConPurpose{}, at_ms(0), random);
    std::vector<std::int64_t> resent_at;
    while (const auto deadline = queue.next_deadline()) {
        const auto due = queue.on_timeout(*deadline);
        if (!due.given_up.empty()) {
            EXPECT_EQ(deadline, at_ms(62000));  // 2 + 4 + 8 + 16 + 32 s
            break;
        }
        ASSERT_EQ(due.resend.size(), 1u);
        EXPECT_EQ(due.resend[0].bytes, Bytes{0x40});
        resent_at.push_back(deadline->time_since_epoch().count());
    }
    EXPECT_EQ(resent_at, (std::vector<std::int64_t>{2000, 6000, 14000, 30000}));
    EXPECT_EQ(queue.size(), 0u);
}

TEST(RetransmitQueue, MeasuresTheNextWaitFromALateRetransmission) {
    ZeroRandom random;
    RetransmitQueue queue(kTransmission);
    queue.add(kPeer, 7, Bytes{0x40}, ConPurpose{}, at_ms(0), random);
    // The event loop wakes 500 ms after the first deadline: the doubled wait starts then
    // (RFC 7252 §4.2; see coap::RetransmissionTimer), not at the missed deadline.
    EXPECT_EQ(queue.on_timeout(at_ms(2500)).resend.size(), 1u);
    EXPECT_EQ(queue.next_deadline(), at_ms(6500));
}

TEST(RetransmitQueue, DrawsTheFirstTimeoutBetweenAckTimeoutAndOneAndAHalfTimesIt) {
    SeededRandom random(3);
    RetransmitQueue queue(kTransmission);
    for (std::uint16_t id = 0; id < 50; ++id) {
        queue.add(kPeer, id, Bytes{}, ConPurpose{}, at_ms(0), random);
        const auto due = queue.next_deadline();
        ASSERT_TRUE(due.has_value());
        EXPECT_GE(*due, at_ms(2000));
        EXPECT_LE(*due, at_ms(3000));
        ASSERT_TRUE(queue.settle(kPeer, id).has_value());
    }
}

TEST(RetransmitQueue, SettlesOnlyWhenPeerAndMessageIdBothMatch) {
    ZeroRandom random;
    RetransmitQueue queue(kTransmission);
    queue.add(kPeer, 7, Bytes{}, notification_for(3), at_ms(0), random);
    EXPECT_FALSE(queue.settle(kOtherPeer, 7).has_value());
    EXPECT_FALSE(queue.settle(kPeer, 8).has_value());
    const auto purpose = queue.settle(kPeer, 7);
    ASSERT_TRUE(purpose.has_value());
    EXPECT_EQ(purpose->kind, ConPurpose::Kind::Notification);
    EXPECT_EQ(purpose->observer, 3u);
    EXPECT_FALSE(queue.next_deadline().has_value());
}

TEST(RetransmitQueue, ForgetsTheNotificationsOfOneObserverOnly) {
    ZeroRandom random;
    RetransmitQueue queue(kTransmission);
    queue.add(kPeer, 1, Bytes{}, notification_for(3), at_ms(0), random);
    queue.add(kPeer, 2, Bytes{}, notification_for(4), at_ms(0), random);
    queue.add(kPeer, 3, Bytes{}, ConPurpose{}, at_ms(0), random);
    EXPECT_TRUE(queue.has_notification_for(3));
    queue.forget_observer(3);
    EXPECT_FALSE(queue.has_notification_for(3));
    EXPECT_TRUE(queue.has_notification_for(4));
    EXPECT_EQ(queue.size(), 2u);
}

}  // namespace
}  // namespace atcoap::server
