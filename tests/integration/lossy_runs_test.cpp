// Seeded runs of CON GETs over a lossy link: every CON must end in +QCOAPACK with result 0
// (and its answer reported exactly once) or in the give-up result -11 after every
// retransmission, and the host must see nothing else, byte for byte. A failing seed replays
// exactly: the seed is in the failure message.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <iostream>
#include <string>

#include "host_output.hpp"
#include "sim/simulation.hpp"

namespace atcoap::integration {
namespace {

using sim::LinkSettings;
using sim::Simulation;
using sim::SimulationOptions;

constexpr int kConsPerRun = 3;
constexpr int kMaxRetransmissions = 4;
// ACK timeout 2 s, four retransmissions, random factor up to 1.5 (RFC 7252 §4.8.2): the
// exchange gives up within 93 s; far later, nothing of it may still appear.
constexpr Duration kExchangeBound{120'000};
constexpr Duration kQuietAfter{300'000};

struct Tally {
    int acknowledged = 0;
    int gave_up = 0;
    int unsent = 0;  // retransmissions that found the link down
    std::array<int, kMaxRetransmissions + 1> retransmissions{};  // CONs by retransmission count
};

int message_id_of(int con) {
    return 1000 + con;
}

std::string token_of(int con) {
    return fmt::format("{:04X}", message_id_of(con));
}

/// Runs one seed and checks its whole host output; the first thing that differs, or nullopt.
std::optional<std::string> run_seed(std::uint64_t seed, const LinkSettings& link, Tally& tally) {
    SimulationOptions options;
    options.seed = seed;
    options.to_server = link;
    options.to_modem = link;
    Simulation sim(options);
    sim.command("ATE0");
    sim.command(fmt::format("AT+QCOAPCFG=\"trans\",0,2,{}", kMaxRetransmissions));
    sim.command("AT+QCOAPOPEN=0,\"127.0.0.1\",5683");
    for (int con = 0; con < kConsPerRun; ++con) {
        sim.command(fmt::format("AT+QCOAPHEADER=0,{},0,2,{}", message_id_of(con), token_of(con)));
        sim.command("AT+QCOAPSEND=0,0,1,0,0");
        const std::string done = fmt::format("+QCOAPACK: 0,0,{},", message_id_of(con));
        if (!sim.run_until_output(done, kExchangeBound)) {
            return fmt::format("CON {} did not end within {} s", con,
                               kExchangeBound.count() / 1000);
        }
    }
    sim.advance(kQuietAfter);
    sim.command("AT+QCOAPCLOSE=0");

    OutputReader in(sim.output());
    const std::string prelude = "\r\nRDY\r\n\r\nAPP RDY\r\nATE0\r\r\nOK\r\n" + framed("OK") +
                                framed("OK") + framed("+QCOAPOPEN: 0,0");
    if (!in.take(prelude)) {
        return "unexpected start: " + in.rest();
    }
    for (int con = 0; con < kConsPerRun; ++con) {
        const std::string answer =
            recv_block(0, message_id_of(con), "2.05", token_of(con), "atcoap test server");
        if (!in.take(framed("OK") + framed("OK"))) {
            return fmt::format("CON {}: no OK: {}", con, in.rest());
        }
        const auto report = read_con(in, 0, message_id_of(con), kMaxRetransmissions, answer);
        if (!report) {
            return fmt::format("CON {}: unexpected output: {}", con, in.rest());
        }
        ++(report->acknowledged ? tally.acknowledged : tally.gave_up);
        tally.unsent += report->unsent;
        ++tally.retransmissions[static_cast<std::size_t>(report->retransmissions)];
    }
    if (!in.take(framed("OK") + framed("+QCOAPCLOSE: 0,0")) || !in.done()) {
        return "unexpected output after the last CON: " + in.rest();
    }
    return std::nullopt;
}

void run_seeds(int runs, const LinkSettings& link, Tally& tally) {
    int failures = 0;
    for (int seed = 1; seed <= runs && failures < 3; ++seed) {
        if (const auto failure = run_seed(static_cast<std::uint64_t>(seed), link, tally)) {
            ADD_FAILURE() << "seed " << seed << ": " << *failure;
            ++failures;
        }
    }
}

void print(const Tally& tally) {
    std::cout << "CONs acknowledged: " << tally.acknowledged << ", gave up: " << tally.gave_up
              << "; by retransmissions:";
    for (const int n : tally.retransmissions) {
        std::cout << ' ' << n;
    }
    std::cout << '\n';
}

TEST(LossyRuns, AThousandSeedsAtThirtyPercentLossBothWaysPrintOnlyWhatTheDialectAllows) {
    LinkSettings link;
    link.loss = 0.3;
    link.delay = Duration{50};
    Tally tally;
    run_seeds(1000, link, tally);
    print(tally);
    EXPECT_EQ(tally.acknowledged + tally.gave_up, 1000 * kConsPerRun);
    // A CON gives up only when all five transmissions fail, each with 1 - 0.7 * 0.7 = 0.51:
    // 0.51^5 = 3.5% of 3,000 CONs is about 104.
    EXPECT_EQ(tally.unsent, 0);  // plain UDP: the link is never down
    EXPECT_GT(tally.gave_up, 50);
    EXPECT_LT(tally.gave_up, 170);
    // A give-up comes only after every retransmission (read_con checks it for each CON).
    EXPECT_GE(tally.retransmissions[kMaxRetransmissions], tally.gave_up);
}

TEST(LossyRuns, DuplicatedReorderedAndLateDatagramsAreReportedOnce) {
    LinkSettings link;
    link.loss = 0.1;
    link.duplicate = 0.2;
    link.reorder = 0.2;
    link.reorder_delay = Duration{1500};
    link.delay = Duration{100};
    Tally tally;
    run_seeds(300, link, tally);
    print(tally);
    EXPECT_EQ(tally.acknowledged + tally.gave_up, 300 * kConsPerRun);
}

}  // namespace
}  // namespace atcoap::integration
