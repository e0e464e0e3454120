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

    void record(std::uint64_t micros);
    /// Adds `other` bucket by bucket: merging is exact, and in any order gives the same result.
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
    /// Rebuilds from buckets() and max(); false (and unchanged) when an index is out of range.
    bool assign(const std::vector<Bucket>& buckets, std::uint64_t max);

    bool operator==(const LatencyHistogram&) const = default;

  private:
    std::vector<std::uint64_t> counts_;  // grows to the highest index used, bounded
    std::uint64_t count_ = 0;
    std::uint64_t max_ = 0;
};

}  // namespace atcoap::fleet
