#pragma once
// What the fleet benchmark's peers share (docs/PERFORMANCE.md, "Fleets"): (b) fleet_libcoap
// and (c) fleet_floor each hold C connections to one server and print one JSON line at the
// end. Both read their own memory and CPU, keep latencies in a histogram of fixed size (made
// before the first memory reading, so that it does not count as the connections'), and raise
// their open-file limit, since 10,000 sockets need more than the usual soft limit of 1,024.

#include <sys/resource.h>

#include <array>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace atcoap::bench::fleet {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;

/// The soft limit of open files raised to the hard one; returns the limit now in force.
inline rlim_t raise_open_files() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return 0;
    }
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
    return limit.rlim_cur;
}

/// VmRSS and VmHWM of this process, KiB (/proc/self/status); -1 when absent.
struct Memory {
    long rss_kib = -1;
    long hwm_kib = -1;
};

inline Memory read_memory() {
    Memory memory;
    std::ifstream status("/proc/self/status");
    for (std::string key; status >> key;) {
        if (key == "VmRSS:") {
            status >> memory.rss_kib;
        } else if (key == "VmHWM:") {
            status >> memory.hwm_kib;
        }
    }
    return memory;
}

/// User and system CPU time of this process so far, seconds.
inline double cpu_seconds() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// Microsecond latencies in log-linear buckets: 32 per power of two, so a percentile, given
/// as its bucket's upper bound, is at most 1/32 above the true value. Fixed size (10 KiB).
class Latencies {
  public:
    void record(Clock::duration latency) {
        const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(latency).count();
        const auto value = static_cast<std::uint64_t>(micros < 0 ? 0 : micros);
        const std::size_t index = index_of(value);
        ++counts_[index < kBuckets ? index : kBuckets - 1];
        ++count_;
    }

    std::uint64_t count() const { return count_; }

    /// q in (0, 1]: the upper bound of the bucket holding the value of rank ceil(q * count).
    std::uint64_t percentile(double q) const {
        const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count_) + 0.999999);
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < kBuckets; ++i) {
            seen += counts_[i];
            if (seen >= rank && counts_[i] != 0) {
                return upper_bound_of(i);
            }
        }
        return 0;
    }

  private:
    static constexpr std::size_t kSub = 32;
    static constexpr std::size_t kBuckets = kSub * 40;  // up to 2^44 µs

    static std::size_t index_of(std::uint64_t value) {
        if (value < kSub) {
            return value;
        }
        const auto shift = static_cast<std::size_t>(std::bit_width(value)) - 6;
        return (shift + 1) * kSub + ((value >> shift) - kSub);
    }
    static std::uint64_t upper_bound_of(std::size_t index) {
        if (index < kSub) {
            return index;
        }
        const std::size_t shift = index / kSub - 1;
        return ((index % kSub + kSub + 1) << shift) - 1;
    }

    std::array<std::uint64_t, kBuckets> counts_{};
    std::uint64_t count_ = 0;
};

/// The fields every peer's line has, after its own `peer` and `transport`.
inline Json result_fields(std::size_t connections, double seconds, std::uint64_t done,
                          const Latencies& latencies, const Memory& start, const Memory& end,
                          double cpu) {
    return Json{{"connections", connections},
                {"seconds", seconds},
                {"requests", done},
                {"per_second", seconds > 0 ? static_cast<double>(done) / seconds : 0.0},
                {"p50_us", latencies.percentile(0.50)},
                {"p99_us", latencies.percentile(0.99)},
                {"cpu_s", cpu},
                {"rss_start_kib", start.rss_kib},
                {"hwm_start_kib", start.hwm_kib},
                {"rss_end_kib", end.rss_kib},
                {"hwm_end_kib", end.hwm_kib}};
}

/// Writes `line` and a newline on standard output at once.
inline void print_line(const Json& line) {
    std::printf("%s\n", line.dump().c_str());
    std::fflush(stdout);
}

}  // namespace atcoap::bench::fleet
