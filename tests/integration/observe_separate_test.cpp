// Observe (RFC 7641) and separate responses (RFC 7252 §5.2.2) between the whole modem and the
// server core, in virtual time: what the host sees, and what the server's state says of the
// modem's acknowledgements.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "host_output.hpp"
#include "sim/simulation.hpp"

namespace atcoap::integration {
namespace {

using sim::LinkSettings;
using sim::Simulation;
using sim::SimulationOptions;

constexpr Duration kBound{60'000};

void open_client(Simulation& sim) {
    sim.command("ATE0");
    sim.command("AT+QCOAPOPEN=0,\"127.0.0.1\",5683");
    ASSERT_TRUE(sim.run_until_output("+QCOAPOPEN: 0,0", kBound)) << printable(sim.output());
    sim.take_output();
}

int count(const std::string& text, const std::string& part) {
    int n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
        ++n;
    }
    return n;
}

/// The Observe values of the +QCOAPRECV reports in `output`, in order.
std::vector<int> observe_values(const std::string& output) {
    static const std::regex report(R"re(\+QCOAPRECV: 0,\d+,2\.05,1,02,\d+,6,"(\d+)",)re");
    std::vector<int> values;
    for (std::sregex_iterator it(output.begin(), output.end(), report), end; it != end; ++it) {
        values.push_back(std::stoi((*it)[1]));
    }
    return values;
}

void start_observing(Simulation& sim) {
    sim.command("AT+QCOAPHEADER=0,500,0,1,02");
    sim.command("AT+QCOAPOPTION=0,0,0,11,\"obs\"");
    sim.command("AT+QCOAPOPTION=0,0,1,6,0");
    sim.command("AT+QCOAPSEND=0,0,1,3,0");
}

TEST(Observe, EveryNotificationIsReportedOnceAndTheConOnesAreAcknowledged) {
    SimulationOptions options;
    options.to_server.delay = Duration{30};
    options.to_modem.delay = Duration{30};
    Simulation sim(options);
    ASSERT_NO_FATAL_FAILURE(open_client(sim));
    start_observing(sim);
    ASSERT_TRUE(sim.run_until_output("+QCOAPACK: 0,0,500,0", kBound));
    sim.advance(Duration{12'500});
    const std::string output = sim.take_output();
    EXPECT_TRUE(output.starts_with(framed("OK") + framed("OK") + framed("OK") + framed("OK") +
                                   framed("+QCOAPACK: 0,0,500,0")))
        << printable(output);
    // The answer, then one notification a second, each with a greater Observe value.
    const std::vector<int> values = observe_values(output);
    ASSERT_EQ(values.size(), 13u) << printable(output);
    for (std::size_t i = 1; i < values.size(); ++i) {
        EXPECT_GT(values[i], values[i - 1]);
    }
    EXPECT_EQ(count(output, "\r\n+"), 14);  // nothing but the ACK and the reports
    // Every fifth notification is a CON: the modem's ACKs keep the observation alive.
    EXPECT_EQ(sim.server().observer_count(), 1u);
    EXPECT_EQ(sim.server().unacknowledged_count(), 0u);
}

TEST(Observe, AClosedClientIsForgottenByTheServerAndPrintsNothingMore) {
    Simulation sim;
    ASSERT_NO_FATAL_FAILURE(open_client(sim));
    start_observing(sim);
    sim.advance(Duration{3'500});
    sim.command("AT+QCOAPCLOSE=0");
    sim.take_output();
    // The next CON notification finds no socket; unacknowledged, it ends the observation.
    sim.advance(Duration{300'000});
    EXPECT_EQ(sim.take_output(), "");
    EXPECT_EQ(sim.server().observer_count(), 0u);
}

const std::regex kSeparateReport(
    R"re(\r\n\+QCOAPRECV: 0,(\d+),2\.05,1,01,[^\r]*,17\r\nseparate response\r\n)re");

void send_separate_get(Simulation& sim) {
    sim.command("AT+QCOAPHEADER=0,400,0,1,01");
    sim.command("AT+QCOAPOPTION=0,0,0,11,\"separate\"");
    sim.command("AT+QCOAPSEND=0,0,1,1,0");
}

TEST(Separate, TheEmptyAckEndsTheConAndTheLaterResponseIsReportedAndAcknowledged) {
    Simulation sim;
    ASSERT_NO_FATAL_FAILURE(open_client(sim));
    send_separate_get(sim);
    EXPECT_EQ(sim.take_output(),
              framed("OK") + framed("OK") + framed("OK") + framed("+QCOAPACK: 0,0,400,0"));
    EXPECT_EQ(sim.server().unacknowledged_count(), 0u);  // nothing yet: one second to go
    sim.advance(Duration{999});
    EXPECT_EQ(sim.take_output(), "");
    sim.advance(Duration{1});
    const std::string report = sim.take_output();
    std::smatch parts;
    ASSERT_TRUE(std::regex_match(report, parts, kSeparateReport)) << printable(report);
    EXPECT_NE(parts[1], "400");  // the server's own CON, with its own message ID
    EXPECT_EQ(sim.server().unacknowledged_count(), 0u);  // the modem ACKed it at once
    sim.advance(Duration{300'000});
    EXPECT_EQ(sim.take_output(), "");
}

TEST(Separate, UnderLossTheResponseIsReportedAtMostOnce) {
    LinkSettings link;
    link.loss = 0.3;
    link.duplicate = 0.1;
    int reported = 0;
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
        SimulationOptions options;
        options.seed = seed;
        options.to_server = link;
        options.to_modem = link;
        Simulation sim(options);
        ASSERT_NO_FATAL_FAILURE(open_client(sim));
        send_separate_get(sim);
        sim.advance(Duration{300'000});
        OutputReader in(sim.take_output());
        ASSERT_TRUE(in.take(framed("OK") + framed("OK") + framed("OK"))) << "seed " << seed;
        const auto con = read_con(in, 0, 400, 4, "");
        ASSERT_TRUE(con) << "seed " << seed << ": " << in.rest();
        const std::string rest = in.rest();
        if (!rest.empty()) {
            // rest() escapes: match the escaped form of the one report that may follow.
            ASSERT_TRUE(std::regex_match(
                rest, std::regex(R"re(\\r\\n\+QCOAPRECV: 0,\d+,2\.05,1,01,.*,17\\r\\n)re"
                                 R"re(separate response\\r\\n)re")))
                << "seed " << seed << ": " << rest;
            ++reported;
        }
    }
    std::cout << "separate responses reported: " << reported << " of 200\n";
    EXPECT_GT(reported, 150);
}

}  // namespace
}  // namespace atcoap::integration
