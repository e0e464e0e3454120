#include "sim/simulation.hpp"

#include <gtest/gtest.h>

namespace atcoap::sim {
namespace {

TEST(Simulation, StartsTheModemAndRecordsItsFirstLines) {
    Simulation sim;
    EXPECT_EQ(sim.take_output(), "\r\nRDY\r\n\r\nAPP RDY\r\n");
    ASSERT_FALSE(sim.records().empty());
    EXPECT_EQ(sim.records()[0].kind, Record::Kind::HostOutput);
}

TEST(Simulation, CarriesAConGetToTheServerAndItsAnswerBack) {
    SimulationOptions options;
    options.to_server.delay = Duration{30};
    options.to_modem.delay = Duration{20};
    Simulation sim(options);
    sim.command("ATE0");
    sim.command("AT+QCOAPOPEN=0,\"127.0.0.1\",5683");
    sim.command("AT+QCOAPHEADER=0,77,0,1,AB");
    sim.take_output();
    sim.command("AT+QCOAPSEND=0,0,1,0,0");
    EXPECT_EQ(sim.take_output(), "\r\nOK\r\n");
    const TimePoint sent = sim.now();
    ASSERT_TRUE(sim.run_until_output("+QCOAPRECV:", Duration{1000}));
    EXPECT_EQ(sim.now() - sent, Duration{50});  // both delays, exactly
    EXPECT_EQ(sim.take_output(),
              "\r\n+QCOAPACK: 0,0,77,0\r\n"
              "\r\n+QCOAPRECV: 0,77,2.05,1,AB,1,12,\"0\",18\r\natcoap test server\r\n");
}

TEST(Simulation, WithoutHistoryKeepsOnlyTheOutputNotYetTaken) {
    SimulationOptions options;
    options.keep_history = false;
    Simulation sim(options);
    EXPECT_EQ(sim.take_output(), "\r\nRDY\r\n\r\nAPP RDY\r\n");
    sim.command("ATE0");
    sim.command("AT+QCOAPOPEN=0,\"127.0.0.1\",5683");
    sim.command("AT+QCOAPSEND=0,0,1,0,0");
    ASSERT_TRUE(sim.run_until_output("+QCOAPACK: 0,0,", Duration{1000}));
    EXPECT_NE(sim.take_output().find("+QCOAPRECV: 0,"), std::string::npos);
    EXPECT_EQ(sim.output(), "");
    EXPECT_TRUE(sim.records().empty()) << "no datagram is kept";
}

TEST(Simulation, RecordsDatagramsAndOutputInTheOrderTheyHappen) {
    Simulation sim;
    sim.command("AT+QCOAPOPEN=0,\"127.0.0.1\",5683");
    sim.command("AT+QCOAPSEND=0,0,1,0,0");
    std::vector<Record::Kind> kinds;
    for (const Record& r : sim.records()) {
        kinds.push_back(r.kind);
    }
    // The ACK comes back at once: sent, answered, then reported.
    ASSERT_GE(kinds.size(), 3u);
    EXPECT_EQ(kinds[kinds.size() - 3], Record::Kind::ModemSent);
    EXPECT_EQ(kinds[kinds.size() - 2], Record::Kind::ServerSent);
    EXPECT_EQ(kinds.back(), Record::Kind::HostOutput);
    EXPECT_EQ(sim.records()[kinds.size() - 3].client, 0);
}

TEST(Simulation, ANameEndingInInvalidDoesNotResolve) {
    Simulation sim;
    sim.command("ATE0");
    sim.take_output();
    sim.command("AT+QCOAPOPEN=1,\"nowhere.invalid\",5683");
    EXPECT_EQ(sim.take_output(), "\r\nOK\r\n\r\n+QCOAPOPEN: 1,-5\r\n");
}

TEST(Simulation, DatagramsToAnotherPortAreLostAndTheConGivesUp) {
    Simulation sim;
    sim.command("ATE0");
    sim.command("AT+QCOAPOPEN=0,\"127.0.0.1\",9999");
    sim.command("AT+QCOAPSEND=0,0,1,0,0");
    ASSERT_TRUE(sim.run_until_output(",-11\r\n", Duration{300'000})) << sim.output();
    EXPECT_EQ(sim.link().stats(Direction::Forward).sent, 0u);
}

TEST(Simulation, AdvanceFiresTheServersDeadlinesToo) {
    Simulation sim;
    sim.command("ATE0");
    sim.command("AT+QCOAPOPEN=0,\"127.0.0.1\",5683");
    sim.command("AT+QCOAPOPTION=0,0,0,11,\"separate\"");
    sim.command("AT+QCOAPSEND=0,0,1,1,0");
    sim.take_output();
    sim.advance(Duration{999});
    EXPECT_EQ(sim.take_output(), "");
    sim.advance(Duration{1});
    EXPECT_NE(sim.take_output().find("separate response"), std::string::npos);
}

TEST(Simulation, ServesPlainCoapAndDtlsAtOnceAndStepsEventByEvent) {
    SimulationOptions options;
    options.to_server.delay = Duration{25};
    options.dtls = server::DtlsOptions{};
    options.dtls->keys.push_back(server::PskEntry{"864508030012428", to_bytes("12344FG89")});
    Simulation sim(options);
    sim.command("ATE0");
    sim.command("AT+QCOAPCFG=\"dtls\",1,1,0");
    sim.command("AT+QSSLCFG=\"dtls\",0,1");
    sim.command("AT+QFUPL=\"UFS:0_server.psk\",34");
    sim.type("864508030012428&313233343446473839");
    sim.command("AT+QCOAPOPEN=0,\"127.0.0.1\",5683");
    sim.command("AT+QCOAPOPEN=1,\"127.0.0.1\",5684");
    sim.take_output();
    // A driver's loop: the next event, exactly when it is due, and nothing in between.
    for (int steps = 0; steps < 100 && sim.dtls()->session_count() == 0; ++steps) {
        const auto next = sim.next_event();
        ASSERT_TRUE(next);
        ASSERT_GE(*next, sim.now());
        sim.step_to(*next);
        EXPECT_EQ(sim.now(), *next);
    }
    ASSERT_TRUE(sim.run_until_output("+QCOAPOPEN: 1,0", Duration{10'000})) << sim.output();
    sim.command("AT+QCOAPSEND=0,0,1,0,0");
    sim.command("AT+QCOAPSEND=1,0,1,0,0");
    ASSERT_TRUE(sim.run_until(
        [&] {
            return sim.output().find("+QCOAPRECV: 1,") != std::string::npos &&
                   sim.output().find("+QCOAPRECV: 0,") != std::string::npos;
        },
        Duration{10'000}))
        << sim.output();
    EXPECT_EQ(sim.dtls()->session_count(), 1u);
}

TEST(Simulation, AdvanceToStopsAtTheGivenTimeWithNothingDue) {
    Simulation sim;
    EXPECT_FALSE(sim.next_event());
    sim.advance_to(at_ms(1234));
    EXPECT_EQ(sim.now(), at_ms(1234));
    sim.advance_to(at_ms(1000));  // never backwards
    EXPECT_EQ(sim.now(), at_ms(1234));
}

}  // namespace
}  // namespace atcoap::sim
