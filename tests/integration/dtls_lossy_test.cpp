// Seeded runs of the note's §5.2 set-up and one CON GET over DTLS on a link that loses 30% of
// the datagrams both ways: the handshake ends in +QCOAPOPEN with 0 or the handshake failure -9
// (within the negotiate time), and the CON like over plain UDP, except that a retransmission
// may find the session ended by the server (after 60 s without a datagram it closes it) and
// be reported unsent. Nothing else may appear.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <iostream>
#include <string>

#include "host_output.hpp"
#include "sim/simulation.hpp"

namespace atcoap::integration {
namespace {

using sim::LinkSettings;
using sim::Simulation;
using sim::SimulationOptions;

constexpr int kMaxRetransmissions = 4;
// The default negotiate time is 300 s (docs/DIALECT.md §4): the handshake ends before this.
constexpr Duration kOpenBound{320'000};
constexpr Duration kExchangeBound{120'000};

struct Tally {
    int opened = 0;
    int handshake_failed = 0;
    int acknowledged = 0;
    int gave_up = 0;
    int unsent = 0;
};

SimulationOptions lossy_dtls(std::uint64_t seed) {
    SimulationOptions options;
    options.seed = seed;
    LinkSettings link;
    link.loss = 0.3;
    link.delay = Duration{50};
    options.to_server = link;
    options.to_modem = link;
    options.dtls = server::DtlsOptions{};
    options.dtls->keys.push_back(server::PskEntry{"864508030012428", to_bytes("12344FG89")});
    return options;
}

std::optional<std::string> check_output(const std::string& output, Tally& tally) {
    OutputReader in(output);
    const std::string prelude = "\r\nRDY\r\n\r\nAPP RDY\r\nATE0\r\r\nOK\r\n" + framed("OK") +
                                framed("OK") + framed("OK") + framed("CONNECT") +
                                framed("+QFUPL: 34,322e") + framed("OK") + framed("OK");
    if (!in.take(prelude)) {
        return "unexpected start: " + in.rest();
    }
    if (in.take(framed("+QCOAPOPEN: 0,-9"))) {
        ++tally.handshake_failed;
        return in.done() ? std::nullopt : std::optional("after -9: " + in.rest());
    }
    if (!in.take(framed("+QCOAPOPEN: 0,0") + framed("OK") + framed("OK"))) {
        return "unexpected open: " + in.rest();
    }
    ++tally.opened;
    const auto report = read_con(in, 0, 1000, kMaxRetransmissions,
                                 recv_block(0, 1000, "2.05", "AA", "atcoap test server"));
    if (!report) {
        return "unexpected output of the CON: " + in.rest();
    }
    ++(report->acknowledged ? tally.acknowledged : tally.gave_up);
    tally.unsent += report->unsent;
    if (!in.take(framed("OK") + framed("+QCOAPCLOSE: 0,0")) || !in.done()) {
        return "unexpected output after the CON: " + in.rest();
    }
    return std::nullopt;
}

std::optional<std::string> run_seed(std::uint64_t seed, Tally& tally) {
    Simulation sim(lossy_dtls(seed));
    sim.command("ATE0");
    sim.command(fmt::format("AT+QCOAPCFG=\"trans\",0,2,{}", kMaxRetransmissions));
    sim.command("AT+QCOAPCFG=\"dtls\",0,1,0");
    sim.command("AT+QSSLCFG=\"dtls\",0,1");
    sim.command("AT+QFUPL=\"UFS:0_server.psk\",34");
    sim.type("864508030012428&313233343446473839");
    sim.command("AT+QCOAPOPEN=0,\"leshan.eclipseprojects.io\",5684");
    if (!sim.run_until_output("+QCOAPOPEN: 0,", kOpenBound)) {
        return "the handshake did not end within the negotiate time";
    }
    if (sim.output().ends_with(framed("+QCOAPOPEN: 0,0"))) {
        sim.command("AT+QCOAPHEADER=0,1000,0,1,AA");
        sim.command("AT+QCOAPSEND=0,0,1,0,0");
        if (!sim.run_until_output("+QCOAPACK: 0,0,1000,", kExchangeBound)) {
            return "the CON did not end";
        }
        sim.advance(Duration{300'000});
        sim.command("AT+QCOAPCLOSE=0");
    }
    sim.advance(Duration{10'000});
    return check_output(sim.output(), tally);
}

TEST(DtlsLossyRuns, ThreeHundredSeedsAtThirtyPercentLossEndEveryOpenAndEveryCon) {
    Tally tally;
    int failures = 0;
    for (std::uint64_t seed = 1; seed <= 300 && failures < 3; ++seed) {
        if (const auto failure = run_seed(seed, tally)) {
            ADD_FAILURE() << "seed " << seed << ": " << *failure;
            ++failures;
        }
    }
    std::cout << "DTLS opens: " << tally.opened << ", handshakes failed: " << tally.handshake_failed
              << "; CONs acknowledged: " << tally.acknowledged << ", gave up: " << tally.gave_up
              << ", retransmissions unsent: " << tally.unsent << '\n';
    EXPECT_EQ(tally.opened + tally.handshake_failed, 300);
    EXPECT_EQ(tally.acknowledged + tally.gave_up, tally.opened);
    EXPECT_GT(tally.opened, 250);
}

}  // namespace
}  // namespace atcoap::integration
