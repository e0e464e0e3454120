// The soak binary (docs/TESTING.md "Soak"): `soak_test --hours H --seed S [--verbose]` runs
// H hours of virtual time (ctest: 1; scripts/soak.sh: 24) and fails on the first broken
// invariant, naming the seed and the virtual time. gtest's own flags work as usual.

#include "soak.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

namespace atcoap::soak {
namespace {

SoakOptions options;

// Live blocks may rise this much above the first sample after the warm-up (a fraction of the
// count, plus a floor for small runs): what a bound holds varies with the traffic of the
// moment, but a structure without one grows with time and passes it.
constexpr double kGrowthAllowed = 0.25;
constexpr std::size_t kGrowthFloor = 2'000;

void print(const SoakResult& result) {
    const SoakTally& t = result.tally;
    std::cout << fmt::format(
        "{} virtual hours, seed {}: {:.1f} s of wall time ({:.1f} s per virtual day)\n"
        "actions {}, AT pings {}, CONs {} (acknowledged {}, gave up {}, closed first {}), "
        "NONs {}, retransmissions {}\n"
        "+QCOAPRECV {} (notifications {}), observations {} (cancelled {}), opens {} "
        "(refused -3: {}), closes {}\n"
        "radio changes {}, PDP drops {}, uploads {}, deletes {}, lists {}, datagrams {}\n",
        options.hours, options.seed, result.wall_seconds, result.wall_seconds * 24 / options.hours,
        t.actions, t.at_pings, t.cons, t.cons_acknowledged, t.cons_given_up, t.cons_forgotten,
        t.nons, t.retransmissions, t.recvs, t.notifications, t.observations, t.cancels, t.opens,
        t.opens_refused, t.closes, t.radio_changes, t.pdp_drops, t.uploads, t.deletes, t.lists,
        t.datagrams);
    for (const HeapSample& sample : result.samples) {
        std::cout << fmt::format("heap at hour {:.2f}: {} live blocks, {} live bytes\n",
                                 sample.hour, sample.heap.live_blocks, sample.heap.live_bytes);
    }
}

TEST(Soak, EveryInvariantHoldsAndTheHeapStaysFlat) {
    const SoakResult result = run_soak(options);
    print(result);
    ASSERT_EQ(result.failure, "");
    ASSERT_GE(result.samples.size(), 2U);
    const HeapCounts first = result.samples.front().heap;
    const auto limit =
        first.live_blocks +
        std::max(kGrowthFloor,
                 static_cast<std::size_t>(static_cast<double>(first.live_blocks) * kGrowthAllowed));
    for (const HeapSample& sample : result.samples) {
        EXPECT_LE(sample.heap.live_blocks, limit) << "at hour " << sample.hour;
    }
    // Every kind of traffic happened (a soak that did nothing proves nothing).
    const SoakTally& t = result.tally;
    EXPECT_GT(t.cons_acknowledged, 0U);
    EXPECT_GT(t.cons_given_up, 0U);
    EXPECT_GT(t.notifications, 0U);
    EXPECT_GT(t.cancels, 0U);
    EXPECT_GT(t.closes, 0U);
    EXPECT_GT(t.opens_refused, 0U);
    EXPECT_GT(t.pdp_drops, 0U);
    EXPECT_GT(t.uploads, 0U);
    EXPECT_GT(t.deletes, 0U);
}

/// Takes --hours, --seed and --verbose out of argv; false on a bad value.
bool take_flags(int& argc, char** argv) {
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--hours" && has_value) {
            options.hours = std::strtod(argv[++i], nullptr);
            if (!(options.hours > 0 && options.hours <= 24 * 365)) {
                return false;
            }
        } else if (arg == "--seed" && has_value) {
            options.seed = std::strtoull(argv[++i], nullptr, 10);
        } else if (arg == "--verbose") {
            options.verbose = true;
        } else if (arg == "--trace") {
            options.trace = true;
        } else {
            argv[kept++] = argv[i];
        }
    }
    argc = kept;
    return true;
}

}  // namespace
}  // namespace atcoap::soak

int main(int argc, char** argv) {
    if (!atcoap::soak::take_flags(argc, argv)) {
        std::cerr << "usage: soak_test [--hours H (0 < H)] [--seed N] [--verbose] [--trace] [gtest "
                     "flags]\n";
        return 2;
    }
    testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
