#pragma once
// A network impairment in the vocabulary of Linux `tc netem` (tc-netem(8)), so that whoever
// knows tc needs no manual: "loss 5%", "delay 100ms 20ms distribution normal", "rate 64kbit
// limit 20" ... docs/FAULTS.md "Network impairments" lists every clause with its bounds.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace atcoap::netem {

using Nanoseconds = std::chrono::nanoseconds;

/// tc's default queue limit (tc-netem(8): "limit packets ... default 1000").
inline constexpr std::size_t kDefaultLimit = 1000;
/// The largest `limit`: bounds what one stage holds (datagrams of at most 64 KiB each).
inline constexpr std::size_t kMaxLimit = 10000;
/// The longest `delay` and jitter: one hour; a CoAP exchange is over long before.
inline constexpr Nanoseconds kMaxTime = std::chrono::hours(1);
/// The fastest `rate`: 100 Gbit/s.
inline constexpr std::uint64_t kMaxRate = 100'000'000'000;
/// The largest reorder `gap`.
inline constexpr unsigned kMaxGap = 1'000'000;

enum class Distribution { Uniform, Normal };

/// tc's `loss gemodel p [r [1-h [1-k]]]`, as fractions: p moves Good to Bad, r Bad to Good;
/// a datagram is lost with `bad_loss` (1-h) in Bad and `good_loss` (1-k) in Good.
/// tc's defaults: r = 1-p, 1-h = 1, 1-k = 0 (Bernoulli loss of p).
struct GilbertElliott {
    double p = 0;
    double r = 1;
    double bad_loss = 1;
    double good_loss = 0;
    friend bool operator==(const GilbertElliott&, const GilbertElliott&) = default;
};

/// One direction's impairment. Probabilities are fractions 0 to 1; an absent clause is nullopt
/// and draws nothing. The default Spec impairs nothing.
struct Spec {
    std::optional<double> loss;             // `loss P%` (also `loss random P%`)
    std::optional<GilbertElliott> gemodel;  // `loss gemodel ...`; never with `loss P%`
    Nanoseconds delay{0};                   // `delay T`
    Nanoseconds jitter{0};                  // `delay T J`
    Distribution distribution = Distribution::Uniform;
    std::optional<double> duplicate;    // `duplicate P%`
    std::optional<double> reorder;      // `reorder P%` (needs a delay)
    unsigned gap = 0;                   // `gap N`; 1 when reorder is given without it
    std::optional<double> corrupt;      // `corrupt P%`
    std::optional<std::uint64_t> rate;  // `rate R`, in bit/s
    std::size_t limit = kDefaultLimit;  // `limit N`, datagrams
    bool blackhole = false;             // `blackhole`
    friend bool operator==(const Spec&, const Spec&) = default;
};

/// Parses a spec: clauses separated by spaces, in any order, each at most once. The error is
/// one line naming the clause as written and what was expected, such as
/// `"loss 120%": a percentage is 0 to 100`.
Result<Spec, std::string> parse_spec(std::string_view text);

/// The spec in the parser's own words (parse_spec(to_string(s)) == s up to rounding of the
/// fractions to 6 digits), for logs and status reports.
std::string to_string(const Spec& spec);

}  // namespace atcoap::netem
