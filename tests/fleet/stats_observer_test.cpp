#include "fleet/stats_observer.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "sim/simulation.hpp"

namespace atcoap::fleet {
namespace {

// A real modem against the test server in virtual time, watched by a StatsObserver.
struct Watched {
    explicit Watched(sim::SimulationOptions options = {})
        : sim(std::move(options)), observer(stats, [this] { return sim.now(); }) {
        EXPECT_TRUE(sim.modem().add_observer(&observer));
        sim.command("ATE0");
        sim.take_output();
    }
    sim::Simulation sim;
    FleetStats stats;
    StatsObserver observer;
};

sim::SimulationOptions delayed(int to_server_ms, int to_modem_ms) {
    sim::SimulationOptions options;
    options.to_server.delay = Duration{to_server_ms};
    options.to_modem.delay = Duration{to_modem_ms};
    return options;
}

TEST(StatsObserver, CountsConRequestsTheirResponsesAndTheirRoundTrips) {
    Watched w(delayed(30, 20));
    w.sim.command("AT+QCOAPOPEN=0,\"127.0.0.1\",5683");
    for (int i = 0; i < 3; ++i) {
        w.sim.command("AT+QCOAPSEND=0,0,1,0,0");  // CON GET: ACK 2.05 after 50 ms
        ASSERT_TRUE(w.sim.run_until_output("+QCOAPRECV:", Duration{1000}));
        w.sim.take_output();
    }
    w.sim.command("AT+QCOAPSEND=0,1,1,0,0");  // NON GET: a NON 2.05
    ASSERT_TRUE(w.sim.run_until_output("+QCOAPRECV:", Duration{1000}));
    EXPECT_EQ(w.stats.requests, 4u);
    EXPECT_EQ(w.stats.retransmissions, 0u);
    EXPECT_EQ(w.stats.responses, (std::map<std::string, std::uint64_t>{{"2.05", 4}}));
    EXPECT_EQ(w.stats.latency.count(), 4u);
    EXPECT_EQ(w.stats.latency.max(), 50'000u);
    EXPECT_EQ(w.stats.latency.percentile(0.5), 50'000u);
    EXPECT_TRUE(w.stats.at_failures.empty());
    EXPECT_EQ(w.stats.give_ups, 0u);
    EXPECT_EQ(w.stats.handshakes, 0u) << "a plain client has no handshake";
}

TEST(StatsObserver, CountsASeparateResponseOnceFromItsRequest) {
    Watched w(delayed(10, 10));
    w.sim.command("AT+QCOAPOPEN=0,\"127.0.0.1\",5683");
    w.sim.command("AT+QCOAPOPTION=0,0,0,11,\"separate\"");
    w.sim.command("AT+QCOAPSEND=0,0,1,1,0");
    ASSERT_TRUE(w.sim.run_until_output("+QCOAPRECV:", Duration{5000}));
    EXPECT_EQ(w.stats.requests, 1u);
    EXPECT_EQ(w.stats.responses.at("2.05"), 1u);
    ASSERT_EQ(w.stats.latency.count(), 1u) << "the empty ACK is no response";
    EXPECT_EQ(w.stats.latency.max(), 1'020'000u);  // 1 s at the server, 10 ms each way
}

TEST(StatsObserver, CountsRetransmissionsAndTheGiveUpOfAnUnansweredCon) {
    Watched w;
    w.sim.command("AT+QCOAPCFG=\"trans\",0,2,4");
    w.sim.command("AT+QCOAPOPEN=0,\"127.0.0.1\",9999");  // nothing answers there
    w.sim.command("AT+QCOAPSEND=0,0,1,0,0");
    ASSERT_TRUE(w.sim.run_until_output(",-11\r\n", Duration{300'000})) << w.sim.output();
    EXPECT_EQ(w.stats.requests, 1u);
    EXPECT_EQ(w.stats.retransmissions, 4u);
    EXPECT_EQ(w.stats.give_ups, 1u);
    EXPECT_EQ(w.stats.at_failures, (std::map<int, std::uint64_t>{{-11, 1}}));
    EXPECT_TRUE(w.stats.responses.empty());
    EXPECT_EQ(w.stats.latency.count(), 0u);
}

TEST(StatsObserver, CountsAFailedOpenByItsResultCode) {
    Watched w;
    w.sim.command("AT+QCOAPOPEN=1,\"nowhere.invalid\",5683");
    w.sim.command("AT+QCOAPOPEN?");  // its answer is no URC and counts nothing
    EXPECT_EQ(w.stats.at_failures, (std::map<int, std::uint64_t>{{-5, 1}}));
    EXPECT_EQ(w.stats.handshake_failures, 0u);
}

sim::SimulationOptions with_dtls(std::string_view server_key) {
    sim::SimulationOptions options = delayed(25, 15);
    options.dtls = server::DtlsOptions{};
    options.dtls->keys.push_back(server::PskEntry{"864508030012428", to_bytes(server_key)});
    return options;
}

void open_dtls(Watched& w) {
    w.sim.command("AT+QCOAPCFG=\"dtls\",1,1,0");
    w.sim.command("AT+QSSLCFG=\"dtls\",0,1");
    w.sim.command("AT+QFUPL=\"UFS:0_server.psk\",34");
    w.sim.type("864508030012428&313233343446473839");  // key "12344FG89"
    w.sim.take_output();
    w.sim.command("AT+QCOAPOPEN=1,\"127.0.0.1\",5684");
}

TEST(StatsObserver, TimesADtlsHandshakeFromTheOpenToTheConnectedClient) {
    Watched w(with_dtls("12344FG89"));
    const TimePoint opened = w.sim.now();
    open_dtls(w);
    ASSERT_TRUE(w.sim.run_until_output("+QCOAPOPEN: 1,0", Duration{10'000})) << w.sim.output();
    EXPECT_EQ(w.stats.handshakes, 1u);
    ASSERT_EQ(w.stats.handshake.count(), 1u);
    const auto took = static_cast<std::uint64_t>((w.sim.now() - opened).count()) * 1000;
    EXPECT_GT(took, 0u);
    EXPECT_EQ(w.stats.handshake.max(), took);
    EXPECT_EQ(w.stats.handshake_failures, 0u);
    EXPECT_TRUE(w.stats.at_failures.empty());
}

TEST(StatsObserver, CountsAFailedDtlsHandshake) {
    Watched w(with_dtls("another key"));
    open_dtls(w);
    ASSERT_TRUE(w.sim.run_until_output("+QCOAPOPEN: 1,-9", Duration{120'000})) << w.sim.output();
    EXPECT_EQ(w.stats.handshakes, 0u);
    EXPECT_EQ(w.stats.handshake.count(), 0u);
    EXPECT_EQ(w.stats.handshake_failures, 1u);
    EXPECT_EQ(w.stats.at_failures, (std::map<int, std::uint64_t>{{-9, 1}}));
}

TEST(FleetStats, MergeAddsEveryCountAndHistogram) {
    FleetStats a;
    a.requests = 3;
    a.modems_up = 2;
    a.responses["2.05"] = 3;
    a.at_failures[-11] = 1;
    a.latency.record(1000);
    FleetStats b;
    b.requests = 4;
    b.iterations_passed = 1;
    b.responses["2.05"] = 2;
    b.responses["4.04"] = 1;
    b.at_failures[-3] = 2;
    b.latency.record(2000);
    b.handshake.record(300);
    FleetStats ab = a;
    ab.merge(b);
    FleetStats ba = b;
    ba.merge(a);
    EXPECT_EQ(ab, ba);
    EXPECT_EQ(ab.requests, 7u);
    EXPECT_EQ(ab.modems_up, 2u);
    EXPECT_EQ(ab.iterations_passed, 1u);
    EXPECT_EQ(ab.responses, (std::map<std::string, std::uint64_t>{{"2.05", 5}, {"4.04", 1}}));
    EXPECT_EQ(ab.at_failures, (std::map<int, std::uint64_t>{{-11, 1}, {-3, 2}}));
    EXPECT_EQ(ab.latency.count(), 2u);
    EXPECT_EQ(ab.handshake.count(), 1u);
}

}  // namespace
}  // namespace atcoap::fleet
