// One stage over 100,000 datagrams: measured rates against the spec, within statistical bounds
// (five standard deviations of a binomial count: a fixed seed passes or fails every run alike,
// and a correct stage fails for any seed with a chance below one in a million).

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "impairment_harness.hpp"

namespace atcoap::netem::test {
namespace {

constexpr std::uint64_t kCount = 100'000;

void expect_rate(std::uint64_t count, std::uint64_t trials, double p, const char* what) {
    const double mean = static_cast<double>(trials) * p;
    const double bound = 5 * std::sqrt(mean * (1 - p));
    EXPECT_NEAR(static_cast<double>(count), mean, bound) << what;
}

TEST(NetemStats, LossRateMatchesItsPercentage) {
    Stage s("loss 30%");
    std::uint64_t passed = 0;
    for (std::uint64_t n = 0; n < kCount; ++n) {
        s.stage.push(numbered(n, 1), at_ms(0));
        passed += s.stage.take_due(at_ms(0)).size();
    }
    expect_rate(s.stage.counters().lost, kCount, 0.30, "lost");
    EXPECT_EQ(passed, kCount - s.stage.counters().lost);
    expect_balanced(s.stage);
}

TEST(NetemStats, DuplicateCorruptAndReorderRatesMatch) {
    Stage s("delay 10ms reorder 25% duplicate 10% corrupt 5% limit 10000");
    std::uint64_t copies = 0;
    for (std::uint64_t n = 0; n < kCount; ++n) {
        const TimePoint now = at_ms(static_cast<std::int64_t>(n));
        copies += static_cast<std::uint64_t>(s.stage.push(numbered(n, 20), now));
        s.stage.take_due(now);
    }
    const Counters& c = s.stage.counters();
    expect_rate(c.duplicated, kCount, 0.10, "duplicated");
    expect_rate(c.corrupted, copies, 0.05, "corrupted");
    expect_rate(c.reordered, copies, 0.25, "reordered");
    expect_balanced(s.stage);
}

TEST(NetemStats, GilbertElliottMatchesItsLossRateAndMeanBurst) {
    // p = 5%, r = 25%, all lost in Bad and none in Good: the stationary loss is p / (p + r)
    // = 1/6, and a burst of losses lasts 1/r = 4 datagrams on average (geometric).
    Stage s("loss gemodel 5% 25%");
    std::vector<std::uint64_t> bursts;
    std::uint64_t run = 0;
    for (std::uint64_t n = 0; n < kCount; ++n) {
        const bool lost = s.stage.push(numbered(n, 1), at_ms(0)) == 0;
        s.stage.take_due(at_ms(0));
        if (lost) {
            ++run;
        } else if (run > 0) {
            bursts.push_back(run);
            run = 0;
        }
    }
    expect_rate(s.stage.counters().lost, kCount, 1.0 / 6.0, "lost");
    double sum = 0;
    for (const std::uint64_t b : bursts) {
        sum += static_cast<double>(b);
    }
    const double mean = sum / static_cast<double>(bursts.size());
    // Geometric bursts: standard deviation sqrt(1-r)/r = 3.46; over ~4,000 bursts the mean
    // is within 5 standard errors (0.27) of 4.
    const double bound = 5 * std::sqrt(0.75) / 0.25 / std::sqrt(static_cast<double>(bursts.size()));
    EXPECT_NEAR(mean, 4.0, bound) << bursts.size() << " bursts";
    EXPECT_GT(bursts.size(), 3000u);
}

TEST(NetemStats, UniformJitterIsCenteredOnTheDelay) {
    Stage s("delay 100ms 40ms limit 10000");
    double sum = 0;
    std::uint64_t taken = 0;
    for (std::uint64_t n = 0; n < kCount / 10; ++n) {
        s.stage.push(numbered(n, 1), at_ms(0));
    }
    for (std::int64_t t = 0; t <= 140; ++t) {
        const auto out = s.stage.take_due(at_ms(t));
        sum += static_cast<double>(t) * static_cast<double>(out.size());
        taken += out.size();
    }
    EXPECT_EQ(taken, kCount / 10);
    // Departures round up to the millisecond: the mean is about T + 0.5 ms.
    EXPECT_NEAR(sum / static_cast<double>(taken), 100.5, 0.6);
}

}  // namespace
}  // namespace atcoap::netem::test
