// One stage in virtual time: exact patterns, times and bounds.

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <string>

#include "impairment_harness.hpp"
#include "support/capturing_logger.hpp"

namespace atcoap::netem::test {
namespace {

TEST(NetemImpairment, WithoutClausesPassesEverythingAtOnceInOrder) {
    Stage s("limit 5");
    for (std::uint64_t n = 0; n < 3; ++n) {
        EXPECT_EQ(s.stage.push(numbered(n), at_ms(10)), 1);
    }
    EXPECT_EQ(s.stage.next_deadline(), at_ms(10));
    const auto out = s.stage.take_due(at_ms(10));
    ASSERT_EQ(out.size(), 3u);
    for (std::uint64_t n = 0; n < 3; ++n) {
        EXPECT_EQ(out[n].tag, n);
        EXPECT_EQ(out[n].bytes, numbered(n).bytes);
    }
    EXPECT_EQ(s.stage.next_deadline(), std::nullopt);
    expect_balanced(s.stage);
}

TEST(NetemImpairment, LossDropsTheExactPatternOfItsSeed) {
    // One draw per datagram, lost when below 30% of 2^32: the same generator tells which.
    Stage s("loss 30%", 42);
    SeededRandom mirror(42);
    std::string pattern;
    std::string expected;
    for (std::uint64_t n = 0; n < 40; ++n) {
        pattern += s.stage.push(numbered(n), at_ms(0)) == 0 ? 'x' : '.';
        expected += static_cast<double>(mirror.next_u32()) < 0.3 * 4294967296.0 ? 'x' : '.';
    }
    EXPECT_EQ(pattern, expected);
    // Pinned, so that a change of draw order shows up as a failure here.
    EXPECT_EQ(pattern, "..x........x..x.....xx...........xxx..x.");
    expect_balanced(s.stage);
}

TEST(NetemImpairment, FullLossAndBlackholeDropEverything) {
    Stage lossy("loss 100%");
    Stage hole("blackhole");
    for (std::uint64_t n = 0; n < 1000; ++n) {
        EXPECT_EQ(lossy.stage.push(numbered(n), at_ms(0)), 0);
        EXPECT_EQ(hole.stage.push(numbered(n), at_ms(0)), 0);
    }
    EXPECT_EQ(lossy.stage.counters().lost, 1000u);
    EXPECT_EQ(hole.stage.counters().blackholed, 1000u);
    EXPECT_EQ(lossy.stage.next_deadline(), std::nullopt);
}

TEST(NetemImpairment, DelayHoldsToTheMillisecondRoundingUp) {
    Stage whole("delay 100ms");
    whole.stage.push(numbered(1), at_ms(5));
    EXPECT_EQ(whole.stage.next_deadline(), at_ms(105));
    EXPECT_TRUE(whole.stage.take_due(at_ms(104)).empty());
    EXPECT_EQ(whole.stage.take_due(at_ms(105)).size(), 1u);

    Stage fraction("delay 250us");
    fraction.stage.push(numbered(1), at_ms(5));
    EXPECT_EQ(fraction.stage.next_deadline(), at_ms(6)) << "due at 5.25 ms: leaves at 6 ms";
}

TEST(NetemImpairment, RateQueuesEachDatagramBehindTheLastExactly) {
    // 8 kbit/s is one byte per millisecond: 100 bytes take 100 ms on the line.
    Stage s("rate 8kbit");
    for (std::uint64_t n = 0; n < 5; ++n) {
        EXPECT_EQ(s.stage.push(numbered(n), at_ms(0)), 1);
    }
    s.stage.push(numbered(5, 50), at_ms(120));  // arrives while the line is busy
    for (std::int64_t t : {100, 200, 300, 400, 500, 550}) {
        EXPECT_EQ(s.stage.next_deadline(), at_ms(t));
        EXPECT_TRUE(s.stage.take_due(at_ms(t - 1)).empty()) << t;
        EXPECT_EQ(s.stage.take_due(at_ms(t)).size(), 1u) << t;
    }
    s.stage.push(numbered(6, 10), at_ms(1000));  // an idle line: only its own 10 ms
    EXPECT_EQ(s.stage.next_deadline(), at_ms(1010));
}

TEST(NetemImpairment, RateAddsToTheDelayLikeTc) {
    Stage s("delay 50ms rate 8kbit");
    s.stage.push(numbered(0), at_ms(0));  // 50 ms delay, then 100 ms on the line
    s.stage.push(numbered(1), at_ms(0));  // behind it: 100 ms more
    EXPECT_EQ(s.stage.take_due(at_ms(150)).size(), 1u);
    EXPECT_EQ(s.stage.next_deadline(), at_ms(250));
}

TEST(NetemImpairment, SubMillisecondLineTimesAddUpWithoutDrift) {
    // 100 bytes at 1 Mbit/s: 0.8 ms each; ten are out at exactly 8 ms, not 10.
    Stage s("rate 1mbit");
    for (std::uint64_t n = 0; n < 10; ++n) {
        s.stage.push(numbered(n), at_ms(0));
    }
    EXPECT_EQ(s.stage.take_due(at_ms(7)).size(), 8u);  // due at 0.8, 1.6 ... 6.4 ms
    EXPECT_EQ(s.stage.take_due(at_ms(8)).size(), 2u);
}

TEST(NetemImpairment, LimitTailDropsPastItAndCountsIt) {
    Stage s("rate 8kbit limit 3");
    int held = 0;
    for (std::uint64_t n = 0; n < 5; ++n) {
        held += s.stage.push(numbered(n), at_ms(0));
    }
    EXPECT_EQ(held, 3);
    EXPECT_EQ(s.stage.counters().overflowed, 2u);
    EXPECT_EQ(s.stage.held(), 3u);
    const auto first = s.stage.take_due(at_ms(100));
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].tag, 0u) << "the tail is dropped, not the head";
    EXPECT_EQ(s.stage.push(numbered(9), at_ms(100)), 1) << "room again once one left";
    expect_balanced(s.stage);
}

TEST(NetemImpairment, TailDropIsLoggedOnce) {
    SeededRandom random(1);
    atcoap::test::CapturingLogger log;
    Impairment stage(spec_of("delay 1s limit 2"), random, log, "netem up");
    for (std::uint64_t n = 0; n < 10; ++n) {
        stage.push(numbered(n), at_ms(0));
    }
    EXPECT_EQ(stage.counters().overflowed, 8u);
    EXPECT_EQ(log.count("netem up: 2 datagrams held (limit)", LogLevel::Warn), 1u);
    EXPECT_EQ(log.count(""), 1u);
}

TEST(NetemImpairment, TheDelayQueueIsBoundedByTheLimitToo) {
    Stage s("delay 1s");
    for (std::uint64_t n = 0; n < kDefaultLimit + 10; ++n) {
        s.stage.push(numbered(n, 1), at_ms(0));
    }
    EXPECT_EQ(s.stage.held(), kDefaultLimit);
    EXPECT_EQ(s.stage.counters().overflowed, 10u);
}

TEST(NetemImpairment, ReorderSendsSomeAtOnceAheadOfTheDelayed) {
    Stage s("delay 100ms reorder 50%", 3);
    std::size_t at_once = 0;
    for (std::uint64_t n = 0; n < 20; ++n) {
        s.stage.push(numbered(n), at_ms(0));
    }
    at_once = s.stage.take_due(at_ms(0)).size();
    EXPECT_EQ(at_once, s.stage.counters().reordered);
    EXPECT_GT(at_once, 0u);
    EXPECT_LT(at_once, 20u);
    EXPECT_EQ(s.stage.take_due(at_ms(100)).size(), 20 - at_once);
}

TEST(NetemImpairment, ReorderGapDelaysTheFirstNMinusOne) {
    // gap 4, reorder 100%: three wait, the fourth goes at once, and so on (tc's counter).
    Stage s("delay 100ms reorder 100% gap 4");
    std::string pattern;
    for (std::int64_t n = 0; n < 12; ++n) {
        s.stage.push(numbered(static_cast<std::uint64_t>(n)), at_ms(n));
        pattern += s.stage.take_due(at_ms(n)).empty() ? 'd' : 'r';
    }
    EXPECT_EQ(pattern, "dddrdddrdddr");
}

TEST(NetemImpairment, CorruptFlipsExactlyOneBit) {
    Stage s("corrupt 100%");
    for (std::uint64_t n = 0; n < 200; ++n) {
        const Packet original = numbered(n, 1 + n % 40);
        s.stage.push(original, at_ms(0));
        const auto out = s.stage.take_due(at_ms(0));
        ASSERT_EQ(out.size(), 1u);
        int flipped = 0;
        for (std::size_t i = 0; i < original.bytes.size(); ++i) {
            flipped += std::popcount(static_cast<unsigned>(original.bytes[i] ^ out[0].bytes[i]));
        }
        EXPECT_EQ(flipped, 1) << n;
    }
    EXPECT_EQ(s.stage.counters().corrupted, 200u);
    s.stage.push(numbered(0, 0), at_ms(0));
    EXPECT_EQ(s.stage.counters().corrupted, 200u) << "an empty datagram has no bit to flip";
}

TEST(NetemImpairment, DuplicateSendsTwoCopies) {
    Stage s("duplicate 100%");
    EXPECT_EQ(s.stage.push(numbered(4), at_ms(0)), 2);
    const auto out = s.stage.take_due(at_ms(0));
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].bytes, out[1].bytes);
    expect_balanced(s.stage);
}

TEST(NetemImpairment, UniformJitterStaysWithinDelayPlusOrMinusJitter) {
    Stage s("delay 100ms 30ms limit 10000");
    for (std::uint64_t n = 0; n < 2000; ++n) {
        s.stage.push(numbered(n, 1), at_ms(0));
    }
    // Exact times in [70 ms, 130 ms), as tc's; each leaves at the next millisecond tick.
    EXPECT_GE(*s.stage.next_deadline(), at_ms(70));
    EXPECT_TRUE(s.stage.take_due(at_ms(69)).empty());
    const std::size_t early = s.stage.take_due(at_ms(100)).size();
    EXPECT_NEAR(static_cast<double>(early), 1000.0, 5 * std::sqrt(500.0)) << "half by T";
    EXPECT_EQ(early + s.stage.take_due(at_ms(130)).size(), 2000u);
    EXPECT_EQ(s.stage.held(), 0u);
}

TEST(NetemImpairment, NormalJitterStaysWithinFourDeviations) {
    Stage s("delay 100ms 10ms distribution normal limit 10000");
    for (std::uint64_t n = 0; n < 5000; ++n) {
        s.stage.push(numbered(n, 1), at_ms(0));
    }
    EXPECT_GE(*s.stage.next_deadline(), at_ms(60));
    EXPECT_EQ(s.stage.take_due(at_ms(140)).size(), 5000u);
    // And never a negative delay: a wide jitter is cut at zero.
    Stage wide("delay 10ms 20ms distribution normal");
    for (std::uint64_t n = 0; n < 1000; ++n) {
        wide.stage.push(numbered(n, 1), at_ms(50));
    }
    EXPECT_EQ(wide.stage.next_deadline(), at_ms(50));
}

TEST(NetemImpairment, DiscardDropsTheHeldCopiesOfOneTag) {
    Stage s("delay 10ms");
    s.stage.push(numbered(1), at_ms(0));
    s.stage.push(numbered(2), at_ms(0));
    s.stage.push(numbered(1), at_ms(0));
    EXPECT_EQ(s.stage.discard(1), 2u);
    const auto out = s.stage.take_due(at_ms(10));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].tag, 2u);
    expect_balanced(s.stage);
}

TEST(NetemImpairment, ANewSpecKeepsWhatIsHeldAtItsTime) {
    Stage s("delay 100ms");
    s.stage.push(numbered(1), at_ms(0));
    s.stage.set_spec(Spec{});
    s.stage.push(numbered(2), at_ms(10));
    const auto now = s.stage.take_due(at_ms(10));
    ASSERT_EQ(now.size(), 1u);
    EXPECT_EQ(now[0].tag, 2u);
    EXPECT_EQ(s.stage.next_deadline(), at_ms(100));
}

}  // namespace
}  // namespace atcoap::netem::test
