#include "cli/fleet_merge.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "fleet/json_lines.hpp"
#include "fleet/stats_observer.hpp"
#include "fleet/summary.hpp"
#include "sim/simulation.hpp"
#include "support/temp_dir.hpp"

namespace atcoap::cli {
namespace {

using fleet::FleetStats;
using fleet::Record;

constexpr std::uint64_t kDevices = 4;
constexpr std::uint64_t kSeed = 5;

/// What device d counted in one interval: a real modem doing d + 2 CON GETs with a delay of its
/// own, against the test server in virtual time.
FleetStats device_interval(std::uint64_t d, int interval) {
    sim::SimulationOptions options;
    options.seed = kSeed * 100 + d;
    options.to_server.delay = Duration{10 + 7 * static_cast<int>(d) + interval};
    sim::Simulation sim(options);
    FleetStats stats;
    fleet::StatsObserver observer(stats, [&sim] { return sim.now(); });
    EXPECT_TRUE(sim.modem().add_observer(&observer));
    sim.command("AT+QCOAPOPEN=0,\"127.0.0.1\",5683");
    for (std::uint64_t i = 0; i < d + 2; ++i) {
        sim.command("AT+QCOAPSEND=0,0,1,0,0");
        EXPECT_TRUE(sim.run_until_output("+QCOAPRECV:", Duration{1000}));
        sim.take_output();
    }
    stats.iterations_started = 1;
    stats.iterations_passed = 1;
    return stats;
}

Record record(Record::Kind kind, std::uint64_t shard, std::uint64_t shards, int end_s) {
    Record r;
    r.kind = kind;
    r.run = fleet::RunInfo{shard, shards, kDevices, kSeed};
    r.elapsed = Duration{end_s * 1000};
    r.length = kind == Record::Kind::Final ? r.elapsed : Duration{1000};
    return r;
}

/// The JSON lines of shard `shard` of `shards` (devices shard, shard + shards ...): two
/// intervals, then the final record.
std::string shard_lines(std::uint64_t shard, std::uint64_t shards) {
    Record total = record(Record::Kind::Final, shard, shards, 2);
    std::string text;
    for (int interval = 0; interval < 2; ++interval) {
        Record r = record(Record::Kind::Interval, shard, shards, interval + 1);
        for (std::uint64_t d = shard; d < kDevices; d += shards) {
            r.stats.merge(device_interval(d, interval));
        }
        total.stats.merge(r.stats);
        text += fleet::to_json_line(r) + "\n";
    }
    return text + fleet::to_json_line(total) + "\n";
}

/// A row of the summary table (fleet/summary.hpp).
std::string row(std::string_view label, std::string_view value) {
    return fmt::format("\n{:<20}{:>12}\n", label, value);
}

struct Merged {
    int code = 0;
    std::string out;
    std::string err;
};

Merged merge(const std::vector<std::string>& files, std::optional<std::string> report = {}) {
    std::ostringstream out;
    std::ostringstream err;
    Merged m;
    m.code = run_fleet_merge(files, report, out, err);
    m.out = out.str();
    m.err = err.str();
    return m;
}

TEST(FleetMerge, TwoShardsMergeToTheSummaryOfTheWholeFleet) {
    test::TempDir dir;
    ASSERT_TRUE(dir.write_file("one.jsonl", shard_lines(0, 1)));
    ASSERT_TRUE(dir.write_file("a.jsonl", shard_lines(0, 2)));
    ASSERT_TRUE(dir.write_file("b.jsonl", shard_lines(1, 2)));
    const Merged one = merge({(dir.path() / "one.jsonl").string()});
    const std::string report = (dir.path() / "report.html").string();
    const Merged two =
        merge({(dir.path() / "b.jsonl").string(), (dir.path() / "a.jsonl").string()}, report);
    EXPECT_EQ(one.code, 0) << one.err;
    EXPECT_EQ(two.code, 0) << two.err;
    EXPECT_EQ(two.out, one.out);
    // Devices 0 to 3 make 2, 3, 4 and 5 requests in each of the two intervals.
    EXPECT_NE(one.out.find(row("requests", "28")), std::string::npos) << one.out;
    std::ifstream page(report);
    std::stringstream html;
    html << page.rdbuf();
    EXPECT_NE(html.str().find("<tr><th>requests</th><td>28</td></tr>"), std::string::npos);
    EXPECT_NE(html.str().find("4 modems, seed 5, 2 shards"), std::string::npos);
}

TEST(FleetMerge, AFailedIterationExitsWithOne) {
    test::TempDir dir;
    Record r = record(Record::Kind::Final, 0, 1, 1);
    r.stats.iterations_failed = 1;
    ASSERT_TRUE(dir.write_file("f.jsonl", fleet::to_json_line(r) + "\n"));
    const Merged m = merge({(dir.path() / "f.jsonl").string()});
    EXPECT_EQ(m.code, 1);
    EXPECT_NE(m.out.find(row("iterations failed", "1")), std::string::npos) << m.out;
}

TEST(FleetMerge, RefusesMissingDuplicateForeignAndBadShardsWithOneLine) {
    test::TempDir dir;
    const auto path = [&](const char* name) { return (dir.path() / name).string(); };
    const auto final_of = [](std::uint64_t shard, std::uint64_t seed) {
        Record r = record(Record::Kind::Final, shard, 2, 1);
        r.run.seed = seed;
        return fleet::to_json_line(r) + "\n";
    };
    ASSERT_TRUE(dir.write_file("a", final_of(0, kSeed)));
    ASSERT_TRUE(dir.write_file("a2", final_of(0, kSeed)));
    ASSERT_TRUE(dir.write_file("other", final_of(1, 6)));
    ASSERT_TRUE(dir.write_file("bad", final_of(1, kSeed) + "{\"record\":1}\n"));
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{path("a")}, "shard 1/2 has no final record (2 shards of 4 modems, seed 5)"},
        {{path("a"), path("a2")},
         "shard 0/2 has two final records: in " + path("a") + " and in " + path("a2")},
        {{path("a"), path("other")},
         path("other") + ": a shard of another fleet (2 shards of 4 "
                         "modems, seed 6), not of 2 shards of 4 "
                         "modems, seed 5"},
        {{path("a"), path("bad")}, path("bad") + ": line 2: the line has no \"version\""},
        {{path("missing")}, path("missing") + ": cannot be opened"},
        {{}, "give 1 to 10000 files of JSON lines"},
    };
    for (const auto& [files, error] : cases) {
        const Merged m = merge(files);
        EXPECT_EQ(m.code, 2);
        EXPECT_EQ(m.err, "atcoap fleet merge: " + error + "\n");
        EXPECT_EQ(m.out, "");
    }
}

}  // namespace
}  // namespace atcoap::cli
