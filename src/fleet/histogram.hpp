#pragma once
// A latency histogram with logarithmic buckets (docs/FLEET.md, "Latency"): fixed memory, a
// documented bound on the relative error of every percentile, and exact merging, so the
// histograms of many modems, threads, processes or pods add up to the fleet's.

#include <cstdint>
#include <vector>

namespace atcoap::fleet {

class LatencyHistogram {
  public:
    /// Values are microseconds. A percentile is reported as its bucket's upper bound, at most
    /// this much above the true value (relative); values below 1 µs count as 1 µs.
    static constexpr double kRelativeError = 1.0 / 64;
    /// Values below 2 x kSubBuckets µs have a bucket each (exact); above, each power of two is cut
    /// into kSubBuckets buckets of equal width, so a bucket is at most 1/64 of its values wide.
    static constexpr std::uint32_t kSubBuckets = 64;
    /// Values above this (2^40 µs, 12.7 days) count as this: the bound on the memory, which grows
    /// to at most kMaxIndex + 1 counters (18 KiB) whatever is recorded.
    static constexpr std::uint64_t kMaxValue = std::uint64_t{1} << 40;
    static constexpr std::uint32_t kMaxIndex = 2 * kSubBuckets + (40 - 7) * kSubBuckets;

    /// The bucket a value falls in, and the largest value of a bucket.
    static std::uint32_t index_of(std::uint64_t micros);
    static std::uint64_t upper_bound(std::uint32_t index);

    void record(std::uint64_t micros);
    /// Adds `other` bucket by bucket: merging is exact, and in any order gives the same result
    /// (counts saturate at 2^64 - 1, which no run reaches).
    void merge(const LatencyHistogram& other);

    std::uint64_t count() const { return count_; }
    std::uint64_t max() const { return max_; }  // exact, 0 when empty
    /// q in [0, 1]: the smallest bucket bound below which at least q of the values lie; 0 when
    /// empty.
    std::uint64_t percentile(double q) const;

    /// The non-empty buckets as (index, count), index ascending: what the JSON lines carry.
    struct Bucket {
        std::uint32_t index = 0;
        std::uint64_t count = 0;
    };
    std::vector<Bucket> buckets() const;
    /// Rebuilds from buckets() and max(); false (and unchanged) when an index is out of range,
    /// the indexes are not ascending, a count is 0, the total overflows, or max is not in the
    /// highest bucket (0 when there are none).
    bool assign(const std::vector<Bucket>& buckets, std::uint64_t max);

    bool operator==(const LatencyHistogram&) const = default;

  private:
    std::vector<std::uint64_t> counts_;  // up to the highest non-empty bucket, at most kMaxIndex+1
    std::uint64_t count_ = 0;
    std::uint64_t max_ = 0;
};

}  // namespace atcoap::fleet
