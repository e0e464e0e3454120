// RFC 7252 §4.8 parameters and the §4.2 back-off, computed by hand from the RFC's formulas.

#include "coap/transmission.hpp"

#include <gtest/gtest.h>

#include "client_harness.hpp"

namespace atcoap::coap {
namespace {

using std::chrono::seconds;
using testing_support::ScriptedRandom;

TEST(TransmissionTimes, TheRfcDefaultsGiveTheRfcDerivedValues) {
    // RFC 7252 §4.8.2 lists 45 s, 93 s, 202 s, 247 s and 145 s for ACK_TIMEOUT 2 s and 4 retries.
    const TransmissionTimes t = derive_times(TransmissionSettings{seconds{2}, 4});
    EXPECT_EQ(t.max_transmit_span, seconds{45});
    EXPECT_EQ(t.max_transmit_wait, seconds{93});
    EXPECT_EQ(t.max_rtt, seconds{202});
    EXPECT_EQ(t.exchange_lifetime, seconds{247});
    EXPECT_EQ(t.non_lifetime, seconds{145});
}

TEST(TransmissionTimes, TheModemDefaultOfFiveRetriesLengthensTheSpans) {
    // 2 s * 31 * 1.5 = 93 s; 2 s * 63 * 1.5 = 189 s; 93 + 200 + 2; 93 + 100.
    const TransmissionTimes t = derive_times(TransmissionSettings{});
    EXPECT_EQ(t.max_transmit_span, seconds{93});
    EXPECT_EQ(t.max_transmit_wait, seconds{189});
    EXPECT_EQ(t.max_rtt, seconds{202});
    EXPECT_EQ(t.exchange_lifetime, seconds{295});
    EXPECT_EQ(t.non_lifetime, seconds{193});
}

TEST(TransmissionTimes, TheLargestModemSettingsAreRecomputedExactly) {
    // 60 s and 8 retries: 60 * 255 * 1.5 = 22950 s, 60 * 511 * 1.5 = 45990 s, 200 + 60 s.
    const TransmissionTimes t = derive_times(TransmissionSettings{seconds{60}, 8});
    EXPECT_EQ(t.max_transmit_span, seconds{22950});
    EXPECT_EQ(t.max_transmit_wait, seconds{45990});
    EXPECT_EQ(t.max_rtt, seconds{260});
    EXPECT_EQ(t.exchange_lifetime, seconds{22950 + 260});
    EXPECT_EQ(t.non_lifetime, seconds{22950 + 100});
}

TEST(InitialTimeout, ADrawOfZeroGivesExactlyTheAckTimeout) {
    ScriptedRandom random({0});
    EXPECT_EQ(initial_timeout(TransmissionSettings{seconds{2}, 4}, random), Duration{2000});
}

TEST(InitialTimeout, TheLargestDrawGivesOneAndAHalfTimesTheAckTimeout) {
    // uniform(2000, 3000): a raw value of 1000 lands on the upper end.
    ScriptedRandom random({1000});
    EXPECT_EQ(initial_timeout(TransmissionSettings{seconds{2}, 4}, random), Duration{3000});
}

TEST(InitialTimeout, SeededDrawsStayInsideTheRandomRangeAndReachBothEnds) {
    SeededRandom random(2024);
    const TransmissionSettings settings{seconds{4}, 4};
    Duration lowest{1'000'000};
    Duration highest{0};
    for (int i = 0; i < 20000; ++i) {
        const Duration d = initial_timeout(settings, random);
        ASSERT_GE(d, Duration{4000});
        ASSERT_LE(d, Duration{6000});
        lowest = std::min(lowest, d);
        highest = std::max(highest, d);
    }
    EXPECT_EQ(lowest, Duration{4000});
    EXPECT_EQ(highest, Duration{6000});
}

TEST(RetransmissionTimer, EachWaitDoublesAndTheLastOneEndsTheExchange) {
    RetransmissionTimer timer(Duration{2000}, 4, at_ms(0));
    std::vector<std::int64_t> deadlines;
    while (!timer.exhausted()) {
        deadlines.push_back(timer.deadline().time_since_epoch().count());
        timer.retransmitted(timer.deadline());
    }
    EXPECT_EQ(deadlines, (std::vector<std::int64_t>{2000, 6000, 14000, 30000}));
    EXPECT_EQ(timer.retransmissions(), 4u);
    EXPECT_EQ(timer.deadline(), at_ms(62000));
}

TEST(RetransmissionTimer, ALateRetransmissionMeasuresTheNextWaitFromWhenItWasSent) {
    RetransmissionTimer timer(Duration{3000}, 4, at_ms(1000));
    EXPECT_EQ(timer.deadline(), at_ms(4000));
    timer.retransmitted(at_ms(4500));
    EXPECT_EQ(timer.deadline(), at_ms(10500));
    EXPECT_FALSE(timer.exhausted());
}

}  // namespace
}  // namespace atcoap::coap
