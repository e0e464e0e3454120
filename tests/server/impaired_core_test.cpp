// The server's impairment stage (server/impaired_core.hpp) in virtual time, around a fake core
// that echoes every datagram back to its peer.

#include "server/impaired_core.hpp"

#include <gtest/gtest.h>

#include "support/capturing_logger.hpp"

namespace atcoap::server {
namespace {

struct EchoCore final : DatagramCore {
    void on_datagram(const Endpoint& peer, ByteView datagram, TimePoint now) override {
        received.push_back({peer, now});
        out.push_back(Datagram{peer, Bytes(datagram.begin(), datagram.end())});
    }
    void on_timeout(TimePoint now) override { timeouts.push_back(now); }
    std::optional<TimePoint> next_deadline() const override { return deadline; }
    std::vector<Datagram> take_datagrams() override { return std::exchange(out, {}); }

    std::vector<std::pair<Endpoint, TimePoint>> received;
    std::vector<TimePoint> timeouts;
    std::vector<Datagram> out;
    std::optional<TimePoint> deadline;
};

const Endpoint kA{"127.0.0.1", 40000};
const Endpoint kB{"::1", 40001};

ServerImpairment plan(const std::string& both, const std::string& up = "",
                      const std::string& down = "") {
    auto planned = plan_server_impairment(both, up, down);
    EXPECT_TRUE(planned.ok());
    return planned.ok() ? *planned : ServerImpairment{};
}

TEST(ImpairedCore, WithoutASpecPassesEverythingThrough) {
    EchoCore core;
    test::CapturingLogger log;
    ImpairedCore impaired(core, ServerImpairment{}, log, "");
    impaired.on_datagram(kA, as_bytes("x"), at_ms(5));
    ASSERT_EQ(core.received.size(), 1u);
    const auto out = impaired.take_datagrams();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].peer, kA);
}

TEST(ImpairedCore, UpDelaysWhatTheServerReceivesForTheRightPeer) {
    EchoCore core;
    test::CapturingLogger log;
    ImpairedCore impaired(core, plan("", "delay 100ms"), log, "");
    impaired.on_datagram(kA, as_bytes("a"), at_ms(0));
    impaired.on_datagram(kB, as_bytes("b"), at_ms(10));
    EXPECT_TRUE(core.received.empty());
    EXPECT_EQ(impaired.next_deadline(), at_ms(100));
    impaired.on_timeout(at_ms(100));
    impaired.on_timeout(at_ms(110));
    ASSERT_EQ(core.received.size(), 2u);
    EXPECT_EQ(core.received[0], (std::pair{kA, at_ms(100)}));
    EXPECT_EQ(core.received[1], (std::pair{kB, at_ms(110)}));
    EXPECT_TRUE(core.timeouts.empty()) << "the core hears only of its own deadlines";
}

TEST(ImpairedCore, DownDuplicatesWhatTheServerSendsToItsPeer) {
    EchoCore core;
    test::CapturingLogger log;
    ImpairedCore impaired(core, plan("", "", "duplicate 100%"), log, "");
    impaired.on_datagram(kB, as_bytes("b"), at_ms(0));
    const auto out = impaired.take_datagrams();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].peer, kB);
    EXPECT_EQ(out[1].peer, kB);
}

TEST(ImpairedCore, DownDelayLeavesAtTheTimeout) {
    EchoCore core;
    test::CapturingLogger log;
    ImpairedCore impaired(core, plan("", "", "delay 30ms"), log, "");
    impaired.on_datagram(kA, as_bytes("a"), at_ms(0));
    EXPECT_TRUE(impaired.take_datagrams().empty());
    core.deadline = at_ms(500);
    EXPECT_EQ(impaired.next_deadline(), at_ms(30));
    impaired.on_timeout(at_ms(30));
    const auto out = impaired.take_datagrams();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].peer, kA);
    EXPECT_EQ(impaired.next_deadline(), at_ms(500));
    impaired.on_timeout(at_ms(500));
    EXPECT_EQ(core.timeouts, std::vector<TimePoint>{at_ms(500)});
}

TEST(ImpairedCore, BlackholeSilencesTheServer) {
    EchoCore core;
    test::CapturingLogger log;
    ImpairedCore impaired(core, plan("", "", "blackhole"), log, "");
    for (int i = 0; i < 10; ++i) {
        impaired.on_datagram(kA, as_bytes("a"), at_ms(i));
        EXPECT_TRUE(impaired.take_datagrams().empty());
    }
    EXPECT_EQ(core.received.size(), 10u) << "it hears, but says nothing";
    EXPECT_EQ(impaired.next_deadline(), std::nullopt);
}

TEST(ImpairedCore, PlansBothDirectionsAndLetsEachOverride) {
    const ServerImpairment both = plan("loss 10%", "", "delay 5ms");
    EXPECT_DOUBLE_EQ(*both.up->loss, 0.1);
    EXPECT_EQ(both.down->delay, std::chrono::milliseconds(5));
    EXPECT_FALSE(both.down->loss);
    const auto bad = plan_server_impairment("", "loss 120%", "");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error(), "--netem-up: \"loss 120%\": a percentage is 0 to 100");
}

}  // namespace
}  // namespace atcoap::server
