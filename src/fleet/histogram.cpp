#include "fleet/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace atcoap::fleet {

namespace {

constexpr std::uint32_t kLinearLimit = 2 * LatencyHistogram::kSubBuckets;  // 128: exact below
constexpr unsigned kSubBits = 6;                                           // log2(kSubBuckets)

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
    const std::uint64_t sum = a + b;
    return sum < a ? std::numeric_limits<std::uint64_t>::max() : sum;
}

std::uint64_t clamp_value(std::uint64_t micros) {
    return std::clamp<std::uint64_t>(micros, 1, LatencyHistogram::kMaxValue);
}

}  // namespace

// HdrHistogram's layout with 64 sub-buckets: a value v >= 128 with its highest bit e falls in
// sub-bucket (v >> (e - 6)) - 64 of power e, a bucket 2^(e-6) wide; v >= 2^e, so the width is
// below v / 64.
std::uint32_t LatencyHistogram::index_of(std::uint64_t micros) {
    const std::uint64_t v = clamp_value(micros);
    if (v < kLinearLimit) {
        return static_cast<std::uint32_t>(v);
    }
    const auto e = static_cast<unsigned>(std::bit_width(v) - 1);  // >= 7
    const auto sub = static_cast<std::uint32_t>((v >> (e - kSubBits)) - kSubBuckets);
    return kLinearLimit + (e - 7) * kSubBuckets + sub;
}

std::uint64_t LatencyHistogram::upper_bound(std::uint32_t index) {
    if (index < kLinearLimit) {
        return index;
    }
    const unsigned e = 7 + (index - kLinearLimit) / kSubBuckets;
    const std::uint64_t sub = (index - kLinearLimit) % kSubBuckets;
    return ((kSubBuckets + sub + 1) << (e - kSubBits)) - 1;
}

void LatencyHistogram::record(std::uint64_t micros) {
    const std::uint64_t v = clamp_value(micros);
    const std::uint32_t index = index_of(v);
    if (counts_.size() <= index) {
        counts_.resize(index + 1, 0);
    }
    counts_[index] = saturating_add(counts_[index], 1);
    count_ = saturating_add(count_, 1);
    max_ = std::max(max_, v);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
    if (counts_.size() < other.counts_.size()) {
        counts_.resize(other.counts_.size(), 0);
    }
    for (std::size_t i = 0; i < other.counts_.size(); ++i) {
        counts_[i] = saturating_add(counts_[i], other.counts_[i]);
    }
    count_ = saturating_add(count_, other.count_);
    max_ = std::max(max_, other.max_);
}

std::uint64_t LatencyHistogram::percentile(double q) const {
    if (count_ == 0) {
        return 0;
    }
    const double wanted = std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(count_));
    const std::uint64_t rank =
        std::max<std::uint64_t>(1, std::min(count_, static_cast<std::uint64_t>(wanted)));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
        seen = saturating_add(seen, counts_[i]);
        if (seen >= rank) {
            // The bucket's bound, but never above the exact maximum (both are >= the value).
            return std::min(upper_bound(static_cast<std::uint32_t>(i)), max_);
        }
    }
    return max_;
}

std::vector<LatencyHistogram::Bucket> LatencyHistogram::buckets() const {
    std::vector<Bucket> out;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
        if (counts_[i] != 0) {
            out.push_back(Bucket{static_cast<std::uint32_t>(i), counts_[i]});
        }
    }
    return out;
}

bool LatencyHistogram::assign(const std::vector<Bucket>& buckets, std::uint64_t max) {
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        const Bucket& b = buckets[i];
        if (b.index > kMaxIndex || b.count == 0 || (i > 0 && b.index <= buckets[i - 1].index)) {
            return false;
        }
        if (saturating_add(total, b.count) == std::numeric_limits<std::uint64_t>::max()) {
            return false;
        }
        total += b.count;
    }
    // The maximum is exact and lies in the highest bucket; an empty histogram's is 0.
    if (buckets.empty() ? max != 0
                        : (max > kMaxValue || max == 0 || index_of(max) != buckets.back().index)) {
        return false;
    }
    counts_.assign(buckets.empty() ? 0 : buckets.back().index + 1, 0);
    for (const Bucket& b : buckets) {
        counts_[b.index] = b.count;
    }
    count_ = total;
    max_ = max;
    return true;
}

}  // namespace atcoap::fleet
