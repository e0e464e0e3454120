#include "fleet/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace atcoap::fleet {
namespace {

/// The exact percentile of the definition percentile() follows: the value of rank ceil(q n).
std::uint64_t exact(const std::vector<std::uint64_t>& sorted, double q) {
    const double wanted = std::ceil(q * static_cast<double>(sorted.size()));
    const auto rank = std::max<std::uint64_t>(
        1, std::min<std::uint64_t>(sorted.size(), static_cast<std::uint64_t>(wanted)));
    return sorted[rank - 1];
}

TEST(LatencyHistogram, EmptyHasNoPercentileNoMaxNoBuckets) {
    LatencyHistogram h;
    EXPECT_EQ(h.count(), 0u);
    EXPECT_EQ(h.max(), 0u);
    EXPECT_EQ(h.percentile(0.5), 0u);
    EXPECT_TRUE(h.buckets().empty());
}

TEST(LatencyHistogram, SmallValuesAreExactAndZeroCountsAsOne) {
    LatencyHistogram h;
    for (std::uint64_t v = 0; v < 128; ++v) {
        h.record(v);
    }
    EXPECT_EQ(h.count(), 128u);
    EXPECT_EQ(h.percentile(0.0), 1u);
    EXPECT_EQ(h.percentile(0.5), 63u);  // rank 64 of 1, 1, 2 ... 127
    EXPECT_EQ(h.percentile(1.0), 127u);
}

// The documented bound, over values spread across every power of two up to the cap: each
// percentile lies between the exact one and the exact one plus kRelativeError of it.
TEST(LatencyHistogram, EveryPercentileIsWithinTheRelativeErrorOfTheExactOne) {
    std::mt19937_64 random(12);
    for (int round = 0; round < 20; ++round) {
        LatencyHistogram h;
        std::vector<std::uint64_t> values;
        const int bits = 8 + round * 2;  // up to 2^46: past the cap too
        for (int i = 0; i < 5000; ++i) {
            const std::uint64_t v = std::uniform_int_distribution<std::uint64_t>(
                1, std::uint64_t{1} << std::uniform_int_distribution<int>(1, bits)(random))(random);
            values.push_back(std::min(v, LatencyHistogram::kMaxValue));
            h.record(v);
        }
        std::sort(values.begin(), values.end());
        for (double q : {0.0, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 0.9999, 1.0}) {
            const std::uint64_t want = exact(values, q);
            const std::uint64_t got = h.percentile(q);
            EXPECT_GE(got, want) << "q " << q << " round " << round;
            EXPECT_LE(static_cast<double>(got),
                      static_cast<double>(want) * (1 + LatencyHistogram::kRelativeError))
                << "q " << q << " round " << round;
        }
        EXPECT_EQ(h.max(), values.back());
        EXPECT_EQ(h.percentile(1.0), values.back());
    }
}

TEST(LatencyHistogram, EveryBucketIsNarrowerThanItsShareOfItsValues) {
    for (std::uint32_t i = 1; i <= LatencyHistogram::kMaxIndex; ++i) {
        const std::uint64_t low = LatencyHistogram::upper_bound(i - 1) + 1;
        const std::uint64_t high = LatencyHistogram::upper_bound(i);
        ASSERT_EQ(LatencyHistogram::index_of(low), i);
        ASSERT_EQ(LatencyHistogram::index_of(high), i);
        ASSERT_LE(static_cast<double>(high - low),
                  static_cast<double>(low) * LatencyHistogram::kRelativeError);
    }
}

TEST(LatencyHistogram, ValuesPastTheCapCountAsTheCapAndTheMemoryStaysBounded) {
    LatencyHistogram h;
    h.record(~std::uint64_t{0});
    h.record(LatencyHistogram::kMaxValue + 12345);
    EXPECT_EQ(h.max(), LatencyHistogram::kMaxValue);
    ASSERT_EQ(h.buckets().size(), 1u);
    EXPECT_EQ(h.buckets()[0].index, LatencyHistogram::kMaxIndex);
    EXPECT_EQ(h.buckets()[0].count, 2u);
    EXPECT_EQ(h.percentile(0.5), LatencyHistogram::kMaxValue);
}

TEST(LatencyHistogram, MergingIsExactAndInAnyOrderTheSame) {
    std::mt19937_64 random(7);
    std::vector<LatencyHistogram> parts(5);
    LatencyHistogram all;
    for (int i = 0; i < 3000; ++i) {
        const std::uint64_t v = random() % 10'000'000;
        parts[static_cast<std::size_t>(i) % parts.size()].record(v);
        all.record(v);
    }
    LatencyHistogram forward;
    for (const auto& p : parts) {
        forward.merge(p);
    }
    LatencyHistogram backward;
    for (auto p = parts.rbegin(); p != parts.rend(); ++p) {
        backward.merge(*p);
    }
    EXPECT_EQ(forward, all);
    EXPECT_EQ(backward, all);
    LatencyHistogram with_empty = all;
    with_empty.merge(LatencyHistogram{});
    EXPECT_EQ(with_empty, all);
}

TEST(LatencyHistogram, BucketsAndMaxRebuildTheSameHistogram) {
    LatencyHistogram h;
    for (std::uint64_t v : {1u, 5u, 130u, 131u, 70'000u, 70'001u, 9'999'999u}) {
        h.record(v);
    }
    LatencyHistogram copy;
    ASSERT_TRUE(copy.assign(h.buckets(), h.max()));
    EXPECT_EQ(copy, h);
    ASSERT_TRUE(copy.assign({}, 0));
    EXPECT_EQ(copy, LatencyHistogram{});
}

TEST(LatencyHistogram, AssignRefusesWhatNoHistogramHasAndStaysUnchanged) {
    LatencyHistogram h;
    h.record(500);
    const LatencyHistogram before = h;
    using B = LatencyHistogram::Bucket;
    const std::uint32_t top = LatencyHistogram::kMaxIndex;
    EXPECT_FALSE(h.assign({B{top + 1, 1}}, LatencyHistogram::kMaxValue));  // past the bound
    EXPECT_FALSE(h.assign({B{5, 1}, B{5, 1}}, 5));                         // not ascending
    EXPECT_FALSE(h.assign({B{5, 0}}, 5));                                  // an empty bucket
    EXPECT_FALSE(h.assign({B{5, 1}}, 6));                           // max not in the last bucket
    EXPECT_FALSE(h.assign({}, 3));                                  // max without values
    EXPECT_FALSE(h.assign({B{5, ~std::uint64_t{0}}, B{6, 1}}, 6));  // the total overflows
    EXPECT_EQ(h, before);
}

}  // namespace
}  // namespace atcoap::fleet
