// The modem's network impairments (modem/network_impairment.hpp) against the test server in
// virtual time: per client and per direction, the give-up at the schedule's exact time, what
// the observers see, and that impairing draws nothing from the modem's own random.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "modem/modem.hpp"
#include "sim/simulation.hpp"

namespace atcoap::integration {
namespace {

using modem::NetemDirection;
using sim::Record;
using sim::Simulation;
using sim::SimulationOptions;

netem::Spec spec_of(std::string_view text) {
    auto spec = netem::parse_spec(text);
    EXPECT_TRUE(spec.ok());
    return spec.ok() ? *spec : netem::Spec{};
}

/// Opens `client` with ACK timeout 2 s and four retransmissions.
void open(Simulation& sim, int client) {
    sim.command(fmt::format("AT+QCOAPCFG=\"trans\",{},2,4", client));
    sim.command(fmt::format("AT+QCOAPOPEN={},\"127.0.0.1\",5683", client));
    ASSERT_TRUE(sim.run_until_output(fmt::format("+QCOAPOPEN: {},0", client), Duration{1000}));
}

/// A CON GET of `client` with message ID `mid`.
void send_con(Simulation& sim, int client, int mid) {
    sim.command(fmt::format("AT+QCOAPHEADER={},{},0,2,{:04X}", client, mid, mid));
    sim.command(fmt::format("AT+QCOAPSEND={},0,1,0,0", client));
}

std::vector<const Record*> records_of(const Simulation& sim, Record::Kind kind, int client) {
    std::vector<const Record*> found;
    for (const Record& record : sim.records()) {
        if (record.kind == kind && record.client == client) {
            found.push_back(&record);
        }
    }
    return found;
}

/// When host output containing `text` was written.
std::optional<TimePoint> written_at(const Simulation& sim, std::string_view text) {
    for (const Record& record : sim.records()) {
        if (record.kind == Record::Kind::HostOutput &&
            std::string_view(reinterpret_cast<const char*>(record.bytes.data()),
                             record.bytes.size())
                    .find(text) != std::string_view::npos) {
            return record.at;
        }
    }
    return std::nullopt;
}

TEST(ModemNetem, FullLossUpGivesUpAtTheScheduleExactTime) {
    Simulation sim;
    sim.command("ATE0");
    ASSERT_TRUE(sim.modem().set_netem(NetemDirection::Up, std::nullopt, spec_of("loss 100%")));
    open(sim, 0);
    const TimePoint sent = sim.now();
    send_con(sim, 0, 300);
    ASSERT_TRUE(sim.run_until_output("+QCOAPACK: 0,0,300,-11", Duration{100'000}));
    // RFC 7252 §4.2: the first wait T0 is drawn in [2 s, 3 s], then it doubles: retransmission
    // k at (2^k - 1) T0, the give-up after the fourth one's wait, at 31 T0.
    const auto first = written_at(sim, "+QCOAPIND: 0,0,300,1,0");
    ASSERT_TRUE(first);
    const Duration t0 = *first - sent;
    EXPECT_GE(t0, Duration{2000});
    EXPECT_LE(t0, Duration{3000});
    for (int k = 2; k <= 4; ++k) {
        EXPECT_EQ(written_at(sim, fmt::format("+QCOAPIND: 0,0,300,{},0", k)),
                  sent + t0 * ((1 << k) - 1));
    }
    EXPECT_EQ(written_at(sim, "+QCOAPACK: 0,0,300,-11"), sent + t0 * 31);
    EXPECT_TRUE(records_of(sim, Record::Kind::ModemSent, 0).empty()) << "nothing on the air";
    const auto counters = sim.modem().netem().counters(NetemDirection::Up, std::nullopt);
    ASSERT_TRUE(counters);
    EXPECT_EQ(counters->received, 5u);
    EXPECT_EQ(counters->lost, 5u);
}

TEST(ModemNetem, AClientSpecAffectsOnlyThatClient) {
    Simulation sim;
    sim.command("ATE0");
    ASSERT_TRUE(sim.modem().set_netem(NetemDirection::Up, 1, spec_of("blackhole")));
    open(sim, 0);
    open(sim, 1);
    send_con(sim, 0, 400);
    send_con(sim, 1, 500);
    EXPECT_TRUE(sim.run_until_output("+QCOAPACK: 0,0,400,0", Duration{1000}));
    EXPECT_TRUE(sim.run_until_output("+QCOAPIND: 1,0,500,1,0", Duration{4000}));
    EXPECT_EQ(records_of(sim, Record::Kind::ModemSent, 0).size(), 1u);
    EXPECT_TRUE(records_of(sim, Record::Kind::ModemSent, 1).empty());
    EXPECT_EQ(sim.modem().netem().counters(NetemDirection::Up, 1)->blackholed, 2u);
    EXPECT_FALSE(sim.modem().netem().counters(NetemDirection::Up, std::nullopt));
    EXPECT_FALSE(sim.modem().netem().counters(NetemDirection::Up, 0));
}

TEST(ModemNetem, AClientSpecTakesPrecedenceOverTheAllClientsOne) {
    Simulation sim;
    sim.command("ATE0");
    ASSERT_TRUE(sim.modem().set_netem(NetemDirection::Up, std::nullopt, spec_of("blackhole")));
    ASSERT_TRUE(sim.modem().set_netem(NetemDirection::Up, 2, spec_of("delay 10ms")));
    open(sim, 2);
    send_con(sim, 2, 600);
    EXPECT_TRUE(sim.run_until_output("+QCOAPACK: 2,0,600,0", Duration{1000}));
    // Cleared, client 2 falls back to the all-clients spec.
    ASSERT_TRUE(sim.modem().set_netem(NetemDirection::Up, 2, std::nullopt));
    send_con(sim, 2, 601);
    EXPECT_TRUE(sim.run_until_output("+QCOAPIND: 2,0,601,1,0", Duration{4000}));
    EXPECT_FALSE(sim.modem().set_netem(NetemDirection::Up, 6, std::nullopt).ok());
}

TEST(ModemNetem, DelayDownHoldsTheAnswerExactly) {
    Simulation sim;
    sim.command("ATE0");
    ASSERT_TRUE(sim.modem().set_netem(NetemDirection::Down, 0, spec_of("delay 300ms")));
    open(sim, 0);
    const TimePoint sent = sim.now();
    send_con(sim, 0, 700);
    ASSERT_TRUE(sim.run_until_output("+QCOAPACK: 0,0,700,0", Duration{1000}));
    EXPECT_EQ(written_at(sim, "+QCOAPACK: 0,0,700,0"), sent + Duration{300});
}

TEST(ModemNetem, AHeldDatagramKeepsTheModemBusy) {
    // At the end of scripted input the shell waits while the modem is busy: a NON still in a
    // delay stage must get out first.
    Simulation sim;
    sim.command("ATE0");
    ASSERT_TRUE(sim.modem().set_netem(NetemDirection::Up, std::nullopt, spec_of("delay 300ms")));
    open(sim, 0);
    sim.command("AT+QCOAPSEND=0,1,1,0,0");
    EXPECT_TRUE(records_of(sim, Record::Kind::ModemSent, 0).empty());
    EXPECT_TRUE(sim.modem().busy());
    sim.advance(Duration{300});
    EXPECT_EQ(records_of(sim, Record::Kind::ModemSent, 0).size(), 1u);
    sim.advance(Duration{100});
    EXPECT_FALSE(sim.modem().busy()) << "the NON's answer came back";
}

struct WireLog final : modem::Observer {
    explicit WireLog(const Simulation& simulation) : sim(simulation) {}
    void on_wire(modem::Direction direction, net::SocketId, ByteView) override {
        (direction == modem::Direction::Sent ? sent : received).push_back(sim.now());
    }
    const Simulation& sim;
    std::vector<TimePoint> sent;
    std::vector<TimePoint> received;
};

TEST(ModemNetem, ObserversSeeTheDatagramsAfterTheImpairment) {
    Simulation sim;
    WireLog wire(sim);
    sim.modem().add_observer(&wire);
    sim.command("ATE0");
    ASSERT_TRUE(sim.modem().set_netem(NetemDirection::Up, std::nullopt, spec_of("duplicate 100%")));
    ASSERT_TRUE(sim.modem().set_netem(NetemDirection::Down, std::nullopt, spec_of("delay 50ms")));
    open(sim, 0);
    const TimePoint sent = sim.now();
    send_con(sim, 0, 800);
    ASSERT_TRUE(sim.run_until_output("+QCOAPACK: 0,0,800,0", Duration{1000}));
    sim.advance(Duration{1000});
    EXPECT_EQ(wire.sent, (std::vector<TimePoint>{sent, sent})) << "the copy too";
    // The server answers each copy (the second from its duplicate history): both when they
    // leave the down stage, 50 ms later.
    EXPECT_EQ(wire.received, (std::vector<TimePoint>{sent + Duration{50}, sent + Duration{50}}));
    sim.modem().remove_observer(&wire);

    Simulation lossy;
    WireLog none(lossy);
    lossy.modem().add_observer(&none);
    ASSERT_TRUE(lossy.modem().set_netem(NetemDirection::Up, std::nullopt, spec_of("loss 100%")));
    open(lossy, 0);
    send_con(lossy, 0, 900);
    lossy.advance(Duration{10'000});
    EXPECT_TRUE(none.sent.empty()) << "a dropped datagram never appears";
    lossy.modem().remove_observer(&none);
}

TEST(ModemNetem, ImpairingDrawsNothingFromTheModemRandom) {
    // The same seed with and without a delay: the modem's first datagram (its message ID and
    // token drawn from the modem's random) is the same.
    const auto first_datagram = [](bool impaired) {
        SimulationOptions options;
        options.seed = 5;
        Simulation sim(options);
        if (impaired) {
            EXPECT_TRUE(sim.modem().set_netem(NetemDirection::Up, std::nullopt,
                                              spec_of("delay 20ms 10ms loss 10%")));
        }
        open(sim, 0);
        sim.command("AT+QCOAPSEND=0,0,1,0,0");
        sim.advance(Duration{5000});
        const auto sent = records_of(sim, Record::Kind::ModemSent, 0);
        return sent.empty() ? Bytes{} : sent.front()->bytes;
    };
    const Bytes plain = first_datagram(false);
    EXPECT_FALSE(plain.empty());
    EXPECT_EQ(first_datagram(true), plain);
}

}  // namespace
}  // namespace atcoap::integration
